// ctnn/core/transpose.hpp - ctnn::transpose(m): the transpose of a matrix, as a new tensor.
//
//   ctnn::tensor<float, ctnn::shape<3, 2>> t = ctnn::transpose(m);   // m is [2, 3]
//
// Accepts a rank-2 tensor or expression; each element is read once. Works in constant
// expressions.
#pragma once

#include "ctnn/core/expression.hpp"
#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"

#include <cstddef>

namespace ctnn {

template <tensor_expression E>
[[nodiscard]] constexpr auto transpose(const E& m) noexcept {
    using S = expression_shape_t<E>;
    static_assert(S::rank == 2, "transpose: the operand must be a matrix (rank 2)");
    if constexpr (S::rank == 2) {
        constexpr std::size_t rows = S::extents[0];
        constexpr std::size_t cols = S::extents[1];
        tensor<expression_value_t<E>, shape<cols, rows>> t;
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < cols; ++j)
                t[j * rows + i] = m.scalar(i * cols + j);
        return t;
    }
}

} // namespace ctnn
