// ctnn/policies/loss/squared_hinge.hpp - `squared_hinge`, Keras' squared hinge loss.
//
// Per sample: the mean over the N outputs of max(1 - t y_pred, 0)^2, with labels t in {-1, 1};
// {0, 1} labels are converted with t = 2 y - 1 when every label of the sample is 0 or 1 (Keras
// decides per batch; see hinge.hpp). Gradient -2 t max(1 - t y_pred, 0) / N.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/hinge.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct squared_hinge {
    static constexpr std::string_view name = "squared_hinge";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::signed_binary;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        // The sign of the score against the label's, as hinge.
        return threshold_accuracy<N>(y_pred, y_true, 0.0f, 0.0f);
    }

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        const auto labels = detail::hinge_label_conversion<N>(y_true);
        const T sum = detail::sum_elements<N>(
            [=](auto p, auto y) {
                using V = decltype(p);
                const V t = simd::fma(y, V(labels.scale), V(labels.offset));
                const V m = simd::max(V(T(1)) - t * p, V(T(0)));
                return m * m;
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        const auto labels = detail::hinge_label_conversion<N>(y_true);
        constexpr T scale = T(-2) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto p, auto y) {
                using V = decltype(p);
                const V t = simd::fma(y, V(labels.scale), V(labels.offset));
                const V m = simd::max(V(T(1)) - t * p, V(T(0)));
                return V(scale) * t * m;
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
