// ctnn/policies/init/constant.hpp - `constant_with<Value>`: every value Value (Keras `constant`).
//
//     dense<10, softmax, kernel_initializer<constant_with<std::ratio<1, 10>>>>  // every weight 0.1
//
// `constant` is constant_with<> (Keras' default value 0).
#pragma once

#include "ctnn/policies/init/initializer.hpp"

#include <algorithm>
#include <cstddef>
#include <random>
#include <ratio>
#include <span>
#include <string_view>

namespace ctnn {

template <class Value = std::ratio<0>>
struct constant_with {
    static_assert(detail::std_ratio<Value>,
                  "constant_with<Value> takes a std::ratio, e.g. constant_with<std::ratio<1, 10>> "
                  "for 0.1");

    static constexpr std::string_view name = "constant";
    // Keras get_config() keys.
    static constexpr double value = detail::ratio_value<Value>;

    template <std::uniform_random_bit_generator G>
    constexpr void operator()(std::span<float> values, std::size_t, std::size_t,
                              G&) const noexcept {
        std::fill(values.begin(), values.end(), static_cast<float>(value));
    }
};

using constant = constant_with<>;

} // namespace ctnn
