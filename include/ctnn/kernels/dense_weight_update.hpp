// ctnn/kernels/dense_weight_update.hpp - dW = Xᵀ · dZ fused with the optimizer step on W.
//
//   // instead of: dw.fill(0); dense_weight_gradient<784, 128>(x, 784, dz, dw, rows);
//   //             opt.update(w, dw, slots, kernel_size, step);
//   kernels::dense_weight_update<784, 128>(x, 784, dz, w, slots, rows, opt, step);
//
// A register tile of dW (a few inputs × a few output vectors, the tile of dense_weight_gradient)
// is summed over every sample and, instead of being stored, goes straight into the optimizer's
// per-element rule together with the tile's weights and optimizer state: W and the state are
// read and written once per step, and dW never exists in memory. The sums run in the same order
// as dense_weight_gradient's, so the result is that of the two separate passes.
//
// Limits of the fused step (the caller keeps the two-pass path for these):
// - one step = one batch: dW is not accumulated over several calls (full-batch descent sums the
//   gradients of many batches before one update);
// - clipnorm must be off: clipping by norm needs the norm of the whole block's gradient before
//   the first element is updated; clipvalue (element-wise) and weight decay are applied;
// - W is changed, so dX = dZ · Wᵀ (dense_input_gradient) must be computed BEFORE this call;
// - the bias is not touched: update it from db with the optimizer's own update (it is tiny).
// When it pays (784 -> 128 at 32 and 64 rows, bench/train_bench.cpp): with SGD + momentum, a
// memory-bound rule, the fused step takes 8-17% less time than the two passes; with Adam, bound
// by its square root and division, it is within a few percent either way (AVX-512 slightly
// faster, AVX2 slightly slower).
// The optimizer overload knows adam, adamw and sgd (their formulas, repeated from adam.hpp and
// sgd.hpp); for any other rule pass it yourself to the generic overload.
#pragma once

#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_tile.hpp"
#include "ctnn/util/static_for.hpp"
#include "ctnn/policies/optimizer/adam.hpp"
#include "ctnn/policies/optimizer/adamw.hpp"
#include "ctnn/policies/optimizer/gradient_clipping.hpp"
#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/policies/optimizer/parameter_update.hpp"
#include "ctnn/policies/optimizer/sgd.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <utility>

namespace ctnn::kernels {

// What the fused step applies besides the rule, in the order optimizer.update applies it:
// g = clamp(g, ±clipvalue) (0: off), p -= p * decay (the learning rate × weight_decay), rule.
struct fused_update_settings {
    float clipvalue = 0.0f;
    float decay = 0.0f;
};

namespace detail {

// Updates Inputs × Vectors vectors of W (at w, rows Stride apart) and of every state slot (the
// same offsets from state[s] + offset) from the tile's gradient sums in acc.
template <std::size_t Stride, std::size_t Inputs, std::size_t Vectors, std::size_t Slots,
          class Rule, std::size_t... S>
[[gnu::always_inline]] inline void
update_tile(const simd::batch_t<float>* acc, float* w,
            [[maybe_unused]] const std::array<float*, Slots>& state,
            [[maybe_unused]] std::size_t offset, const ctnn::detail::gradient_clip& clip,
            float decay, const Rule& rule, std::index_sequence<S...>) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t W = simd::width_v<float>;
    const bool clip_on = clip.active();
    static_for<Inputs>([&](auto i) __attribute__((always_inline)) {
        static_for<Vectors>([&](auto v) __attribute__((always_inline)) {
            const std::size_t at = i * Stride + v * W;
            V g = acc[i * Vectors + v];
            if (clip_on) // a run-time branch: a second instantiation per rule cost compile time
                g = clip(g);
            V p = simd::load_aligned(w + at);
            // State arrays need no alignment (optimizer.update's contract).
            std::array<V, Slots> s{simd::load_unaligned(state[S] + offset + at)...};
            p = p - p * V(decay);
            rule(p, g, s);
            simd::store_aligned(w + at, p);
            (simd::store_unaligned(state[S] + offset + at, s[S]), ...);
        });
    });
}

// dW for Inputs inputs × Vectors vectors summed over all rows in registers, then the update.
// x points at the tile's first input of row 0, dz and w at the tile's first column, offset is
// the tile's index in W (where its state lives). acc stays in registers only if every static_for
// body and the rule are inlined; in a large translation unit GCC's inliner can run out of budget
// and leave them as calls that pass acc through memory (measured: the fused step 10-20% slower,
// the forward kernel 4x), hence flatten here and always_inline on the bodies.
template <std::size_t Stride, std::size_t Inputs, std::size_t Vectors, std::size_t Slots,
          class Rule>
[[gnu::flatten]] inline void
weight_update_tile(const float* x, std::size_t x_stride, const float* dz, float* w,
                   const std::array<float*, Slots>& state, std::size_t offset, std::size_t rows,
                   const ctnn::detail::gradient_clip& clip, float decay,
                   const Rule& rule) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t W = simd::width_v<float>;
    V acc[Inputs * Vectors];
    static_for<Inputs * Vectors>([&](auto i) __attribute__((always_inline)) { acc[i] = V(0.0f); });
    // The same loop as weight_gradient_tile: each dz vector serves every input of the tile.
    for (std::size_t r = 0; r < rows; ++r) {
        V d[Vectors];
        static_for<Vectors>([&](auto v) __attribute__((always_inline)) {
            d[v] = simd::load_aligned(dz + r * Stride + v * W);
        });
        static_for<Inputs>([&](auto i) __attribute__((always_inline)) {
            const V xi(x[r * x_stride + i]);
            static_for<Vectors>([&](auto v) __attribute__((always_inline)) {
                acc[i * Vectors + v] = simd::fma(xi, d[v], acc[i * Vectors + v]);
            });
        });
    }
    update_tile<Stride, Inputs, Vectors, Slots>(acc, w, state, offset, clip, decay, rule,
                                                std::make_index_sequence<Slots>{});
}

