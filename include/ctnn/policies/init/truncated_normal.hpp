// ctnn/policies/init/truncated_normal.hpp - `truncated_normal_with<Mean, Stddev>`: normal draws
// with those more than 2 Stddev from Mean redrawn (Keras `truncated_normal`, defaults 0 and
// 0.05). As in Keras, Stddev is that of the normal before truncation; the values' own standard
// deviation is about 0.88 Stddev.
#pragma once

#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/init/random.hpp"

#include <cstddef>
#include <random>
#include <ratio>
#include <span>
#include <string_view>

namespace ctnn {

template <class Mean = std::ratio<0>, class Stddev = std::ratio<5, 100>>
struct truncated_normal_with {
    static_assert(detail::std_ratio<Mean> && detail::std_ratio<Stddev>,
                  "truncated_normal_with<Mean, Stddev> takes two std::ratio, e.g. "
                  "truncated_normal_with<std::ratio<0>, std::ratio<5, 100>>");
    static_assert(std::ratio_greater_v<Stddev, std::ratio<0>>,
                  "truncated_normal_with<Mean, Stddev> needs a positive standard deviation");

    static constexpr std::string_view name = "truncated_normal";
    // Keras get_config() keys.
    static constexpr double mean = detail::ratio_value<Mean>;
    static constexpr double stddev = detail::ratio_value<Stddev>;

    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float> values, std::size_t, std::size_t, G& gen) const {
        detail::fill_truncated_normal(values, mean, stddev, gen);
    }
};

using truncated_normal = truncated_normal_with<>;

} // namespace ctnn
