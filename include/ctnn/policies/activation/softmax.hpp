// ctnn/policies/activation/softmax.hpp - y_i = e^(z_i) / sum_j e^(z_j) over a row (Keras
// "softmax"), the output activation of a classifier.
//
// Rowwise: apply<N>(z, y) turns one row of N logits into probabilities. The row maximum is
// subtracted first, so logits like {1000, 1001, 1002} give the same finite result as {0, 1, 2}.
// backward<N>(y, dy, dz) is the vector-Jacobian product dz = y * (dy - <dy, y>), from the outputs
// alone. (Training with categorical cross-entropy should take the fused gradient p - t instead.)
// Pointers need not be aligned; y may be z, and dz may be dy or y.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace ctnn {

struct softmax {
    static constexpr std::string_view name = "softmax";
    static constexpr bool elementwise = false;

    template <std::size_t N>
    static void apply(const float* z, float* y) noexcept {
        static_assert(N > 0, "softmax needs at least one value per row");
        using V = simd::batch_t<float>;
        constexpr std::size_t W = simd::width_v<float>;
        constexpr std::size_t full = N / W * W;
        constexpr std::size_t tail = N - full;

        // Row maximum; the tail is read element by element, so no padding lane takes part.
        float m = z[0];
        if constexpr (full != 0) {
            V vm = simd::load_unaligned(z);
            for (std::size_t i = W; i < full; i += W)
                vm = simd::max(vm, simd::load_unaligned(z + i));
            m = simd::reduce_max(vm);
        }
        for (std::size_t i = full; i < N; ++i)
            m = simd::max(m, z[i]);

        // e^(z - m), stored, and summed (the tail's sum from what was stored).
        const V vmax(m);
        V vsum(0.0f);
        for (std::size_t i = 0; i < full; i += W) {
            const V e = simd::exp(simd::load_unaligned(z + i) - vmax);
            simd::store_unaligned(y + i, e);
            vsum += e;
        }
        float sum = simd::reduce_add(vsum);
        if constexpr (tail != 0) {
            simd::store_partial(y + full, simd::exp(simd::load_partial(z + full, tail) - vmax),
                                tail);
            for (std::size_t i = full; i < N; ++i)
                sum += y[i];
        }

        // Normalise; sum >= 1 because the maximum contributes e^0.
        const V scale(1.0f / sum);
        for (std::size_t i = 0; i < full; i += W)
            simd::store_unaligned(y + i, simd::load_unaligned(y + i) * scale);
        if constexpr (tail != 0)
            simd::store_partial(y + full, simd::load_partial(y + full, tail) * scale, tail);
    }

    template <std::size_t N>
    static void backward(const float* y, const float* dy, float* dz) noexcept {
        static_assert(N > 0, "softmax needs at least one value per row");
        using V = simd::batch_t<float>;
        constexpr std::size_t W = simd::width_v<float>;
        constexpr std::size_t full = N / W * W;
        constexpr std::size_t tail = N - full;

        // <dy, y>; the partial loads fill padding lanes with zeros, which add nothing.
        V vdot(0.0f);
        for (std::size_t i = 0; i < full; i += W)
            vdot = simd::fma(simd::load_unaligned(dy + i), simd::load_unaligned(y + i), vdot);
        if constexpr (tail != 0)
            vdot = simd::fma(simd::load_partial(dy + full, tail),
                             simd::load_partial(y + full, tail), vdot);
        const V dot(simd::reduce_add(vdot));

        for (std::size_t i = 0; i < full; i += W) {
            const V yv = simd::load_unaligned(y + i);
            simd::store_unaligned(dz + i, yv * (simd::load_unaligned(dy + i) - dot));
        }
        if constexpr (tail != 0) {
            const V yv = simd::load_partial(y + full, tail);
            simd::store_partial(dz + full, yv * (simd::load_partial(dy + full, tail) - dot), tail);
        }
    }

    // As apply: the maximum subtracted, e^(z - m) summed, scaled by 1 / sum.
    template <std::size_t N>
    static constexpr void constant_apply(const float* z, float* y) noexcept {
        float m = z[0];
        for (std::size_t i = 1; i < N; ++i)
            m = z[i] > m ? z[i] : m;
        float sum = 0.0f;
        for (std::size_t i = 0; i < N; ++i) {
            y[i] = static_cast<float>(simd::constant_math::exp(z[i] - m));
            sum += y[i];
        }
        const float scale = 1.0f / sum;
        for (std::size_t i = 0; i < N; ++i)
            y[i] *= scale;
    }
    static std::string spelling() { return "ctnn::softmax"; }
};

static_assert(rowwise_activation<softmax>);

} // namespace ctnn
