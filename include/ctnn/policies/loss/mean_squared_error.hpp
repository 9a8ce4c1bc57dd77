// ctnn/policies/loss/mean_squared_error.hpp - `mean_squared_error`, Keras' MSE loss.
//
// Per sample: mean over the N outputs of (y_pred - y_true)^2 (Keras reduces the last axis with
// a mean); gradient 2 (y_pred - y_true) / N. Use as the loss policy of a trainer.
#pragma once

#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct mean_squared_error {
    static constexpr std::string_view name = "mean_squared_error";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::real;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        const T sum = detail::sum_elements<N>(
            [](auto p, auto y) {
                const auto e = p - y;
                return e * e;
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T scale = T(2) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                return (p - y) * V(scale);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