// Inputs [k, k + Inputs) across every column block: W's and the state's rows k.. are walked
// contiguously (prefetch-friendly), while all of dz (rows × padded(Out) floats) is re-read from
// L1/L2 for every block.
template <std::size_t In, std::size_t Out, std::size_t Inputs, std::size_t Slots, class Rule>
inline void weight_update_inputs(const float* x, std::size_t x_stride, const float* dz, float* w,
                                 const std::array<float*, Slots>& state, std::size_t k,
                                 std::size_t rows, const ctnn::detail::gradient_clip& clip,
                                 float decay, const Rule& rule) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr std::size_t W = simd::width_v<float>;
    constexpr std::size_t stride = layout::padded_outputs;
    constexpr std::size_t block = batch_tile(layout::output_vectors).vectors;
    constexpr std::size_t blocks = layout::output_vectors / block;
    constexpr std::size_t remainder = layout::output_vectors % block;
    for (std::size_t c = 0; c < blocks; ++c) {
        const std::size_t col = c * block * W;
        weight_update_tile<stride, Inputs, block>(x + k, x_stride, dz + col, w + k * stride + col,
                                                  state, k * stride + col, rows, clip, decay, rule);
    }
    if constexpr (remainder != 0) {
        constexpr std::size_t col = blocks * block * W;
        weight_update_tile<stride, Inputs, remainder>(x + k, x_stride, dz + col,
                                                      w + k * stride + col, state, k * stride + col,
                                                      rows, clip, decay, rule);
    }
}

template <std::size_t In, std::size_t Out, std::size_t Slots, class Rule>
void weight_update(const float* x, std::size_t x_stride, const float* dz, float* w,
                   const std::array<float*, Slots>& state, std::size_t rows,
                   const ctnn::detail::gradient_clip& clip, float decay,
                   const Rule& rule) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr std::size_t inputs = batch_tile(batch_tile(layout::output_vectors).vectors).rows;
    constexpr std::size_t tiled = In / inputs * inputs;
    // No chunking over rows (unlike dense_weight_gradient): the update needs the whole sum.
    for (std::size_t k = 0; k < tiled; k += inputs)
        weight_update_inputs<In, Out, inputs>(x, x_stride, dz, w, state, k, rows, clip, decay,
                                              rule);
    if constexpr (tiled != In)
        weight_update_inputs<In, Out, In - tiled>(x, x_stride, dz, w, state, tiled, rows, clip,
                                                  decay, rule);
}

// The per-element rule of the optimizers the fused step knows, handed to `visit` with the
// settings and the state slots it uses: visit(settings, slots, rule). The constants are computed
// exactly as the optimizer's update computes them, so both paths give the same parameters.
template <class O, class Visit>
void visit_adam_rule(const O& opt, std::span<float* const, 2> slots, std::size_t step,
                     const Visit& visit) noexcept {
    const std::size_t t = ctnn::detail::one_based(step);
    const float lr = learning_rate_at(opt.learning_rate, t - 1);
    const double b1 = opt.beta_1;
    const double b2 = opt.beta_2;
    const auto td = static_cast<double>(t);
    const auto alpha =
        static_cast<float>(lr * std::sqrt(1.0 - std::pow(b2, td)) / (1.0 - std::pow(b1, td)));
    const auto one_minus_b1 = static_cast<float>(1.0 - b1);
    const auto one_minus_b2 = static_cast<float>(1.0 - b2);
    visit(fused_update_settings{opt.clipvalue, lr * opt.weight_decay}, slots,
          [alpha, one_minus_b1, one_minus_b2,
           eps = opt.epsilon]<class V>(V& p, V g, std::array<V, 2>& s) noexcept {
              s[0] = s[0] + (g - s[0]) * V(one_minus_b1);
              s[1] = s[1] + (g * g - s[1]) * V(one_minus_b2);
              p = p - (s[0] * V(alpha)) / (simd::sqrt(s[1]) + V(eps));
          });
}

