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
// The optimizer's element rule (policies/optimizer/element_rule.hpp) is the one its plain update
// applies, so every optimizer, the library's or your own, fuses.
#pragma once

#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_tile.hpp"
#include "ctnn/kernels/dense_weight_gradient.hpp"
#include "ctnn/policies/optimizer/element_rule.hpp"
#include "ctnn/policies/optimizer/gradient_clipping.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/util/static_for.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <utility>

namespace ctnn::kernels {

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
    constexpr std::size_t lanes = simd::width_v<float>;
    const bool clip_on = clip.active();
    static_for<Inputs>([&](auto i) __attribute__((always_inline)) {
        static_for<Vectors>([&](auto v) __attribute__((always_inline)) {
            const std::size_t at = i * Stride + v * lanes;
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
    V acc[Inputs * Vectors];
    static_for<Inputs * Vectors>([&](auto i) __attribute__((always_inline)) { acc[i] = V(0.0f); });
    // dense_weight_gradient's loop, so the sums are the same.
    accumulate_weight_gradient<Stride, Inputs, Vectors>(acc, x, x_stride, dz, rows);
    // The step's constants (clip limits, decay, the rule's factors) are read only from here on:
    // the empty asm hides where the pointers point, so GCC cannot hoist their broadcasts above
    // the row loop. Hoisted, they held 3 of AVX2's 16 registers through it, and GCC then re-read
    // every dz vector from memory in each FMA (W5 11 % slower, measured).
    const Rule* formula = &rule;
    const ctnn::detail::gradient_clip* clipping = &clip;
    const float* decay_factor = &decay;
    asm("" : "+r"(formula), "+r"(clipping), "+r"(decay_factor));
    update_tile<Stride, Inputs, Vectors, Slots>(acc, w, state, offset, *clipping, *decay_factor,
                                                *formula, std::make_index_sequence<Slots>{});
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
    constexpr std::size_t stride = layout::padded_outputs;
    constexpr std::size_t block = batch_tile(layout::output_vectors).vectors;
    for_each_column_block<layout::output_vectors, block>([&](
        auto vectors, std::size_t col) __attribute__((always_inline)) {
        weight_update_tile<stride, Inputs, vectors>(x + k, x_stride, dz + col, w + k * stride + col,
                                                    state, k * stride + col, rows, clip, decay,
                                                    rule);
    });
}

template <std::size_t In, std::size_t Out, std::size_t Slots, class Rule>
void weight_update(const float* x, std::size_t x_stride, const float* dz, float* w,
                   const std::array<float*, Slots>& state, std::size_t rows,
                   const ctnn::detail::gradient_clip& clip, float decay,
                   const Rule& rule) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr std::size_t inputs = batch_tile(batch_tile(layout::output_vectors).vectors).rows;
    // No chunking over rows (unlike dense_weight_gradient): the update needs the whole sum.
    for_each_tile<In, inputs>([&](auto tile_inputs, std::size_t k) __attribute__((always_inline)) {
        weight_update_inputs<In, Out, tile_inputs>(x, x_stride, dz, w, state, k, rows, clip, decay,
                                                   rule);
    });
}

} // namespace detail

// The fused step with an element rule, for every element of W (dense_layout<In, Out>, aligned):
//   g = Σ_r x[r][k] · dz[r][j];  g = clamp(g, ±clipvalue);  p -= p · decay;  formula(p, g, state)
// where state holds the element's values of the rule's Slots state arrays (each as long as W,
// any alignment). The rule's clipnorm must be 0 (it needs the whole gradient's norm first).
// x: rows x_stride floats apart, any alignment. dz: rows padded(Out) floats apart, aligned,
// padding lanes zero (as dense_preactivation_gradient writes them): W's padding columns then get
// a zero gradient, exactly as in the two-pass step.
template <std::size_t In, std::size_t Out, std::size_t Slots, class Formula>
void dense_weight_update(const float* x, std::size_t x_stride, const float* dz, float* w,
                         float* const* state, std::size_t rows,
                         const element_rule<Slots, Formula>& rule) noexcept {
    std::array<float*, Slots> slots{};
    for (std::size_t s = 0; s < Slots; ++s)
        slots[s] = state[s];
    ctnn::detail::gradient_clip clip;
    if (rule.settings.clipvalue > 0.0f)
        clip.limit = rule.settings.clipvalue;
    detail::weight_update<In, Out>(x, x_stride, dz, w, slots, rows, clip, rule.settings.decay,
                                   rule.formula);
}

// The fused step with an optimizer policy: the same parameters and state as
//   dw = 0; dense_weight_gradient<In, Out>(x, x_stride, dz, dw, rows);
//   apply_update(opt, w, dw, state, dense_layout<In, Out>::kernel_size, step);
// Returns false and changes nothing when updates_elementwise(opt) is false (clipnorm set):
// take that two-pass path then.
template <std::size_t In, std::size_t Out, optimizer O>
bool dense_weight_update(const float* x, std::size_t x_stride, const float* dz, float* w,
                         std::span<float* const, O::state_slots> state, std::size_t rows,
                         const O& opt, std::size_t step) noexcept {
    return opt.with_rule(step, [&](const auto& rule) noexcept {
        if (rule.settings.clipnorm > 0.0f)
            return false;
        dense_weight_update<In, Out>(x, x_stride, dz, w, state.data(), rows, rule);
        return true;
    });
}

} // namespace ctnn::kernels
