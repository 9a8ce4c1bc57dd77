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
#include "ctnn/simd/vector_loop.hpp"

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
        constexpr std::size_t lanes = simd::width_v<float>;
        constexpr std::size_t full = N / lanes * lanes;
        constexpr std::size_t tail = N - full;

        // Row maximum; the tail is read element by element, so no padding lane takes part.
        float m = z[0];
        if constexpr (full != 0) {
            V vm = simd::load_unaligned(z);
            for (std::size_t i = lanes; i < full; i += lanes)
                vm = simd::max(vm, simd::load_unaligned(z + i));
            m = simd::reduce_max(vm);
        }
        for (std::size_t i = full; i < N; ++i)
            m = simd::max(m, z[i]);

        // e^(z - m), stored, and summed (the tail's sum from what was stored).
        const V vmax(m);
        V vsum(0.0f);
        for (std::size_t i = 0; i < full; i += lanes) {
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
        simd::for_each_vector_then_partial<N>([&](std::size_t i, auto count) {
            simd::store_lanes(y + i, simd::load_lanes(y + i, count) * scale, count);
        });
    }

    template <std::size_t N>
    static void backward(const float* y, const float* dy, float* dz) noexcept {
        static_assert(N > 0, "softmax needs at least one value per row");
        using V = simd::batch_t<float>;

        // <dy, y>; the partial loads fill padding lanes with zeros, which add nothing.
        V vdot(0.0f);
        simd::for_each_vector_then_partial<N>([&](std::size_t i, auto lanes) {
            vdot = simd::fma(simd::load_lanes(dy + i, lanes), simd::load_lanes(y + i, lanes), vdot);
        });
        const V dot(simd::reduce_add(vdot));

        simd::for_each_vector_then_partial<N>([&](std::size_t i, auto lanes) {
            const V yv = simd::load_lanes(y + i, lanes);
            simd::store_lanes(dz + i, yv * (simd::load_lanes(dy + i, lanes) - dot), lanes);
        });
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
