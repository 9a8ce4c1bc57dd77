// ctnn/training/accuracy.hpp - the accuracy that goes with a loss, as Keras's
// metrics=["accuracy"] picks it: sparse categorical (argmax vs. class index), categorical
// (argmax vs. argmax of the one-hot target), binary (threshold 0.5 on probabilities, 0 on logits),
// hinge (sign). Regression losses have none.
#pragma once

#include "ctnn/policies/loss/losses.hpp"

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace ctnn {

template <class Loss>
inline constexpr bool has_accuracy_v =
    std::is_same_v<Loss, sparse_categorical_crossentropy> ||
    std::is_same_v<Loss, sparse_categorical_crossentropy_from_logits> ||
    std::is_same_v<Loss, categorical_crossentropy> ||
    std::is_same_v<Loss, categorical_crossentropy_from_logits> ||
    std::is_same_v<Loss, binary_crossentropy> ||
    std::is_same_v<Loss, binary_crossentropy_from_logits> || std::is_same_v<Loss, hinge> ||
    std::is_same_v<Loss, squared_hinge>;

// The fraction (0..1) of the N outputs of one sample predicted right.
template <class Loss, std::size_t N>
requires has_accuracy_v<Loss>
float sample_accuracy(const float* y_pred, const float* y_true) noexcept {
    const auto argmax = [](const float* v) {
        return static_cast<std::size_t>(std::max_element(v, v + N) - v);
    };
    if constexpr (std::is_same_v<Loss, sparse_categorical_crossentropy> ||
                  std::is_same_v<Loss, sparse_categorical_crossentropy_from_logits>) {
        return argmax(y_pred) == static_cast<std::size_t>(y_true[0]) ? 1.0f : 0.0f;
    } else if constexpr (std::is_same_v<Loss, categorical_crossentropy> ||
                         std::is_same_v<Loss, categorical_crossentropy_from_logits>) {
        return argmax(y_pred) == argmax(y_true) ? 1.0f : 0.0f;
    } else {
        // Binary: probabilities split at 0.5, logits and hinge scores at 0; targets in {0, 1}
        // (or {-1, 1} for hinge) split at 0.5 / 0.
        const float pred_split = std::is_same_v<Loss, binary_crossentropy> ? 0.5f : 0.0f;
        const float true_split =
            std::is_same_v<Loss, hinge> || std::is_same_v<Loss, squared_hinge> ? 0.0f : 0.5f;
        std::size_t right = 0;
        for (std::size_t j = 0; j < N; ++j)
            right += (y_pred[j] > pred_split) == (y_true[j] > true_split);
        return static_cast<float>(right) / static_cast<float>(N);
    }
}

} // namespace ctnn
