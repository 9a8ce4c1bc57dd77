// ctnn/core/expression.hpp - the concept every element-wise tensor expression models, and the
// single-pass loop that writes an expression into memory.
//
//   template <ctnn::tensor_expression E> void f(const E& e);   // a tensor, or `a * b + 1.0f`
//
// An expression E has `value_type` (the element type), `shape_type` (a ctnn::shape), and two
// ways to read its flat (row-major) element i:
//   E::value_type e.scalar(i)   element i, for any i < size;
//   batch_t<value_type> e.vector(i)   elements [i, i + width), for i a multiple of the SIMD
//                                      width with i + width <= size (so never padding lanes).
// Tensors are expressions (their storage is aligned, so `vector` is an aligned load); the nodes
// built by ctnn::map, ctnn::zip and the arithmetic operators are expressions that compute their
// elements on demand. Nothing is computed until the expression is assigned to a tensor or
// reduced, and then in one pass with no temporary tensor.
//
// Operand storage (why nothing dangles): a node holds an lvalue tensor by const reference, and
// everything else - an rvalue tensor, a nested node, a scalar - by value. An expression that
// refers to a named tensor must not outlive that tensor, as with any view.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/memory.hpp"

#include <concepts>
#include <cstddef>
#include <type_traits>

namespace ctnn {

namespace detail {
template <class E>
concept plain_tensor_expression = requires(const E& e, std::size_t i) {
    typename E::value_type;
    typename E::shape_type;
    requires static_shape<typename E::shape_type>;
    { e.scalar(i) } -> std::convertible_to<typename E::value_type>;
    { e.vector(i) } -> std::same_as<simd::batch_t<typename E::value_type>>;
};
} // namespace detail

// Any ctnn element-wise expression, tensors included (cv-qualifiers and references ignored).
template <class E>
concept tensor_expression = detail::plain_tensor_expression<std::remove_cvref_t<E>>;

// The element type and shape of an expression.
template <tensor_expression E>
using expression_value_t = typename std::remove_cvref_t<E>::value_type;
template <tensor_expression E>
using expression_shape_t = typename std::remove_cvref_t<E>::shape_type;

// Number of elements of an expression.
template <tensor_expression E>
inline constexpr std::size_t expression_size_v = expression_shape_t<E>::size;

namespace detail {

// Tensors say whether they are tensors through this trait (tensor.hpp specialises it), so
// expression nodes can decide how to store an operand without including tensor.hpp.
template <class T>
struct is_tensor : std::false_type {};

// How an expression node stores an operand deduced as `E&&`: lvalue tensors by const
// reference, everything else by value (moved in).
template <class E>
using stored_operand_t =
    std::conditional_t<std::is_lvalue_reference_v<E> && is_tensor<std::remove_cvref_t<E>>::value,
                       const std::remove_cvref_t<E>&, std::remove_cvref_t<E>>;

// Writes the `size` elements of `e` to `out` (aligned, padded to whole vectors): whole vectors
// first, then the scalar tail; padding lanes are never written. Reading element i of every
// operand before writing element i makes `a = a * b` safe.
template <class T, class E>
void assign_simd(T* out, const E& e) noexcept {
    constexpr std::size_t n = E::shape_type::size;
    constexpr std::size_t width = simd::width_v<T>;
    constexpr std::size_t full = n - n % width;
    for (std::size_t i = 0; i < full; i += width)
        simd::store_aligned(out + i, e.vector(i));
    for (std::size_t i = full; i < n; ++i)
        out[i] = static_cast<T>(e.scalar(i));
}

template <class T, class E>
constexpr void assign(T* out, const E& e) noexcept {
    if (std::is_constant_evaluated()) {
        for (std::size_t i = 0; i < E::shape_type::size; ++i)
            out[i] = static_cast<T>(e.scalar(i));
    } else {
        assign_simd(out, e);
    }
}

} // namespace detail

} // namespace ctnn
