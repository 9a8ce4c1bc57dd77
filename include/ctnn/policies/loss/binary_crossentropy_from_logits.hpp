// ctnn/policies/loss/binary_crossentropy_from_logits.hpp - `binary_crossentropy_from_logits`,
// Keras' BinaryCrossentropy(from_logits=True).
//
// y_pred holds logits z (the output layer has no activation). Per sample: the mean over the N
// outputs of max(z, 0) - z y + log1p(exp(-|z|)), the form both Keras and PyTorch use because it
// neither overflows nor loses the small terms; gradient (sigmoid(z) - y) / N with respect to z.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct binary_crossentropy_from_logits {
    static constexpr std::string_view name = "binary_crossentropy_from_logits";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::binary;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        // Logits split at 0 (probability 0.5), labels at 0.5.
        return threshold_accuracy<N>(y_pred, y_true, 0.0f, 0.5f);
    }

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        const T sum = detail::sum_elements<N>(
            [](auto z, auto y) {
                using V = decltype(z);
                return simd::max(z, V(T(0))) - z * y + simd::log1p(simd::exp(-simd::abs(z)));
            },
            y_pred, y_true);
        return sum / T(N);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        constexpr T inv_n = T(1) / T(N);
        detail::map_elements<N>(
            grad,
            [=](auto z, auto y) {
                using V = decltype(z);
                // sigmoid(z) from exp(-|z|) <= 1, so neither branch overflows.
                const V e = simd::exp(-simd::abs(z));
                const V r = V(T(1)) / (V(T(1)) + e);
                const V s = simd::select(z >= V(T(0)), r, e * r);
                return (s - y) * V(inv_n);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
