// ctnn/policies/init/he_uniform.hpp - `he_uniform` (Keras `he_uniform`): uniform in [-limit, limit]
// with limit = sqrt(6 / fan_in); suits relu layers.
#pragma once

#include "ctnn/policies/init/variance_scaling.hpp"

#include <ratio>
#include <string_view>

namespace ctnn {

struct he_uniform
    : variance_scaling<std::ratio<2>, fan_mode::fan_in, scaling_distribution::uniform> {
    static constexpr std::string_view name = "he_uniform";
};

} // namespace ctnn
