// ctnn/policies/init/ones.hpp - `ones`: every value 1 (Keras `ones`).
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <span>
#include <string_view>

namespace ctnn {

struct ones {
    static constexpr std::string_view name = "ones";

    template <std::uniform_random_bit_generator G>
    constexpr void operator()(std::span<float> values, std::size_t, std::size_t,
                              G&) const noexcept {
        std::fill(values.begin(), values.end(), 1.0f);
    }
};

} // namespace ctnn
