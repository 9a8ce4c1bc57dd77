// ctnn/policies/regularizer/regularizer.hpp - penalties added to the loss (Keras's
// kernel_regularizer, bias_regularizer and activity_regularizer).
//
//   dense<64, relu, kernel_regularizer<l2<std::ratio<1, 1000>>>>           // + 0.001 · Σ w²
//   dense<64, relu, activity_regularizer<l1<std::ratio<1, 10000>>>>
//                                                  // + 0.0001 · mean over the batch of Σ |y|
//
// A regularizer is a policy type with
//   static constexpr bool active;                      // false only for no_regularizer
//   static float penalty(const float* w, std::size_t n) noexcept;         // added to the loss
//   static void add_gradient(const float* w, float* g, std::size_t n,
//                            float scale = 1) noexcept;           // g += scale · d/dw
// l1_l2<L1, L2> is λ1 Σ|w| + λ2 Σ w² with λ as std::ratio (clang 14 has no float template
// parameters); l1<λ> and l2<λ> are its halves. The subgradient of |w| at 0 is taken as 0, as
// TensorFlow's sign(0) = 0. The penalty is added once per update, not per sample: it is part of
// the loss the trainer reports, as in Keras. An activity regularizer penalises the layer's
// outputs (after its activation) and is averaged over the batch, as tf.keras does, so that its
// strength does not depend on the batch size.
#pragma once

#include <cmath>
#include <cstddef>
#include <ratio>
#include <string>

namespace ctnn {

struct no_regularizer {
    static constexpr bool active = false;
    static float penalty(const float*, std::size_t) noexcept { return 0.0f; }
    static void add_gradient(const float*, float*, std::size_t, float = 1.0f) noexcept {}
};

template <class L1, class L2>
struct l1_l2 {
    static_assert(
        requires {
            L1::num;
            L1::den;
            L2::num;
            L2::den;
        },
        "l1_l2<L1, L2>: the factors are std::ratio, e.g. l2<std::ratio<1, 1000>>");
    static_assert(L1::num >= 0 && L2::num >= 0, "l1_l2<L1, L2>: the factors must not be negative");
    static constexpr bool active = true;
    static constexpr float l1 = static_cast<float>(static_cast<double>(L1::num) / L1::den);
    static constexpr float l2 = static_cast<float>(static_cast<double>(L2::num) / L2::den);

    static float penalty(const float* w, std::size_t n) noexcept {
        double sum_abs = 0, sum_sq = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sum_abs += std::abs(w[i]);
            sum_sq += static_cast<double>(w[i]) * w[i];
        }
        return static_cast<float>(l1 * sum_abs + l2 * sum_sq);
    }

    static void add_gradient(const float* w, float* g, std::size_t n, float scale = 1.0f) noexcept {
        for (std::size_t i = 0; i < n; ++i) {
            const float sign = w[i] > 0.0f ? 1.0f : (w[i] < 0.0f ? -1.0f : 0.0f);
            g[i] += scale * (l1 * sign + 2.0f * l2 * w[i]);
        }
    }
};

template <class Lambda = std::ratio<1, 100>> // Keras's default factor 0.01
using l1 = l1_l2<Lambda, std::ratio<0>>;
template <class Lambda = std::ratio<1, 100>>
using l2 = l1_l2<std::ratio<0>, Lambda>;

template <class R>
concept regularizer = requires(const float* w, float* g, std::size_t n) {
    { R::active } -> std::convertible_to<bool>;
    { R::penalty(w, n) } -> std::convertible_to<float>;
    R::add_gradient(w, g, n);
    R::add_gradient(w, g, n, 0.5f);
};

} // namespace ctnn
