// ctnn/policies/loss/categorical_crossentropy.hpp - `categorical_crossentropy`, Keras'
// CategoricalCrossentropy on probabilities (from_logits=False).
//
// Per sample, as Keras does: q = y_pred / sum(y_pred) (each row renormalised to sum 1), then
// q = clip(q, eps, 1 - eps) with eps = 1e-7, and the SUM over the N classes of -y log q. The
// gradient goes through the normalisation too: d/dp_j = -y_j [q_j unclipped] / p_j
// + sum_i(y_i [q_i unclipped]) / sum(p), so it is not simply -y / p (see the reference's
// "grad_without_row_normalisation"). A row of zeros (Keras: NaN) gives a finite value and a zero
// gradient.
//
// Fused with a `softmax` output layer (`fuses_with<softmax>`): gradient_wrt_logits gives
// d value / d z = p sum(y) - y, i.e. p - y for targets that sum to 1 (one-hot or smoothed
// labels). For raw logits use categorical_crossentropy_from_logits.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <limits>
#include <string_view>
#include <type_traits>

namespace ctnn {

struct softmax; // ctnn/policies/activation/softmax.hpp; only its name is needed here

namespace detail {
// sum(y_pred), kept away from 0 so that a row of zeros still yields finite (clipped) q.
template <std::size_t N, std::floating_point T>
[[nodiscard]] inline T prediction_total(const T* y_pred) noexcept {
    const T total = sum_elements<N>([](auto p) { return p; }, y_pred);
    return simd::max(total, std::numeric_limits<T>::min());
}
// sum(y), the mass of a target row.
template <std::size_t N, std::floating_point T>
[[nodiscard]] inline T target_total(const T* y_true) noexcept {
    return sum_elements<N>([](auto y) { return y; }, y_true);
}
} // namespace detail

struct categorical_crossentropy {
    static constexpr std::string_view name = "categorical_crossentropy";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::distribution;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        return argmax_accuracy<N>(y_pred, y_true);
    }

    template <class Activation>
    static constexpr bool fuses_with = std::is_same_v<Activation, softmax>;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        constexpr T hi = T(1) - detail::keras_epsilon<T>;
        const T total = detail::prediction_total<N>(y_pred);
        return detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                return -y * simd::log(detail::clip(p / V(total), lo, hi));
            },
            y_pred, y_true);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        constexpr T hi = T(1) - detail::keras_epsilon<T>;
        const T total = detail::prediction_total<N>(y_pred);
        // sum_i y_i [q_i unclipped]: the normalisation's share of every class's gradient.
        const T passed = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                return detail::clip_passes(p / V(total), lo, hi, y);
            },
            y_pred, y_true);
        const T shared = passed / total;
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                const V own = detail::clip_passes(p / V(total), lo, hi, y / p);
                return V(shared) - own;
            },
            y_pred, y_true);
    }

    // y_pred = softmax(z): d value / d z = p sum(y) - y.
    template <std::size_t N, std::floating_point T>
    static void gradient_wrt_logits(const T* y_pred, const T* y_true, T* grad) noexcept {
        const T mass = detail::target_total<N>(y_true);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                return simd::fma(p, V(mass), -y);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
