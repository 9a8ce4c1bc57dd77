// ctnn/policies/activation/gelu.hpp - the Gaussian error linear unit, exact form (Keras "gelu"
// with its default approximate=False): g(x) = x Phi(x), Phi the standard normal CDF.
//
// Phi(x) = erfc(-x / sqrt 2) / 2 is the same function as Keras' (1 + erf(x / sqrt 2)) / 2 but
// keeps its precision in the left tail, where 1 + erf cancels. g'(x) = Phi(x) + x phi(x) is not a
// function of y (g is not monotonic), so df reads x. Inputs are clamped where the result no
// longer changes, so that -inf gives 0 rather than -inf * 0 = NaN.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/math.hpp"

#include <limits>
#include <string>
#include <string_view>

namespace ctnn {

struct gelu {
    static constexpr std::string_view name = "gelu";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = false;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        const V xc = simd::max(x, V(std::numeric_limits<float>::lowest()));
        return V(0.5f) * xc * simd::erfc(V(-inv_sqrt2) * xc);
    }
    template <class V>
    [[nodiscard]] static V df(V x, V) noexcept {
        // Beyond |x| = 64, Phi is exactly 0 or 1 and x phi(x) exactly 0 in float.
        const V xc = simd::min(simd::max(x, V(-64.0f)), V(64.0f));
        const V cdf = V(0.5f) * simd::erfc(V(-inv_sqrt2) * xc);
        const V pdf = V(inv_sqrt2pi) * simd::exp(V(-0.5f) * xc * xc);
        return simd::fma(xc, pdf, cdf);
    }

    // No constant_f: a constant-expression erfc is not written (constexpr_predict refuses gelu).
    static std::string spelling() { return "ctnn::gelu"; }

private:
    static constexpr float inv_sqrt2 = 0.70710678118654752440f;
    static constexpr float inv_sqrt2pi = 0.39894228040143267794f;
};

static_assert(elementwise_activation<gelu>);

} // namespace ctnn
