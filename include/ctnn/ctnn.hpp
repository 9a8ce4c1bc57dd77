// ctnn/ctnn.hpp - everything: include this one header to use ctnn.
#pragma once

#include "ctnn/simd/simd.hpp"

#include "ctnn/core/core.hpp"

#include "ctnn/kernels/dense_forward.hpp"

#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/policies/init/initializers.hpp"

#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/flatten.hpp"
#include "ctnn/layers/input.hpp"

#include "ctnn/network/network.hpp"
