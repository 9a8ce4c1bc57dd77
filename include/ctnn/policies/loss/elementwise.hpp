// ctnn/policies/loss/elementwise.hpp - the SIMD loops the losses are written with (internal).
//
// A loss gives its per-element formula as a generic lambda over `V` (a float or double scalar, or
// a simd::batch_t of them) and these drivers run it over the N outputs of one sample: whole
// vectors first, then the tail through load_partial/store_partial, so that the padding lanes of
// the tail (whose formula values may be anything, even NaN) never reach a sum or a store. Inputs
// may be unaligned: a sample's row is wherever the trainer's batch puts it.
#pragma once

#include "ctnn/simd/math.hpp"

#include <concepts>
#include <cstddef>

namespace ctnn::detail {

// Sum over i < N of f(a[i], rest[i]...).
template <std::size_t N, class F, std::floating_point T, std::same_as<T>... Ts>
[[nodiscard]] inline T sum_elements(F f, const T* a, const Ts*... rest) noexcept {
    static_assert(N >= 1, "a loss needs at least one output");
    using V = simd::batch_t<T>;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t whole = N / width * width;
    T total = T(0);
    if constexpr (whole > 0) {
        V acc = f(simd::load_unaligned(a), simd::load_unaligned(rest)...);
        for (std::size_t i = width; i < whole; i += width)
            acc += f(simd::load_unaligned(a + i), simd::load_unaligned(rest + i)...);
        total = simd::reduce_add(acc);
    }
    if constexpr (whole < N) {
        constexpr std::size_t tail = N - whole;
        alignas(simd::alignment) T lanes[width];
        simd::store_aligned(lanes, V(f(simd::load_partial(a + whole, tail),
                                       simd::load_partial(rest + whole, tail)...)));
        for (std::size_t i = 0; i < tail; ++i)
            total += lanes[i];
    }
    return total;
}

// out[i] = f(a[i], rest[i]...) for i < N; nothing past out[N - 1] is written.
template <std::size_t N, class F, std::floating_point T, std::same_as<T>... Ts>
inline void map_elements(T* out, F f, const T* a, const Ts*... rest) noexcept {
    static_assert(N >= 1, "a loss needs at least one output");
    using V = simd::batch_t<T>;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t whole = N / width * width;
    for (std::size_t i = 0; i < whole; i += width)
        simd::store_unaligned(out + i,
                              V(f(simd::load_unaligned(a + i), simd::load_unaligned(rest + i)...)));
    if constexpr (whole < N) {
        constexpr std::size_t tail = N - whole;
        simd::store_partial(
            out + whole,
            V(f(simd::load_partial(a + whole, tail), simd::load_partial(rest + whole, tail)...)),
            tail);
    }
}

// The largest of a[0..N).
template <std::size_t N, std::floating_point T>
[[nodiscard]] inline T max_element(const T* a) noexcept {
    static_assert(N >= 1, "a loss needs at least one output");
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t whole = N / width * width;
    T best = a[0];
    if constexpr (whole > 0) {
        auto acc = simd::load_unaligned(a);
        for (std::size_t i = width; i < whole; i += width)
            acc = simd::max(acc, simd::load_unaligned(a + i));
        best = simd::reduce_max(acc);
    }
    for (std::size_t i = whole; i < N; ++i)
        best = simd::max(best, a[i]);
    return best;
}

// log(sum_i exp(z[i])) without overflow: shifted by the largest logit.
template <std::size_t N, std::floating_point T>
[[nodiscard]] inline T log_sum_exp(const T* z) noexcept {
    const T shift = max_element<N>(z);
    const T sum = sum_elements<N>(
        [=](auto x) {
            using V = decltype(x);
            return simd::exp(x - V(shift));
        },
        z);
    return shift + simd::log(sum);
}

// Keras' clip_by_value(x, lo, hi); its gradient (as in TensorFlow and PyTorch) passes where
// lo <= x <= hi and is zero outside, which `clip_passes` selects.
template <class V, class T>
[[nodiscard]] inline V clip(V x, T lo, T hi) noexcept {
    return simd::min(simd::max(x, V(lo)), V(hi));
}
template <class V, class T>
[[nodiscard]] inline V clip_passes(V x, T lo, T hi, V gradient) noexcept {
    return simd::select(x < V(lo), V(T(0)), simd::select(x > V(hi), V(T(0)), gradient));
}

// Keras' backend.epsilon(): the clipping bound of probabilities and the MSLE floor.
template <std::floating_point T>
inline constexpr T keras_epsilon = T(1e-7);

} // namespace ctnn::detail
