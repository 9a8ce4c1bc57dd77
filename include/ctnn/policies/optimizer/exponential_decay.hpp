// ctnn/policies/optimizer/exponential_decay.hpp - exponential_decay, Keras' ExponentialDecay:
//
//     lr(i) = initial_learning_rate * decay_rate ^ (i / decay_steps)
//
// with i the number of completed updates; `staircase` takes floor(i / decay_steps), so the rate
// changes only every decay_steps updates. Use it as an optimizer's learning rate:
//     ctnn::adam<ctnn::exponential_decay>{.learning_rate = {.initial_learning_rate = 1e-3f,
//                                                           .decay_steps = 10000,
//                                                           .decay_rate = 0.9f}}
#pragma once

#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"

#include <cmath>
#include <cstddef>

namespace ctnn {

struct exponential_decay {
    float initial_learning_rate = 0.01f;
    std::size_t decay_steps = 1000; // must be positive, as in Keras
    float decay_rate = 0.96f;
    bool staircase = false;

    [[nodiscard]] float operator()(std::size_t iterations) const noexcept {
        double p = static_cast<double>(iterations) / static_cast<double>(decay_steps);
        if (staircase)
            p = std::floor(p);
        return static_cast<float>(initial_learning_rate * std::pow(double{decay_rate}, p));
    }
};

static_assert(learning_rate_schedule<exponential_decay>);

} // namespace ctnn
