// ctnn/metrics/roc_auc.hpp - the exact area under the ROC curve of scores against 0/1 labels.
//
//   double auc = ctnn::metrics::roc_auc(trainer->predict(test), test.targets());
//
// AUROC is the probability that a random positive scores above a random negative, ties counting
// one half: the Mann-Whitney U statistic over n_pos · n_neg. Computed exactly from a sort,
// O(n log n), with tied scores sharing their average rank (so all-equal scores give 0.5, like
// sklearn's roc_auc_score; Keras's AUC metric instead interpolates over 200 thresholds).
// Any monotone transform of the scores (probabilities, logits) gives the same value.
// With n × k outputs every value is one (score, label) pair: a micro-average over the k labels.
//
// Errors (std::invalid_argument): sizes that differ, no samples, a NaN score (it cannot be
// ranked), a label other than 0 or 1, and labels of a single class (AUROC is undefined: there
// is no positive-negative pair to rank). Infinite scores rank normally.
#pragma once

#include "ctnn/metrics/metric_inputs.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn::metrics {

inline double roc_auc(std::span<const float> scores, std::span<const float> labels) {
    constexpr const char* who = "roc_auc";
    detail::require_same_size(scores.size(), "scores", labels.size(), "labels", who);
    detail::require_samples(scores.size(), who);

    // Sorting (score, label) pairs rather than indices keeps the sort in one array.
    struct scored {
        float score;
        bool positive;
    };
    std::vector<scored> sorted(scores.size());
    std::size_t positives = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        detail::require_score(scores[i], i, who);
        sorted[i] = {scores[i], detail::binary_label(labels[i], i, who)};
        positives += sorted[i].positive;
    }
    const std::size_t negatives = scores.size() - positives;
    if (positives == 0 || negatives == 0)
        throw std::invalid_argument(std::string(who) + ": AUROC is undefined when all " +
                                    std::to_string(scores.size()) + " labels are " +
                                    (positives == 0 ? "0 (no positives)" : "1 (no negatives)"));
    std::sort(sorted.begin(), sorted.end(),
              [](const scored& a, const scored& b) { return a.score < b.score; });

    // Walk the groups of equal scores upwards. Each positive beats every negative below its
    // group and ties with each negative in it (half a win), so in half-wins
    // 2U = sum over groups of (2 · negatives below + negatives in group) · positives in group;
    // the same as the average-rank formula, in integers (no rounding until the final division).
    std::size_t negatives_below = 0, twice_u = 0;
    for (std::size_t start = 0; start < sorted.size();) {
        std::size_t end = start, group_positives = 0;
        while (end < sorted.size() && sorted[end].score == sorted[start].score)
            group_positives += sorted[end++].positive;
        const std::size_t group_negatives = (end - start) - group_positives;
        twice_u += (2 * negatives_below + group_negatives) * group_positives;
        negatives_below += group_negatives;
        start = end;
    }
    return static_cast<double>(twice_u) /
           (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

} // namespace ctnn::metrics
