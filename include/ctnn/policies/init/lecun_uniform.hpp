// ctnn/policies/init/lecun_uniform.hpp - `lecun_uniform` (Keras `lecun_uniform`): uniform in
// [-limit, limit] with limit = sqrt(3 / fan_in); suits selu layers.
#pragma once

#include "ctnn/policies/init/variance_scaling.hpp"

#include <ratio>
#include <string_view>

namespace ctnn {

struct lecun_uniform
    : variance_scaling<std::ratio<1>, fan_mode::fan_in, scaling_distribution::uniform> {
    static constexpr std::string_view name = "lecun_uniform";
};

} // namespace ctnn
