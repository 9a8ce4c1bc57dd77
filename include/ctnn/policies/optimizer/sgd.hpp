// ctnn/policies/optimizer/sgd.hpp - sgd: stochastic gradient descent, optionally with (Nesterov)
// momentum, Keras 3 `keras.optimizers.SGD` rule and defaults:
//
//     momentum == 0:  p -= lr * g
//     otherwise:      m = momentum * m - lr * g;  p += m                  (nesterov false)
//                                                 p += momentum * m - lr * g  (nesterov true)
//
// PyTorch keeps buf = momentum * buf + g and subtracts lr * buf; for a constant learning rate
// (and torch's dampening 0) both give the same trajectory, with a schedule they differ (Keras
// folds each step's own lr into m). One state slot (m); it is untouched when momentum is 0.
//     ctnn::sgd<>{.learning_rate = 0.1f, .momentum = 0.9f, .nesterov = true}
#pragma once

#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"
#include "ctnn/policies/optimizer/element_rule.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace ctnn {

template <class LearningRate = constant_rate>
struct sgd {
    static_assert(learning_rate_or_schedule<LearningRate>,
                  "an optimizer's learning_rate must be a floating-point number (like 0.01f) or a "
                  "schedule callable as float(std::size_t iterations) const noexcept");

    static constexpr std::string_view name = "sgd";
    static constexpr std::size_t state_slots = 1;    // momentum; unused when momentum == 0

    LearningRate learning_rate{0.01f};
    float momentum = 0.0f;
    bool nesterov = false;
    float weight_decay = 0.0f; // Keras' decoupled decay: p -= lr * weight_decay * p
    float clipnorm = 0.0f;     // 0: off
    float clipvalue = 0.0f;    // 0: off

    [[nodiscard]] constexpr float initial_state(std::size_t /*slot*/) const noexcept {
        return 0.0f;
    }

    template <class Visit>
    decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept {
        const float lr = learning_rate_at(learning_rate, detail::one_based(step) - 1);
        const update_settings settings{clipnorm, clipvalue, lr * weight_decay};
        if (momentum == 0.0f)
            return visit(make_rule<0>(
                settings, [lr]<class V>(V& p, V g, std::array<V, 0>&) noexcept { p = p - g * V(lr); }));
        // Classic momentum adds m, Nesterov mu * m - lr * g: one formula with run-time factors
        // (a formula per variant would instantiate the fused kernel once more per layer).
        const float m_factor = nesterov ? momentum : 1.0f;
        const float g_factor = nesterov ? lr : 0.0f;
        return visit(make_rule<1>(settings, [lr, mu = momentum, m_factor, g_factor]<class V>(
                                                V& p, V g, std::array<V, 1>& m) noexcept {
            m[0] = m[0] * V(mu) - g * V(lr);
            p = p + (m[0] * V(m_factor) - g * V(g_factor));
        }));
    }
};

} // namespace ctnn
