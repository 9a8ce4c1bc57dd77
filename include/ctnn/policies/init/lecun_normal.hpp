// ctnn/policies/init/lecun_normal.hpp - `lecun_normal` (Keras `lecun_normal`): normal truncated at
// 2 standard deviations, stddev sqrt(1 / fan_in) / 0.8796..., so the values have variance
// 1 / fan_in; suits selu layers.
#pragma once

#include "ctnn/policies/init/variance_scaling.hpp"

#include <ratio>
#include <string_view>

namespace ctnn {

struct lecun_normal
    : variance_scaling<std::ratio<1>, fan_mode::fan_in, scaling_distribution::truncated_normal> {
    static constexpr std::string_view name = "lecun_normal";
};

} // namespace ctnn
