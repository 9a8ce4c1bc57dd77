// ctnn/policies/activation/softplus.hpp - g(x) = ln(1 + e^x) (Keras "softplus").
//
// Computed as max(x, 0) + log1p(e^-|x|): no overflow for large x, no loss of precision for very
// negative x. g'(x) = sigmoid(x) = 1 - e^-y, so the derivative needs only the output (computed
// as -expm1(-y), accurate for small y too).
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct softplus {
    static constexpr std::string_view name = "softplus";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return simd::max(x, V(0.0f)) + simd::log1p(simd::exp(-simd::abs(x)));
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return -simd::expm1(-y);
    }

    static constexpr float constant_f(float x) noexcept {
        const double a = x < 0.0f ? -static_cast<double>(x) : x;
        return static_cast<float>((x > 0.0f ? static_cast<double>(x) : 0.0) +
                                  simd::constant_math::log1p(simd::constant_math::exp(-a)));
    }
    static std::string spelling() { return "ctnn::softplus"; }
};

static_assert(elementwise_activation<softplus>);

} // namespace ctnn
