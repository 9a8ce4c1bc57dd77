// ctnn/policies/optimizer/adamw.hpp - adamw, Keras 3 `keras.optimizers.AdamW` rule and defaults
// (learning_rate 0.001, weight_decay 0.004, beta_1 0.9, beta_2 0.999, epsilon 1e-7): decoupled
// weight decay, then the Keras Adam step of adam.hpp:
//
//     p -= lr * weight_decay * p;   then Adam (epsilon-hat form) on p
//
// PyTorch's AdamW has the same decay (p *= 1 - lr * wd) but torch's Adam epsilon placement (see
// adam.hpp) and defaults weight_decay 0.01, eps 1e-8. Keras decays every variable, biases too,
// unless excluded; so does this policy for every block it is given. Two state slots: m, v.
//     ctnn::adamw<>{.learning_rate = 1e-3f, .weight_decay = 0.01f}
#pragma once

#include "ctnn/policies/optimizer/adam.hpp"
#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"

#include <cstddef>
#include <span>
#include <string_view>

namespace ctnn {

template <class LearningRate = constant_rate>
struct adamw {
    static_assert(learning_rate_or_schedule<LearningRate>,
                  "an optimizer's learning_rate must be a floating-point number (like 0.001f) or a "
                  "schedule callable as float(std::size_t iterations) const noexcept");

    static constexpr std::string_view name = "adamw";
    static constexpr std::size_t state_slots = 2;    // m (first moment), v (second moment)

    LearningRate learning_rate{0.001f};
    float weight_decay = 0.004f;
    float beta_1 = 0.9f;
    float beta_2 = 0.999f;
    float epsilon = 1e-7f;
    float clipnorm = 0.0f;  // 0: off
    float clipvalue = 0.0f; // 0: off

    [[nodiscard]] constexpr float initial_state(std::size_t /*slot*/) const noexcept {
        return 0.0f;
    }

    template <class Visit>
    decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept {
        return detail::with_adam_rule(*this, step, visit);
    }
};

} // namespace ctnn
