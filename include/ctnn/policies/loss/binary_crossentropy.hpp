// ctnn/policies/loss/binary_crossentropy.hpp - `binary_crossentropy`, Keras' BCE loss on
// probabilities (from_logits=False).
//
// Per sample: p = clip(y_pred, eps, 1 - eps) with eps = 1e-7, then the mean over the N outputs of
// -(y log p + (1 - y) log(1 - p)); the clip keeps the logs finite at p = 0 or 1 and its gradient
// is zero outside [eps, 1 - eps], as in Keras.
//
// Fused with a `sigmoid` output layer (`fuses_with<sigmoid>`): gradient_wrt_logits gives
// d value / d z = (p - y) / N, the stable form that never divides by p (1 - p). For raw logits
// without an activation use binary_crossentropy_from_logits.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace ctnn {

struct sigmoid; // ctnn/policies/activation/sigmoid.hpp; only its name is needed here

struct binary_crossentropy {
    static constexpr std::string_view name = "binary_crossentropy";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::binary;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        // Keras's binary_accuracy: probabilities and labels split at 0.5.
        return threshold_accuracy<N>(y_pred, y_true, 0.5f, 0.5f);
    }

    template <class Activation>
    static constexpr bool fuses_with = std::is_same_v<Activation, sigmoid>;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        constexpr T hi = T(1) - detail::keras_epsilon<T>;
        const T sum = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                const V c = detail::clip(p, lo, hi);
                return -(y * simd::log(c) + (V(T(1)) - y) * simd::log(V(T(1)) - c));
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T lo = detail::keras_epsilon<T>;
        constexpr T hi = T(1) - detail::keras_epsilon<T>;
        constexpr T inv_n = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                const V c = detail::clip(p, lo, hi);
                // d/dp -(y log p + (1-y) log(1-p)) = (p - y) / (p (1 - p))
                const V g = (c - y) / (c * (V(T(1)) - c)) * V(inv_n);
                return detail::clip_passes(p, lo, hi, g);
            },
            y_pred, y_true);
    }

    // y_pred = sigmoid(z): d value / d z = (p - y) / N.
    template <std::size_t N, std::floating_point T>
    static void gradient_wrt_logits(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T inv_n = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                return (p - y) * V(inv_n);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
