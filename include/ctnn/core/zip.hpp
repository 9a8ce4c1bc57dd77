// ctnn/core/zip.hpp - ctnn::zip(a, b, f): combine two expressions of the same shape element by
// element, lazily.
//
//   auto diff2 = ctnn::zip(a, b, [](auto x, auto y) { return (x - y) * (x - y); });
//   auto halves = ctnn::zip(a, 0.5f, [](auto x, auto y) { return x * y; });  // scalar broadcast
//
// f is called with two value_types (scalar tails) and with two simd::batch_t<value_type>s
// (whole vectors). Either operand may be a plain number, which broadcasts to the other's shape.
// Operands of different shapes are a compile error: "element-wise operation on tensors of
// different shapes", reported from detail::element_wise_shapes<left shape, right shape>.
#pragma once

#include "ctnn/core/broadcast.hpp"
#include "ctnn/core/expression.hpp"
#include "ctnn/core/shape.hpp"
#include "ctnn/simd/batch.hpp"

#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn {

// The node built by ctnn::zip and the arithmetic operators. `Left`/`Right` are the stored
// operand types (const reference for an lvalue tensor, value otherwise; see expression.hpp).
template <class Left, class Right, class F>
class zip_expression {
    using left_type = std::remove_cvref_t<Left>;
    using right_type = std::remove_cvref_t<Right>;

public:
    using value_type = typename left_type::value_type;
    using shape_type = typename left_type::shape_type;

    template <class A, class B>
    constexpr zip_expression(A&& left, B&& right, F f) noexcept
        : left_(std::forward<A>(left)), right_(std::forward<B>(right)), f_(std::move(f)) {}

    [[nodiscard]] constexpr value_type scalar(std::size_t i) const noexcept {
        return static_cast<value_type>(f_(left_.scalar(i), right_.scalar(i)));
    }
    [[nodiscard]] simd::batch_t<value_type> vector(std::size_t i) const noexcept {
        return simd::batch_t<value_type>(f_(left_.vector(i), right_.vector(i)));
    }

private:
    Left left_;
    Right right_;
    [[no_unique_address]] F f_;
};

namespace detail {

// Instantiated with both shapes so that the compiler's error names them next to the message.
template <static_shape Left, static_shape Right>
struct element_wise_shapes {
    static_assert(std::is_same_v<Left, Right>,
                  "element-wise operation on tensors of different shapes");
    static constexpr bool match = std::same_as<Left, Right>;
};

// An operand of an element-wise operation: an expression, or a number that broadcasts.
template <class A>
concept element_wise_operand = tensor_expression<A> || std::is_arithmetic_v<std::remove_cvref_t<A>>;

// At least one side is a ctnn expression: keeps the operators away from every other type.
template <class A, class B>
concept element_wise_operands = element_wise_operand<A> && element_wise_operand<B> &&
    (tensor_expression<A> || tensor_expression<B>);

} // namespace detail

template <class A, class B, class F>
requires detail::element_wise_operands<A, B>
[[nodiscard]] constexpr auto zip(A&& left, B&& right, F f) noexcept {
    if constexpr (!tensor_expression<A>) {
        using T = expression_value_t<B>;
        return zip(scalar_broadcast<T, expression_shape_t<B>>(static_cast<T>(left)),
                   std::forward<B>(right), std::move(f));
    } else if constexpr (!tensor_expression<B>) {
        using T = expression_value_t<A>;
        return zip(std::forward<A>(left),
                   scalar_broadcast<T, expression_shape_t<A>>(static_cast<T>(right)), std::move(f));
    } else {
        // Reading `match` instantiates the check (and its message) without a second error.
        [[maybe_unused]] constexpr bool same_shapes =
            detail::element_wise_shapes<expression_shape_t<A>, expression_shape_t<B>>::match;
        static_assert(std::same_as<expression_value_t<A>, expression_value_t<B>>,
                      "element-wise operation on tensors of different element types");
        using T = expression_value_t<A>;
        static_assert(std::invocable<const F&, T, T> &&
                          std::invocable<const F&, simd::batch_t<T>, simd::batch_t<T>>,
                      "zip(a, b, f): f must be callable with two elements (floats) and with two "
                      "SIMD vectors (simd::batch_t<float>); write it as [](auto x, auto y) {...}");
        return zip_expression<detail::stored_operand_t<A>, detail::stored_operand_t<B>, F>(
            std::forward<A>(left), std::forward<B>(right), std::move(f));
    }
}

} // namespace ctnn
