// ctnn/util/ratio_spelling.hpp - a std::ratio as C++ text: ratio_spelling<std::ratio<1, 5>>()
// is "std::ratio<1, 5>".
//
// For the spelling() of the policies and layers that take a ratio (leaky_relu_with, elu_with,
// dropout), which export_header writes into a generated header.
#pragma once

#include <string>

namespace ctnn::detail {

template <class Ratio>
std::string ratio_spelling() {
    return "std::ratio<" + std::to_string(Ratio::num) + ", " + std::to_string(Ratio::den) + ">";
}

} // namespace ctnn::detail
