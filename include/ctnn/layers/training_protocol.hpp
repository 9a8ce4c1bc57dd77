// ctnn/layers/training_protocol.hpp - what training needs from a layer: one protocol that every
// layer kind implements in its own header, so that the trainer never names a layer kind.
//
// A bound layer L (layers/layer.hpp) takes part in training through these members; the optional
// ones have the defaults in brackets:
//
//   template <std::size_t Rows> struct workspace;            [no storage]
//       What one batch of up to Rows rows needs kept between the forward and the backward pass:
//       outputs, pre-activations, masks, batch statistics. A fixed-size type: a training step
//       allocates nothing.
//   template <std::size_t Rows>
//   rows_view train_forward(rows_view x, workspace<Rows>& ws, const pass_context& p) noexcept;
//       [the identity, for views]
//       Rows [p.first, p.first + p.rows) of the batch: x holds the part's input rows; returns
//       the part's output rows (in ws, or x itself for a layer that passes its input on).
//       p.training is false in evaluation: then the layer computes what predict computes.
//   template <std::size_t Rows, class Gradients>
//   float* train_backward(rows_view x, workspace<Rows>& ws, float* dy, float* dx, Gradients& g,
//                         const pass_context& p) noexcept;       [dy passes through, for views]
//       dy holds dL/d(output) for the part's rows (padded(output size) floats apart) and may be
//       overwritten; dx receives dL/d(input) (padded(input size) floats apart) unless it is
//       null (nothing below needs it). Returns where dL/d(input) is: dx, or dy when the layer
//       passes the gradient on unchanged. Parameter gradients are added to g[b] (block b).
//       Gradients also has `dy_is_preactivation` (see takes_preactivation_gradient) and
//       `may_fuse`; when may_fuse is true and g.fused() is, the trainer wants the optimizer's
//       step done in this pass: a layer that can update a block while forming its gradient
//       calls the optimizer itself (g.optimizer(), g.state(b), g.step()); blocks it reads
//       through g[b] instead (zeroed at first use) the trainer updates after the pass.
//   static constexpr std::array<std::size_t, K> parameter_sizes;   [none]
//   std::array<float*, K> parameter_blocks() noexcept;
//       The trainable arrays (a dense layer's kernel and bias), in the order of g[b]; the
//       optimizer updates them and keeps its state beside each.
//   float penalty() const noexcept;                           [0]
//   template <class Gradients> void add_penalty_gradient(Gradients& g) const noexcept;
//       Weight regularization: added to the reported loss, its gradient to g once per update.
//   template <std::size_t Rows>
//   float activity_penalty(const workspace<Rows>& ws, const pass_context& p) const noexcept;
//       [0] A penalty on the outputs, summed over the part's rows (averaged by the trainer).
//   static constexpr bool rows_independent;                   [true]
//       false when a row's training output depends on the other rows of the batch (batch
//       statistics): then the batch is not split between threads.
//   static constexpr bool takes_preactivation_gradient;       [false]
//       The layer ends in `activation_type` and accepts dL/d(pre-activation) from a loss that
//       fuses with that activation (softmax + cross-entropy: p - y) when
//       Gradients::dy_is_preactivation is true.
//
// `trainable_layer<L>` checks the protocol; network<...> types are trained only through it.
#pragma once

#include "ctnn/layers/layer.hpp"
#include "ctnn/simd/batch.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace ctnn {

// The rows of (part of) a batch: row r starts at data + r * stride.
struct rows_view {
    const float* data = nullptr;
    std::size_t stride = 0;

    [[nodiscard]] const float* row(std::size_t r) const noexcept { return data + r * stride; }
};

// One pass of a layer over part of a batch.
struct pass_context {
    std::size_t first = 0; // the part's first row within the batch
    std::size_t rows = 0;  // rows in the part
    bool training = true;  // false: evaluation, the layer computes what predict computes
    // Noise layers draw row r's values from (noise_seed, first + r) alone, so that a batch's
    // noise does not depend on how its rows are split between threads (or processes). The
    // trainer gives every layer and batch its own seed.
    std::uint64_t noise_seed = 0;
    // The factor dL/d(output) carries (1 / rows for a batch mean): activity penalties scale
    // their gradients by it.
    float gradient_scale = 1.0f;
};

namespace detail {

struct no_workspace {};

template <class L, std::size_t Rows>
struct workspace_of {
    using type = no_workspace;
};
template <class L, std::size_t Rows>
requires requires {
    typename L::template workspace<Rows>;
}
struct workspace_of<L, Rows> {
    using type = typename L::template workspace<Rows>;
};

} // namespace detail

