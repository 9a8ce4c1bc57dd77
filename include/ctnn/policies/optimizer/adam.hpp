// ctnn/policies/optimizer/adam.hpp - adam, Keras 3 `keras.optimizers.Adam` rule and defaults
// (learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7), in Keras' "epsilon hat" form:
//
//     m += (1 - beta_1) * (g - m);   v += (1 - beta_2) * (g^2 - v)
//     alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
//     p -= alpha * m / (sqrt(v) + epsilon)
//
// PyTorch adds eps to the bias-corrected root, p -= lr/(1-beta_1^t) * m / (sqrt(v)/sqrt(1-beta_2^t)
// + eps), and defaults to eps 1e-8: Keras' epsilon equals torch's eps * sqrt(1 - beta_2^t), so the
// two differ by a step-dependent epsilon (visible only when epsilon is not negligible against
// sqrt(v)). Keras' `amsgrad` is not provided (it would need a third slot). Two state slots: m, v.
//     ctnn::adam<>{.learning_rate = 1e-3f}
#pragma once

#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"
#include "ctnn/policies/optimizer/element_rule.hpp"
#include "ctnn/simd/math.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>

namespace ctnn {

namespace detail {

// The Adam rule of step `step`, shared by adam and adamw (which differ only in their
// weight_decay default).
template <class O, class Visit>
decltype(auto) with_adam_rule(const O& opt, std::size_t step, Visit&& visit) noexcept {
    const std::size_t t = one_based(step);
    const float lr = learning_rate_at(opt.learning_rate, t - 1);
    const double b1 = opt.beta_1;
    const double b2 = opt.beta_2;
    const auto td = static_cast<double>(t);
    const auto alpha =
        static_cast<float>(lr * std::sqrt(1.0 - std::pow(b2, td)) / (1.0 - std::pow(b1, td)));
    const auto one_minus_b1 = static_cast<float>(1.0 - b1);
    const auto one_minus_b2 = static_cast<float>(1.0 - b2);
    return visit(make_rule<2>(
        {opt.clipnorm, opt.clipvalue, lr * opt.weight_decay},
        [alpha, one_minus_b1, one_minus_b2,
         eps = opt.epsilon]<class V>(V& p, V g, std::array<V, 2>& s) noexcept {
            s[0] = s[0] + (g - s[0]) * V(one_minus_b1);
            s[1] = s[1] + (g * g - s[1]) * V(one_minus_b2);
            p = p - (s[0] * V(alpha)) / (simd::sqrt(s[1]) + V(eps));
        }));
}

} // namespace detail

template <class LearningRate = constant_rate>
struct adam {
    static_assert(learning_rate_or_schedule<LearningRate>,
                  "an optimizer's learning_rate must be a floating-point number (like 0.001f) or a "
                  "schedule callable as float(std::size_t iterations) const noexcept");

    static constexpr std::string_view name = "adam";
    static constexpr std::size_t state_slots = 2;    // m (first moment), v (second moment)

    LearningRate learning_rate{0.001f};
    float beta_1 = 0.9f;
    float beta_2 = 0.999f;
    float epsilon = 1e-7f;
    float weight_decay = 0.0f; // Keras' decoupled decay: p -= lr * weight_decay * p (see adamw)
    float clipnorm = 0.0f;     // 0: off
    float clipvalue = 0.0f;    // 0: off

    [[nodiscard]] constexpr float initial_state(std::size_t /*slot*/) const noexcept {
        return 0.0f;
    }

    template <class Visit>
    decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept {
        return detail::with_adam_rule(*this, step, visit);
    }
};

} // namespace ctnn
