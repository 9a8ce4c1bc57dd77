// ctnn/policies/optimizer/cosine_decay.hpp - cosine_decay, Keras 3's CosineDecay (SGDR without
// restarts, optional linear warm-up). With i the number of completed updates and no warm-up:
//
//     lr(i) = initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(i, decay_steps) /
//                                                                 decay_steps)) + alpha)
//
// so the rate falls from initial_learning_rate to alpha * initial_learning_rate and stays there.
// With warmup_steps > 0 the rate first rises linearly from initial_learning_rate to warmup_target
// over warmup_steps updates, then decays from warmup_target as above (Keras: warmup_target set).
//     ctnn::adam<ctnn::cosine_decay>{.learning_rate = {.initial_learning_rate = 1e-3f,
//                                                      .decay_steps = 5000, .alpha = 0.1f}}
#pragma once

#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace ctnn {

struct cosine_decay {
    float initial_learning_rate = 0.01f;
    std::size_t decay_steps = 1000; // must be positive, as in Keras
    float alpha = 0.0f;             // final rate as a fraction of the rate the decay starts from
    std::size_t warmup_steps = 0;   // 0: no warm-up (Keras: warmup_target=None)
    float warmup_target = 0.0f;     // the rate reached after warm-up, used when warmup_steps > 0

    [[nodiscard]] float operator()(std::size_t iterations) const noexcept {
        const auto decay = static_cast<double>(decay_steps);
        const auto warmup = static_cast<double>(warmup_steps);
        if (warmup_steps == 0)
            return decayed(std::min(static_cast<double>(iterations), decay), initial_learning_rate);
        const double i = std::min(static_cast<double>(iterations), decay + warmup);
        if (i < warmup)
            return static_cast<float>(initial_learning_rate +
                                      (double{warmup_target} - initial_learning_rate) * i / warmup);
        return decayed(i - warmup, warmup_target);
    }

private:
    [[nodiscard]] float decayed(double i, double from) const noexcept {
        const double cosine =
            0.5 * (1.0 + std::cos(std::numbers::pi * i / static_cast<double>(decay_steps)));
        return static_cast<float>(from * ((1.0 - alpha) * cosine + alpha));
    }
};

static_assert(learning_rate_schedule<cosine_decay>);

} // namespace ctnn
