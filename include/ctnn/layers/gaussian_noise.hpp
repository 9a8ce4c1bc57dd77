// ctnn/layers/gaussian_noise.hpp - `gaussian_noise<Stddev>`: zero-mean Gaussian noise added to
// the activations while training (Keras's GaussianNoise).
//
//   network<input<784>, gaussian_noise<std::ratio<3, 10>>, dense<32, relu>, dense<784, sigmoid>>
//
// In training y = x + stddev · n with n standard normal per value, a regularizer and the
// corruption of a denoising autoencoder; at inference the layer is the identity and costs
// nothing (predict skips it, as it skips flatten and dropout). The gradient passes through
// unchanged (dy/dx = 1). Row r of a batch draws its noise from the trainer's per-batch seed and
// r alone (ctnn::counter_random), so splitting a batch between threads does not change it.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/util/ratio_spelling.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ratio>
#include <string>
#include <string_view>

namespace ctnn {

namespace detail {

template <static_shape In, class Stddev>
struct gaussian_noise_layer {
    using input_shape = In;
    using output_shape = In;
    static constexpr std::size_t param_count = 0;
    static constexpr bool is_view = true; // at inference: the identity, no code
    static constexpr double stddev = static_cast<double>(Stddev::num) / Stddev::den;
    static constexpr std::size_t size = In::size;
    static constexpr std::size_t stride = simd::padded_size<float>(size);

    static std::string name() {
        char text[40];
        std::snprintf(text, sizeof text, "gaussian_noise(%g)", stddev);
        return text;
    }

    // The identity at inference: no constants, a view (layers/constant_layer.hpp); spelled for
    // export_header with its deviation as written (spelled_layer.hpp).
    using constants = no_constants;
    static std::string spelling() {
        return "ctnn::gaussian_noise<" + ratio_spelling<Stddev>() + ">";
    }

    // --- Training (layers/training_protocol.hpp) ---
    template <std::size_t Rows>
    struct workspace {
        alignas(simd::alignment) std::array<float, Rows * stride> y;
    };

    template <std::size_t Rows>
    rows_view train_forward(rows_view x, workspace<Rows>& ws,
                            const pass_context& p) const noexcept {
        if (!p.training)
            return x;
        float* y = ws.y.data() + p.first * stride;
        for (std::size_t r = 0; r < p.rows; ++r)
            add_noise(p.noise_seed, p.first + r, x.row(r), y + r * stride);
        return {y, stride};
    }

    // The gradient passes through: dL/dx = dL/dy.
    template <std::size_t Rows, class Gradients>
    float* train_backward(rows_view, workspace<Rows>&, float* dy, float*, Gradients&,
                          const pass_context&) const noexcept {
        return dy;
    }

    // out = x + stddev · n for one row; values 2k and 2k + 1 share one Box-Muller pair drawn
    // from (seed, row, 2k) and (seed, row, 2k + 1).
    static void add_noise(std::uint64_t seed, std::size_t row, const float* x,
                          float* out) noexcept {
        constexpr double two_pi = 6.283185307179586;
        for (std::size_t j = 0; j < size; j += 2) {
            // 1 - u is in (0, 1]: its logarithm is finite.
            const double radius =
                stddev *
                std::sqrt(-2.0 * std::log(1.0 - uniform_unit(counter_random(seed, row, j))));
            const double angle = two_pi * uniform_unit(counter_random(seed, row, j + 1));
            out[j] = x[j] + static_cast<float>(radius * std::cos(angle));
            if (j + 1 < size)
                out[j + 1] = x[j + 1] + static_cast<float>(radius * std::sin(angle));
        }
    }
};

} // namespace detail

template <class Stddev>
struct gaussian_noise {
    static_assert(
        requires {
            Stddev::num;
            Stddev::den;
        },
        "gaussian_noise<Stddev>: Stddev is a std::ratio, e.g. gaussian_noise<std::ratio<1, 10>> "
        "for a standard deviation of 0.1");
    static_assert(Stddev::num >= 0 && Stddev::den > 0,
                  "gaussian_noise<Stddev>: the standard deviation must not be negative");
    static constexpr std::string_view kind = "gaussian_noise";
    template <static_shape In>
    using bound = detail::gaussian_noise_layer<In, Stddev>;
};

} // namespace ctnn
