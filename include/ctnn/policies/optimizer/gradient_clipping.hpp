// ctnn/policies/optimizer/gradient_clipping.hpp - Keras' `clipnorm` and `clipvalue`, shared by
// every optimizer (each has `float clipnorm = 0, clipvalue = 0;`, 0 meaning off).
//
// Clipping is per parameter block (one call of `update`, i.e. one Keras variable):
// - clipnorm c: if the block's gradient has L2 norm ||g|| > c it is rescaled to g * c / ||g||,
//   otherwise left exactly as it is (Keras computes g * c / max(||g||, c)).
// - clipvalue c: every component is clamped to [-c, c]; NaN stays NaN, so divergence stays visible.
// Keras refuses to set both; here both may be set and clipnorm is applied first. Keras'
// `global_clipnorm` spans all blocks and belongs to the trainer.
//
// The gradient is read-only, so clipping is folded into the optimizer's update loop: one extra
// pass computes the norm (only when clipnorm is set), then every gradient value goes through
// `gradient_clip::operator()` as it is loaded. Nothing is allocated.
#pragma once

#include "ctnn/simd/math.hpp"
#include "ctnn/simd/vector_loop.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

namespace ctnn::detail {

// L2 norm of n floats at x (any alignment): SIMD sum of squares, then the scalar tail.
[[nodiscard]] inline float l2_norm(const float* x, std::size_t n) noexcept {
    using V = simd::batch_t<float>;
    V acc(0.0f);
    const std::size_t tail = simd::for_each_vector(n, [&](std::size_t i) {
        const V v = simd::load_unaligned(x + i);
        acc = simd::fma(v, v, acc);
    });
    float sum = simd::reduce_add(acc);
    for (std::size_t i = tail; i < n; ++i)
        sum = std::fma(x[i], x[i], sum);
    return std::sqrt(sum);
}

// What clipping does to one block's gradient: multiply by `scale`, then clamp to +-`limit`.
struct gradient_clip {
    float scale = 1.0f;
    float limit = std::numeric_limits<float>::infinity();

    [[nodiscard]] constexpr bool active() const noexcept {
        return scale != 1.0f || limit != std::numeric_limits<float>::infinity();
    }

    template <class V>
    [[nodiscard]] V operator()(V g) const noexcept {
        g = g * V(scale);
        // select rather than min/max: comparisons with NaN are false, so NaN passes through.
        return simd::select(g > V(limit), V(limit), simd::select(g < V(-limit), V(-limit), g));
    }
};

// The clipping for a block of n gradients; clipnorm/clipvalue <= 0 mean off.
[[nodiscard]] inline gradient_clip make_gradient_clip(const float* grads, std::size_t n,
                                                      float clipnorm, float clipvalue) noexcept {
    gradient_clip clip;
    if (clipnorm > 0.0f) {
        const float norm = l2_norm(grads, n);
        if (norm > clipnorm)
            clip.scale = clipnorm / norm;
    }
    if (clipvalue > 0.0f)
        clip.limit = clipvalue;
    return clip;
}

} // namespace ctnn::detail
