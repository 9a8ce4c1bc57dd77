// ctnn/policies/loss/mean_absolute_error.hpp - `mean_absolute_error`, Keras' MAE loss.
//
// Per sample: mean over the N outputs of |y_pred - y_true|; gradient sign(y_pred - y_true) / N,
// with 0 where the two are equal (TensorFlow's gradient of |x| at 0).
#pragma once

#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct mean_absolute_error {
    static constexpr std::string_view name = "mean_absolute_error";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::real;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        const T sum = detail::sum_elements<N>([](auto p, auto y) { return simd::abs(p - y); },
                                              y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T step = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                return simd::select(p > y, V(step), simd::select(p < y, V(-step), V(T(0))));
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
