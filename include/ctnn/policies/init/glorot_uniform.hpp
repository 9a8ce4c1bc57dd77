// ctnn/policies/init/glorot_uniform.hpp - `glorot_uniform` (Keras `glorot_uniform`, Keras' default
// kernel initializer): uniform in [-limit, limit] with limit = sqrt(6 / (fan_in + fan_out)).
#pragma once

#include "ctnn/policies/init/variance_scaling.hpp"

#include <ratio>
#include <string_view>

namespace ctnn {

struct glorot_uniform
    : variance_scaling<std::ratio<1>, fan_mode::fan_avg, scaling_distribution::uniform> {
    static constexpr std::string_view name = "glorot_uniform";
};

} // namespace ctnn
