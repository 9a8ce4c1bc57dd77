// ctnn/policies/init/he_normal.hpp - `he_normal` (Keras `he_normal`): normal truncated at 2
// standard deviations, stddev sqrt(2 / fan_in) / 0.8796..., so the values have variance 2 / fan_in;
// suits relu layers.
#pragma once

#include "ctnn/policies/init/variance_scaling.hpp"

#include <ratio>
#include <string_view>

namespace ctnn {

struct he_normal
    : variance_scaling<std::ratio<2>, fan_mode::fan_in, scaling_distribution::truncated_normal> {
    static constexpr std::string_view name = "he_normal";
};

} // namespace ctnn
