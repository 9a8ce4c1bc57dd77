// ctnn/network/summary.hpp - a Keras-style model summary: layer, output shape, parameters.
//
//   std::cout << classifier::summary();
//   Layer                     Output shape        Param #
//   ======================================================
//   dense<128, relu>          (None, 128)         100,480
//   dense<10, softmax>        (None, 10)            1,290
//   ======================================================
//   Total params: 101,770 (397.5 KB)
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/util/static_for.hpp"

#include <cstddef>
#include <cstdio>
#include <string>

namespace ctnn {

namespace detail {

// 101770 -> "101,770"
inline std::string with_thousands(std::size_t n) {
    const std::string digits = std::to_string(n);
    std::string text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            text += ',';
        text += digits[i];
    }
    return text;
}

// shape<28, 28> -> "(None, 28, 28)": Keras's notation, None standing for the batch size.
template <static_shape S>
std::string summary_shape_text() {
    std::string text = "(None";
    for (std::size_t extent : S::extents)
        text += ", " + std::to_string(extent);
    return text + ")";
}

// `text` in a column `width` characters wide, then one space.
inline std::string pad_right(const std::string& text, std::size_t width) {
    std::string cell = text;
    while (cell.size() < width)
        cell += ' ';
    return cell + ' ';
}

inline std::string pad_left(const std::string& text, std::size_t width) {
    std::string cell;
    while (cell.size() + text.size() < width)
        cell += ' ';
    return cell + text;
}

} // namespace detail

// The summary of a network type (anything with layer_count, layer_type<I> and param_count).
template <class Net>
std::string summary_of() {
    constexpr std::size_t name_width = 28, shape_width = 20, param_width = 12;
    const std::string rule(name_width + shape_width + param_width + 2, '=');
    std::string text = detail::pad_right("Layer", name_width) +
                       detail::pad_right("Output shape", shape_width) +
                       detail::pad_left("Param #", param_width) + "\n" + rule + "\n";
    text +=
        detail::pad_right("input", name_width) +
        detail::pad_right(detail::summary_shape_text<typename Net::input_shape>(), shape_width) +
        detail::pad_left("0", param_width) + "\n";
    static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::template layer_type<i>;
        text +=
            detail::pad_right(L::name(), name_width) +
            detail::pad_right(detail::summary_shape_text<typename L::output_shape>(), shape_width) +
            detail::pad_left(detail::with_thousands(L::param_count), param_width) + "\n";
    });
    char size[32];
    std::snprintf(size, sizeof size, "%.1f KB",
                  static_cast<double>(Net::param_count) * 4.0 / 1024.0);
    text +=
        rule + "\nTotal params: " + detail::with_thousands(Net::param_count) + " (" + size + ")\n";
    return text;
}

} // namespace ctnn
