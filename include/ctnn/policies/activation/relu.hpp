// ctnn/policies/activation/relu.hpp - the rectified linear unit g(x) = max(x, 0) (Keras "relu").
//
// g'(0) is taken as 0, as TensorFlow does; g' = [y > 0] needs only the output.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/math.hpp"

#include <string_view>

namespace ctnn {

struct relu {
    static constexpr std::string_view name = "relu";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return simd::max(x, V(0.0f));
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return simd::select(y > V(0.0f), V(1.0f), V(0.0f));
    }
};

static_assert(elementwise_activation<relu>);

} // namespace ctnn
