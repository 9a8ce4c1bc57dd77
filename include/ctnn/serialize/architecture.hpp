// ctnn/serialize/architecture.hpp - a network type's architecture as one line of text.
//
//   using net = network<input<784>, dense<128, relu>, dense<10, softmax>>;
//   architecture_signature<net>()
//   // "input<784> | dense<128, relu> -> 128 [kernel 784x128, bias 128]
//   //  | dense<10, softmax> -> 10 [kernel 128x10, bias 10]"   (one line)
//
// The input shape, then per layer its name(), output shape and every parameter array it
// visits (visit_parameters order: name, rows x columns, or just the length of a vector). It
// depends on the type alone, so two programs agree on it exactly when their networks hold the
// same numbers in the same places: weight files store it and refuse a file whose signature
// differs, naming both. `architecture_arrays<Net>()` gives the same arrays as data.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/util/static_for.hpp"
#include "ctnn/layers/parameter_array.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace ctnn {

// One parameter or state array of a network, as visit_parameters reports it.
struct architecture_array {
    std::size_t layer;      // index after the input, as in net.layer<I>()
    std::string layer_name; // "dense<128, relu>"
    std::string name;       // "kernel", "bias", "moving_mean", ...
    std::size_t rows;       // 1 for vectors
    std::size_t columns;
    bool trainable;

    [[nodiscard]] std::size_t size() const noexcept { return rows * columns; }
};

namespace detail {

// "784", "28x28"
template <static_shape S>
std::string shape_extents_text() {
    std::string text;
    for (std::size_t axis = 0; axis < S::rank; ++axis)
        text += (axis == 0 ? "" : "x") + std::to_string(S::extents[axis]);
    return text.empty() ? "1" : text;
}

// "kernel 784x128", "bias 128"
inline std::string array_text(const std::string& name, std::size_t rows, std::size_t columns) {
    return name + ' ' + (rows == 1 ? "" : std::to_string(rows) + 'x') + std::to_string(columns);
}

template <class Layer>
inline constexpr bool visits_parameters_v = requires(Layer& l) {
    l.visit_parameters([](auto) {});
};

// The arrays of a layer type. visit_parameters needs an object, so a value-initialised one is
// made on the heap (layers can be hundreds of kilobytes); only names and sizes are read.
template <class Layer>
void append_arrays(std::size_t layer, std::vector<architecture_array>& arrays) {
    if constexpr (visits_parameters_v<Layer>) {
        static_assert(std::is_default_constructible_v<Layer>,
                      "architecture_signature: a layer with parameters must be default "
                      "constructible, so that its arrays can be listed from its type");
        const auto instance = std::make_unique<const Layer>();
        instance->visit_parameters([&](auto array) {
            arrays.push_back({layer, Layer::name(), std::string(array.name), array.rows,
                              array.columns, array.trainable});
        });
    }
}

template <class Net>
std::vector<architecture_array> list_arrays() {
    std::vector<architecture_array> arrays;
    static_for<Net::layer_count>(
        [&](auto i) { append_arrays<typename Net::template layer_type<i>>(i, arrays); });
    return arrays;
}

template <class Net>
std::string make_signature() {
    const std::vector<architecture_array>& arrays = list_arrays<Net>();
    std::string text = "input<";
    for (std::size_t axis = 0; axis < Net::input_shape::rank; ++axis)
        text += (axis == 0 ? "" : ", ") + std::to_string(Net::input_shape::extents[axis]);
    text += '>';
    static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::template layer_type<i>;
        text += " | " + L::name() + " -> " + shape_extents_text<typename L::output_shape>();
        bool first = true;
        for (const architecture_array& a : arrays) {
            if (a.layer != i)
                continue;
            text += first ? " [" : ", ";
            text += array_text(a.name, a.rows, a.columns);
            first = false;
        }
        if (!first)
            text += ']';
    });
    return text;
}

} // namespace detail

// Every parameter and state array of Net in visit_parameters order (computed once).
template <class Net>
[[nodiscard]] const std::vector<architecture_array>& architecture_arrays() {
    static const std::vector<architecture_array> arrays = detail::list_arrays<Net>();
    return arrays;
}

// The architecture signature of Net (computed once; see the top of this file).
template <class Net>
[[nodiscard]] const std::string& architecture_signature() {
    static const std::string signature = detail::make_signature<Net>();
    return signature;
}

} // namespace ctnn
