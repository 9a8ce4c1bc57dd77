// ctnn/policies/optimizer/optimizer.hpp - the `optimizer` concept: what a trainer needs from an
// optimizer policy (sgd, rmsprop, adam, adamw, nadam, adagrad, or your own).
//
// An optimizer O has
// - `static constexpr std::string_view name`: its Keras identifier ("adam", ...);
// - `static constexpr std::size_t state_slots`: how many arrays of per-parameter state it keeps
//   (0 for none, 2 for Adam's m and v); each is as long as the parameter block it belongs to;
// - `float initial_state(std::size_t slot) const noexcept`: the value slot `slot` starts at (the
//   caller fills the arrays with it before the first step, see reset_optimizer_state; 0 for all
//   but Adagrad's accumulator);
// - `decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept`: calls
//   visit(rule) with its element rule for step `step` (element_rule.hpp: the step's settings and
//   one per-element formula, made by make_rule<Slots>) and returns what visit returns; `step`
//   counts updates from 1 (bias corrections and learning-rate schedules depend on it). A rule
//   may depend on run-time settings (sgd without momentum keeps no state) as long as each
//   branch returns the visitor's result.
// Every loop that updates parameters applies that rule: apply_update below, a thread's part of a
// block, the fused weight-gradient kernel. So an optimizer of your own, written as one formula,
// is fused and split over threads like the library's.
// Optimizers are aggregates with Keras' defaults, e.g. `ctnn::adam<>{.learning_rate = 1e-3f}`.
#pragma once

#include "ctnn/policies/optimizer/element_rule.hpp"
#include "ctnn/policies/optimizer/parameter_update.hpp"

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>

namespace ctnn {

namespace detail {

// What with_rule is called with by the concept below: accepts any rule of at most Slots slots.
template <std::size_t Slots>
struct rule_probe {
    template <class Rule>
    requires is_element_rule_v<Rule> && (Rule::slots <= Slots)
    bool operator()(const Rule&) const noexcept { return true; }
};

} // namespace detail

template <class O>
concept optimizer = std::copyable<O> && requires {
    { O::name } -> std::convertible_to<std::string_view>;
    { O::state_slots } -> std::convertible_to<std::size_t>;
} && requires(const O& o, std::size_t slot, std::size_t step) {
    { o.initial_state(slot) }
    noexcept->std::convertible_to<float>;
    { o.with_rule(step, detail::rule_probe<O::state_slots>{}) }
    noexcept->std::same_as<bool>;
};

// One update of a block of n parameters in place from their gradients: slots[s] points to the n
// floats of state slot s. Pointers need no alignment. One call is one Keras variable: clipnorm
// applies to that block's norm. (Not constrained by `optimizer`, which also asks for copy
// assignment: an optimizer holding a lambda schedule updates too.)
template <class O>
void apply_update(const O& opt, float* params, const float* grads,
                  std::span<float* const, O::state_slots> slots, std::size_t n,
                  std::size_t step) noexcept {
    opt.with_rule(step, [&](const auto& rule) noexcept {
        detail::update_parameters(params, grads, slots.data(), n, rule);
    });
}

// Whether a block's update may be split into parts (threads, the fused kernel's tiles): every
// rule treats each element on its own, but clipping by norm needs the whole block's norm first.
template <optimizer O>
[[nodiscard]] bool updates_elementwise(const O& opt) noexcept {
    return opt.with_rule(1, [](const auto& rule) noexcept {
        return !(rule.settings.clipnorm > 0.0f);
    });
}

// Sets every state slot of a block of n parameters to its initial value (before the first step,
// or to restart training).
template <optimizer O>
void reset_optimizer_state(const O& opt, std::span<float* const, O::state_slots> slots,
                           std::size_t n) noexcept {
    for (std::size_t s = 0; s < slots.size(); ++s)
        std::fill_n(slots[s], n, opt.initial_state(s));
}

} // namespace ctnn
