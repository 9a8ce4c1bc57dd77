// ctnn/policies/activation/threshold.hpp - the Heaviside step of the perceptron (not in Keras).
//
// g(x) = 1 when x >= 0, else 0: the unit fires when its weighted sum reaches the threshold (the
// bias carries the threshold, so the comparison is with 0). Its derivative is taken as 0
// everywhere, including at 0, so gradient descent cannot train a threshold unit: it is here for
// the perceptron rule and for hand-set weights (logic gates), not for backpropagation.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct threshold {
    static constexpr std::string_view name = "threshold";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return simd::select(x >= V(0.0f), V(1.0f), V(0.0f));
    }
    template <class V>
    [[nodiscard]] static V df(V, V) noexcept {
        return V(0.0f);
    }

    static constexpr float constant_f(float x) noexcept { return x >= 0.0f ? 1.0f : 0.0f; }
    static std::string spelling() { return "ctnn::threshold"; }
};

static_assert(elementwise_activation<threshold>);

} // namespace ctnn
