// ctnn/core/dot.hpp - ctnn::dot(a, b): vector and matrix products.
//
//   float s = ctnn::dot(x, y);            // [K]   . [K]   -> scalar
//   auto c  = ctnn::dot(a, b);            // [M,K] . [K,N] -> tensor [M,N]
//   auto y  = ctnn::dot(a, x);            // [M,K] . [K]   -> tensor [M]
//   auto z  = ctnn::dot(x, b);            // [K]   . [K,N] -> tensor [N]
//
// Operands are tensors or any ctnn expression (a non-tensor matrix operand is evaluated once
// first; the vector-vector product reads expressions directly). A different K on the two sides
// is a compile error: "dot: inner dimensions differ (K of the left operand vs K of the right)",
// reported from detail::dot_inner_dimensions<left K, right K>.
//
// The matrix kernel vectorises over N: a block of rows of A times a block of vectors of a row of
// B, each A element broadcast and fused-multiply-added into accumulators that stay in registers
// for the whole K loop. The last N % width columns load whole vectors where those stay inside
// B's storage and store partially. It is a clear general-purpose product; the fused, packed
// dense-layer kernels live in ctnn/kernels/.
#pragma once

#include "ctnn/core/evaluate.hpp"
#include "ctnn/core/expression.hpp"
#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace ctnn {

