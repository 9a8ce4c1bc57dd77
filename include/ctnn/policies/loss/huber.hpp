// ctnn/policies/loss/huber.hpp - `huber` and `huber_with<Delta>`, Keras' Huber loss.
//
// With e = y_pred - y_true, per sample the mean over the N outputs of 0.5 e^2 where |e| <= delta
// and delta |e| - 0.5 delta^2 elsewhere: quadratic near the target, linear (robust to outliers)
// far from it. delta is a std::ratio so that it is part of the type: `huber` is Keras' default
// delta 1.0, `huber_with<std::ratio<1, 2>>` uses 0.5. Gradient e / N inside, delta sign(e) / N
// outside.
#pragma once

#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <ratio>
#include <string_view>

namespace ctnn {

template <class Delta = std::ratio<1>>
struct huber_with {
    static_assert(
        requires {
            { Delta::num } -> std::convertible_to<std::intmax_t>;
            { Delta::den } -> std::convertible_to<std::intmax_t>;
        },
        "huber_with<Delta> takes delta as a std::ratio, e.g. huber_with<std::ratio<1, 2>>");
    static_assert(Delta::num > 0, "huber_with<Delta> needs a positive delta");

    static constexpr std::string_view name = "huber";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::real;

    template <std::floating_point T>
    static constexpr T delta = T(Delta::num) / T(Delta::den);

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T d = delta<T>;
        constexpr T half_d2 = T(0.5) * d * d;
        const T sum = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                const V e = p - y;
                const V a = simd::abs(e);
                return simd::select(a <= V(d), V(T(0.5)) * e * e, simd::fma(V(d), a, V(-half_d2)));
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T d = delta<T>;
        constexpr T inv_n = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                const V e = p - y;
                const V g = simd::min(simd::max(e, V(-d)), V(d)); // e inside, +-delta outside
                return g * V(inv_n);
            },
            y_pred, y_true);
    }
};

// Keras' default Huber loss, delta = 1.
using huber = huber_with<>;

} // namespace ctnn
