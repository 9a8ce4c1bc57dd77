// ctnn/metrics/regression.hpp - regression metrics over whole prediction arrays.
//
//   double e = ctnn::metrics::mean_absolute_error(trainer->predict(test), test.targets());
//   double s = ctnn::metrics::mse(predictions, targets); // short names as in Keras: mae, mse
//
// The mean over every value (n × k outputs: the mean over all n·k values, which equals Keras's
// mean over outputs then over samples). Sums in double so that large sets do not lose the small
// errors. A NaN or infinite prediction makes the result NaN or infinite, visibly (unlike a
// classification metric, where it would be silently counted as a wrong class and is refused).
// Errors (std::invalid_argument): sizes that differ, no values.
// Metrics live in ctnn::metrics because ctnn::mean_squared_error is the loss policy.
#pragma once

#include "ctnn/metrics/metric_inputs.hpp"

#include <cmath>
#include <cstddef>
#include <span>

namespace ctnn::metrics {

namespace detail {
template <class Error>
double mean_error(std::span<const float> predictions, std::span<const float> targets, Error error,
                  const char* who) {
    require_same_size(predictions.size(), "predictions", targets.size(), "targets", who);
    require_samples(predictions.size(), who);
    double sum = 0;
    for (std::size_t i = 0; i < predictions.size(); ++i)
        sum += error(static_cast<double>(predictions[i]) - static_cast<double>(targets[i]));
    return sum / static_cast<double>(predictions.size());
}
} // namespace detail

// mean |prediction - target|
inline double mean_absolute_error(std::span<const float> predictions,
                                  std::span<const float> targets) {
    return detail::mean_error(
        predictions, targets, [](double d) { return std::abs(d); }, "mean_absolute_error");
}
// mean (prediction - target)²
inline double mean_squared_error(std::span<const float> predictions,
                                 std::span<const float> targets) {
    return detail::mean_error(
        predictions, targets, [](double d) { return d * d; }, "mean_squared_error");
}
// sqrt(mean (prediction - target)²), in the targets' unit
inline double root_mean_squared_error(std::span<const float> predictions,
                                      std::span<const float> targets) {
    return std::sqrt(detail::mean_error(
        predictions, targets, [](double d) { return d * d; }, "root_mean_squared_error"));
}

inline double mae(std::span<const float> predictions, std::span<const float> targets) {
    return mean_absolute_error(predictions, targets);
}
inline double mse(std::span<const float> predictions, std::span<const float> targets) {
    return mean_squared_error(predictions, targets);
}

} // namespace ctnn::metrics
