// ctnn/policies/activation/leaky_relu.hpp - g(x) = x for x > 0, slope * x otherwise (Keras
// "leaky_relu").
//
// `leaky_relu` uses slope 0.2, the default negative_slope of keras.activations.leaky_relu (the
// Keras *layer* LeakyReLU defaults to 0.3: write leaky_relu_with<std::ratio<3, 10>> for that).
// The slope is a std::ratio so that it is part of the type. As TensorFlow, g'(0) = slope. Since
// slope >= 0, y has the sign of x and g' = (y > 0 ? 1 : slope) needs only the output.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/util/ratio_spelling.hpp"

#include <ratio>
#include <string>
#include <string_view>

namespace ctnn {

template <class Slope = std::ratio<1, 5>>
struct leaky_relu_with {
    static_assert(detail::ratio_like<Slope>,
                  "leaky_relu_with<Slope>: Slope must be a std::ratio, such as std::ratio<1, 5>");
    static_assert(detail::ratio_value_v<Slope> >= 0.0f,
                  "leaky_relu_with<Slope>: the negative slope must not be negative");

    static constexpr std::string_view name = "leaky_relu";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;
    static constexpr float negative_slope = detail::ratio_value_v<Slope>;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return simd::select(x > V(0.0f), x, V(negative_slope) * x);
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return simd::select(y > V(0.0f), V(1.0f), V(negative_slope));
    }

    static constexpr float constant_f(float x) noexcept {
        return x > 0.0f ? x : negative_slope * x;
    }
    static std::string spelling() {
        return "ctnn::leaky_relu_with<" + detail::ratio_spelling<Slope>() + ">";
    }
};

using leaky_relu = leaky_relu_with<>;

static_assert(elementwise_activation<leaky_relu>);

} // namespace ctnn
