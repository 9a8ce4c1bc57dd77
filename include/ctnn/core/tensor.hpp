// ctnn/core/tensor.hpp - aligned, fixed-size tensors of rank 0 to 5.
//
//   ctnn::tensor<float, ctnn::shape<3, 3>> m{{1, 2, 3, 4, 5, 6, 7, 8, 9}};
//   m(1, 2) == 6;  m[5] == 6;  m.size() == 9;
//
// Elements are stored row-major in one aligned array padded to a whole number of SIMD vectors.
// Padding lanes start at zero; whole-tensor operations never read them as data (tails are
// handled explicitly), so their content is not part of the value. A tensor lives wherever its
// owner puts it (stack, static storage, inside a network) and never allocates.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/simd/batch.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>

namespace ctnn {

template <class T, static_shape Shape>
class tensor {
public:
    using value_type = T;
    using shape_type = Shape;

    static constexpr std::size_t rank = Shape::rank;
    static constexpr std::size_t element_count = Shape::size;
    static constexpr std::size_t storage_size = simd::padded_size<T>(Shape::size);

    constexpr tensor() noexcept = default;

    // Fills the first values.size() elements in row-major order; the rest stay zero.
    constexpr tensor(std::initializer_list<T> values) noexcept {
        std::copy_n(values.begin(), std::min(values.size(), element_count), data_.begin());
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
        requires(sizeof...(I) == rank)
    [[nodiscard]] constexpr T& operator()(I... index) noexcept {
        return data_[offset(index...)];
    }
    template <std::convertible_to<std::size_t>... I>
        requires(sizeof...(I) == rank)
    [[nodiscard]] constexpr const T& operator()(I... index) const noexcept {
        return data_[offset(index...)];
    }

    [[nodiscard]] friend constexpr bool operator==(const tensor& a, const tensor& b) noexcept {
        return std::equal(a.begin(), a.end(), b.begin());
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

namespace detail {
template <class T>
struct is_tensor : std::false_type {};
template <class T, class S>
struct is_tensor<tensor<T, S>> : std::true_type {};
} // namespace detail

// Any ctnn::tensor (cv-qualifiers and references ignored).
template <class T>
concept any_tensor = detail::is_tensor<std::remove_cvref_t<T>>::value;

// tensor<T, shape<Dims...>> without spelling out shape<>.
template <class T, std::size_t... Dims>
using tensor_of = tensor<T, shape<Dims...>>;

} // namespace ctnn
