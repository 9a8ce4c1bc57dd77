// ctnn/core/tensor.hpp - aligned, fixed-size tensors of rank 0 to 5.
//
//   ctnn::tensor<float, ctnn::shape<3, 3>> m{1, 2, 3, 4, 5, 6, 7, 8, 9};   // one value each
//   m(1, 2) == 6;  m[5] == 6;  m.size() == 9;
//
// Elements are stored row-major in one aligned array padded to a whole number of SIMD vectors.
// Padding lanes start at zero; whole-tensor operations never read them as data (tails are
// handled explicitly), so their content is not part of the value. A tensor lives wherever its
// owner puts it (stack, static storage, inside a network) and never allocates.
//
// A tensor is a ctnn::tensor_expression (see expression.hpp) and can be built from or assigned
// any expression of the same shape, evaluated in one pass straight into its storage:
//   ctnn::tensor<float, ctnn::shape<3, 3>> sq = m * m;   m = m + 1.0f;
//
// `std::cout << m` prints it as NumPy does.
#pragma once

#include "ctnn/core/array_text.hpp"
#include "ctnn/core/expression.hpp"
#include "ctnn/core/shape.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/memory.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <ostream>
#include <span>
#include <type_traits>

namespace ctnn {

template <class T, static_shape Shape>
class tensor;

namespace detail {
template <class T, class S>
struct is_tensor<tensor<T, S>> : std::true_type {};

// An expression other than the tensor type Self itself (for which the copy operations apply).
template <class E, class Self>
concept expression_other_than = !std::same_as<std::remove_cvref_t<E>, Self> && tensor_expression<E>;

// Instantiated with both element types and both shapes, so that a compiler's error names them
// next to the message. The caller skips the evaluation on a mismatch: one error per misuse.
template <class TargetValue, static_shape TargetShape, class SourceValue, static_shape SourceShape>
constexpr void check_assignment() noexcept {
    static_assert(std::is_same_v<TargetValue, SourceValue>,
                  "cannot assign an expression to a tensor of a different element type");
    static_assert(std::is_same_v<TargetShape, SourceShape>,
                  "cannot assign an expression to a tensor of a different shape");
}
} // namespace detail

template <class T, static_shape Shape>
class tensor {
public:
    using value_type = T;
    using shape_type = Shape;

    static constexpr std::size_t rank = Shape::rank;
    static constexpr std::size_t element_count = Shape::size;
    static constexpr std::size_t storage_size = simd::padded_size<T>(Shape::size);

    constexpr tensor() noexcept = default;

    // One value per element, in row-major order: `tensor<float, shape<2, 2>> m{1, 2, 3, 4}`.
    // Another count is a compile error rather than a silent zero-fill or truncation; `t{}` is
    // the zero tensor. (Explicit for one value: a number does not turn into a tensor unasked.)
    template <class... V>
    requires(sizeof...(V) > 0 &&
             (std::is_arithmetic_v<V> && ...)) constexpr explicit(sizeof...(V) == 1)
        tensor(V... values) noexcept {
        static_assert(sizeof...(V) == element_count,
                      "tensor{values...}: give exactly one value per element of the tensor's "
                      "shape (or none, for a tensor of zeros)");
        if constexpr (sizeof...(V) == element_count) {
            std::size_t i = 0;
            ((data_[i++] = static_cast<T>(values)), ...);
        }
    }

    // Evaluates an expression of the same shape into the new tensor (implicit, so that
    // `tensor<float, shape<3, 3>> sq = m * m;` reads like the mathematics).
    template <detail::expression_other_than<tensor> E>
    constexpr tensor(const E& expression) noexcept {
        detail::check_assignment<T, Shape, typename E::value_type, typename E::shape_type>();
        if constexpr (std::is_same_v<T, typename E::value_type> &&
                      std::is_same_v<Shape, typename E::shape_type>)
            detail::assign(data_.data(), expression);
    }

