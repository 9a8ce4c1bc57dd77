// ctnn/simd/fast_math.hpp - fast exp, tanh and logistic sigmoid with a stated maximum error.
//
//   simd::fast_exp(x), simd::fast_tanh(x), simd::fast_sigmoid(x)   // V = float or batch_t<float>
//
// The alternatives to simd::exp / simd::tanh (xsimd's, about 1 ulp, every special case handled)
// behind the activations ctnn::fast_tanh and ctnn::fast_sigmoid; losses, softmax and the fused
// softmax / sigmoid + cross-entropy paths stay exact.
//   fast_exp: Cody-Waite range reduction x = n ln2 + r, |r| <= ln2 / 2 (ln2 in two parts, so
//     that r is exact), 1 + r + r^2 q(r) with a cubic q fitted for the least relative error, and
//     2^n built in the exponent bits: n is rounded by adding 1.5 * 2^23, whose low mantissa bits
//     then hold n (no float-to-int conversion). The input is clamped to [-88, 89] first, where
//     2^n runs from +0 (n = -127) to +inf (n = 128): that is the saturation, no select needed.
//   fast_tanh: x P(x^2) / Q(x^2), degree 4 over 4, fitted on |x| <= 8 for the least relative
//     error; odd, so exact in sign and relative near 0 (no 1 - 2 / (e^2x + 1) cancellation).
//   fast_sigmoid: 1 / (1 + e) or e / (1 + e) with e = fast_exp(-|x|) <= 1: never overflows.
//
// Maximum errors, measured against std::exp / std::tanh in double over EVERY float, with FMA
// (AVX-512, AVX2, the scalar build: bit-identical) and without (x86-64-v2, SSE4.2), the larger
// of the two (named constants below; tests/simd/fast_math_test.cpp asserts them on a sweep):
//   fast_exp      relative 2.0e-7 (1.77e-7 with FMA), about 1.7 ulp, for x in
//                 [-87.33654, 88.3762] (e^x >= FLT_MIN); below, the denormal or +0 (+0 from
//                 x < -87.68; absolute error < FLT_MIN); +inf from 88.3763 on, where e^x is
//                 still finite up to 88.7228 (2.4e38 to 3.4e38): an early overflow.
//   fast_tanh     absolute and relative 3.8e-7 (3.25e-7 with FMA), worst near |x| = 5.5 where
//                 it is a few ulps of values close to 1; exactly +-1 for |x| >= 8 (tanh(8) =
//                 1 - 2.3e-7), tanh(-0) = -0, odd.
//   fast_sigmoid  absolute 1.0e-7, relative 2.9e-7 (2.66e-7 with FMA) wherever the result is
//                 >= FLT_MIN; +0 below x = -87.68; exactly 1 from x = 17.
// NaN gives NaN (any payload), +-inf saturate (exp: +inf, +0; tanh: +-1; sigmoid: 1, 0), no
// finite input gives NaN.
//
// Speed, bench/fusion_bench.cpp ("fastmath"; a shared 2-core AMD EPYC with AVX-512, g++ 12,
// medians of 3): over 4096 floats in [-10, 10], fast_exp 0.165 ns/element against simd::exp's
// 0.235 (1.4x), fast_tanh 0.255 against simd::tanh's 0.450 (1.8x), fast_sigmoid 0.253 against
// ctnn::sigmoid's 0.349 (1.4x), the same in two runs. A dense 256 -> 256 layer at batch 32 is
// GEMM-bound (8192 activations against 2.1 M multiply-adds): its forward pass took 41.1 and
// 41.7 us with fast_tanh, 45.1 and 43.0 us with tanh (1.03x to 1.1x) in two runs.
#pragma once

#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"

#include <bit>
#include <cstdint>
#include <limits>

