// ctnn/policies/activation/tanh.hpp - the hyperbolic tangent (Keras "tanh").
//
// `ctnn::tanh` is a type; the function is simd::tanh (or std::tanh). Code that says
// `using namespace ctnn;` and then calls an unqualified `tanh(x)` is ambiguous with ::tanh:
// qualify one or the other. g'(x) = 1 - y^2 needs only the output.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct tanh {
    static constexpr std::string_view name = "tanh";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return ctnn::simd::tanh(x);
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return ctnn::simd::fma(-y, y, V(1.0f));
    }

    static constexpr float constant_f(float x) noexcept {
        return static_cast<float>(ctnn::simd::constant_math::tanh(x));
    }
    static std::string spelling() { return "ctnn::tanh"; }
};

static_assert(elementwise_activation<tanh>);

} // namespace ctnn
