// ctnn/policies/init/random.hpp - the library's random engine and the samplers initialisers use.
//
// `ctnn::random_engine gen{seed};` is what to hand to an initializer (or anything else in ctnn
// that draws random numbers). std::mt19937_64 is fully specified by the standard, and the
// samplers below only use standard distributions, so two runs with the same seed produce
// bit-identical values when built with the same standard library on the same platform (the
// distributions' algorithms are implementation-defined, so another library may draw others).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

namespace ctnn {

using random_engine = std::mt19937_64;

// The n-th 64-bit value of stream `stream` under `seed`, computed from those three numbers alone
// (SplitMix64's finalizer over a Weyl sequence per stream). Noise layers draw row r of a batch
// as stream r, so a batch's noise does not depend on the order in which, or the thread (or
// process) on which, its rows are computed; a mt19937_64 seeded per row would cost microseconds.
[[nodiscard]] constexpr std::uint64_t counter_random(std::uint64_t seed, std::uint64_t stream,
                                                     std::uint64_t n) noexcept {
    const auto mix = [](std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    return mix(mix(seed ^ mix(stream + 0x632be59bd9b4e019ULL)) + (n + 1) * 0x9e3779b97f4a7c15ULL);
}

// A uniform double in [0, 1) from 64 random bits (their top 53): the same value on every
// standard library, unlike std::uniform_real_distribution.
[[nodiscard]] constexpr double uniform_unit(std::uint64_t bits) noexcept {
    return static_cast<double>(bits >> 11) * 0x1p-53;
}

namespace detail {

// Standard deviation of a standard normal truncated to [-2, 2]. Keras divides by it so that a
// truncated draw has exactly the variance it asks for.
inline constexpr double truncated_normal_stddev_factor = 0.87962566103423978;

// Every value below depends only on the generator's state when it is drawn (nothing is cached
// between values), so filling a span at once or piece by piece - a layer filling its kernel row
// by row - gives the same values for the same generator.

// Uniform on [low, high) in double, stored as float (which may round up to `high`).
template <std::uniform_random_bit_generator G>
void fill_uniform(std::span<float> values, double low, double high, G& gen) {
    std::uniform_real_distribution<double> dist{low, high};
    for (float& v : values)
        v = static_cast<float>(dist(gen));
}

// Normal with the given mean and standard deviation (> 0).
template <std::uniform_random_bit_generator G>
void fill_normal(std::span<float> values, double mean, double stddev, G& gen) {
    std::normal_distribution<double> dist{0.0, 1.0};
    for (float& v : values) {
        v = static_cast<float>(mean + stddev * dist(gen));
        dist.reset(); // drop the cached second draw: see the note above
    }
}

// Normal with the given mean and standard deviation (> 0) of the untruncated distribution,
// with draws more than two standard deviations from the mean redrawn (Keras/TensorFlow
// semantics): the result lies in [mean - 2 stddev, mean + 2 stddev] and its standard deviation
// is stddev * truncated_normal_stddev_factor.
template <std::uniform_random_bit_generator G>
void fill_truncated_normal(std::span<float> values, double mean, double stddev, G& gen) {
    std::normal_distribution<double> dist{0.0, 1.0};
    for (float& v : values) {
        double z = 0.0;
        do {
            z = dist(gen);
            dist.reset();
        } while (z < -2.0 || z > 2.0);
        v = static_cast<float>(mean + stddev * z);
    }
}

} // namespace detail
} // namespace ctnn
