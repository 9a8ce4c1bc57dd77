// ctnn/metrics/metric_inputs.hpp - the checks every metric makes on its inputs, in one place so
// that every metric words its errors alike: "<metric>: 10 scores but 9 labels",
// "<metric>: score 3 is NaN", "<metric>: label 4 is 2, not 0 or 1".
//
// Internal (ctnn::metrics::detail); the metric headers include it. Predictions are row-major
// n × classes; targets are stored as ctnn::dataset stores them: one class index (a float) per
// sample for sparse targets, one one-hot row per sample for categorical targets, 0/1 per value
// for binary targets.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>

namespace ctnn::metrics::detail {

// A value as a person writes it: 2, 1.5, -1, 1e-07, nan.
inline std::string number(float v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", static_cast<double>(v));
    return buffer;
}

inline void require_samples(std::size_t n, const char* who) {
    if (n == 0)
        throw std::invalid_argument(std::string(who) + ": no samples (the metric is undefined)");
}

// "who: 10 scores but 9 labels".
inline void require_same_size(std::size_t a, const char* a_name, std::size_t b, const char* b_name,
                              const char* who) {
    if (a != b)
        throw std::invalid_argument(std::string(who) + ": " + std::to_string(a) + " " + a_name +
                                    " but " + std::to_string(b) + " " + b_name);
}

// The number of rows in n × classes predictions.
inline std::size_t row_count(std::size_t values, std::size_t classes, const char* who) {
    if (classes == 0)
        throw std::invalid_argument(std::string(who) + ": the number of classes must be positive");
    if (values % classes != 0)
        throw std::invalid_argument(std::string(who) + ": " + std::to_string(values) +
                                    " prediction values are not a whole number of rows of " +
                                    std::to_string(classes) + " classes");
    return values / classes;
}

// A score must be comparable: a NaN would silently count as "not above the threshold" (or sort
// anywhere), which hides a diverged model behind a plausible number.
inline void require_score(float score, std::size_t i, const char* who) {
    if (std::isnan(score))
        throw std::invalid_argument(std::string(who) + ": score " + std::to_string(i) + " is NaN");
}

// Binary labels are exactly 0 or 1 (a class index such as 2 passed by mistake is refused).
inline bool binary_label(float label, std::size_t i, const char* who) {
    if (label == 1.0f)
        return true;
    if (label == 0.0f)
        return false;
    throw std::invalid_argument(std::string(who) + ": label " + std::to_string(i) + " is " +
                                number(label) + ", not 0 or 1");
}

// A class index: an integer in [0, classes). `what` names it in the error ("target 4 is 10, not
// a class index in [0, 10)", the trainer's wording).
inline std::size_t class_index(float value, std::size_t i, std::size_t classes, const char* what,
                               const char* who) {
    if (!(value >= 0.0f && value < static_cast<float>(classes)) || value != std::floor(value))
        throw std::invalid_argument(std::string(who) + ": " + what + " " + std::to_string(i) +
                                    " is " + number(value) + ", not a class index in [0, " +
                                    std::to_string(classes) + ")");
    return static_cast<std::size_t>(value);
}

// The index of the largest value of row i (the first one on ties, as std::max_element and the
// trainer's accuracy choose); a NaN in the row is refused.
inline std::size_t argmax_row(std::span<const float> values, std::size_t i, std::size_t classes,
                              const char* what, const char* who) {
    const float* row = values.data() + i * classes;
    std::size_t best = 0;
    for (std::size_t j = 0; j < classes; ++j) {
        if (std::isnan(row[j]))
            throw std::invalid_argument(std::string(who) + ": " + what + " row " +
                                        std::to_string(i) + " has a NaN in column " +
                                        std::to_string(j));
        if (row[j] > row[best])
            best = j;
    }
    return best;
}

} // namespace ctnn::metrics::detail
