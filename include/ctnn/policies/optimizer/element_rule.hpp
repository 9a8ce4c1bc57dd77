// ctnn/policies/optimizer/element_rule.hpp - what an optimizer is: one step's settings and one
// formula applied to every parameter on its own.
//
//     opt.with_rule(step, [&](const auto& rule) noexcept { ... rule.formula(p, g, state) ... });
//
// An optimizer hands its rule for a step to a visitor instead of updating arrays itself, so that
// every loop that updates parameters - the plain one of parameter_update.hpp, the fused
// weight-gradient kernel, a thread's part of a block - runs the same formula, written once.
// - `settings`: clipnorm and clipvalue (applied to the gradient before the formula, see
//   gradient_clipping.hpp) and decay = learning rate × weight_decay (Keras's decoupled decay,
//   p -= p × decay, applied before the formula; 0 leaves p unchanged exactly);
// - `formula`: `template <class V> void(V& p, V g, std::array<V, Slots>& state) noexcept`,
//   called with V = float and V = simd::batch_t<float>: it updates the parameter p and its
//   Slots state values in place from the (clipped) gradient g. Slots may be fewer than the
//   optimizer's state_slots (sgd without momentum uses none): the rule then reads and writes
//   only the first Slots arrays.
// The constants a formula captures (bias corrections, the step's learning rate) are computed
// once per step and block, outside the element loop.
#pragma once

#include "ctnn/simd/batch.hpp"

#include <array>
#include <concepts>
#include <cstddef>

namespace ctnn {

// Per-step settings every optimizer shares.
struct update_settings {
    float clipnorm = 0.0f;  // 0: off
    float clipvalue = 0.0f; // 0: off
    float decay = 0.0f;     // learning rate × weight_decay
};

template <std::size_t Slots, class Formula>
struct element_rule {
    static constexpr std::size_t slots = Slots;
    update_settings settings;
    Formula formula;
};

// Whether f can serve as a formula over Slots state values, for scalars and SIMD batches.
template <class F, std::size_t Slots>
concept element_formula =
    requires(const F& f, float& p, float g, std::array<float, Slots>& s,
             simd::batch_t<float>& pv, simd::batch_t<float> gv,
             std::array<simd::batch_t<float>, Slots>& sv) {
    { f(p, g, s) } noexcept;
    { f(pv, gv, sv) } noexcept;
};

// `make_rule<Slots>(settings, formula)`: the rule an optimizer's with_rule passes on.
template <std::size_t Slots, class Formula>
[[nodiscard]] constexpr element_rule<Slots, Formula> make_rule(const update_settings& settings,
                                                               Formula formula) noexcept {
    static_assert(element_formula<Formula, Slots>,
                  "an optimizer's formula must be callable as `template <class V> void(V& p, V g, "
                  "std::array<V, Slots>& state) noexcept` for V = float and V = "
                  "simd::batch_t<float>, with Slots the number of state values it uses");
    return {settings, formula};
}

namespace detail {

template <class T>
inline constexpr bool is_element_rule_v = false;
template <std::size_t Slots, class Formula>
inline constexpr bool is_element_rule_v<element_rule<Slots, Formula>> = true;

// Optimizers take a 1-based step; a stray 0 is treated as 1 rather than dividing by zero.
[[nodiscard]] constexpr std::size_t one_based(std::size_t step) noexcept {
    return step == 0 ? 1 : step;
}

} // namespace detail

} // namespace ctnn
