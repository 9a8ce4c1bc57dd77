// ctnn/policies/activation/fast_tanh.hpp - tanh through simd::fast_tanh (name "fast_tanh").
//
//   ctnn::network<ctnn::input<784>, ctnn::dense<256, ctnn::fast_tanh>, ...>
//
// The same activation as ctnn::tanh, computed by a rational approximation instead of xsimd's
// tanh: absolute and relative error <= 3.8e-7 (simd::fast_tanh_max_absolute_error), 1.8x as
// fast over a row (numbers in ctnn/simd/fast_math.hpp). Exactly +-1 for |x| >= 8, NaN for NaN,
// odd (fast_tanh(-x) = -fast_tanh(x)). g'(x) = 1 - y^2, from the output as for tanh. Keras has no
// fast variant: "fast_tanh" is ctnn's own name, written in weight-file signatures and by
// export_header; a model exchanged with Keras uses ctnn::tanh.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/policies/activation/tanh.hpp"
#include "ctnn/simd/fast_math.hpp"

#include <string>
#include <string_view>

namespace ctnn {

struct fast_tanh {
    static constexpr std::string_view name = "fast_tanh";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return ctnn::simd::fast_tanh(x);
    }
    template <class V>
    [[nodiscard]] static V df(V x, V y) noexcept {
        return ctnn::tanh::df(x, y); // the same derivative from the output
    }

    // No constant_f: the rational approximation is not reproduced in constant expressions.
    static std::string spelling() { return "ctnn::fast_tanh"; }
};

static_assert(elementwise_activation<fast_tanh>);

} // namespace ctnn
