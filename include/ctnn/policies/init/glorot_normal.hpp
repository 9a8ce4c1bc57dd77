// ctnn/policies/init/glorot_normal.hpp - `glorot_normal` (Keras `glorot_normal`): normal truncated
// at 2 standard deviations, stddev sqrt(2 / (fan_in + fan_out)) / 0.8796..., so the values have
// variance 2 / (fan_in + fan_out).
#pragma once

#include "ctnn/policies/init/variance_scaling.hpp"

#include <ratio>
#include <string_view>

namespace ctnn {

struct glorot_normal
    : variance_scaling<std::ratio<1>, fan_mode::fan_avg, scaling_distribution::truncated_normal> {
    static constexpr std::string_view name = "glorot_normal";
};

} // namespace ctnn
