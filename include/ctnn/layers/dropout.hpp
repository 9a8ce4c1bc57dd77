// ctnn/layers/dropout.hpp - `dropout<Rate>`: randomly silence a fraction of the activations
// while training; and `masking_noise<Rate>`, the same without the rescaling (denoising).
//
//   network<input<2000>, dense<16, relu>, dropout<std::ratio<1, 2>>, dense<1, sigmoid>>
//
// Keras's inverted dropout: in training each value is kept with probability 1 - Rate and
// scaled by 1 / (1 - Rate), so the expected activation is unchanged; at inference the layer is
// the identity and costs nothing (predict skips it like flatten). Each row's mask is drawn from
// the trainer's per-batch seed and the row's index alone, so splitting a batch between threads
// does not change it; the backward pass multiplies by the same mask.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/simd/vector_loop.hpp"
#include "ctnn/util/ratio_spelling.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ratio>
#include <string>
#include <string_view>

namespace ctnn {

namespace detail {

// Inverted: kept values scaled by 1 / (1 - rate) (dropout); otherwise left as they are
// (masking noise).
template <static_shape In, class Rate, bool Inverted = true>
struct dropout_layer {
    using input_shape = In;
    using output_shape = In;
    static constexpr std::size_t param_count = 0;
    static constexpr bool is_view = true; // at inference: the identity, no code
    static constexpr float rate = static_cast<float>(static_cast<double>(Rate::num) / Rate::den);
    static constexpr std::size_t size = In::size;
    static constexpr std::size_t stride = simd::padded_size<float>(size);

    static constexpr const char* kind_name = Inverted ? "dropout" : "masking_noise";

    static std::string name() {
        char text[48];
        std::snprintf(text, sizeof text, "%s(%g)", kind_name, static_cast<double>(rate));
        return text;
    }

    // The identity at inference: no constants, a view (layers/constant_layer.hpp); spelled for
    // export_header with its rate as written (spelled_layer.hpp).
    using constants = no_constants;
    static std::string spelling() {
        return "ctnn::" + std::string(kind_name) + "<" + ratio_spelling<Rate>() + ">";
    }

    // --- Training (layers/training_protocol.hpp): y = x * mask, the mask kept for backward ---
    template <std::size_t Rows>
    struct workspace {
        alignas(simd::alignment) std::array<float, Rows * stride> y;
        alignas(simd::alignment) std::array<float, Rows * stride> mask;
    };

    template <std::size_t Rows>
    rows_view train_forward(rows_view x, workspace<Rows>& ws,
                            const pass_context& p) const noexcept {
        if (!p.training)
            return x;
        const std::size_t offset = p.first * stride;
        make_mask(p.noise_seed, p.first, p.rows, ws.mask.data() + offset);
        for (std::size_t r = 0; r < p.rows; ++r)
            multiply(x.row(r), ws.mask.data() + offset + r * stride,
                     ws.y.data() + offset + r * stride);
        return {ws.y.data() + offset, stride};
    }

    // dx = dy * mask: the gradient flows only through the kept values, with the same scale.
    template <std::size_t Rows, class Gradients>
    float* train_backward(rows_view, workspace<Rows>& ws, float* dy, float* dx, Gradients&,
                          const pass_context& p) const noexcept {
        if (dx == nullptr)
            return nullptr;
        for (std::size_t r = 0; r < p.rows; ++r)
            multiply(dy + r * stride, ws.mask.data() + (p.first + r) * stride, dx + r * stride);
        return dx;
    }

    // The mask of batch rows [first, first + rows): 0 or 1 / (1 - rate) (1 for masking noise)
    // per value, row r drawn
    // from (seed, first + r) alone (ctnn::counter_random), rows `stride` floats apart, aligned.
    static void make_mask(std::uint64_t seed, std::size_t first, std::size_t rows,
                          float* mask) noexcept {
        constexpr float keep_scale = Inverted ? 1.0f / (1.0f - rate) : 1.0f;
        // A value is dropped when a uniform 32-bit draw falls below rate * 2^32; each 64-bit
        // draw gives two.
        constexpr auto threshold =
            static_cast<std::uint64_t>(static_cast<double>(rate) * 4294967296.0);
        for (std::size_t r = 0; r < rows; ++r) {
            float* m = mask + r * stride;
            for (std::size_t j = 0; j < size; j += 2) {
                const std::uint64_t bits = counter_random(seed, first + r, j / 2);
                m[j] = (bits & 0xffffffffu) < threshold ? 0.0f : keep_scale;
                if (j + 1 < size)
                    m[j + 1] = (bits >> 32) < threshold ? 0.0f : keep_scale;
            }
        }
    }

private:
    // out[j] = a[j] * b[j] for j < size; b and out aligned, a any alignment.
    static void multiply(const float* a, const float* b, float* out) noexcept {
        const std::size_t tail = simd::for_each_vector(size, [&](std::size_t j) {
            simd::store_aligned(out + j, simd::load_unaligned(a + j) * simd::load_aligned(b + j));
        });
        for (std::size_t j = tail; j < size; ++j)
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

// `masking_noise<Rate>`: the corruption of a denoising autoencoder (Vincent et al. 2008) - in
// training a fraction Rate of the values is set to 0 and the rest are left as they are (no
// 1 / (1 - rate) scale, unlike dropout: the network learns to restore the missing values); at
// inference the identity.
//   network<input<784>, masking_noise<std::ratio<1, 4>>, dense<64, relu>, dense<784, sigmoid>>
template <class Rate>
struct masking_noise {
    static_assert(
        requires {
            Rate::num;
            Rate::den;
        },
        "masking_noise<Rate>: Rate is a std::ratio, e.g. masking_noise<std::ratio<1, 4>> for 0.25");
    static_assert(Rate::num >= 0 && Rate::num < Rate::den,
                  "masking_noise<Rate>: the rate must be in [0, 1)");
    static constexpr std::string_view kind = "masking_noise";
    template <static_shape In>
    using bound = detail::dropout_layer<In, Rate, false>;
};

} // namespace ctnn
