// ctnn/policies/loss/accuracy.hpp - the accuracy that goes with a loss, as Keras's
// metrics=["accuracy"] picks it, stated by the loss itself.
//
// A loss with an accuracy has the static member
//   template <std::size_t N>
//   static float accuracy(const float* y_pred, const float* y_true) noexcept;
// giving the fraction (0..1) of one sample's N outputs predicted right. It is written with one of
// the rules below, shared by every loss (and by a user's own):
//   class_index_accuracy<N>  argmax of the prediction == the class index (sparse categorical)
//   argmax_accuracy<N>       argmax of the prediction == argmax of the target (categorical)
//   threshold_accuracy<N>    per output: prediction > pred_split agrees with target > true_split
//                            (binary: 0.5 on probabilities, 0 on logits; hinge: 0 and 0, sign)
// Regression losses have none. has_accuracy_v<Loss> says whether a loss has one (the trainer then
// logs "accuracy" and "val_accuracy"); sample_accuracy<Loss, N> calls it.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>

namespace ctnn {

namespace detail {
// The first index of the largest of v[0..N), as std::max_element.
template <std::size_t N>
[[nodiscard]] std::size_t argmax_of(const float* v) noexcept {
    return static_cast<std::size_t>(std::max_element(v, v + N) - v);
}
} // namespace detail

// 1 when the argmax of the N predictions is the class index y_true[0] (a float), else 0. A
// target that is not a class index of [0, N) never matches.
template <std::size_t N>
[[nodiscard]] float class_index_accuracy(const float* y_pred, const float* y_true) noexcept {
    return static_cast<float>(detail::argmax_of<N>(y_pred)) == y_true[0] ? 1.0f : 0.0f;
}

// 1 when the prediction's and the target's argmax agree (first index on ties), else 0.
template <std::size_t N>
[[nodiscard]] float argmax_accuracy(const float* y_pred, const float* y_true) noexcept {
    return detail::argmax_of<N>(y_pred) == detail::argmax_of<N>(y_true) ? 1.0f : 0.0f;
}

// The fraction of the N outputs where (y_pred > pred_split) == (y_true > true_split).
template <std::size_t N>
[[nodiscard]] float threshold_accuracy(const float* y_pred, const float* y_true, float pred_split,
                                       float true_split) noexcept {
    std::size_t right = 0;
    for (std::size_t j = 0; j < N; ++j)
        right += (y_pred[j] > pred_split) == (y_true[j] > true_split);
    return static_cast<float>(right) / static_cast<float>(N);
}

// clang-format off
template <class Loss>
inline constexpr bool has_accuracy_v = requires(const float* y_pred, const float* y_true) {
    { Loss::template accuracy<1>(y_pred, y_true) } noexcept -> std::same_as<float>;
};
// clang-format on

// The fraction (0..1) of the N outputs of one sample predicted right.
template <class Loss, std::size_t N>
requires has_accuracy_v<Loss>
[[nodiscard]] float sample_accuracy(const float* y_pred, const float* y_true) noexcept {
    return Loss::template accuracy<N>(y_pred, y_true);
}

} // namespace ctnn
