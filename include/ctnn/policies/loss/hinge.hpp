// ctnn/policies/loss/hinge.hpp - `hinge`, Keras' hinge loss for labels in {-1, 1}.
//
// Per sample: the mean over the N outputs of max(1 - t y_pred, 0) where t is the label. Keras
// accepts {0, 1} labels too and converts them with t = 2 y - 1 when EVERY label of the batch is
// exactly 0 or 1; a per-sample loss sees one sample, so ctnn converts when every label of the
// sample is 0 or 1 (the same unless a batch mixes {0, 1} samples with {-1, 1} samples, where
// Keras would read 0 as a label of 0). Gradient -t / N where the margin 1 - t y_pred >= 0 (as
// TensorFlow's gradient of max), 0 elsewhere.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {
namespace detail {

// Keras' convert_binary_labels_to_hinge on one sample: labels t = scale * y + offset.
template <std::floating_point T>
struct hinge_labels {
    T scale = T(1);
    T offset = T(0);
};

template <std::size_t N, std::floating_point T>
[[nodiscard]] inline hinge_labels<T> hinge_label_conversion(const T* y_true) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (y_true[i] != T(0) && y_true[i] != T(1))
            return {};
    return {T(2), T(-1)};
}

} // namespace detail

struct hinge {
    static constexpr std::string_view name = "hinge";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::signed_binary;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        // The sign of the score against the label's ({-1, 1} and {0, 1} labels both split at 0).
        return threshold_accuracy<N>(y_pred, y_true, 0.0f, 0.0f);
    }

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        const auto labels = detail::hinge_label_conversion<N>(y_true);
        const T sum = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                const V t = simd::fma(y, V(labels.scale), V(labels.offset));
                return simd::max(V(T(1)) - t * p, V(T(0)));
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        const auto labels = detail::hinge_label_conversion<N>(y_true);
        constexpr T inv_n = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                const V t = simd::fma(y, V(labels.scale), V(labels.offset));
                const V margin = V(T(1)) - t * p;
                return simd::select(margin >= V(T(0)), -t * V(inv_n), V(T(0)));
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
