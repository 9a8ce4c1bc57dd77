// ctnn/core/evaluate.hpp - ctnn::evaluate(expression): the tensor an expression stands for.
//
//   auto r = ctnn::evaluate(a * b + 1.0f);   // tensor<float, shape of a>, computed in one pass
//
// Useful where a tensor is needed but its type is tedious to spell, or to materialise a
// sub-expression that is read many times.
#pragma once

#include "ctnn/core/expression.hpp"
#include "ctnn/core/tensor.hpp"

namespace ctnn {

template <tensor_expression E>
[[nodiscard]] constexpr tensor<expression_value_t<E>, expression_shape_t<E>>
evaluate(const E& expression) noexcept {
    return tensor<expression_value_t<E>, expression_shape_t<E>>(expression);
}

} // namespace ctnn