namespace ctnn::simd {

// The stated bounds, measured over every float (see the top of this file); the tests assert
// these constants. exp is accurate from where e^x is a normal float to where 2^n still is.
inline constexpr double fast_exp_max_relative_error = 2.0e-7;  // 1.77e-7 with FMA
inline constexpr float fast_exp_accurate_min = -87.33654f;     // e^x >= FLT_MIN from here
inline constexpr float fast_exp_accurate_max = 88.3762f;       // +inf from 88.3763 on
inline constexpr double fast_tanh_max_absolute_error = 3.8e-7; // 3.25e-7 with FMA
inline constexpr double fast_tanh_max_relative_error = 3.8e-7;
inline constexpr double fast_sigmoid_max_absolute_error = 1.0e-7;
inline constexpr double fast_sigmoid_max_relative_error = 2.9e-7; // where sigmoid >= FLT_MIN

namespace detail {

// lo <= x <= hi, NaN kept. For batches this relies on x86's maxps/minps returning the SECOND
// operand when either is NaN (NEON's vmax/vmin return NaN): one instruction each, no select.
[[nodiscard]] inline float clamp_keep_nan(float lo, float x, float hi) noexcept {
    return x < lo ? lo : (x > hi ? hi : x);
}
#if !defined(CTNN_SIMD_SCALAR)
template <class A>
[[nodiscard]] inline xsimd::batch<float, A>
clamp_keep_nan(float lo, const xsimd::batch<float, A>& x, float hi) noexcept {
    return xsimd::min(xsimd::batch<float, A>(hi), xsimd::max(xsimd::batch<float, A>(lo), x));
}
#endif

// 2^n as a float, from t = 1.5 * 2^23 + n (n in t's low mantissa bits, two's complement):
// n << 23 plus the bits of 1.0f. (t << 23 drops the bits of 1.5 * 2^23.) n = -127 gives +0 and
// n = 128 gives +inf, which is how fast_exp saturates.
[[nodiscard]] inline float pow2_from_rounded(float t) noexcept {
    return std::bit_cast<float>((std::bit_cast<std::uint32_t>(t) << 23) + 0x3f800000u);
}
#if !defined(CTNN_SIMD_SCALAR)
template <class A>
[[nodiscard]] inline xsimd::batch<float, A>
pow2_from_rounded(const xsimd::batch<float, A>& t) noexcept {
    using ints = xsimd::batch<std::int32_t, A>;
    return xsimd::bitwise_cast<xsimd::batch<float, A>>((xsimd::bitwise_cast<ints>(t) << 23) +
                                                       ints(0x3f800000));
}
#endif

// The input range of fast_exp: below, n = -127 and the result is +0; above, n = 128 and +inf.
// e^x is a normal float from -87.3365 (FLT_MIN) and finite up to 88.7228; the results are
// accurate from -87.3365 to 88.3762 (n <= 127).
inline constexpr float fast_exp_lowest = -88.0f;
inline constexpr float fast_exp_highest = 89.0f;

// e^x for x in [fast_exp_lowest, fast_exp_highest] (NaN gives NaN).
template <class V>
[[nodiscard]] inline V fast_exp_clamped(V x) noexcept {
    constexpr float log2e = 1.44269504f;
    constexpr float round_magic = 12582912.0f; // 1.5 * 2^23: adding it rounds to an integer
    constexpr float ln2_hi = 0.693359375f;     // 9 bits: n * ln2_hi is exact for |n| <= 2^15
    constexpr float ln2_lo = -2.12194442e-4f;  // ln 2 - ln2_hi
    const V t = simd::fma(x, V(log2e), V(round_magic));
    const V n = t - V(round_magic);
    V r = simd::fma(n, V(-ln2_hi), x); // exact
    r = simd::fma(n, V(-ln2_lo), r);
    // e^r on |r| <= ln2 / 2: 1 + r + r^2 q(r), q fitted for the least maximum relative error
    // (1.05e-7 before rounding; the float evaluation adds about 1 ulp).
    V q = simd::fma(V(8.31253417e-3f), r, V(4.18901420e-2f));
    q = simd::fma(q, r, V(1.66671145e-1f));
    q = simd::fma(q, r, V(4.99992316e-1f));
    q = simd::fma(q, r, V(1.0f));
    const V p = simd::fma(q, r, V(1.0f));
    // A product, not an add to p's exponent bits: NaN stays NaN whatever its payload, and
    // n = -126 with p < 1 gives the right denormal.
    return p * pow2_from_rounded(t);
}

} // namespace detail

// e^x: relative error <= fast_exp_max_relative_error for x in [fast_exp_accurate_min,
// fast_exp_accurate_max]; below, the denormal e^x or +0 (x < -87.68); above, +inf (e^x > 2.4e38
// there); NaN for NaN.
template <class V>
[[nodiscard]] inline V fast_exp(V x) noexcept {
    return detail::fast_exp_clamped(
        detail::clamp_keep_nan(detail::fast_exp_lowest, x, detail::fast_exp_highest));
}

// tanh(x): absolute and relative error <= fast_tanh_max_absolute_error (3.8e-7); +-1 exactly
// for |x| >= 8.
template <class V>
[[nodiscard]] inline V fast_tanh(V x) noexcept {
    // x P(x^2) / Q(x^2) on |x| <= 8, fitted for the least maximum relative error (6.5e-9
    // before rounding). Every coefficient is positive, so neither polynomial cancels; odd in x,
    // so tanh(-0) = -0 and the error is relative near 0. 1 - tanh(8) = 2.3e-7: beyond 8 the
    // result is +-1 exactly (c / 8 for the clamped c = +-8).
    const V c = detail::clamp_keep_nan(-8.0f, x, 8.0f);
    const V s = c * c;
    V p = simd::fma(V(1.523103451e-8f), s, V(2.189512482e-5f));
    p = simd::fma(p, s, V(3.571626826e-3f));
    p = simd::fma(p, s, V(1.344452245e-1f));
    p = simd::fma(p, s, V(9.999999936e-1f));
    V q = simd::fma(V(8.522704553e-7f), s, V(3.411338655e-4f));
    q = simd::fma(q, s, V(2.616455319e-2f));
    q = simd::fma(q, s, V(4.677784979e-1f));
    q = simd::fma(q, s, V(1.0f));
    return simd::select(s < V(64.0f), c * p / q, c * V(0.125f));
}

// 1 / (1 + e^-x): absolute error <= fast_sigmoid_max_absolute_error (1e-7), relative <=
// fast_sigmoid_max_relative_error (2.9e-7) where the result is >= FLT_MIN; +0 below x = -87.68,
// 1 from x = 17.
template <class V>
[[nodiscard]] inline V fast_sigmoid(V x) noexcept {
    // e = e^-|x| <= 1: 1 / (1 + e) for x >= 0, e / (1 + e) below; no overflow anywhere.
    const V e = fast_exp(-simd::abs(x));
    return simd::select(x >= V(0.0f), V(1.0f), e) / (V(1.0f) + e);
}

} // namespace ctnn::simd
