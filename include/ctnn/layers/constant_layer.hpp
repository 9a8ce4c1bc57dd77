// ctnn/layers/constant_layer.hpp - what a bound layer gives for inference from constant arrays
// (ctnn/network/constexpr_predict.hpp) and for export as a C++ header
// (ctnn/serialize/export_header.hpp).
//
// A bound layer (layer.hpp) states its parameters at inference as constants:
//   using constants = ...;      // an aggregate of std::span<const float, n>, one per array in
//                               // visit_parameters order (dense_constants: kernel, bias), or
//                               // no_constants for a layer without parameters at inference
//   void load_constants(const constants&) noexcept;   // copy them in (unless no_constants)
// and, to run in a constant expression,
//   template <multiply_add Mode>
//   static constexpr void constant_forward(const constants& p, const float* x, float* y) noexcept;
// A layer with no_constants that is a view (flatten; dropout, the identity at inference) needs
// no constant_forward: constexpr_predict passes its input on, as network::predict does.
// layer_with_constants<B>, constant_forward_layer<B> and constant_layer<B> say whether B has them;
// a user's own layer gets constexpr_predict and export_header by providing them (and
// spelled_layer.hpp's spelling()). batch_normalization has none: fold it into the dense layer
// before (fold_batch_normalization).
#pragma once

#include "ctnn/layers/layer.hpp"
#include "ctnn/simd/constant_math.hpp"

#include <concepts>

namespace ctnn {

// The constants of a layer without parameters at inference.
struct no_constants {};

// clang-format off
template <class B>
concept layer_with_constants = bound_layer<B> && requires { typename B::constants; } &&
    (std::same_as<typename B::constants, no_constants> ||
     requires(B& layer, const typename B::constants& c) {
         { layer.load_constants(c) } noexcept;
     });

// Whether B has constant_forward for both roundings of the multiply-add.
template <class B>
concept constant_forward_layer = layer_with_constants<B> &&
    requires(const typename B::constants& c, const float* x, float* y) {
        { B::template constant_forward<multiply_add::fused>(c, x, y) } noexcept;
        { B::template constant_forward<multiply_add::unfused>(c, x, y) } noexcept;
    };

// Whether constexpr_predict can run B: it has constant_forward, or it is a view without
// constants (the identity at inference).
template <class B>
concept constant_layer = constant_forward_layer<B> ||
    (layer_with_constants<B> && B::is_view && std::same_as<typename B::constants, no_constants>);
// clang-format on

} // namespace ctnn