// The per-batch training storage of layer L for up to Rows rows.
template <class L, std::size_t Rows>
using layer_workspace_t = typename detail::workspace_of<L, Rows>::type;

// How many trainable arrays L has, and their sizes.
template <class L>
inline constexpr std::size_t parameter_block_count_v = [] {
    if constexpr (requires { L::parameter_sizes; })
        return L::parameter_sizes.size();
    else
        return std::size_t{0};
}();

template <class L>
inline constexpr auto parameter_sizes_v = [] {
    if constexpr (requires { L::parameter_sizes; })
        return L::parameter_sizes;
    else
        return std::array<std::size_t, 0>{};
}();

template <class L>
inline constexpr bool rows_independent_v = [] {
    if constexpr (requires { L::rows_independent; })
        return bool{L::rows_independent};
    else
        return true;
}();

template <class L>
inline constexpr bool takes_preactivation_gradient_v = [] {
    if constexpr (requires {
                      L::takes_preactivation_gradient;
                      typename L::activation_type;
                  })
        return bool{L::takes_preactivation_gradient};
    else
        return false;
}();

namespace detail {

// A gradient sink for checking the protocol: what a trainer hands to train_backward.
struct gradient_probe {
    static constexpr bool dy_is_preactivation = false;
    static constexpr bool may_fuse = false;
    float* operator[](std::size_t) noexcept { return nullptr; }
    [[nodiscard]] bool fused() const noexcept { return false; }
};

template <class L>
concept has_train_forward = requires(L& l, rows_view x, layer_workspace_t<L, 1>& ws,
                                     const pass_context& p) {
    l.template train_forward<1>(x, ws, p);
};

} // namespace detail

// L trains through the protocol above: its own train_forward and train_backward, or it is a
// view that is the identity in training too (flatten).
// clang-format off
template <class L>
concept trainable_layer = bound_layer<L> && (
    (L::is_view && !detail::has_train_forward<L>) ||
    requires(L& l, rows_view x, layer_workspace_t<L, 1>& ws, float* d, detail::gradient_probe& g,
             const pass_context& p) {
        { l.template train_forward<1>(x, ws, p) } noexcept -> std::same_as<rows_view>;
        { l.template train_backward<1>(x, ws, d, d, g, p) } noexcept -> std::same_as<float*>;
    }) && (parameter_block_count_v<L> == 0 || requires(L& l) {
        { l.parameter_blocks() } noexcept
            -> std::same_as<std::array<float*, parameter_block_count_v<L>>>;
    });
// clang-format on

namespace detail {

// The protocol's calls with their defaults (see the top of this file).
template <std::size_t Rows, class L>
rows_view train_forward(L& layer, rows_view x, layer_workspace_t<L, Rows>& ws,
                        const pass_context& p) noexcept {
    if constexpr (has_train_forward<L>)
        return layer.template train_forward<Rows>(x, ws, p);
    else
        return x;
}

template <std::size_t Rows, class L, class Gradients>
float* train_backward(L& layer, rows_view x, layer_workspace_t<L, Rows>& ws, float* dy, float* dx,
                      Gradients& g, const pass_context& p) noexcept {
    if constexpr (has_train_forward<L>)
        return layer.template train_backward<Rows>(x, ws, dy, dx, g, p);
    else
        return dy;
}

template <class L>
std::array<float*, parameter_block_count_v<L>> parameter_blocks_of(L& layer) noexcept {
    if constexpr (parameter_block_count_v<L> == 0)
        return {};
    else
        return layer.parameter_blocks();
}

template <class L>
float penalty(const L& layer) noexcept {
    if constexpr (requires { layer.penalty(); })
        return layer.penalty();
    else
        return 0.0f;
}

template <class L, class Gradients>
void add_penalty_gradient(const L& layer, Gradients& g) noexcept {
    if constexpr (requires { layer.add_penalty_gradient(g); })
        layer.add_penalty_gradient(g);
}

template <std::size_t Rows, class L>
float activity_penalty(const L& layer, const layer_workspace_t<L, Rows>& ws,
                       const pass_context& p) noexcept {
    if constexpr (requires { layer.template activity_penalty<Rows>(ws, p); })
        return layer.template activity_penalty<Rows>(ws, p);
    else
        return 0.0f;
}

template <class L>
inline constexpr bool has_penalty_v = requires(const L& l) {
    l.penalty();
};
template <class L>
inline constexpr bool has_activity_penalty_v = requires(const L& l,
                                                        const layer_workspace_t<L, 1>& ws,
                                                        const pass_context& p) {
    l.template activity_penalty<1>(ws, p);
};

} // namespace detail

} // namespace ctnn
