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
// GCC 12 warns "'__Y' is used uninitialized" inside its own avx512fintrin.h whenever xsimd's
// AVX-512 code is inlined (GCC bugs 105593, 105651): the warning is about the compiler's header,
// not the user's code, so it is silenced for the intrinsics headers xsimd brings in, here only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <xsimd/xsimd.hpp>
#pragma GCC diagnostic pop
#else
#include <xsimd/xsimd.hpp>
#endif
#if !(XSIMD_WITH_SSE2 || XSIMD_WITH_NEON)
#define CTNN_SIMD_SCALAR 1 // no vector unit xsimd 8 knows: fall back to scalar code
#endif
#endif

// An x86-64 build without AVX2 runs ctnn on 128-bit SSE vectors, about half the speed of AVX2
// (and a third of AVX-512) on the machines it is deployed to: say so once per file, with the
// remedy, unless the build chose that on purpose.
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(__AVX2__) &&                              \
    !defined(CTNN_SIMD_SCALAR) && !defined(CTNN_NO_ARCH_MESSAGE)
#pragma message(                                                                                   \
    "ctnn: this x86-64 build has no AVX2, so ctnn runs on 128-bit SSE vectors (about half the "    \
    "speed): compile with -march=native (or link the CMake target ctnn::native), or define "       \
    "CTNN_NO_ARCH_MESSAGE to silence this")
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
