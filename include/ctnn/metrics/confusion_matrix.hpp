// ctnn/metrics/confusion_matrix.hpp - how often each true class was predicted as each class.
//
//   auto cm = ctnn::metrics::sparse_categorical_confusion(trainer->predict(test),
//                                                         test.targets(), 10);
//   std::cout << cm.to_string();       // rows = true class, columns = predicted (as sklearn)
//   cm(3, 5);                          // samples of class 3 predicted as 5
//   auto c = ctnn::metrics::count_binary(scores, labels, 0.5f); // TP, FP, FN, TN, no allocation
//
// Builders take predictions first and targets second, as the accuracies do:
//   binary_confusion(scores, labels, threshold)          2 × 2, class 1 = positive
//   categorical_confusion(predictions, one_hot, classes) argmax of both rows
//   sparse_categorical_confusion(predictions, class_indices, classes)
//   confusion(predicted_classes, true_classes, classes)  class indices on both sides
// Precision, recall and F1 per class and macro-averaged are in precision_recall.hpp.
#pragma once

#include "ctnn/metrics/metric_inputs.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn::metrics {

// The four outcomes of binary decisions (class 1 = positive).
struct binary_counts {
    std::size_t true_positives = 0;
    std::size_t false_positives = 0;
    std::size_t false_negatives = 0;
    std::size_t true_negatives = 0;

    [[nodiscard]] constexpr std::size_t total() const noexcept {
        return true_positives + false_positives + false_negatives + true_negatives;
    }
    constexpr bool operator==(const binary_counts&) const = default;
};

// Counts of (true class, predicted class) pairs over `classes` classes.
class confusion_matrix {
public:
    explicit confusion_matrix(std::size_t classes) : classes_(classes), counts_(classes * classes) {
        if (classes == 0)
            throw std::invalid_argument("confusion_matrix: the number of classes must be positive");
    }

    [[nodiscard]] std::size_t classes() const noexcept { return classes_; }

    // Samples of class true_class predicted as predicted_class.
    [[nodiscard]] std::size_t operator()(std::size_t true_class,
                                         std::size_t predicted_class) const {
        check(true_class, predicted_class);
        return counts_[true_class * classes_ + predicted_class];
    }

    void add(std::size_t true_class, std::size_t predicted_class, std::size_t count = 1) {
        check(true_class, predicted_class);
        counts_[true_class * classes_ + predicted_class] += count;
    }

    [[nodiscard]] std::size_t total() const noexcept {
        std::size_t sum = 0;
        for (std::size_t c : counts_)
            sum += c;
        return sum;
    }
    // The diagonal: samples predicted as their own class.
    [[nodiscard]] std::size_t correct() const noexcept {
        std::size_t sum = 0;
        for (std::size_t c = 0; c < classes_; ++c)
            sum += counts_[c * classes_ + c];
        return sum;
    }
    // Samples whose true class is c (row sum; sklearn's "support").
    [[nodiscard]] std::size_t support(std::size_t c) const {
        check(c, 0);
        std::size_t sum = 0;
        for (std::size_t p = 0; p < classes_; ++p)
            sum += counts_[c * classes_ + p];
        return sum;
    }
    // Samples predicted as class c (column sum).
    [[nodiscard]] std::size_t predicted(std::size_t c) const {
        check(0, c);
        std::size_t sum = 0;
        for (std::size_t t = 0; t < classes_; ++t)
            sum += counts_[t * classes_ + c];
        return sum;
    }
    // Class c against all others: TP = (c, c), FP = column c without it, FN = row c without it.
    [[nodiscard]] binary_counts one_vs_rest(std::size_t c) const {
        const std::size_t tp = (*this)(c, c);
        const std::size_t fp = predicted(c) - tp, fn = support(c) - tp;
        return {tp, fp, fn, total() - tp - fp - fn};
    }
    // correct() / total(); an empty matrix has no accuracy (std::invalid_argument).
    [[nodiscard]] double accuracy() const {
        detail::require_samples(total(), "confusion_matrix::accuracy");
        return static_cast<double>(correct()) / static_cast<double>(total());
    }

    // The table with the class indices as headers, every column right-aligned:
    //   true\pred  0  1  2
    //           0  3  1  0
    //           1  0  2  1
    //           2  1  0  4
    [[nodiscard]] std::string to_string() const {
        std::vector<std::string> names(classes_);
        for (std::size_t c = 0; c < classes_; ++c)
            names[c] = std::to_string(c);
        return to_string(names);
    }
    // The same with one name per class ("T-shirt", "Trouser", ...) as headers.
    [[nodiscard]] std::string to_string(std::span<const std::string> class_names) const {
        if (class_names.size() != classes_)
            throw std::invalid_argument(
                "confusion_matrix::to_string: " + std::to_string(class_names.size()) +
                " names for " + std::to_string(classes_) + " classes");
        const std::string corner = "true\\pred";
        std::size_t label_width = corner.size(), cell_width = 1;
        for (const std::string& name : class_names) {
            label_width = std::max(label_width, name.size());
            cell_width = std::max(cell_width, name.size());
        }
        for (std::size_t c : counts_)
            cell_width = std::max(cell_width, std::to_string(c).size());
        const auto pad = [](std::string& out, const std::string& s, std::size_t width) {
            out.append(width - s.size(), ' ');
            out += s;
        };
        std::string out;
        pad(out, corner, label_width);
        for (const std::string& name : class_names) {
            out += "  ";
            pad(out, name, cell_width);
        }
        out += '\n';
        for (std::size_t t = 0; t < classes_; ++t) {
            pad(out, class_names[t], label_width);
            for (std::size_t p = 0; p < classes_; ++p) {
                out += "  ";
                pad(out, std::to_string(counts_[t * classes_ + p]), cell_width);
            }
            out += '\n';
        }
        return out;
    }

