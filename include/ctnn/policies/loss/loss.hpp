// ctnn/policies/loss/loss.hpp - what a loss policy is: the concepts `loss_function` and
// `fuses_with_activation`.
//
// A loss is a small struct of static functions over ONE sample with N outputs (N a template
// parameter, pointers unaligned):
//
//   struct my_loss {
//       static constexpr std::string_view name = "my_loss";   // Keras' name
//       static constexpr std::size_t target_size(std::size_t outputs) { return outputs; }
//       template <std::size_t N, std::floating_point T>
//       static T value(const T* y_pred, const T* y_true) noexcept;               // per-sample loss
//       template <std::size_t N, std::floating_point T>
//       static void gradient(const T* y_pred, const T* y_true, T* grad) noexcept; // d value/d
//       y_pred
//   };
//
// `value` reduces over the outputs as Keras does (mean for most losses, sum for the
// cross-entropies over classes and KL divergence); a trainer averages it over the batch (Keras'
// "sum_over_batch_size") and divides `gradient` by the batch size. y_true holds
// `target_size(N)` values (1 for sparse categorical losses: the class index as a float).
// ctnn's losses accept float and double (double is what the tests check derivatives in).
//
// A loss also says what its targets are and, if it has one, the accuracy that goes with it
// (optional members: a loss without them has real targets and no accuracy):
//
//   static constexpr ctnn::target_kind targets = ctnn::target_kind::binary;  // targets.hpp
//   template <std::size_t N>
//   static float accuracy(const float* y_pred, const float* y_true) noexcept; // accuracy.hpp
//
// A trainer checks every target with target_problem<Loss, N> and, when has_accuracy_v<Loss>,
// logs "accuracy" and "val_accuracy": a user's own loss gets both by stating them.
//
// A loss may also fuse with the output layer's activation: `fuses_with<Activation>` is true and
// `gradient_wrt_logits<N>(y_pred_after_activation, y_true, grad)` gives d value / d z directly
// (softmax + categorical cross-entropy: p - y; sigmoid + binary cross-entropy: (p - y) / N),
// which is cheaper than the chain rule through the activation and stays finite when p saturates.
#pragma once

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace ctnn {

template <class L>
concept loss_function = requires(const float* y_pred, const float* y_true, float* grad) {
    { L::name } -> std::convertible_to<std::string_view>;
    { L::target_size(std::size_t{1}) } -> std::same_as<std::size_t>;
    // target_size must be usable at compile time: it sizes the trainer's target buffers.
    typename std::integral_constant<std::size_t, L::target_size(1)>;
    { L::template value<1>(y_pred, y_true) }
    noexcept->std::same_as<float>;
    { L::template gradient<1>(y_pred, y_true, grad) }
    noexcept;
};

// True when loss L declares a fused gradient for an output layer with this activation.
template <class L, class Activation>
concept fuses_with_activation = loss_function<L> && requires {
    { L::template fuses_with<Activation> } -> std::convertible_to<bool>;
} && L::template fuses_with<Activation>&& requires(const float* y_pred, const float* y_true,
                                                   float* grad) {
    { L::template gradient_wrt_logits<1>(y_pred, y_true, grad) }
    noexcept;
};

} // namespace ctnn
