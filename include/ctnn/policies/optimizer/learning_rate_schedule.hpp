// ctnn/policies/optimizer/learning_rate_schedule.hpp - what an optimizer's `learning_rate` may be.
//
// Every optimizer's `learning_rate` member is either a floating-point number (constant rate) or a
// schedule: any callable `float(std::size_t iterations) const noexcept`, such as constant_rate,
// step_decay, exponential_decay, cosine_decay or a lambda. As in Keras, a schedule receives the
// number of updates already applied (Keras' `optimizer.iterations`), so the first update, step 1,
// uses `schedule(0)`:
//
//     ctnn::adam<>{.learning_rate = 1e-3f}
//     ctnn::sgd<ctnn::exponential_decay>{.learning_rate = {.initial_learning_rate = 0.1f,
//                                                           .decay_steps = 1000,
//                                                           .decay_rate = 0.96f}}
//
// `learning_rate_at(lr, iterations)` evaluates either form (for trainers and callbacks that report
// the current rate).
#pragma once

#include <concepts>
#include <cstddef>

namespace ctnn {

// A callable from the number of completed updates to the learning rate to use next.
template <class S>
concept learning_rate_schedule = std::copy_constructible<S> && requires(const S& s, std::size_t i) {
    { s(i) }
    noexcept->std::convertible_to<float>;
};

// What an optimizer accepts as its learning_rate: a floating-point number or a schedule.
template <class L>
concept learning_rate_or_schedule = std::floating_point<L> || learning_rate_schedule<L>;

// The default learning-rate type of every optimizer: a constant, implicitly made from a number so
// that `ctnn::adam<>{.learning_rate = 1e-3f}` reads like Keras.
struct constant_rate {
    float value;

    constexpr constant_rate(float rate) noexcept : value(rate) {} // implicit on purpose

    [[nodiscard]] constexpr float operator()(std::size_t /*iterations*/) const noexcept {
        return value;
    }
};

// The learning rate for the update that follows `iterations` completed updates.
template <learning_rate_or_schedule L>
[[nodiscard]] constexpr float learning_rate_at(const L& rate, std::size_t iterations) noexcept {
    if constexpr (std::floating_point<L>)
        return static_cast<float>(rate);
    else
        return static_cast<float>(rate(iterations));
}

} // namespace ctnn