namespace detail {

// Instantiated with both inner extents so that the compiler's error names them.
template <std::size_t LeftK, std::size_t RightK>
struct dot_inner_dimensions {
    static_assert(LeftK == RightK,
                  "dot: inner dimensions differ (K of the left operand vs K of the right)");
    static constexpr bool match = LeftK == RightK;
};

// Rows of A handled together, and vectors of a row of B handled together: Rows * Vectors
// accumulators plus Vectors loaded B vectors and one broadcast fit in the register file.
inline constexpr std::size_t dot_block_rows = 4;
inline constexpr std::size_t dot_block_vectors = simd::register_count >= 32 ? 4 : 2;

// C[i0 .. i0+Rows, j0 .. j0+Vectors*width) of C = A B, A [M,K], B [K,N], all row-major.
template <std::size_t Rows, std::size_t Vectors, std::size_t K, std::size_t N, class T>
inline void matmul_tile(const T* a, const T* b, T* c, std::size_t i0, std::size_t j0) noexcept {
    constexpr std::size_t width = simd::width_v<T>;
    simd::batch_t<T> acc[Rows][Vectors];
    for (std::size_t r = 0; r < Rows; ++r)
        for (std::size_t v = 0; v < Vectors; ++v)
            acc[r][v] = simd::broadcast(T(0));
    for (std::size_t k = 0; k < K; ++k) {
        simd::batch_t<T> bk[Vectors];
        for (std::size_t v = 0; v < Vectors; ++v)
            bk[v] = simd::load_unaligned(b + k * N + j0 + v * width);
        for (std::size_t r = 0; r < Rows; ++r) {
            const auto ark = simd::broadcast(a[(i0 + r) * K + k]);
            for (std::size_t v = 0; v < Vectors; ++v)
                acc[r][v] = simd::fma(ark, bk[v], acc[r][v]);
        }
    }
    for (std::size_t r = 0; r < Rows; ++r)
        for (std::size_t v = 0; v < Vectors; ++v)
            simd::store_unaligned(c + (i0 + r) * N + j0 + v * width, acc[r][v]);
}

// The last `Columns` (< width) columns of C. A whole-vector load of B's row k from there reads
// into the next row (lanes that are computed and never stored), which is fine while it stays
// inside B's padded storage; the last rows, where it would not, use partial loads. Partial
// stores never write past the row.
template <std::size_t Rows, std::size_t Columns, std::size_t K, std::size_t N, class T>
inline void matmul_tail(const T* a, const T* b, T* c, std::size_t i0) noexcept {
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t j0 = N - Columns;
    constexpr std::size_t storage = simd::padded_size<T>(K * N);
    // Rows k with k * N + j0 + width <= storage.
    constexpr std::size_t whole_loads =
        storage >= j0 + width ? std::min(K, (storage - j0 - width) / N + 1) : 0;
    simd::batch_t<T> acc[Rows];
    for (std::size_t r = 0; r < Rows; ++r)
        acc[r] = simd::broadcast(T(0));
    const auto step = [&](std::size_t k, const simd::batch_t<T>& bk) {
        for (std::size_t r = 0; r < Rows; ++r)
            acc[r] = simd::fma(simd::broadcast(a[(i0 + r) * K + k]), bk, acc[r]);
    };
    for (std::size_t k = 0; k < whole_loads; ++k)
        step(k, simd::load_unaligned(b + k * N + j0));
    for (std::size_t k = whole_loads; k < K; ++k)
        step(k, simd::load_partial(b + k * N + j0, Columns));
    for (std::size_t r = 0; r < Rows; ++r)
        simd::store_partial(c + (i0 + r) * N + j0, acc[r], Columns);
}

template <std::size_t Rows, std::size_t K, std::size_t N, class T>
inline void matmul_rows(const T* a, const T* b, T* c, std::size_t i0) noexcept {
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t vectors = N / width;
    constexpr std::size_t step = dot_block_vectors;
    for (std::size_t block = 0; block < vectors / step; ++block)
        matmul_tile<Rows, step, K, N>(a, b, c, i0, block * step * width);
    if constexpr (vectors % step != 0)
        matmul_tile<Rows, vectors % step, K, N>(a, b, c, i0, vectors / step * step * width);
    if constexpr (N % width != 0)
        matmul_tail<Rows, N % width, K, N>(a, b, c, i0);
}

// C = A B for A [M,K], B [K,N], C [M,N] (every element of C written).
template <std::size_t M, std::size_t K, std::size_t N, class T>
void matmul_simd(const T* a, const T* b, T* c) noexcept {
    constexpr std::size_t rows = dot_block_rows;
    for (std::size_t block = 0; block < M / rows; ++block)
        matmul_rows<rows, K, N>(a, b, c, block * rows);
    if constexpr (M % rows != 0)
        matmul_rows<M % rows, K, N>(a, b, c, M / rows * rows);
}

template <std::size_t M, std::size_t K, std::size_t N, class T>
constexpr void matmul(const T* a, const T* b, T* c) noexcept {
    if (std::is_constant_evaluated()) {
        for (std::size_t i = 0; i < M; ++i)
            for (std::size_t j = 0; j < N; ++j) {
                T s{};
                for (std::size_t k = 0; k < K; ++k)
                    s += a[i * K + k] * b[k * N + j];
                c[i * N + j] = s;
            }
    } else {
        matmul_simd<M, K, N>(a, b, c);
    }
}

// y = A x for A [M,K] (row-major, rows unaligned unless K is a multiple of the width) and x
// aligned: Rows rows at once, each a dot product with its own accumulator.
template <std::size_t Rows, std::size_t K, class T>
inline void matvec_rows(const T* a, const T* x, T* y, std::size_t i0) noexcept {
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t full = K - K % width;
    simd::batch_t<T> acc[Rows];
    for (std::size_t r = 0; r < Rows; ++r)
        acc[r] = simd::broadcast(T(0));
    for (std::size_t k = 0; k < full; k += width) {
        const auto xk = simd::load_aligned(x + k);
        for (std::size_t r = 0; r < Rows; ++r)
            acc[r] = simd::fma(simd::load_unaligned(a + (i0 + r) * K + k), xk, acc[r]);
    }
    for (std::size_t r = 0; r < Rows; ++r) {
        T s = simd::reduce_add(acc[r]);
        for (std::size_t k = full; k < K; ++k)
            s += a[(i0 + r) * K + k] * x[k];
        y[i0 + r] = s;
    }
}

template <std::size_t M, std::size_t K, class T>
void matvec_simd(const T* a, const T* x, T* y) noexcept {
    constexpr std::size_t rows = dot_block_rows;
    for (std::size_t block = 0; block < M / rows; ++block)
        matvec_rows<rows, K>(a, x, y, block * rows);
    if constexpr (M % rows != 0)
        matvec_rows<M % rows, K>(a, x, y, M / rows * rows);
}

template <std::size_t M, std::size_t K, class T>
constexpr void matvec(const T* a, const T* x, T* y) noexcept {
    if (std::is_constant_evaluated()) {
        for (std::size_t i = 0; i < M; ++i) {
            T s{};
            for (std::size_t k = 0; k < K; ++k)
                s += a[i * K + k] * x[k];
            y[i] = s;
        }
    } else {
        matvec_simd<M, K>(a, x, y);
    }
}

// Sum of x[i] * y[i] over two rank-1 expressions, four accumulators.
template <class A, class B>
expression_value_t<A> inner_product_simd(const A& x, const B& y) noexcept {
    using T = expression_value_t<A>;
    constexpr std::size_t n = expression_size_v<A>;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t full = n - n % width;
    constexpr std::size_t groups = full / (4 * width); // of four vectors
    auto acc0 = simd::broadcast(T(0)), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t i = g * 4 * width;
        acc0 = simd::fma(x.vector(i), y.vector(i), acc0);
        acc1 = simd::fma(x.vector(i + width), y.vector(i + width), acc1);
        acc2 = simd::fma(x.vector(i + 2 * width), y.vector(i + 2 * width), acc2);
        acc3 = simd::fma(x.vector(i + 3 * width), y.vector(i + 3 * width), acc3);
    }
    for (std::size_t i = groups * 4 * width; i < full; i += width)
        acc0 = simd::fma(x.vector(i), y.vector(i), acc0);
    T total = simd::reduce_add((acc0 + acc1) + (acc2 + acc3));
    for (std::size_t i = full; i < n; ++i)
        total += x.scalar(i) * y.scalar(i);
    return total;
}

