// ctnn/layers/input.hpp - `input<Dims...>`: the shape of one sample, first in every network.
//
//   network<input<784>, ...>      a flat vector of 784 features
//   network<input<28, 28>, flatten, ...>   a 28×28 image (dense layers need flatten first)
#pragma once

#include "ctnn/core/shape.hpp"

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace ctnn {

template <int... Dims>
struct input {
    static_assert(sizeof...(Dims) >= 1 && sizeof...(Dims) <= max_rank,
                  "input<Dims...> takes 1 to 5 sizes, e.g. input<784> or input<28, 28>");
    static_assert(((Dims > 0) && ...), "input<Dims...>: every size must be positive");

    static constexpr std::string_view kind = "input";
    using shape_type = shape<static_cast<std::size_t>(Dims)...>;
};

template <class T>
struct is_input : std::false_type {};
template <int... Dims>
struct is_input<input<Dims...>> : std::true_type {};
template <class T>
inline constexpr bool is_input_v = is_input<T>::value;

} // namespace ctnn
