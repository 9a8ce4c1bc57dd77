// ctnn/core/operators.hpp - + - * / and unary minus on ctnn expressions, lazily.
//
//   ctnn::tensor<float, ctnn::shape<3, 3>> r = 2.0f * a * b - c / 3.0f;   // one pass, no temporary
//
// Every operator is a ctnn::zip (or ctnn::map for unary minus) with a plain function object, so
// the shape rules are zip's: equal shapes, or a number on either side broadcasting. The
// operators are constrained to ctnn expressions (at least one operand), so they never apply to
// other types.
#pragma once

#include "ctnn/core/expression.hpp"
#include "ctnn/core/map.hpp"
#include "ctnn/core/zip.hpp"

#include <utility>

namespace ctnn {

namespace detail {
// The element operations, each one object for both scalars and SIMD batches.
struct plus_op {
    template <class V>
    constexpr V operator()(const V& x, const V& y) const noexcept {
        return x + y;
    }
};
struct minus_op {
    template <class V>
    constexpr V operator()(const V& x, const V& y) const noexcept {
        return x - y;
    }
};
struct multiplies_op {
    template <class V>
    constexpr V operator()(const V& x, const V& y) const noexcept {
        return x * y;
    }
};
struct divides_op {
    template <class V>
    constexpr V operator()(const V& x, const V& y) const noexcept {
        return x / y;
    }
};
struct negate_op {
    template <class V>
    constexpr V operator()(const V& x) const noexcept {
        return -x;
    }
};
} // namespace detail

template <class A, class B>
requires detail::element_wise_operands<A, B>
[[nodiscard]] constexpr auto operator+(A&& a, B&& b) noexcept {
    return zip(std::forward<A>(a), std::forward<B>(b), detail::plus_op{});
}

template <class A, class B>
requires detail::element_wise_operands<A, B>
[[nodiscard]] constexpr auto operator-(A&& a, B&& b) noexcept {
    return zip(std::forward<A>(a), std::forward<B>(b), detail::minus_op{});
}

template <class A, class B>
requires detail::element_wise_operands<A, B>
[[nodiscard]] constexpr auto operator*(A&& a, B&& b) noexcept {
    return zip(std::forward<A>(a), std::forward<B>(b), detail::multiplies_op{});
}

template <class A, class B>
requires detail::element_wise_operands<A, B>
[[nodiscard]] constexpr auto operator/(A&& a, B&& b) noexcept {
    return zip(std::forward<A>(a), std::forward<B>(b), detail::divides_op{});
}

template <tensor_expression A>
[[nodiscard]] constexpr auto operator-(A&& a) noexcept {
    return map(std::forward<A>(a), detail::negate_op{});
}

} // namespace ctnn
