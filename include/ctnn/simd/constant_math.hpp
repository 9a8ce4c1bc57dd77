// ctnn/simd/constant_math.hpp - the math of simd/math.hpp for constant expressions: e^x, ln x
// and what is built from them, and multiply-adds rounded as the kernels round them.
//
//   static_assert(ctnn::simd::constant_math::sigmoid(0.0) == 0.5);
//   constexpr float z = ctnn::simd::constant_math::fused_multiply_add(w, x, b); // as std::fma
//
// <cmath> is not constexpr in C++20, so constexpr_predict and the activations' constant forms
// (`constant_f`, see policies/activation/activation.hpp) use these instead. They work in
// double: exp, log, log1p and expm1 are within an ulp of the standard library's, so a float
// result is within an ulp or two of xsimd's (not bit-identical). The multiply-adds are exact
// models of the two roundings a dense kernel can use:
//   multiply_add::fused   - one rounding, as std::fma: the scalar build and FMA3 targets
//   multiply_add::unfused - product and sum rounded apart: SIMD targets without FMA (x86-64-v2)
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

namespace ctnn {

// How each multiply-add of a dense layer is rounded (ctnn/network/constexpr_predict.hpp).
enum class multiply_add { fused, unfused };

} // namespace ctnn

namespace ctnn::simd::constant_math {

// Multiply-adds with the rounding of the kernel's fma. a * b is exact in double (24 + 24 bits);
// the sum p + c is rounded to odd at double precision, after which one rounding to float is
// the correctly rounded fma (Boldo and Melquiond: 53 >= 24 + 2 bits).
constexpr float fused_multiply_add(float a, float b, float c) noexcept {
    const double p = static_cast<double>(a) * static_cast<double>(b);
    const double cd = c;
    const double s = p + cd;
    if (s - s != 0.0) // inf or nan: nothing to correct
        return static_cast<float>(s);
    const double bp = s - cd; // Knuth's two-sum: s + e == p + c exactly
    const double e = (p - bp) + (cd - (s - bp));
    auto bits = std::bit_cast<std::uint64_t>(s);
    if (e != 0.0 && (bits & 1u) == 0u) // inexact and even: step to the odd neighbour towards p + c
        bits = (e > 0.0) == (s > 0.0) ? bits + 1u : bits - 1u;
    return static_cast<float>(std::bit_cast<double>(bits));
}
constexpr float unfused_multiply_add(float a, float b, float c) noexcept {
    // The product is rounded to float through a conversion, which no compiler contracts.
    const auto p = static_cast<float>(static_cast<double>(a) * static_cast<double>(b));
    return p + c;
}

// a * b + c rounded as Mode says.
template <multiply_add Mode>
constexpr float multiply_add_as(float a, float b, float c) noexcept {
    if constexpr (Mode == multiply_add::fused)
        return fused_multiply_add(a, b, c);
    else
        return unfused_multiply_add(a, b, c);
}

inline constexpr double ln2_hi = 6.93147180369123816490e-01;
inline constexpr double ln2_lo = 1.90821492927058770002e-10;

// e^x in double: x = k ln2 + r with |r| <= ln2 / 2, a Taylor polynomial for e^r, then 2^k.
constexpr double exp(double x) noexcept {
    if (x != x)
        return x;
    if (x > 709.78)
        return std::numeric_limits<double>::infinity();
    if (x < -745.2)
        return 0.0;
    const double kd = x * 1.4426950408889634 + (x < 0 ? -0.5 : 0.5);
    const auto k = static_cast<int>(kd);
    const double r = (x - k * ln2_hi) - k * ln2_lo;
    double term = 1.0, sum = 1.0;
    for (int n = 1; n <= 14; ++n) {
        term *= r / n;
        sum += term;
    }
    // 2^k in two factors, so that k down to -1075 stays within the normal exponents.
    const int k1 = k / 2, k2 = k - k1;
    const double s1 = std::bit_cast<double>(static_cast<std::uint64_t>(k1 + 1023) << 52);
    const double s2 = std::bit_cast<double>(static_cast<std::uint64_t>(k2 + 1023) << 52);
    return sum * s1 * s2;
}

// e^x - 1 without the cancellation near 0.
constexpr double expm1(double x) noexcept {
    if (x > -1e-5 && x < 1e-5)
        return x + x * x / 2 + x * x * x / 6;
    return exp(x) - 1.0;
}

// ln x for x > 0: x = m 2^k with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)).
constexpr double log(double x) noexcept {
    if (!(x > 0.0))
        return x == 0.0 ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::quiet_NaN();
    if (x == std::numeric_limits<double>::infinity())
        return x;
    int k = 0;
    while (x < 0x1p-900) { // subnormal and tiny: scale into the normal range first
        x *= 0x1p+900;
        k -= 900;
    }
    const auto bits = std::bit_cast<std::uint64_t>(x);
    k += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    double m = std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > 1.4142135623730951) {
        m /= 2;
        ++k;
    }
    const double s = (m - 1) / (m + 1), s2 = s * s;
    double term = s, sum = 0.0;
    for (int n = 1; n <= 41; n += 2) {
        sum += term / n;
        term *= s2;
    }
    return 2 * sum + k * ln2_hi + k * ln2_lo;
}

// ln(1 + x) for x > -1, accurate for tiny x: u = 1 + x rounded, then ln(u) x / (u - 1).
constexpr double log1p(double x) noexcept {
    const double u = 1.0 + x;
    if (u == 1.0)
        return x;
    return log(u) * x / (u - 1.0);
}

constexpr double sigmoid(double x) noexcept {
    const double e = exp(x < 0 ? x : -x);
    return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

constexpr double tanh(double x) noexcept {
    const double a = x < 0 ? -x : x;
    const double t = a > 20 ? 1.0 : expm1(2 * a) / (expm1(2 * a) + 2);
    return x < 0 ? -t : t;
}

} // namespace ctnn::simd::constant_math
