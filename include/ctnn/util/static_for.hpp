// ctnn/util/static_for.hpp - a loop unrolled by the compiler front end.
//
// `static_for<N>([&](auto i) { ... })` calls the body with i = integral_constant 0..N-1. The
// micro-kernels use it for their register-tile loops so that the accumulators are distinct
// variables the register allocator can keep in registers, whatever the optimiser decides.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn {

template <std::size_t N, class Body>
[[gnu::always_inline]] constexpr void static_for(Body&& body) {
    // The attribute must be GCC's spelling in this position: [[gnu::always_inline]] is ignored
    // there by GCC 12, which then stops inlining these bodies in large translation units and
    // makes the kernels 2-3x slower (measured in bench/train_bench.cpp).
    [&]<std::size_t... I>(std::index_sequence<I...>) __attribute__((always_inline)) {
        (body(std::integral_constant<std::size_t, I>{}), ...);
    }
    (std::make_index_sequence<N>{});
}

} // namespace ctnn