template <class A, class B>
constexpr expression_value_t<A> inner_product(const A& x, const B& y) noexcept {
    if (std::is_constant_evaluated()) {
        expression_value_t<A> total{};
        for (std::size_t i = 0; i < expression_size_v<A>; ++i)
            total += x.scalar(i) * y.scalar(i);
        return total;
    }
    return inner_product_simd(x, y);
}

// A tensor stays as it is (by reference); any other expression is evaluated once.
template <class E>
constexpr decltype(auto) as_tensor(const E& e) noexcept {
    if constexpr (is_tensor<E>::value)
        return e;
    else
        return evaluate(e);
}

} // namespace detail

template <tensor_expression A, tensor_expression B>
[[nodiscard]] constexpr auto dot(const A& a, const B& b) noexcept {
    using left_shape = expression_shape_t<A>;
    using right_shape = expression_shape_t<B>;
    constexpr std::size_t left_rank = left_shape::rank;
    constexpr std::size_t right_rank = right_shape::rank;
    static_assert((left_rank == 1 || left_rank == 2) && (right_rank == 1 || right_rank == 2),
                  "dot: both operands must be vectors (rank 1) or matrices (rank 2)");
    static_assert(std::same_as<expression_value_t<A>, expression_value_t<B>>,
                  "dot: the operands have different element types");
    using T = expression_value_t<A>;
    if constexpr ((left_rank == 1 || left_rank == 2) && (right_rank == 1 || right_rank == 2)) {
        constexpr std::size_t left_k = left_shape::extents[left_rank - 1];
        constexpr std::size_t right_k = right_shape::extents[0];
        constexpr bool match = detail::dot_inner_dimensions<left_k, right_k>::match;
        if constexpr (!match) {
            return T{}; // after the error above; keeps the diagnostics to one
        } else if constexpr (left_rank == 1 && right_rank == 1) {
            return detail::inner_product(a, b);
        } else {
            const auto& left = detail::as_tensor(a);
            const auto& right = detail::as_tensor(b);
            if constexpr (left_rank == 2 && right_rank == 2) {
                constexpr std::size_t m = left_shape::extents[0];
                constexpr std::size_t n = right_shape::extents[1];
                tensor<T, shape<m, n>> c;
                detail::matmul<m, left_k, n>(left.data(), right.data(), c.data());
                return c;
            } else if constexpr (left_rank == 2) {
                constexpr std::size_t m = left_shape::extents[0];
                tensor<T, shape<m>> y;
                detail::matvec<m, left_k>(left.data(), right.data(), y.data());
                return y;
            } else {
                constexpr std::size_t n = right_shape::extents[1];
                tensor<T, shape<n>> z;
                detail::matmul<1, left_k, n>(left.data(), right.data(), z.data());
                return z;
            }
        }
    }
}

} // namespace ctnn
