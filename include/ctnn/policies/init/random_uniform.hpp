// ctnn/policies/init/random_uniform.hpp - `random_uniform_with<Min, Max>`: independent uniform
// draws in [Min, Max] (Keras `random_uniform`, defaults -0.05 and 0.05).
//
//     random_uniform_with<std::ratio<-1, 10>, std::ratio<1, 10>>  // U(-0.1, 0.1)
#pragma once

#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/init/random.hpp"

#include <cstddef>
#include <random>
#include <ratio>
#include <span>
#include <string_view>

namespace ctnn {

template <class Min = std::ratio<-5, 100>, class Max = std::ratio<5, 100>>
struct random_uniform_with {
    static_assert(detail::std_ratio<Min> && detail::std_ratio<Max>,
                  "random_uniform_with<Min, Max> takes two std::ratio, e.g. "
                  "random_uniform_with<std::ratio<-5, 100>, std::ratio<5, 100>>");
    static_assert(std::ratio_less_v<Min, Max>,
                  "random_uniform_with<Min, Max> needs Min smaller than Max");

    static constexpr std::string_view name = "random_uniform";
    // Keras get_config() keys.
    static constexpr double minval = detail::ratio_value<Min>;
    static constexpr double maxval = detail::ratio_value<Max>;

    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float> values, std::size_t, std::size_t, G& gen) const {
        detail::fill_uniform(values, minval, maxval, gen);
    }
};

using random_uniform = random_uniform_with<>;

} // namespace ctnn
