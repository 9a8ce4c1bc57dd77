// ctnn/simd/memory.hpp - loads, stores and broadcasts for batch_t, aligned or not.
//
// Aligned forms require `p` to be aligned to the vector width (every ctnn buffer is aligned to
// simd::alignment and padded to whole vectors, so offsets that are multiples of width_v qualify).
// `load_partial`/`store_partial` move only the first `n` lanes, for tails of rows whose length is
// not a multiple of the width; lanes past `n` read as zero and are never written.
#pragma once

#include "ctnn/simd/batch.hpp"

#include <cstddef>

namespace ctnn::simd {

template <class T>
[[nodiscard]] inline batch_t<T> broadcast(T value) noexcept {
    return batch_t<T>(value);
}

template <class T>
[[nodiscard]] inline batch_t<T> load_aligned(const T* p) noexcept {
#if defined(CTNN_SIMD_SCALAR)
    return *p;
#else
    return batch_t<T>::load_aligned(p);
#endif
}

template <class T>
[[nodiscard]] inline batch_t<T> load_unaligned(const T* p) noexcept {
#if defined(CTNN_SIMD_SCALAR)
    return *p;
#else
    return batch_t<T>::load_unaligned(p);
#endif
}

template <class T>
inline void store_aligned(T* p, const batch_t<T>& v) noexcept {
#if defined(CTNN_SIMD_SCALAR)
    *p = v;
#else
    v.store_aligned(p);
#endif
}

template <class T>
inline void store_unaligned(T* p, const batch_t<T>& v) noexcept {
#if defined(CTNN_SIMD_SCALAR)
    *p = v;
#else
    v.store_unaligned(p);
#endif
}

// First n (< width) lanes from p, the rest zero. Goes through a small aligned buffer: tails are
// rare (once per row) and this stays portable across every instruction set xsimd 8 supports.
template <class T>
[[nodiscard]] inline batch_t<T> load_partial(const T* p, std::size_t n) noexcept {
    alignas(alignment) T lanes[width_v<T>] = {};
    for (std::size_t i = 0; i < n; ++i)
        lanes[i] = p[i];
    return load_aligned(lanes);
}

// Writes the first n (< width) lanes of v to p and nothing else.
template <class T>
inline void store_partial(T* p, const batch_t<T>& v, std::size_t n) noexcept {
    alignas(alignment) T lanes[width_v<T>];
    store_aligned(lanes, v);
    for (std::size_t i = 0; i < n; ++i)
        p[i] = lanes[i];
}

} // namespace ctnn::simd
