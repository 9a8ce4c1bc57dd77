// ctnn/simd/batch.hpp - the SIMD register type every kernel uses.
//
// `simd::batch_t<float>` is xsimd's batch for the architecture the build targets (-march):
// 16 lanes with AVX-512, 8 with AVX2, 4 with SSE. Defining CTNN_SIMD_SCALAR (or building for a
// target xsimd does not support) makes it plain `float` with width 1, so every kernel also has a
// scalar path that is tested. Kernels are written once against `batch_t` and the functions in
// simd/math.hpp, which accept both forms.
#pragma once

#include <cstddef>

#if !defined(CTNN_SIMD_SCALAR)
#include <xsimd/xsimd.hpp>
#if !(XSIMD_WITH_SSE2 || XSIMD_WITH_NEON)
#define CTNN_SIMD_SCALAR 1 // no vector unit xsimd 8 knows: fall back to scalar code
#endif
#endif

namespace ctnn::simd {

#if defined(CTNN_SIMD_SCALAR)
template <class T>
using batch_t = T;
template <class T>
inline constexpr std::size_t width_v = 1;
inline constexpr const char* arch_name = "scalar";
#else
template <class T>
using batch_t = xsimd::batch<T>;
template <class T>
inline constexpr std::size_t width_v = xsimd::batch<T>::size;
inline constexpr const char* arch_name = xsimd::default_arch::name();
#endif

// Every ctnn buffer is aligned to a cache line: enough for any vector width, and no false
// sharing between buffers used by different threads.
inline constexpr std::size_t alignment = 64;

// Vector registers available to a micro-kernel (x86-64: 32 with AVX-512, otherwise 16).
inline constexpr std::size_t register_count = width_v<float> == 16 ? 32 : 16;

// `n` rounded up to a whole number of vectors of T.
template <class T>
constexpr std::size_t padded_size(std::size_t n) noexcept {
    return (n + width_v<T> - 1) / width_v<T> * width_v<T>;
}

// Number of vectors of T needed to hold n elements.
template <class T>
constexpr std::size_t vector_count(std::size_t n) noexcept {
    return padded_size<T>(n) / width_v<T>;
}

} // namespace ctnn::simd
