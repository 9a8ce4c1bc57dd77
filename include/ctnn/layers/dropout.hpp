// ctnn/layers/dropout.hpp - `dropout<Rate>`: randomly silence a fraction of the activations
// while training.
//
//   network<input<2000>, dense<16, relu>, dropout<std::ratio<1, 2>>, dense<1, sigmoid>>
//
// Keras's inverted dropout: in training each value is kept with probability 1 - Rate and
// scaled by 1 / (1 - Rate), so the expected activation is unchanged; at inference the layer is
// the identity and costs nothing (predict skips it like flatten). The trainer draws the mask
// from its seedable generator and the backward pass multiplies by the same mask.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/util/ratio_spelling.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ratio>
#include <string>
#include <string_view>

namespace ctnn {

namespace detail {

template <static_shape In, class Rate>
struct dropout_layer {
    using input_shape = In;
    using output_shape = In;
    static constexpr std::size_t param_count = 0;
    static constexpr bool is_view = true;       // at inference: the identity, no code
    static constexpr bool training_only = true; // in training: a mask
    static constexpr float rate = static_cast<float>(static_cast<double>(Rate::num) / Rate::den);
    static constexpr std::size_t size = In::size;

    static std::string name() {
        char text[32];
        std::snprintf(text, sizeof text, "dropout(%g)", static_cast<double>(rate));
        return text;
    }

    // The identity at inference: no constants, a view (layers/constant_layer.hpp); spelled for
    // export_header with its rate as written (spelled_layer.hpp).
    using constants = no_constants;
    static std::string spelling() { return "ctnn::dropout<" + ratio_spelling<Rate>() + ">"; }

    // mask = 0 or 1 / (1 - rate) per value, y = x * mask, for `rows` rows (x rows x_stride
    // floats apart, any alignment; mask and y rows `stride` apart, aligned).
    void forward_train(const float* x, std::size_t x_stride, float* mask, float* y,
                       std::size_t stride, std::size_t rows, random_engine& gen) const noexcept {
        constexpr float keep_scale = 1.0f / (1.0f - rate);
        // A value is dropped when a uniform 32-bit draw falls below rate * 2^32; each 64-bit
        // draw of the generator gives two.
        constexpr auto threshold =
            static_cast<std::uint64_t>(static_cast<double>(rate) * 4294967296.0);
        for (std::size_t r = 0; r < rows; ++r) {
            float* m = mask + r * stride;
            for (std::size_t j = 0; j < size; j += 2) {
                const std::uint64_t bits = gen();
                m[j] = (bits & 0xffffffffu) < threshold ? 0.0f : keep_scale;
                if (j + 1 < size)
                    m[j + 1] = (bits >> 32) < threshold ? 0.0f : keep_scale;
            }
            multiply(x + r * x_stride, m, y + r * stride);
        }
    }

    // dx = dy * mask: the gradient flows only through the kept values, with the same scale.
    void backward(const float* mask, const float* dy, float* dx, std::size_t stride,
                  std::size_t rows) const noexcept {
        for (std::size_t r = 0; r < rows; ++r)
            multiply(dy + r * stride, mask + r * stride, dx + r * stride);
    }

private:
    // out[j] = a[j] * b[j] for j < size; b and out aligned, a any alignment.
    static void multiply(const float* a, const float* b, float* out) noexcept {
        constexpr std::size_t W = simd::width_v<float>;
        constexpr std::size_t full = size / W * W;
        for (std::size_t j = 0; j < full; j += W)
            simd::store_aligned(out + j, simd::load_unaligned(a + j) * simd::load_aligned(b + j));
        for (std::size_t j = full; j < size; ++j)
            out[j] = a[j] * b[j];
    }
};

} // namespace detail

template <class Rate>
struct dropout {
    static_assert(
        requires {
            Rate::num;
            Rate::den;
        },
        "dropout<Rate>: Rate is a std::ratio, e.g. dropout<std::ratio<1, 2>> for 0.5");
    static_assert(Rate::num >= 0 && Rate::num < Rate::den,
                  "dropout<Rate>: the rate must be in [0, 1)");
    static constexpr std::string_view kind = "dropout";
    template <static_shape In>
    using bound = detail::dropout_layer<In, Rate>;
};

} // namespace ctnn