    bool operator==(const confusion_matrix&) const = default;

private:
    void check(std::size_t true_class, std::size_t predicted_class) const {
        if (true_class >= classes_ || predicted_class >= classes_)
            outside(true_class, predicted_class);
    }
    // A separate [[noreturn]] function, so that the compiler sees no path from a failed check to
    // the access (g++ 12 otherwise warns of an out-of-bounds subscript for constant classes).
    [[noreturn]] void outside(std::size_t true_class, std::size_t predicted_class) const {
        throw std::out_of_range("confusion_matrix: class (" + std::to_string(true_class) + ", " +
                                std::to_string(predicted_class) + ") outside the " +
                                std::to_string(classes_) + " classes");
    }

    std::size_t classes_;
    std::vector<std::size_t> counts_; // row-major: [true class][predicted class]
};

namespace detail {
inline binary_counts count_binary(std::span<const float> scores, std::span<const float> labels,
                                  float threshold, const char* who) {
    require_same_size(scores.size(), "scores", labels.size(), "labels", who);
    require_samples(scores.size(), who);
    binary_counts c;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        require_score(scores[i], i, who);
        const bool predicted = scores[i] > threshold;
        const bool actual = binary_label(labels[i], i, who);
        if (predicted)
            ++(actual ? c.true_positives : c.false_positives);
        else
            ++(actual ? c.false_negatives : c.true_negatives);
    }
    return c;
}
} // namespace detail

// TP/FP/FN/TN of scores split at `threshold` (positive when score > threshold) against 0/1
// labels; every value counts once (n × k multi-label outputs are n·k decisions).
inline binary_counts count_binary(std::span<const float> scores, std::span<const float> labels,
                                  float threshold = 0.5f) {
    return detail::count_binary(scores, labels, threshold, "count_binary");
}

// 2 × 2, sklearn's layout: [[TN, FP], [FN, TP]] (row/column 1 = positive).
inline confusion_matrix binary_confusion(std::span<const float> scores,
                                         std::span<const float> labels, float threshold = 0.5f) {
    const binary_counts c = detail::count_binary(scores, labels, threshold, "binary_confusion");
    confusion_matrix m(2);
    m.add(0, 0, c.true_negatives);
    m.add(0, 1, c.false_positives);
    m.add(1, 0, c.false_negatives);
    m.add(1, 1, c.true_positives);
    return m;
}

// predictions and one_hot_targets n × classes; true class = argmax of the target row,
// predicted class = argmax of the prediction row.
inline confusion_matrix categorical_confusion(std::span<const float> predictions,
                                              std::span<const float> one_hot_targets,
                                              std::size_t classes) {
    constexpr const char* who = "categorical_confusion";
    const std::size_t n = detail::row_count(predictions.size(), classes, who);
    detail::require_same_size(predictions.size(), "prediction values", one_hot_targets.size(),
                              "target values", who);
    detail::require_samples(n, who);
    confusion_matrix m(classes);
    for (std::size_t i = 0; i < n; ++i)
        m.add(detail::argmax_row(one_hot_targets, i, classes, "target", who),
              detail::argmax_row(predictions, i, classes, "prediction", who));
    return m;
}

// predictions n × classes, class_indices n class indices.
inline confusion_matrix sparse_categorical_confusion(std::span<const float> predictions,
                                                     std::span<const float> class_indices,
                                                     std::size_t classes) {
    constexpr const char* who = "sparse_categorical_confusion";
    const std::size_t n = detail::row_count(predictions.size(), classes, who);
    detail::require_same_size(n, "prediction rows", class_indices.size(), "class indices", who);
    detail::require_samples(n, who);
    confusion_matrix m(classes);
    for (std::size_t i = 0; i < n; ++i)
        m.add(detail::class_index(class_indices[i], i, classes, "target", who),
              detail::argmax_row(predictions, i, classes, "prediction", who));
    return m;
}

// Class indices on both sides (predicted first, true second, as everywhere in ctnn::metrics).
inline confusion_matrix confusion(std::span<const float> predicted_classes,
                                  std::span<const float> true_classes, std::size_t classes) {
    constexpr const char* who = "confusion";
    detail::require_same_size(predicted_classes.size(), "predicted classes", true_classes.size(),
                              "true classes", who);
    detail::require_samples(predicted_classes.size(), who);
    if (classes == 0)
        throw std::invalid_argument("confusion: the number of classes must be positive");
    confusion_matrix m(classes);
    for (std::size_t i = 0; i < predicted_classes.size(); ++i)
        m.add(detail::class_index(true_classes[i], i, classes, "true class", who),
              detail::class_index(predicted_classes[i], i, classes, "predicted class", who));
    return m;
}

} // namespace ctnn::metrics
