// ctnn/core/shape.hpp - static tensor shapes: `shape<28, 28>`, `shape<>` (a scalar) up to rank 5.
//
// A shape is a type; its rank, extents, element count and row-major strides are constants, so
// every loop bound that depends on a shape is a compile-time constant.
//   std::cout << ctnn::shape<28, 28>{};   // (28, 28), as NumPy prints a shape
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <ostream>
#include <type_traits>

namespace ctnn {

inline constexpr std::size_t max_rank = 5;

template <std::size_t... Dims>
struct shape {
    static_assert(sizeof...(Dims) <= max_rank, "ctnn tensors have rank 0 to 5");
    static_assert(((Dims > 0) && ...), "every extent of a ctnn shape must be positive");

    static constexpr std::size_t rank = sizeof...(Dims);
    static constexpr std::size_t size = (std::size_t{1} * ... * Dims);
    static constexpr std::array<std::size_t, rank> extents{Dims...};

    // Row-major strides: the last index moves fastest.
    static constexpr std::array<std::size_t, rank> strides = [] {
        std::array<std::size_t, rank> s{};
        std::size_t stride = 1;
        for (std::size_t i = rank; i-- > 0;) {
            s[i] = stride;
            stride *= extents[i];
        }
        return s;
    }();

    static constexpr std::size_t extent(std::size_t axis) noexcept { return extents[axis]; }
};

// As NumPy prints an array's shape: (28, 28), (784,) and () for a scalar.
template <std::size_t... Dims>
std::ostream& operator<<(std::ostream& os, shape<Dims...>) {
    os << '(';
    bool first = true;
    ((os << (first ? "" : ", ") << Dims, first = false), ...);
    return os << (sizeof...(Dims) == 1 ? ",)" : ")");
}

namespace detail {
template <class T>
struct is_shape : std::false_type {};
template <std::size_t... Dims>
struct is_shape<shape<Dims...>> : std::true_type {};
} // namespace detail

template <class T>
concept static_shape = detail::is_shape<T>::value;

// shape<A..., B...>
template <static_shape S1, static_shape S2>
struct concat_shapes;
template <std::size_t... A, std::size_t... B>
struct concat_shapes<shape<A...>, shape<B...>> {
    using type = shape<A..., B...>;
};
template <static_shape S1, static_shape S2>
using concat_shapes_t = typename concat_shapes<S1, S2>::type;

// shape<N, Dims...>: a batch of N samples of shape S.
template <std::size_t N, static_shape S>
using batch_shape_t = concat_shapes_t<shape<N>, S>;

// The one-dimensional shape with the same number of elements (what `flatten` produces).
template <static_shape S>
using flat_shape_t = shape<S::size>;

} // namespace ctnn
