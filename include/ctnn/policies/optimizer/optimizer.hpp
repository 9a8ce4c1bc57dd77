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
// - `void update(float* params, const float* grads, std::span<float* const, state_slots> slots,
//   std::size_t n, std::size_t step) const noexcept`: one update of n parameters in place from
//   their gradients; slots[s] points to the n floats of state slot s; `step` counts updates from 1
//   (bias corrections and learning-rate schedules depend on it). Pointers need no alignment.
// - optionally `static constexpr bool elementwise_update = true`: update() treats every element
//   on its own, so a trainer may update parts of a block on different threads (except while
//   clipnorm, which needs the whole block's norm, is set).
// Optimizers are aggregates with Keras' defaults, e.g. `ctnn::adam<>{.learning_rate = 1e-3f}`.
// One `update` call is one Keras variable: clipnorm applies to that block's norm.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>

namespace ctnn {

template <class O>
concept optimizer = std::copyable<O> && requires {
    { O::name } -> std::convertible_to<std::string_view>;
    { O::state_slots } -> std::convertible_to<std::size_t>;
} && requires(const O& o, float* params, const float* grads,
              std::span<float* const, O::state_slots> slots, std::size_t n, std::size_t step) {
    { o.update(params, grads, slots, n, step) }
    noexcept;
    { o.initial_state(n) }
    noexcept->std::convertible_to<float>;
};

// Whether O's update may be split into parts of a block (see elementwise_update above).
template <class O>
inline constexpr bool updates_elementwise_v = requires {
    requires O::elementwise_update;
};

// One update of a block of n parameters (TEMPORARY: replaced by the element-rule protocol).
template <optimizer O>
void apply_update(const O& opt, float* params, const float* grads,
                  std::span<float* const, O::state_slots> slots, std::size_t n,
                  std::size_t step) noexcept {
    opt.update(params, grads, slots, n, step);
}

// Whether a block's update treats every element on its own (TEMPORARY, see above).
template <optimizer O>
[[nodiscard]] bool updates_elementwise(const O& opt) noexcept {
    if constexpr (updates_elementwise_v<O>) {
        if constexpr (requires { opt.clipnorm; })
            return !(opt.clipnorm > 0.0f);
        return true;
    } else {
        return false;
    }
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
