// ctnn/policies/loss/log_cosh.hpp - `log_cosh`, Keras' log-cosh loss.
//
// With x = y_pred - y_true, per sample the mean over the N outputs of log(cosh(x)), computed as
// |x| + log1p(exp(-2|x|)) - log 2 (Keras' x + softplus(-2x) - log 2) so that cosh never
// overflows: about x^2 / 2 for small x and |x| - log 2 for large. Gradient tanh(x) / N.
#pragma once

#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <numbers>
#include <string_view>

namespace ctnn {

struct log_cosh {
    static constexpr std::string_view name = "log_cosh";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::real;

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        constexpr T ln2 = std::numbers::ln2_v<T>;
        const T sum = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                const V a = simd::abs(p - y);
                return a + simd::log1p(simd::exp(V(T(-2)) * a)) - V(ln2);
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T inv_n = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                return simd::tanh(p - y) * V(inv_n);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