    // Evaluates an expression of the same shape into this tensor. The expression may read this
    // tensor (`a = a * b`): element i of every operand is read before element i is written.
    template <detail::expression_other_than<tensor> E>
    constexpr tensor& operator=(const E& expression) noexcept {
        detail::check_assignment<T, Shape, typename E::value_type, typename E::shape_type>();
        if constexpr (std::is_same_v<T, typename E::value_type> &&
                      std::is_same_v<Shape, typename E::shape_type>)
            detail::assign(data_.data(), expression);
        return *this;
    }

    // Every element equal to `value`.
    [[nodiscard]] static constexpr tensor filled(T value) noexcept {
        tensor t;
        std::fill_n(t.data_.begin(), element_count, value);
        return t;
    }

    [[nodiscard]] static constexpr std::size_t size() noexcept { return element_count; }
    [[nodiscard]] static constexpr std::size_t extent(std::size_t axis) noexcept {
        return Shape::extents[axis];
    }

    [[nodiscard]] constexpr T* data() noexcept { return data_.data(); }
    [[nodiscard]] constexpr const T* data() const noexcept { return data_.data(); }
    [[nodiscard]] constexpr T* begin() noexcept { return data_.data(); }
    [[nodiscard]] constexpr T* end() noexcept { return data_.data() + element_count; }
    [[nodiscard]] constexpr const T* begin() const noexcept { return data_.data(); }
    [[nodiscard]] constexpr const T* end() const noexcept { return data_.data() + element_count; }
    [[nodiscard]] constexpr std::span<T, element_count> span() noexcept {
        return std::span<T, element_count>(data_.data(), element_count);
    }
    [[nodiscard]] constexpr std::span<const T, element_count> span() const noexcept {
        return std::span<const T, element_count>(data_.data(), element_count);
    }

    // Flat (row-major) element access.
    [[nodiscard]] constexpr T& operator[](std::size_t i) noexcept { return data_[i]; }
    [[nodiscard]] constexpr const T& operator[](std::size_t i) const noexcept { return data_[i]; }

    // Multi-index access: one index per axis; a rank-0 tensor takes none.
    template <std::convertible_to<std::size_t>... I>
    requires(sizeof...(I) == rank) [[nodiscard]] constexpr T& operator()(I... index) noexcept {
        return data_[offset(index...)];
    }
    template <std::convertible_to<std::size_t>... I>
    requires(sizeof...(I) == rank) [[nodiscard]] constexpr const T&
    operator()(I... index) const noexcept {
        return data_[offset(index...)];
    }

    // The tensor_expression interface: flat element i, and the (aligned) vector starting at
    // flat element i, a multiple of the SIMD width.
    [[nodiscard]] constexpr T scalar(std::size_t i) const noexcept { return data_[i]; }
    [[nodiscard]] simd::batch_t<T> vector(std::size_t i) const noexcept {
        return simd::load_aligned(data_.data() + i);
    }

    [[nodiscard]] friend constexpr bool operator==(const tensor& a, const tensor& b) noexcept {
        return std::equal(a.begin(), a.end(), b.begin());
    }

    // As NumPy prints an array: nested rows, columns aligned, long tensors summarised
    // (core/array_text.hpp). `std::cout << m` gives [[1. 2. 3.] [4. 5. 6.] [7. 8. 9.]] on three
    // lines.
    friend std::ostream& operator<<(std::ostream& os, const tensor& t) {
        return os << detail::array_text(t.data(), std::span<const std::size_t>(Shape::extents));
    }

private:
    template <class... I>
    static constexpr std::size_t offset(I... index) noexcept {
        const std::array<std::size_t, rank> idx{static_cast<std::size_t>(index)...};
        std::size_t off = 0;
        for (std::size_t axis = 0; axis < rank; ++axis)
            off += idx[axis] * Shape::strides[axis];
        return off;
    }

    alignas(simd::alignment) std::array<T, storage_size> data_{};
};

// Any ctnn::tensor (cv-qualifiers and references ignored).
template <class T>
concept any_tensor = detail::is_tensor<std::remove_cvref_t<T>>::value;

// tensor<T, shape<Dims...>> without spelling out shape<>.
template <class T, std::size_t... Dims>
using tensor_of = tensor<T, shape<Dims...>>;

} // namespace ctnn
