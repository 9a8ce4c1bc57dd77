// ctnn/simd/vector_loop.hpp - the loop over n values in whole vectors, then the tail.
//
//   simd::for_each_vector_then_element(n, [&]<class V>(std::size_t i, std::type_identity<V>) {
//       store_as<V>(y + i, f(load_as<V>(x + i)));  // V: batch_t<float>, then float for the tail
//   });
//   const std::size_t tail = simd::for_each_vector(n, [&](std::size_t i) { /* whole vector */ });
//   simd::for_each_vector_then_partial<N>([&](std::size_t i, auto lanes) {
//       simd::store_lanes(y + i, f(simd::load_lanes(z + i, lanes)), lanes);  // a partial last one
//   });
//
// The body sees the same indices in the same order as the hand-written loop, so results do not
// change. All are always inlined: with a constant n the bounds stay compile-time constants.
#pragma once

#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/memory.hpp"

#include <cstddef>
#include <type_traits>

namespace ctnn::simd {

// body(i) for i = 0, width, 2·width, ... while a whole vector of T fits in [0, n). Returns where
// the tail starts (n rounded down to whole vectors), for a tail that is not the body's.
template <class T = float, class Body>
[[gnu::always_inline]] inline std::size_t for_each_vector(std::size_t n, Body&& body) {
    constexpr std::size_t lanes = width_v<T>;
    const std::size_t full = n / lanes * lanes;
    for (std::size_t i = 0; i < full; i += lanes)
        body(i);
    return full;
}

// body(i, type_identity<batch_t<T>>) for each whole vector, then body(i, type_identity<T>) for
// each value of the tail: one body written for both. The scalar build (width 1) has no tail.
template <class T = float, class Body>
[[gnu::always_inline]] inline void for_each_vector_then_element(std::size_t n, Body&& body) {
    const std::size_t tail = for_each_vector<T>(
        n, [&](std::size_t i)
               __attribute__((always_inline)) { body(i, std::type_identity<batch_t<T>>{}); });
    if constexpr (width_v<T> != 1)
        for (std::size_t i = tail; i < n; ++i)
            body(i, std::type_identity<T>{});
}

// body(i, lanes) for each vector of [0, N): lanes is integral_constant<width> for the whole
// vectors, then integral_constant<N % width> once for the last, partial one (if any), so the
// tail runs through the same vector formula. load_lanes / store_lanes move those lanes.
template <std::size_t N, class T = float, class Body>
[[gnu::always_inline]] inline void for_each_vector_then_partial(Body&& body) {
    const std::size_t tail = for_each_vector<T>(
        N, [&](std::size_t i) __attribute__((always_inline)) {
            body(i, std::integral_constant<std::size_t, width_v<T>>{});
        });
    if constexpr (N % width_v<T> != 0)
        body(tail, std::integral_constant<std::size_t, N % width_v<T>>{});
}

// The first Lanes values at p (any alignment); the lanes past them read as zero.
template <class T, std::size_t Lanes>
[[nodiscard]] inline batch_t<T> load_lanes(const T* p,
                                           std::integral_constant<std::size_t, Lanes>) noexcept {
    if constexpr (Lanes == width_v<T>)
        return load_unaligned(p);
    else
        return load_partial(p, Lanes);
}

// Writes the first Lanes lanes of v to p (any alignment) and nothing else.
template <class T, std::size_t Lanes>
inline void store_lanes(T* p, const batch_t<T>& v,
                        std::integral_constant<std::size_t, Lanes>) noexcept {
    if constexpr (Lanes == width_v<T>)
        store_unaligned(p, v);
    else
        store_partial(p, v, Lanes);
}

} // namespace ctnn::simd
