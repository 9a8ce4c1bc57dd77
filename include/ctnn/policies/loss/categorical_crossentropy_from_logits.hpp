// ctnn/policies/loss/categorical_crossentropy_from_logits.hpp -
// `categorical_crossentropy_from_logits`, Keras' CategoricalCrossentropy(from_logits=True).
//
// y_pred holds logits z (the output layer has no activation). Per sample: the SUM over the N
// classes of -y log_softmax(z) = sum(y) logsumexp(z) - sum(y z), with the log-sum-exp shifted by
// max(z) so that no exp overflows; gradient softmax(z) sum(y) - y with respect to z.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/categorical_crossentropy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct categorical_crossentropy_from_logits {
    static constexpr std::string_view name = "categorical_crossentropy_from_logits";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::distribution;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        return argmax_accuracy<N>(y_pred, y_true);
    }

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        const T lse = detail::log_sum_exp<N>(y_pred);
        return detail::sum_elements<N>(
            [=](auto z, auto y) {
                using V = decltype(z);
                return y * (V(lse) - z);
            },
            y_pred, y_true);
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        const T lse = detail::log_sum_exp<N>(y_pred);
        const T mass = detail::target_total<N>(y_true);
        detail::map_elements<N>(
            grad,
            [=](auto z, auto y) {
                using V = decltype(z);
                return simd::fma(simd::exp(z - V(lse)), V(mass), -y);
            },
            y_pred, y_true);
    }
};

} // namespace ctnn
