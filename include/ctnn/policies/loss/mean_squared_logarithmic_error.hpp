// ctnn/policies/loss/mean_squared_logarithmic_error.hpp - `mean_squared_logarithmic_error`,
// Keras' MSLE loss.
//
// Per sample: mean over the N outputs of (log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2
// with eps = 1e-7 (Keras' epsilon floors both sides so negative values cannot reach the log).
// Gradient 2 (a - b) / (y_pred + 1) / N where y_pred >= eps, 0 below the floor.
#pragma once

#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct mean_squared_logarithmic_error {
    static constexpr std::string_view name = "mean_squared_logarithmic_error";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::real;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T eps = detail::keras_epsilon<T>;
        const T sum = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                const V d = simd::log1p(simd::max(p, V(eps))) - simd::log1p(simd::max(y, V(eps)));
                return d * d;
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T eps = detail::keras_epsilon<T>;
        constexpr T scale = T(2) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                const V floored = simd::max(p, V(eps));
                const V d = simd::log1p(floored) - simd::log1p(simd::max(y, V(eps)));
                const V g = V(scale) * d / (floored + V(T(1)));
                return simd::select(p < V(eps), V(T(0)), g);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
