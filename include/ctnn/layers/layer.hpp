// ctnn/layers/layer.hpp - what a layer type is.
//
// A layer in a network's type list (`dense<128, relu>`, `flatten`) is a description: it does not
// repeat its input size. The network binds it to the shape produced by the layer before it,
// `L::bound<InputShape>`, which is the type that holds the parameters and runs the layer:
//   input_shape, output_shape   static shapes of one sample
//   param_count                 trainable parameters (constexpr)
//   is_view                     true when the output is the input's memory (flatten)
//   name()                      for summary(), e.g. "dense<128, relu>"
//   forward(x, x_stride, y, y_stride, rows)   rows samples, x and y rows `stride` floats apart
// A layer that cannot take the shape it is given says so in a static_assert naming both.
#pragma once

#include "ctnn/core/shape.hpp"

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

namespace ctnn {

template <class L>
concept layer_description = requires {
    { L::kind } -> std::convertible_to<std::string_view>;
};

template <class B>
concept bound_layer = requires {
    requires static_shape<typename B::input_shape>;
    requires static_shape<typename B::output_shape>;
    { B::param_count } -> std::convertible_to<std::size_t>;
    { B::is_view } -> std::convertible_to<bool>;
    { B::name() } -> std::convertible_to<std::string>;
};

} // namespace ctnn
