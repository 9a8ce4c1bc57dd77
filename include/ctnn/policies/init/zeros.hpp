// ctnn/policies/init/zeros.hpp - `zeros`: every value 0 (Keras `zeros`, the default bias).
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <span>
#include <string_view>

namespace ctnn {

struct zeros {
    static constexpr std::string_view name = "zeros";

    template <std::uniform_random_bit_generator G>
    constexpr void operator()(std::span<float> values, std::size_t, std::size_t,
                              G&) const noexcept {
        std::fill(values.begin(), values.end(), 0.0f);
    }
};

} // namespace ctnn
