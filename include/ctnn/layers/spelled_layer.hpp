// ctnn/layers/spelled_layer.hpp - a bound layer that can be written as C++, for
// ctnn/serialize/export_header.hpp.
//
//   static std::string spelling();  // its layer description: "ctnn::dense<128, ctnn::relu>",
//                                   // "ctnn::flatten", "ctnn::dropout<std::ratio<1, 2>>"
// The spelling is what a generated header's network_type lists; it names only what inference
// needs (dense's initialisers and regularisers are left out). A layer whose parts cannot be
// spelled (a dense layer with an activation without spelling()) has none.
#pragma once

#include "ctnn/layers/layer.hpp"

#include <concepts>
#include <string>

namespace ctnn {

// clang-format off
template <class B>
concept spelled_layer = bound_layer<B> && requires {
    { B::spelling() } -> std::convertible_to<std::string>;
};
// clang-format on

} // namespace ctnn
