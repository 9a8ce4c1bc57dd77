// ctnn/policies/optimizer/parameter_update.hpp - the loop every optimizer's `update` runs.
//
// `detail::update_parameters<Slots>(params, grads, slots, n, settings, rule)` walks n parameters
// in whole SIMD vectors and then one at a time (pointers may be unaligned). For each element it
// loads the parameter, the gradient and the Slots state values, clips the gradient
// (gradient_clipping.hpp), applies Keras' decoupled weight decay p -= p * lr * weight_decay, and
// calls `rule(p, g, state)`, a generic callable that updates p and state in place for V = float and
// V = simd::batch_t<float>; then stores p and the state back. An optimizer is thus only its
// element-wise formula, written once for both V. Nothing is allocated.
#pragma once

#include "ctnn/policies/optimizer/gradient_clipping.hpp"
#include "ctnn/simd/math.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// Per-call settings shared by every optimizer.
struct update_settings {
    float clipnorm = 0.0f;
    float clipvalue = 0.0f;
    float decay = 0.0f; // learning rate * weight_decay; 0 leaves p unchanged exactly
};

template <class V>
[[nodiscard]] inline V load_as(const float* p) noexcept {
    if constexpr (std::is_same_v<V, float>)
        return *p;
    else
        return simd::load_unaligned(p);
}

template <class V>
inline void store_as(float* p, const V& v) noexcept {
    if constexpr (std::is_same_v<V, float>)
        *p = v;
    else
        simd::store_unaligned(p, v);
}

template <class V, bool Clip, std::size_t Slots, class Rule, std::size_t... S>
inline void update_element(std::size_t i, float* params, const float* grads,
                           [[maybe_unused]] std::span<float* const, Slots> slots,
                           const gradient_clip& clip, float decay, const Rule& rule,
                           std::index_sequence<S...>) noexcept {
    V p = load_as<V>(params + i);
    V g = load_as<V>(grads + i);
    if constexpr (Clip)
        g = clip(g);
    std::array<V, Slots> state{load_as<V>(slots[S] + i)...};
    p = p - p * V(decay);
    rule(p, g, state);
    store_as(params + i, p);
    (store_as(slots[S] + i, state[S]), ...);
}

template <bool Clip, std::size_t Slots, class Rule>
inline void update_loop(float* params, const float* grads, std::span<float* const, Slots> slots,
                        std::size_t n, const gradient_clip& clip, float decay,
                        const Rule& rule) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t w = simd::width_v<float>;
    constexpr auto indices = std::make_index_sequence<Slots>{};
    const std::size_t full = n / w * w;
    for (std::size_t i = 0; i < full; i += w)
        update_element<V, Clip>(i, params, grads, slots, clip, decay, rule, indices);
    if constexpr (w > 1)
        for (std::size_t i = full; i < n; ++i)
            update_element<float, Clip>(i, params, grads, slots, clip, decay, rule, indices);
}

template <std::size_t Slots, class Rule>
inline void update_parameters(float* params, const float* grads,
                              std::span<float* const, Slots> slots, std::size_t n,
                              const update_settings& settings, const Rule& rule) noexcept {
    const gradient_clip clip = make_gradient_clip(grads, n, settings.clipnorm, settings.clipvalue);
    if (clip.active())
        update_loop<true>(params, grads, slots, n, clip, settings.decay, rule);
    else
        update_loop<false>(params, grads, slots, n, clip, settings.decay, rule);
}

// Optimizers take a 1-based step; a stray 0 is treated as 1 rather than dividing by zero.
[[nodiscard]] constexpr std::size_t one_based(std::size_t step) noexcept {
    return step == 0 ? 1 : step;
}

} // namespace ctnn::detail
