// ctnn/policies/activation/sigmoid.hpp - the logistic function g(x) = 1 / (1 + e^-x) (Keras
// "sigmoid").
//
// Computed from e = e^-|x|, which never overflows: g(x) = 1 / (1 + e) for x >= 0 and
// e / (1 + e) otherwise, so any finite or infinite x gives a value in [0, 1] without inf/NaN.
// g'(x) = y (1 - y) needs only the output.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct sigmoid {
    static constexpr std::string_view name = "sigmoid";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        const V e = simd::exp(-simd::abs(x));
        const V r = V(1.0f) / (V(1.0f) + e);
        return simd::select(x >= V(0.0f), r, e * r);
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return y * (V(1.0f) - y);
    }

    static constexpr float constant_f(float x) noexcept {
        return static_cast<float>(simd::constant_math::sigmoid(x));
    }
    static std::string spelling() { return "ctnn::sigmoid"; }
};

static_assert(elementwise_activation<sigmoid>);

} // namespace ctnn
