// ctnn/policies/optimizer/rmsprop.hpp - rmsprop, Keras 3 `keras.optimizers.RMSprop` rule and
// defaults (learning_rate 0.001, rho 0.9, epsilon 1e-7):
//
//     v = rho * v + (1 - rho) * g^2;   p -= lr * g / sqrt(v + epsilon)
//
// epsilon sits INSIDE the square root. PyTorch's RMSprop puts it outside,
// p -= lr * g / (sqrt(v) + eps), and defaults to lr 0.01, alpha (= rho) 0.99, eps 1e-8; the two
// agree only up to epsilon. Keras' `momentum` and `centered` options are not provided (they
// would need more state slots). One state slot (v, starting at 0).
//     ctnn::rmsprop<>{.learning_rate = 1e-3f, .rho = 0.9f}
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
struct rmsprop {
    static_assert(learning_rate_or_schedule<LearningRate>,
                  "an optimizer's learning_rate must be a floating-point number (like 0.001f) or a "
                  "schedule callable as float(std::size_t iterations) const noexcept");

    static constexpr std::string_view name = "rmsprop";
    static constexpr std::size_t state_slots = 1;    // v, the mean square of the gradient

    LearningRate learning_rate{0.001f};
    float rho = 0.9f;
    float epsilon = 1e-7f;
    float weight_decay = 0.0f; // Keras' decoupled decay: p -= lr * weight_decay * p
    float clipnorm = 0.0f;     // 0: off
    float clipvalue = 0.0f;    // 0: off

    [[nodiscard]] constexpr float initial_state(std::size_t /*slot*/) const noexcept {
        return 0.0f;
    }

    template <class Visit>
    decltype(auto) with_rule(std::size_t step, Visit&& visit) const noexcept {
        const float lr = learning_rate_at(learning_rate, detail::one_based(step) - 1);
        const float one_minus_rho = static_cast<float>(1.0 - double{rho});
        return visit(make_rule<1>({clipnorm, clipvalue, lr * weight_decay},
                                  [lr, r = rho, one_minus_rho, eps = epsilon]<class V>(
                                      V& p, V g, std::array<V, 1>& v) noexcept {
                                      v[0] = V(r) * v[0] + V(one_minus_rho) * (g * g);
                                      p = p - (V(lr) * g) / simd::sqrt(v[0] + V(eps));
                                  }));
    }
};

} // namespace ctnn
