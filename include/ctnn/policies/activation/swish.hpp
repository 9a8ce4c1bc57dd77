// ctnn/policies/activation/swish.hpp - g(x) = x sigmoid(x) (Keras "silu", also named "swish").
//
// sigmoid(x) and sigmoid(-x) = 1 - sigmoid(x) both come from e = e^-|x| without cancellation, so
// g'(x) = s (1 + x (1 - s)) is accurate in both tails. g is not monotonic, so df reads x. Inputs
// are clamped to finite values so that +-inf never meet a 0 (inf * 0 = NaN).
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"

#include <limits>
#include <string>
#include <string_view>

namespace ctnn {

struct swish {
    static constexpr std::string_view name = "swish";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = false;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        const V xc = simd::max(x, V(std::numeric_limits<float>::lowest()));
        const V e = simd::exp(-simd::abs(xc));
        const V r = V(1.0f) / (V(1.0f) + e);
        return xc * simd::select(xc >= V(0.0f), r, e * r);
    }
    template <class V>
    [[nodiscard]] static V df(V x, V) noexcept {
        const V xc = simd::min(simd::max(x, V(std::numeric_limits<float>::lowest())),
                               V(std::numeric_limits<float>::max()));
        const V e = simd::exp(-simd::abs(xc));
        const V r = V(1.0f) / (V(1.0f) + e);
        const auto positive = xc >= V(0.0f);
        const V s = simd::select(positive, r, e * r);  // sigmoid(x)
        const V sm = simd::select(positive, e * r, r); // sigmoid(-x) = 1 - sigmoid(x)
        return s * simd::fma(xc, sm, V(1.0f));
    }

    static constexpr float constant_f(float x) noexcept {
        return static_cast<float>(x * simd::constant_math::sigmoid(x));
    }
    static std::string spelling() { return "ctnn::swish"; }
};

static_assert(elementwise_activation<swish>);

} // namespace ctnn
