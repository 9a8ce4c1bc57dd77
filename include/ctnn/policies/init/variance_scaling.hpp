// ctnn/policies/init/variance_scaling.hpp - `variance_scaling<Scale, Mode, Distribution>`: draws
// whose variance is Scale / n, n being the fan-in, the fan-out or their mean (Keras
// `variance_scaling`). The Glorot, He and LeCun initialisers are its named special cases:
//
//     variance_scaling<std::ratio<2>, fan_mode::fan_in, scaling_distribution::truncated_normal>
//     // is he_normal's rule
//
// As in Keras, n is at least 1 (a fan of 0 counts as 1), the uniform distribution has limit
// sqrt(3 Scale / n), and the truncated normal is cut at 2 standard deviations with its standard
// deviation raised by 1 / 0.8796... so that the truncated draw has variance Scale / n.
#pragma once

#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/init/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <ratio>
#include <span>
#include <string_view>

namespace ctnn {

enum class fan_mode { fan_in, fan_out, fan_avg };
enum class scaling_distribution { truncated_normal, untruncated_normal, uniform };

template <class Scale, fan_mode Mode, scaling_distribution Distribution>
struct variance_scaling {
    static_assert(detail::std_ratio<Scale>,
                  "variance_scaling<Scale, Mode, Distribution> takes Scale as a std::ratio, e.g. "
                  "std::ratio<2> for 2.0");
    static_assert(std::ratio_greater_v<Scale, std::ratio<0>>,
                  "variance_scaling<Scale, Mode, Distribution> needs a positive Scale");

    static constexpr std::string_view name = "variance_scaling";
    // Keras get_config() keys.
    static constexpr double scale = detail::ratio_value<Scale>;
    static constexpr fan_mode mode = Mode;
    static constexpr scaling_distribution distribution = Distribution;

    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float> values, std::size_t fan_in, std::size_t fan_out,
                    G& gen) const {
        const double in = static_cast<double>(fan_in);
        const double out = static_cast<double>(fan_out);
        const double n = Mode == fan_mode::fan_in    ? in
                         : Mode == fan_mode::fan_out ? out
                                                     : (in + out) / 2.0;
        const double variance = scale / std::max(1.0, n);
        if constexpr (Distribution == scaling_distribution::uniform) {
            const double limit = std::sqrt(3.0 * variance);
            detail::fill_uniform(values, -limit, limit, gen);
        } else if constexpr (Distribution == scaling_distribution::untruncated_normal) {
            detail::fill_normal(values, 0.0, std::sqrt(variance), gen);
        } else {
            detail::fill_truncated_normal(
                values, 0.0, std::sqrt(variance) / detail::truncated_normal_stddev_factor, gen);
        }
    }
};

} // namespace ctnn
