// Helpers shared by the metric tests: the message of the exception a call throws, and a
// brute-force AUROC to check the sort-based one against.
#pragma once

#include <cstddef>
#include <exception>
#include <span>
#include <string>

namespace ctnn::test {

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

// AUROC by its definition, O(n²): over every (positive, negative) pair, 1 when the positive
// scores higher, 1/2 on a tie; divided by the number of pairs.
inline double brute_force_auc(std::span<const float> scores, std::span<const float> labels) {
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (labels[i] != 1.0f)
            continue;
        for (std::size_t j = 0; j < scores.size(); ++j) {
            if (labels[j] != 0.0f)
                continue;
            pairs += 1;
            wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
        }
    }
    return wins / pairs;
}

} // namespace ctnn::test
