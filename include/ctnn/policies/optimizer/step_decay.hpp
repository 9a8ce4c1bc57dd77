// ctnn/policies/optimizer/step_decay.hpp - step_decay: the learning rate drops by a constant factor
// every `steps_per_drop` updates (the classic "divide by 10 every 30 epochs" schedule; Keras
// expresses it with a LearningRateScheduler callback rather than a schedule class):
//
//     lr(i) = initial_learning_rate * drop ^ floor(i / steps_per_drop)
//
// where i is the number of completed updates. Use it as an optimizer's learning rate:
//     ctnn::sgd<ctnn::step_decay>{.learning_rate = {.initial_learning_rate = 0.1f,
//                                                   .drop = 0.5f, .steps_per_drop = 500}}
#pragma once

#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"

#include <cmath>
#include <cstddef>

namespace ctnn {

struct step_decay {
    float initial_learning_rate = 0.01f;
    float drop = 0.5f;                 // factor applied at every drop
    std::size_t steps_per_drop = 1000; // updates between drops; 0 means never drop

    [[nodiscard]] float operator()(std::size_t iterations) const noexcept {
        if (steps_per_drop == 0)
            return initial_learning_rate;
        const auto drops = static_cast<double>(iterations / steps_per_drop);
        return static_cast<float>(initial_learning_rate * std::pow(double{drop}, drops));
    }
};

static_assert(learning_rate_schedule<step_decay>);

} // namespace ctnn
