// ctnn/simd/math.hpp - arithmetic that works the same on a scalar and on a batch_t.
//
// Activations, losses and kernels are written once as templates over `V` (float or
// simd::batch_t<float>) and call these functions; the scalar overloads make the scalar fallback
// and scalar reference paths share the vector code's formulas.
#pragma once

#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/memory.hpp"

#include <algorithm>
#include <cmath>
#include <concepts>

namespace ctnn::simd {

// Scalars: the standard library.
template <std::floating_point T>
[[nodiscard]] inline T fma(T a, T b, T c) noexcept {
    return std::fma(a, b, c);
}
template <std::floating_point T>
[[nodiscard]] inline T max(T a, T b) noexcept {
    return a < b ? b : a;
}
template <std::floating_point T>
[[nodiscard]] inline T min(T a, T b) noexcept {
    return b < a ? b : a;
}
template <std::floating_point T>
[[nodiscard]] inline T select(bool condition, T if_true, T if_false) noexcept {
    return condition ? if_true : if_false;
}
template <std::floating_point T>
[[nodiscard]] inline T abs(T x) noexcept { return std::abs(x); }
template <std::floating_point T>
[[nodiscard]] inline T exp(T x) noexcept { return std::exp(x); }
template <std::floating_point T>
[[nodiscard]] inline T expm1(T x) noexcept { return std::expm1(x); }
template <std::floating_point T>
[[nodiscard]] inline T log(T x) noexcept { return std::log(x); }
template <std::floating_point T>
[[nodiscard]] inline T log1p(T x) noexcept { return std::log1p(x); }
template <std::floating_point T>
[[nodiscard]] inline T tanh(T x) noexcept { return std::tanh(x); }
template <std::floating_point T>
[[nodiscard]] inline T erf(T x) noexcept { return std::erf(x); }
// 1 - erf(x) without the cancellation: accurate far into the tail (normal CDF, GELU).
template <std::floating_point T>
[[nodiscard]] inline T erfc(T x) noexcept { return std::erfc(x); }
template <std::floating_point T>
[[nodiscard]] inline T sqrt(T x) noexcept { return std::sqrt(x); }
template <std::floating_point T>
[[nodiscard]] inline T reduce_add(T x) noexcept { return x; }
template <std::floating_point T>
[[nodiscard]] inline T reduce_max(T x) noexcept { return x; }

#if !defined(CTNN_SIMD_SCALAR)
// Batches: xsimd.
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> fma(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b,
                                            const xsimd::batch<T, A>& c) noexcept {
    return xsimd::fma(a, b, c);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> max(const xsimd::batch<T, A>& a,
                                            const xsimd::batch<T, A>& b) noexcept {
    return xsimd::max(a, b);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> min(const xsimd::batch<T, A>& a,
                                            const xsimd::batch<T, A>& b) noexcept {
    return xsimd::min(a, b);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> select(const xsimd::batch_bool<T, A>& condition,
                                               const xsimd::batch<T, A>& if_true,
                                               const xsimd::batch<T, A>& if_false) noexcept {
    return xsimd::select(condition, if_true, if_false);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> abs(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::abs(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> exp(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::exp(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> expm1(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::expm1(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> log(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::log(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> log1p(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::log1p(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> tanh(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::tanh(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> erf(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::erf(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> erfc(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::erfc(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> sqrt(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::sqrt(x);
}
template <class T, class A>
[[nodiscard]] inline T reduce_add(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::hadd(x);
}
template <class T, class A>
[[nodiscard]] inline T reduce_max(const xsimd::batch<T, A>& x) noexcept {
    alignas(alignment) T lanes[xsimd::batch<T, A>::size];
    x.store_aligned(lanes);
    return *std::max_element(lanes, lanes + xsimd::batch<T, A>::size);
}
#endif

} // namespace ctnn::simd
