// ctnn/metrics/precision_recall.hpp - precision, recall and F1: binary (scores split at a
// threshold), per class and macro-averaged (from a confusion matrix).
//
//   double p = ctnn::metrics::binary_precision(scores, labels);        // threshold 0.5
//   double r = ctnn::metrics::binary_recall(logits, labels, 0.0f);
//   auto cm = ctnn::metrics::sparse_categorical_confusion(predictions, classes, 10);
//   double f = ctnn::metrics::f1_score(cm, 3);      // class 3 against the rest
//   double m = ctnn::metrics::macro_f1_score(cm);   // unweighted mean over classes
//
// Undefined ratios are 0, as sklearn's default zero_division=0 (which also warns; we cannot):
// precision with no predicted positives, recall with no actual positives, F1 when both are 0.
// Read a 0 together with the counts (count_binary, confusion_matrix::one_vs_rest) when in doubt.
// Errors: those of count_binary and the confusion builders (std::invalid_argument).
#pragma once

#include "ctnn/metrics/confusion_matrix.hpp"

#include <cstddef>
#include <span>

namespace ctnn::metrics {

namespace detail {
constexpr double ratio_or_zero(std::size_t num, std::size_t den) noexcept {
    return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}
} // namespace detail

// TP / (TP + FP); 0 when nothing was predicted positive.
constexpr double precision(const binary_counts& c) noexcept {
    return detail::ratio_or_zero(c.true_positives, c.true_positives + c.false_positives);
}
// TP / (TP + FN); 0 when there are no actual positives.
constexpr double recall(const binary_counts& c) noexcept {
    return detail::ratio_or_zero(c.true_positives, c.true_positives + c.false_negatives);
}
// The harmonic mean 2PR / (P + R), computed as 2TP / (2TP + FP + FN) (the same value, exact in
// counts); 0 when TP = 0.
constexpr double f1_score(const binary_counts& c) noexcept {
    return detail::ratio_or_zero(2 * c.true_positives,
                                 2 * c.true_positives + c.false_positives + c.false_negatives);
}

// Binary, from scores (positive when score > threshold) and 0/1 labels; every value is one
// decision (n × k multi-label outputs pool their n·k decisions: micro-averaging).
inline double binary_precision(std::span<const float> scores, std::span<const float> labels,
                               float threshold = 0.5f) {
    return precision(detail::count_binary(scores, labels, threshold, "binary_precision"));
}
inline double binary_recall(std::span<const float> scores, std::span<const float> labels,
                            float threshold = 0.5f) {
    return recall(detail::count_binary(scores, labels, threshold, "binary_recall"));
}
inline double binary_f1_score(std::span<const float> scores, std::span<const float> labels,
                              float threshold = 0.5f) {
    return f1_score(detail::count_binary(scores, labels, threshold, "binary_f1_score"));
}

// One class against the rest (std::out_of_range for a class outside the matrix).
inline double precision(const confusion_matrix& m, std::size_t class_index) {
    return precision(m.one_vs_rest(class_index));
}
inline double recall(const confusion_matrix& m, std::size_t class_index) {
    return recall(m.one_vs_rest(class_index));
}
inline double f1_score(const confusion_matrix& m, std::size_t class_index) {
    return f1_score(m.one_vs_rest(class_index));
}

namespace detail {
// The unweighted mean of a per-class score over the classes that occur among the true or the
// predicted classes, as sklearn averages by default: a class never seen and never predicted
// has no precision or recall to speak of and would only pull the mean towards 0.
template <class Score>
double macro_average(const confusion_matrix& m, Score score, const char* who) {
    double sum = 0;
    std::size_t present = 0;
    for (std::size_t c = 0; c < m.classes(); ++c) {
        const binary_counts counts = m.one_vs_rest(c);
        if (counts.true_positives + counts.false_positives + counts.false_negatives == 0)
            continue;
        sum += score(counts);
        ++present;
    }
    require_samples(present, who);
    return sum / static_cast<double>(present);
}
} // namespace detail

// Macro averages: every class present (in truth or prediction) weighs the same, whatever its
// size. macro_f1_score is the mean of per-class F1 (sklearn), not the F1 of the mean P and R.
inline double macro_precision(const confusion_matrix& m) {
    return detail::macro_average(
        m, [](const binary_counts& c) { return precision(c); }, "macro_precision");
}
inline double macro_recall(const confusion_matrix& m) {
    return detail::macro_average(
        m, [](const binary_counts& c) { return recall(c); }, "macro_recall");
}
inline double macro_f1_score(const confusion_matrix& m) {
    return detail::macro_average(
        m, [](const binary_counts& c) { return f1_score(c); }, "macro_f1_score");
}

} // namespace ctnn::metrics
