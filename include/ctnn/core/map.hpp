// ctnn/core/map.hpp - ctnn::map(expression, f): apply f to every element, lazily.
//
//   auto squares = ctnn::map(m, [](auto x) { return x * x; });
//   ctnn::tensor<float, ctnn::shape<3, 3>> sq = squares;        // evaluated here, in one pass
//
// f is called with a value_type (for scalar tails) and with a simd::batch_t<value_type> (for
// whole vectors), so write it generically (`auto x`) with operators and the simd:: functions
// of ctnn/simd/math.hpp; both calls must compute the same mathematical function.
#pragma once

#include "ctnn/core/expression.hpp"
#include "ctnn/simd/batch.hpp"

#include <concepts>
#include <cstddef>
#include <utility>

namespace ctnn {

// The node built by ctnn::map. `Operand` is the stored operand type: a const reference for an
// lvalue tensor, a value otherwise (see expression.hpp).
template <class Operand, class F>
class map_expression {
    using operand_type = std::remove_cvref_t<Operand>;

public:
    using value_type = typename operand_type::value_type;
    using shape_type = typename operand_type::shape_type;

    template <class E>
    constexpr map_expression(E&& operand, F f) noexcept
        : operand_(std::forward<E>(operand)), f_(std::move(f)) {}

    [[nodiscard]] constexpr value_type scalar(std::size_t i) const noexcept {
        return static_cast<value_type>(f_(operand_.scalar(i)));
    }
    [[nodiscard]] simd::batch_t<value_type> vector(std::size_t i) const noexcept {
        return simd::batch_t<value_type>(f_(operand_.vector(i)));
    }

private:
    Operand operand_;
    [[no_unique_address]] F f_;
};

template <tensor_expression E, class F>
[[nodiscard]] constexpr auto map(E&& expression, F f) noexcept {
    using T = expression_value_t<E>;
    static_assert(std::invocable<const F&, T> && std::invocable<const F&, simd::batch_t<T>>,
                  "map(expression, f): f must be callable with one element (a float) and with "
                  "one SIMD vector (simd::batch_t<float>); write it as [](auto x) { ... }");
    return map_expression<detail::stored_operand_t<E>, F>(std::forward<E>(expression),
                                                          std::move(f));
}

} // namespace ctnn
