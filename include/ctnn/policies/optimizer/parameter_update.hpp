// ctnn/policies/optimizer/parameter_update.hpp - the plain loop that applies an optimizer's
// element rule (element_rule.hpp) to a block of parameters.
//
// `detail::update_parameters(params, grads, slots, n, rule)` walks n parameters in whole SIMD
// vectors and then one at a time (pointers may be unaligned). For each element it loads the
// parameter, the gradient and the rule's state values, clips the gradient
// (gradient_clipping.hpp), applies Keras' decoupled weight decay p -= p * decay, and calls the
// rule's formula; then stores p and the state back. The fused weight-gradient kernel
// (kernels/dense_weight_update.hpp) applies the same rule in its own loop. Nothing is allocated.
#pragma once

#include "ctnn/policies/optimizer/element_rule.hpp"
#include "ctnn/policies/optimizer/gradient_clipping.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/vector_loop.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

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
    simd::for_each_vector_then_element(
        n, [&]<class V>(std::size_t i, std::type_identity<V>) __attribute__((always_inline)) {
            update_element<V, Clip>(i, params, grads, slots, clip, decay, rule,
                                    std::make_index_sequence<Slots>{});
        });
}

// The rule applied to n parameters; slots holds (at least) the rule's state arrays.
template <std::size_t Slots, class Formula>
inline void update_parameters(float* params, const float* grads, float* const* slots, std::size_t n,
                              const element_rule<Slots, Formula>& rule) noexcept {
    const update_settings& s = rule.settings;
    const gradient_clip clip = make_gradient_clip(grads, n, s.clipnorm, s.clipvalue);
    const std::span<float* const, Slots> used(slots, Slots);
    if (clip.active())
        update_loop<true>(params, grads, used, n, clip, s.decay, rule.formula);
    else
        update_loop<false>(params, grads, used, n, clip, s.decay, rule.formula);
}

} // namespace ctnn::detail