template <class LR, class Visit>
void visit_rule(const adam<LR>& opt, std::span<float* const, 2> slots, std::size_t step,
                const Visit& visit) noexcept {
    visit_adam_rule(opt, slots, step, visit);
}

template <class LR, class Visit>
void visit_rule(const adamw<LR>& opt, std::span<float* const, 2> slots, std::size_t step,
                const Visit& visit) noexcept {
    visit_adam_rule(opt, slots, step, visit);
}

template <class LR, class Visit>
void visit_rule(const sgd<LR>& opt, std::span<float* const, 1> slots, std::size_t step,
                const Visit& visit) noexcept {
    const float lr = learning_rate_at(opt.learning_rate, ctnn::detail::one_based(step) - 1);
    const fused_update_settings settings{opt.clipvalue, lr * opt.weight_decay};
    if (opt.momentum == 0.0f) {
        visit(settings, slots.template first<0>(),
              [lr]<class V>(V& p, V g, std::array<V, 0>&) noexcept { p = p - g * V(lr); });
    } else {
        // Classic momentum adds m, Nesterov mu * m - lr * g: one rule with run-time factors
        // (a rule per variant instantiated the whole fused kernel once more per layer).
        const float m_factor = opt.nesterov ? opt.momentum : 1.0f;
        const float g_factor = opt.nesterov ? lr : 0.0f;
        visit(settings, slots,
              [lr, mu = opt.momentum, m_factor, g_factor]<class V>(V& p, V g,
                                                                   std::array<V, 1>& m) noexcept {
                  m[0] = m[0] * V(mu) - g * V(lr);
                  p = p + (m[0] * V(m_factor) - g * V(g_factor));
              });
    }
}

} // namespace detail

// Optimizers whose per-element rule dense_weight_update knows (adam, adamw, sgd).
template <class O>
concept fusable_optimizer = optimizer<O> &&
    requires(const O& o, std::span<float* const, O::state_slots> slots) {
    detail::visit_rule(o, slots, std::size_t{1},
                       [](const fused_update_settings&, auto, const auto&) noexcept {});
};

// Whether dense_weight_update may replace dense_weight_gradient + opt.update for this optimizer
// as it is set: not when it clips by norm (that needs the whole gradient's norm first).
template <optimizer O>
[[nodiscard]] constexpr bool fused_update_applies(const O& opt) noexcept {
    if constexpr (fusable_optimizer<O>)
        return !(opt.clipnorm > 0.0f);
    else
        return false;
}

// The generic fused step: for every element of W (dense_layout<In, Out>, aligned),
//   g = Σ_r x[r][k] · dz[r][j];  g = clamp(g, ±clipvalue);  p -= p · decay;  rule(p, g, state)
// where rule is `template <class V> void(V& p, V g, std::array<V, Slots>& state) noexcept`
// called with V = simd::batch_t<float> (optimizer.update's rules are such lambdas) and state
// holds the element's values of the Slots state arrays (each as long as W, any alignment).
// x: rows x_stride floats apart, any alignment. dz: rows padded(Out) floats apart, aligned,
// padding lanes zero (as dense_preactivation_gradient writes them): W's padding columns then get
// a zero gradient, exactly as in the two-pass step.
template <std::size_t In, std::size_t Out, std::size_t Slots, class Rule>
void dense_weight_update(const float* x, std::size_t x_stride, const float* dz, float* w,
                         std::span<float* const, Slots> state, std::size_t rows,
                         const fused_update_settings& settings, const Rule& rule) noexcept {
    std::array<float*, Slots> slots{};
    for (std::size_t s = 0; s < Slots; ++s)
        slots[s] = state[s];
    ctnn::detail::gradient_clip clip;
    if (settings.clipvalue > 0.0f)
        clip.limit = settings.clipvalue;
    detail::weight_update<In, Out>(x, x_stride, dz, w, slots, rows, clip, settings.decay, rule);
}

// The fused step with an optimizer policy: the same parameters and state as
//   dw = 0; dense_weight_gradient<In, Out>(x, x_stride, dz, dw, rows);
//   opt.update(w, dw, state, dense_layout<In, Out>::kernel_size, step);
// Returns false and changes nothing when fused_update_applies(opt) is false (clipnorm set):
// take that two-pass path then.
template <std::size_t In, std::size_t Out, optimizer O>
bool dense_weight_update(const float* x, std::size_t x_stride, const float* dz, float* w,
                         std::span<float* const, O::state_slots> state, std::size_t rows,
                         const O& opt, std::size_t step) noexcept {
    static_assert(fusable_optimizer<O>,
                  "dense_weight_update knows the rules of adam, adamw and sgd only: for another "
                  "optimizer pass its element-wise rule to the generic overload, or use "
                  "dense_weight_gradient followed by the optimizer's update");
    if (!fused_update_applies(opt))
        return false;
    detail::visit_rule(
        opt, state, step, [&](const fused_update_settings& settings, auto slots, const auto& rule) {
            dense_weight_update<In, Out>(x, x_stride, dz, w, slots, rows, settings, rule);
        });
    return true;
}

} // namespace ctnn::kernels
