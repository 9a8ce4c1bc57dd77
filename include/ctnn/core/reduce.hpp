// ctnn/core/reduce.hpp - whole-expression reductions: sum, max_value, argmax, mean.
//
//   float s = ctnn::sum(a * b);         // the expression is evaluated on the fly, never stored
//   float m = ctnn::max_value(logits);  // named max_value so it never competes with std::max
//   std::size_t k = ctnn::argmax(logits);  // flat index of the first maximum
//   float mu = ctnn::mean(x);
//
// One pass over the whole vectors with several independent accumulators (to hide the add and
// compare latencies), then a scalar tail; padding lanes are never read. NaN elements are
// skipped by max_value and argmax (a comparison with NaN is false); if every element is NaN,
// max_value is -infinity and argmax is 0. Each also works in a constant expression.
#pragma once

#include "ctnn/core/expression.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"

#include <cstddef>
#include <limits>

namespace ctnn {

namespace detail {

template <class T>
constexpr T lowest_value() noexcept {
    if constexpr (std::numeric_limits<T>::has_infinity)
        return -std::numeric_limits<T>::infinity();
    else
        return std::numeric_limits<T>::lowest();
}

template <class E>
expression_value_t<E> sum_simd(const E& e) noexcept {
    using T = expression_value_t<E>;
    constexpr std::size_t n = expression_size_v<E>;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t full = n - n % width;
    constexpr std::size_t groups = full / (4 * width); // of four vectors
    auto acc0 = simd::broadcast(T(0)), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t i = g * 4 * width;
        acc0 += e.vector(i);
        acc1 += e.vector(i + width);
        acc2 += e.vector(i + 2 * width);
        acc3 += e.vector(i + 3 * width);
    }
    for (std::size_t i = groups * 4 * width; i < full; i += width)
        acc0 += e.vector(i);
    T total = simd::reduce_add((acc0 + acc1) + (acc2 + acc3));
    for (std::size_t i = full; i < n; ++i)
        total += e.scalar(i);
    return total;
}

// `select(x > best, x, best)` rather than max(): keeps NaN out of the accumulators.
template <class V>
inline V keep_greater(const V& best, const V& x) noexcept {
    return simd::select(x > best, x, best);
}

template <class E>
expression_value_t<E> max_simd(const E& e) noexcept {
    using T = expression_value_t<E>;
    constexpr std::size_t n = expression_size_v<E>;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t full = n - n % width;
    constexpr std::size_t groups = full / (4 * width); // of four vectors
    auto acc0 = simd::broadcast(lowest_value<T>()), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t i = g * 4 * width;
        acc0 = keep_greater(acc0, e.vector(i));
        acc1 = keep_greater(acc1, e.vector(i + width));
        acc2 = keep_greater(acc2, e.vector(i + 2 * width));
        acc3 = keep_greater(acc3, e.vector(i + 3 * width));
    }
    for (std::size_t i = groups * 4 * width; i < full; i += width)
        acc0 = keep_greater(acc0, e.vector(i));
    T best = simd::reduce_max(keep_greater(keep_greater(acc0, acc1), keep_greater(acc2, acc3)));
    for (std::size_t i = full; i < n; ++i) {
        const T x = e.scalar(i);
        if (x > best)
            best = x;
    }
    return best;
}

// Each lane keeps its greatest value and the number of the vector it came from (as a T: exact
// up to 2^24 vectors for float); a strict > keeps the first occurrence within a lane, and the
// lanes are merged preferring the smallest flat index among equal values.
template <class E>
std::size_t argmax_simd(const E& e) noexcept {
    using T = expression_value_t<E>;
    constexpr std::size_t n = expression_size_v<E>;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t full = n - n % width;
    static_assert(full / width < (std::size_t{1} << std::numeric_limits<T>::digits),
                  "argmax: tensor too large to number its vectors exactly");
    T best = lowest_value<T>();
    std::size_t best_index = 0;
    if constexpr (full > 0) {
        auto best_v = simd::broadcast(lowest_value<T>());
        auto where_v = simd::broadcast(T(0));
        auto chunk_v = where_v;
        const auto one = simd::broadcast(T(1));
        for (std::size_t i = 0; i < full; i += width) {
            const auto x = e.vector(i);
            const auto greater = x > best_v;
            best_v = simd::select(greater, x, best_v);
            where_v = simd::select(greater, chunk_v, where_v);
            chunk_v += one;
        }
        alignas(simd::alignment) T values[width];
        alignas(simd::alignment) T chunks[width];
        simd::store_aligned(values, best_v);
        simd::store_aligned(chunks, where_v);
        best = values[0];
        best_index = static_cast<std::size_t>(chunks[0]) * width;
        for (std::size_t lane = 1; lane < width; ++lane) {
            const std::size_t index = static_cast<std::size_t>(chunks[lane]) * width + lane;
            if (values[lane] > best || (values[lane] == best && index < best_index)) {
                best = values[lane];
                best_index = index;
            }
        }
    }
    for (std::size_t i = full; i < n; ++i) {
        const T x = e.scalar(i);
        if (x > best) {
            best = x;
            best_index = i;
        }
    }
    return best_index;
}

} // namespace detail

// Sum of all elements (accumulated in value_type).
template <tensor_expression E>
[[nodiscard]] constexpr expression_value_t<E> sum(const E& e) noexcept {
    if (std::is_constant_evaluated()) {
        expression_value_t<E> total{};
        for (std::size_t i = 0; i < expression_size_v<E>; ++i)
            total += e.scalar(i);
        return total;
    }
    return detail::sum_simd(e);
}

// Greatest element (NaN elements skipped).
template <tensor_expression E>
[[nodiscard]] constexpr expression_value_t<E> max_value(const E& e) noexcept {
    if (std::is_constant_evaluated()) {
        auto best = detail::lowest_value<expression_value_t<E>>();
        for (std::size_t i = 0; i < expression_size_v<E>; ++i)
            if (e.scalar(i) > best)
                best = e.scalar(i);
        return best;
    }
    return detail::max_simd(e);
}

// Flat (row-major) index of the first greatest element (NaN elements skipped).
template <tensor_expression E>
[[nodiscard]] constexpr std::size_t argmax(const E& e) noexcept {
    if (std::is_constant_evaluated()) {
        auto best = detail::lowest_value<expression_value_t<E>>();
        std::size_t best_index = 0;
        for (std::size_t i = 0; i < expression_size_v<E>; ++i)
            if (e.scalar(i) > best) {
                best = e.scalar(i);
                best_index = i;
            }
        return best_index;
    }
    return detail::argmax_simd(e);
}

// Arithmetic mean of all elements.
template <tensor_expression E>
[[nodiscard]] constexpr expression_value_t<E> mean(const E& e) noexcept {
    return sum(e) / static_cast<expression_value_t<E>>(expression_size_v<E>);
}

} // namespace ctnn
