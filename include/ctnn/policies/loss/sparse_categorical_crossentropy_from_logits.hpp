// ctnn/policies/loss/sparse_categorical_crossentropy_from_logits.hpp -
// `sparse_categorical_crossentropy_from_logits`, Keras'
// SparseCategoricalCrossentropy(from_logits=True).
//
// y_pred holds logits z; the target is ONE value, the class index l as a float (target_size is
// 1). Per sample: logsumexp(z) - z_l (shifted by max(z), so no exp overflows); gradient
// softmax(z) - onehot(l) with respect to z. Labels outside [0, N) are clamped into range.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/elementwise.hpp"
#include "ctnn/policies/loss/sparse_categorical_crossentropy.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <concepts>
#include <cstddef>
#include <string_view>

namespace ctnn {

struct sparse_categorical_crossentropy_from_logits {
    static constexpr std::string_view name = "sparse_categorical_crossentropy_from_logits";
    static constexpr std::size_t target_size(std::size_t) noexcept { return 1; }
    static constexpr target_kind targets = target_kind::class_index;

    template <std::size_t N>
    [[nodiscard]] static float accuracy(const float* y_pred, const float* y_true) noexcept {
        return class_index_accuracy<N>(y_pred, y_true);
    }

    template <std::size_t N, std::floating_point T>
    [[nodiscard]] static T value(const T* y_pred, const T* y_true) noexcept {
        return detail::log_sum_exp<N>(y_pred) - y_pred[detail::class_index<N>(y_true)];
    }

    template <std::size_t N, std::floating_point T>
    static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept {
        const T lse = detail::log_sum_exp<N>(y_pred);
        detail::map_elements<N>(
            grad,
            [=](auto z) {
                using V = decltype(z);
                return simd::exp(z - V(lse));
            },
            y_pred);
        grad[detail::class_index<N>(y_true)] -= T(1);
    }
};

} // namespace ctnn
