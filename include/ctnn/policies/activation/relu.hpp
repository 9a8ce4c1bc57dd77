// ctnn/policies/activation/relu.hpp - the rectified linear unit g(x) = max(x, 0) (Keras "relu").
//
// g'(0) is taken as 0, as TensorFlow does; g' = [y > 0] needs only the output.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct relu {
    static constexpr std::string_view name = "relu";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return simd::max(x, V(0.0f));
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return simd::select(y > V(0.0f), V(1.0f), V(0.0f));
    }

    // As simd::max(x, 0): the scalar build's `x < 0 ? 0 : x`, or the SIMD max instruction's
    // `x > 0 ? x : 0` (they differ for -0 and NaN only).
    static constexpr float constant_f(float x) noexcept {
        if constexpr (simd::width_v<float> == 1)
            return x < 0.0f ? 0.0f : x;
        else
            return x > 0.0f ? x : 0.0f;
    }
    static std::string spelling() { return "ctnn::relu"; }
};

static_assert(elementwise_activation<relu>);

} // namespace ctnn
