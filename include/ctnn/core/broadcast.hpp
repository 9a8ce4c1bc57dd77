// ctnn/core/broadcast.hpp - a scalar seen as a tensor expression of a given shape.
//
//   ctnn::scalar_broadcast<float, ctnn::shape<3, 3>>{2.0f}   // nine elements equal to 2
//
// This is what a plain number becomes when it meets a tensor in ctnn::zip or an arithmetic
// operator (`2.0f * m`, `m - 1`): it takes the other operand's shape and element type, so every
// element-wise node sees two operands of the same shape.
#pragma once

#include "ctnn/core/expression.hpp"
#include "ctnn/core/shape.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/memory.hpp"

#include <cstddef>

namespace ctnn {

template <class T, static_shape Shape>
class scalar_broadcast {
public:
    using value_type = T;
    using shape_type = Shape;

    constexpr explicit scalar_broadcast(T value) noexcept : value_(value) {}

    [[nodiscard]] constexpr T scalar(std::size_t) const noexcept { return value_; }
    [[nodiscard]] simd::batch_t<T> vector(std::size_t) const noexcept {
        return simd::broadcast(value_);
    }

private:
    T value_;
};

} // namespace ctnn
