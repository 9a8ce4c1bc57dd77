// ctnn/policies/activation/linear.hpp - the identity activation, g(x) = x (Keras "linear").
//
// `dense<1, linear>` is a plain affine layer, the output layer of a regression.
#pragma once

#include "ctnn/policies/activation/activation.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct linear {
    static constexpr std::string_view name = "linear";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return x;
    }
    template <class V>
    [[nodiscard]] static V df(V, V) noexcept {
        return V(1.0f);
    }

    static constexpr float constant_f(float x) noexcept { return x; }
    static std::string spelling() { return "ctnn::linear"; }
};

static_assert(elementwise_activation<linear>);

} // namespace ctnn
