// ctnn/policies/activation/fast_sigmoid.hpp - the logistic function through
// simd::fast_sigmoid (name "fast_sigmoid").
//
//   ctnn::network<ctnn::input<30>, ctnn::dense<16, ctnn::fast_sigmoid>, ...>
//
// The same activation as ctnn::sigmoid, with simd::fast_exp in place of xsimd's exp: absolute
// error <= 1e-7, relative <= 2.9e-7 wherever the result is a normal float, 1.4x as fast over a
// row (numbers in ctnn/simd/fast_math.hpp). In [0, 1] for every input but NaN; +0 below x = -87.68
// (sigmoid gives the denormal there), 1 for x >= 17. g'(x) = y (1 - y), from the output as for
// sigmoid. Keras has no fast variant: "fast_sigmoid" is ctnn's own name. A fast_sigmoid output
// layer is not fused with binary_crossentropy (that fusion is for ctnn::sigmoid, and stays exact):
// use it in hidden layers, or binary_crossentropy_from_logits after a linear output.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/policies/activation/sigmoid.hpp"
#include "ctnn/simd/fast_math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct fast_sigmoid {
    static constexpr std::string_view name = "fast_sigmoid";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return ctnn::simd::fast_sigmoid(x);
    }
    template <class V>
    [[nodiscard]] static V df(V x, V y) noexcept {
        return ctnn::sigmoid::df(x, y); // the same derivative from the output
    }

    // No constant_f: the fast exponential is not reproduced in constant expressions.
    static std::string spelling() { return "ctnn::fast_sigmoid"; }
};

static_assert(elementwise_activation<fast_sigmoid>);

} // namespace ctnn
