// ctnn/policies/loss/sparse_categorical_crossentropy.hpp - `sparse_categorical_crossentropy`,
// Keras' SparseCategoricalCrossentropy on probabilities (from_logits=False).
//
// The target is ONE value: the class index l stored as a float (target_size is 1). Keras clips
// the probabilities to [eps, 1 - eps] (eps = 1e-7) and feeds their logs to the softmax
// cross-entropy, so per sample the loss is log(sum_i c_i) - log(c_l) with c = clip(y_pred): the
// familiar -log(y_pred[l]) when the row sums to 1, and the gradient [c_j unclipped] / sum(c)
// - [j = l and c_l unclipped] / c_l (it includes the renormalisation, as Keras' does).
// Labels outside [0, N) break the precondition; they are clamped into range so that no memory
// outside the row is touched.
//
// Fused with a `softmax` output layer (`fuses_with<softmax>`): gradient_wrt_logits gives
// d value / d z = p - onehot(l). For raw logits use sparse_categorical_crossentropy_from_logits.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace ctnn {

struct softmax; // ctnn/policies/activation/softmax.hpp; only its name is needed here

namespace detail {
// The class index stored in a sparse target, clamped into [0, N).
template <std::size_t N, std::floating_point T>
[[nodiscard]] inline std::size_t class_index(const T* y_true) noexcept {
    const T label = y_true[0];
    if (!(label >= T(0))) // also catches NaN
        return 0;
    if (label >= T(N - 1))
        return N - 1;
    return static_cast<std::size_t>(label);
}
} // namespace detail

struct sparse_categorical_crossentropy {
    static constexpr std::string_view name = "sparse_categorical_crossentropy";
    static constexpr std::size_t target_size(std::size_t) noexcept { return 1; }
    static constexpr target_kind targets = target_kind::class_index;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        return class_index_accuracy<N>(y_pred, y_true);
    }

    template <class Activation>
    static constexpr bool fuses_with = std::is_same_v<Activation, softmax>;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        constexpr T hi = T(1) - detail::keras_epsilon<T>;
        const std::size_t label = detail::class_index<N>(y_true);
        const T total =
            detail::sum_elements<N>([=](auto p) { return detail::clip(p, lo, hi); }, y_pred);
        return simd::log(total) - simd::log(detail::clip(y_pred[label], lo, hi));
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        constexpr T hi = T(1) - detail::keras_epsilon<T>;
        const std::size_t label = detail::class_index<N>(y_true);
        const T total =
            detail::sum_elements<N>([=](auto p) { return detail::clip(p, lo, hi); }, y_pred);
        const T inv_total = T(1) / total;
        detail::map_elements<N>(
            grad,
            [=](auto p) {
                using V = decltype(p);
                return detail::clip_passes(p, lo, hi, V(inv_total));
            },
            y_pred);
        const T p = y_pred[label];
        if (p >= lo && p <= hi)
            grad[label] -= T(1) / p;
    }

    // y_pred = softmax(z): d value / d z = p - onehot(label).
    template <std::size_t N, std::floating_point T>
    static void gradient_wrt_logits(const T* y_pred, const T* y_true, T* grad) noexcept {
        const std::size_t label = detail::class_index<N>(y_true);
        for (std::size_t i = 0; i < N; ++i)
            grad[i] = y_pred[i];
        grad[label] -= T(1);
    }
};

} // namespace ctnn
