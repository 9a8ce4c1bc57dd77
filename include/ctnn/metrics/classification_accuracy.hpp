// ctnn/metrics/classification_accuracy.hpp - accuracy over whole prediction arrays, as Keras's
// binary_accuracy, categorical_accuracy and sparse_categorical_accuracy compute it:
//
//   auto p = trainer->predict(test);                        // n × 10 probabilities
//   double a = ctnn::metrics::sparse_categorical_accuracy(p, test.targets(), 10);
//   double b = ctnn::metrics::binary_accuracy(scores, labels);       // threshold 0.5
//   double c = ctnn::metrics::binary_accuracy(logits, labels, 0.0f); // on logits
//
// Predictions come first (as in ctnn's losses), targets second, stored as ctnn::dataset stores
// them. Each returns the fraction right, in [0, 1]. Errors (std::invalid_argument, naming the
// metric and the sizes or the offending index): no samples, sizes that do not match, a NaN
// prediction, a label that is not 0/1 or a class index that is not an integer in [0, classes).
#pragma once

#include "ctnn/metrics/metric_inputs.hpp"

#include <cstddef>
#include <span>

namespace ctnn::metrics {

// Each value is one binary decision: predicted positive when score > threshold (strictly, as
// Keras and the trainer's accuracy do), right when that agrees with the 0/1 label. With n × k
// outputs (multi-label) every one of the n·k values counts once.
inline double binary_accuracy(std::span<const float> scores, std::span<const float> labels,
                              float threshold = 0.5f) {
    constexpr const char* who = "binary_accuracy";
    detail::require_same_size(scores.size(), "scores", labels.size(), "labels", who);
    detail::require_samples(scores.size(), who);
    std::size_t right = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        detail::require_score(scores[i], i, who);
        right += (scores[i] > threshold) == detail::binary_label(labels[i], i, who);
    }
    return static_cast<double>(right) / static_cast<double>(scores.size());
}

// predictions and one_hot_targets are both n × classes; a row is right when the argmax of the
// prediction equals the argmax of the target (first index on ties, as std::max_element).
inline double categorical_accuracy(std::span<const float> predictions,
                                   std::span<const float> one_hot_targets, std::size_t classes) {
    constexpr const char* who = "categorical_accuracy";
    const std::size_t n = detail::row_count(predictions.size(), classes, who);
    detail::require_same_size(predictions.size(), "prediction values", one_hot_targets.size(),
                              "target values", who);
    detail::require_samples(n, who);
    std::size_t right = 0;
    for (std::size_t i = 0; i < n; ++i)
        right += detail::argmax_row(predictions, i, classes, "prediction", who) ==
                 detail::argmax_row(one_hot_targets, i, classes, "target", who);
    return static_cast<double>(right) / static_cast<double>(n);
}

// predictions is n × classes, class_indices holds n class indices (0.0f, 1.0f, ...); a row is
// right when the argmax of the prediction is its class.
inline double sparse_categorical_accuracy(std::span<const float> predictions,
                                          std::span<const float> class_indices,
                                          std::size_t classes) {
    constexpr const char* who = "sparse_categorical_accuracy";
    const std::size_t n = detail::row_count(predictions.size(), classes, who);
    detail::require_same_size(n, "prediction rows", class_indices.size(), "class indices", who);
    detail::require_samples(n, who);
    std::size_t right = 0;
    for (std::size_t i = 0; i < n; ++i)
        right += detail::argmax_row(predictions, i, classes, "prediction", who) ==
                 detail::class_index(class_indices[i], i, classes, "target", who);
    return static_cast<double>(right) / static_cast<double>(n);
}

} // namespace ctnn::metrics
