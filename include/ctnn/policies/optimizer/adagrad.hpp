// ctnn/policies/optimizer/adagrad.hpp - adagrad, Keras 3 `keras.optimizers.Adagrad` rule and
// defaults (learning_rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7):
//
//     a += g^2;   p -= lr * g / sqrt(a + epsilon)        (a starts at initial_accumulator_value)
//
// PyTorch's Adagrad puts eps outside the root, p -= lr * g / (sqrt(a) + eps), and defaults to
// lr 0.01, initial accumulator 0, eps 1e-10 (and has an lr_decay Keras lacks). One state slot,
// the accumulator a: `initial_state(0)` returns initial_accumulator_value, which the caller must
// write into the slot before the first step (reset_optimizer_state does).
//     ctnn::adagrad<>{.learning_rate = 0.01f}
#pragma once

#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"
#include "ctnn/policies/optimizer/element_rule.hpp"
#include "ctnn/simd/math.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace ctnn {

template <class LearningRate = constant_rate>
struct adagrad {
    static_assert(learning_rate_or_schedule<LearningRate>,
                  "an optimizer's learning_rate must be a floating-point number (like 0.001f) or a "
                  "schedule callable as float(std::size_t iterations) const noexcept");

    static constexpr std::string_view name = "adagrad";
    static constexpr std::size_t state_slots = 1;    // the sum of squared gradients

    LearningRate learning_rate{0.001f};
    float initial_accumulator_value = 0.1f;
    float epsilon = 1e-7f;
    float weight_decay = 0.0f; // Keras' decoupled decay: p -= lr * weight_decay * p
    float clipnorm = 0.0f;     // 0: off
    float clipvalue = 0.0f;    // 0: off

    [[nodiscard]] constexpr float initial_state(std::size_t /*slot*/) const noexcept {
        return initial_accumulator_value;
    }

    template <class Visit>
    decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept {
        const float lr = learning_rate_at(learning_rate, detail::one_based(step) - 1);
        return visit(make_rule<1>(
            {clipnorm, clipvalue, lr * weight_decay},
            [lr, eps = epsilon]<class V>(V& p, V g, std::array<V, 1>& a) noexcept {
                a[0] = a[0] + g * g;
                p = p - (V(lr) * g) / simd::sqrt(a[0] + V(eps));
            }));
    }
};

} // namespace ctnn
