// ctnn/metrics/metric.hpp - a metric as a value: the name it is logged under and a function of
// one pass's predictions (n × outputs, row-major) and targets (as the data set stores them), so
// that a list of them can be logged per epoch, as Keras's compile(metrics=[...]) does:
//
//   std::vector<ctnn::metrics::metric> ms = {ctnn::metrics::precision_metric(),
//                                            ctnn::metrics::auc_metric()};
//   for (const auto& m : ms)
//       h.values[m.name].push_back(m(predictions, data.targets(), outputs));
//
// A metric over a whole pass (AUROC above all) is not a mean of per-batch values, so it takes
// every prediction of the pass at once. Any function of that form makes a metric:
//   ctnn::metrics::metric{"macro_f1", [](auto p, auto t, std::size_t k) {
//       return macro_f1_score(sparse_categorical_confusion(p, t, k)); }};
#pragma once

#include "ctnn/metrics/classification_accuracy.hpp"
#include "ctnn/metrics/precision_recall.hpp"
#include "ctnn/metrics/regression.hpp"
#include "ctnn/metrics/roc_auc.hpp"

#include <cstddef>
#include <functional>
#include <span>
#include <string>

namespace ctnn::metrics {

struct metric {
    using function = std::function<double(std::span<const float> predictions,
                                          std::span<const float> targets, std::size_t outputs)>;
    std::string name; // the history key, e.g. "precision"
    function compute;

    double operator()(std::span<const float> predictions, std::span<const float> targets,
                      std::size_t outputs) const {
        return compute(predictions, targets, outputs);
    }
};

// Keras's names for the history keys.
inline metric binary_accuracy_metric(float threshold = 0.5f) {
    return {"binary_accuracy",
            [threshold](auto p, auto t, std::size_t) { return binary_accuracy(p, t, threshold); }};
}
inline metric categorical_accuracy_metric() {
    return {"categorical_accuracy",
            [](auto p, auto t, std::size_t k) { return categorical_accuracy(p, t, k); }};
}
inline metric sparse_categorical_accuracy_metric() {
    return {"sparse_categorical_accuracy",
            [](auto p, auto t, std::size_t k) { return sparse_categorical_accuracy(p, t, k); }};
}
inline metric precision_metric(float threshold = 0.5f) {
    return {"precision",
            [threshold](auto p, auto t, std::size_t) { return binary_precision(p, t, threshold); }};
}
inline metric recall_metric(float threshold = 0.5f) {
    return {"recall",
            [threshold](auto p, auto t, std::size_t) { return binary_recall(p, t, threshold); }};
}
inline metric f1_score_metric(float threshold = 0.5f) {
    return {"f1_score",
            [threshold](auto p, auto t, std::size_t) { return binary_f1_score(p, t, threshold); }};
}
inline metric auc_metric() {
    return {"auc", [](auto p, auto t, std::size_t) { return roc_auc(p, t); }};
}
inline metric mae_metric() {
    return {"mae", [](auto p, auto t, std::size_t) { return mean_absolute_error(p, t); }};
}
inline metric mse_metric() {
    return {"mse", [](auto p, auto t, std::size_t) { return mean_squared_error(p, t); }};
}

} // namespace ctnn::metrics
