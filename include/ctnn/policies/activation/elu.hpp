// ctnn/policies/activation/elu.hpp - the exponential linear unit (Keras "elu"):
// g(x) = x for x > 0, alpha (e^x - 1) otherwise.
//
// `elu` has alpha = 1, the Keras default; elu_with<std::ratio<3, 2>> has alpha = 1.5. e^x - 1 is
// computed by expm1 (accurate near 0) on min(x, 0), so large x never produces an inf, not even in
// a discarded lane. For x < 0, g'(x) = alpha e^x = y + alpha, and with alpha > 0 y has the sign of
// x, so the derivative needs only the output. At 0 it is the left derivative alpha (TensorFlow's
// value for Keras' elu).
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/util/ratio_spelling.hpp"

#include <ratio>
#include <string>
#include <string_view>

namespace ctnn {

template <class Alpha = std::ratio<1>>
struct elu_with {
    static_assert(detail::ratio_like<Alpha>,
                  "elu_with<Alpha>: Alpha must be a std::ratio, such as std::ratio<1>");
    static_assert(detail::ratio_value_v<Alpha> > 0.0f, "elu_with<Alpha>: alpha must be positive");

    static constexpr std::string_view name = "elu";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;
    static constexpr float alpha = detail::ratio_value_v<Alpha>;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return simd::select(x > V(0.0f), x, V(alpha) * simd::expm1(simd::min(x, V(0.0f))));
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return simd::select(y > V(0.0f), V(1.0f), y + V(alpha));
    }

    static constexpr float constant_f(float x) noexcept {
        return x > 0.0f
                   ? x
                   : alpha * static_cast<float>(simd::constant_math::expm1(x < 0.0f ? x : 0.0f));
    }
    static std::string spelling() {
        return "ctnn::elu_with<" + detail::ratio_spelling<Alpha>() + ">";
    }
};

using elu = elu_with<>;

static_assert(elementwise_activation<elu>);

} // namespace ctnn
