// ctnn/policies/loss/kl_divergence.hpp - `kl_divergence`, Keras' KLDivergence loss.
//
// Per sample: t = clip(y_true, eps, 1), p = clip(y_pred, eps, 1) with eps = 1e-7, and the SUM
// over the N outputs of t log(t / p) (Keras clips both sides, so zeros in either are finite).
// Gradient -t / p where eps <= y_pred <= 1, 0 outside (the clip's gradient).
#pragma once

#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct kl_divergence {
    static constexpr std::string_view name = "kl_divergence";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::distribution;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        return detail::sum_elements<N>(
            [=](auto p, auto y) {
                const auto t = detail::clip(y, lo, T(1));
                return t * (simd::log(t) - simd::log(detail::clip(p, lo, T(1))));
            },
            y_pred, y_true);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                const auto t = detail::clip(y, lo, T(1));
                return detail::clip_passes(p, lo, T(1), -t / detail::clip(p, lo, T(1)));
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
