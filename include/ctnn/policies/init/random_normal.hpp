// ctnn/policies/init/random_normal.hpp - `random_normal_with<Mean, Stddev>`: independent normal
// draws (Keras `random_normal`, defaults mean 0 and standard deviation 0.05).
//
//     random_normal_with<std::ratio<0>, std::ratio<1, 100>>  // N(0, 0.01^2)
#pragma once

#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/init/random.hpp"

#include <cstddef>
#include <random>
#include <ratio>
#include <span>
#include <string_view>

namespace ctnn {

template <class Mean = std::ratio<0>, class Stddev = std::ratio<5, 100>>
struct random_normal_with {
    static_assert(detail::std_ratio<Mean> && detail::std_ratio<Stddev>,
                  "random_normal_with<Mean, Stddev> takes two std::ratio, e.g. "
                  "random_normal_with<std::ratio<0>, std::ratio<5, 100>>");
    static_assert(std::ratio_greater_v<Stddev, std::ratio<0>>,
                  "random_normal_with<Mean, Stddev> needs a positive standard deviation");

    static constexpr std::string_view name = "random_normal";
    // Keras get_config() keys.
    static constexpr double mean = detail::ratio_value<Mean>;
    static constexpr double stddev = detail::ratio_value<Stddev>;

    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float> values, std::size_t, std::size_t, G& gen) const {
        detail::fill_normal(values, mean, stddev, gen);
    }
};

using random_normal = random_normal_with<>;

} // namespace ctnn
