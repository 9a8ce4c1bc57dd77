// ctnn/policies/optimizer/nadam.hpp - nadam: Adam with Nesterov momentum, Keras 3
// `keras.optimizers.Nadam` rule and defaults (learning_rate 0.001, beta_1 0.9, beta_2 0.999,
// epsilon 1e-7). With the momentum schedule u_t = beta_1 * (1 - 0.5 * 0.96^t) and
// U_t = u_1 * ... * u_t:
//
//     m += (1 - beta_1) * (g - m);   v += (1 - beta_2) * (g^2 - v)
//     m_hat = u_{t+1} * m / (1 - U_{t+1}) + (1 - u_t) * g / (1 - U_t)
//     v_hat = v / (1 - beta_2^t)
//     p -= lr * m_hat / (sqrt(v_hat) + epsilon)
//
// PyTorch's NAdam uses u_t = beta_1 * (1 - 0.5 * 0.96^(0.004 t)) (momentum_decay 0.004) and
// defaults lr 0.002, eps 1e-8; torch's NAdam(momentum_decay=1.0) is exactly this rule. (Keras 2's
// legacy Nadam also used 0.96^(0.004 t).) Keras keeps U_t as optimizer state; here it is
// recomputed from t, so `update` stays a pure function of its arguments. Two state slots: m, v.
//     ctnn::nadam<>{.learning_rate = 1e-3f}
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

// prod_{i=1..t} (1 - 0.5 * 0.96^i) for t = 0..1000. From i = 901 on every factor rounds to
// exactly 1.0 in double, so the entry for 1000 is the product for every larger t too: U_t costs
// one table look-up and one pow instead of t multiplications per call.
inline constexpr auto nadam_decay_products = [] {
    std::array<double, 1001> products{};
    double power = 1.0;
    products[0] = 1.0;
    for (std::size_t i = 1; i < products.size(); ++i) {
        power *= 0.96;
        products[i] = products[i - 1] * (1.0 - 0.5 * power);
    }
    return products;
}();

// U_t = prod_{i=1..t} beta_1 * (1 - 0.5 * 0.96^i).
[[nodiscard]] inline double nadam_momentum_product(double beta_1, std::size_t t) noexcept {
    const std::size_t capped =
        t < nadam_decay_products.size() ? t : nadam_decay_products.size() - 1;
    return std::pow(beta_1, static_cast<double>(t)) * nadam_decay_products[capped];
}

} // namespace detail

template <class LearningRate = constant_rate>
struct nadam {
    static_assert(learning_rate_or_schedule<LearningRate>,
                  "an optimizer's learning_rate must be a floating-point number (like 0.001f) or a "
                  "schedule callable as float(std::size_t iterations) const noexcept");

    static constexpr std::string_view name = "nadam";
    static constexpr std::size_t state_slots = 2;    // m (first moment), v (second moment)

    LearningRate learning_rate{0.001f};
    float beta_1 = 0.9f;
    float beta_2 = 0.999f;
    float epsilon = 1e-7f;
    float weight_decay = 0.0f; // Keras' decoupled decay: p -= lr * weight_decay * p
    float clipnorm = 0.0f;     // 0: off
    float clipvalue = 0.0f;    // 0: off

    [[nodiscard]] constexpr float initial_state(std::size_t /*slot*/) const noexcept {
        return 0.0f;
    }

    template <class Visit>
    decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept {
        const std::size_t t = detail::one_based(step);
        const float lr = learning_rate_at(learning_rate, t - 1);
        const double b1 = beta_1;
        const double b2 = beta_2;
        const auto td = static_cast<double>(t);
        const double u_t = b1 * (1.0 - 0.5 * std::pow(0.96, td));
        const double u_next = b1 * (1.0 - 0.5 * std::pow(0.96, td + 1.0));
        const double u_product = detail::nadam_momentum_product(b1, t);
        const double u_product_next = u_product * u_next;
        // m_hat = m_coefficient * m + g_coefficient * g;  sqrt(v_hat) = sqrt(v * v_scale)
        const auto m_coefficient = static_cast<float>(u_next / (1.0 - u_product_next));
        const auto g_coefficient = static_cast<float>((1.0 - u_t) / (1.0 - u_product));
        const auto v_scale = static_cast<float>(1.0 / (1.0 - std::pow(b2, td)));
        const auto one_minus_b1 = static_cast<float>(1.0 - b1);
        const auto one_minus_b2 = static_cast<float>(1.0 - b2);
        return visit(make_rule<2>(
            {clipnorm, clipvalue, lr * weight_decay},
            [lr, m_coefficient, g_coefficient, v_scale, one_minus_b1, one_minus_b2,
             eps = epsilon]<class V>(V& p, V g, std::array<V, 2>& s) noexcept {
                s[0] = s[0] + (g - s[0]) * V(one_minus_b1);
                s[1] = s[1] + (g * g - s[1]) * V(one_minus_b2);
                const V m_hat = V(m_coefficient) * s[0] + V(g_coefficient) * g;
                p = p - (m_hat * V(lr)) / (simd::sqrt(s[1] * V(v_scale)) + V(eps));
            }));
    }
};

} // namespace ctnn
