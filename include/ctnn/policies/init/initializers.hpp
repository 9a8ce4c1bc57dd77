// ctnn/policies/init/initializers.hpp - every weight initialiser, with the `initializer` concept
// and ctnn::random_engine. Names and semantics follow Keras (keras.initializers).
#pragma once

#include "ctnn/policies/init/constant.hpp"
#include "ctnn/policies/init/glorot_normal.hpp"
#include "ctnn/policies/init/glorot_uniform.hpp"
#include "ctnn/policies/init/he_normal.hpp"
#include "ctnn/policies/init/he_uniform.hpp"
#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/init/lecun_normal.hpp"
#include "ctnn/policies/init/lecun_uniform.hpp"
#include "ctnn/policies/init/ones.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/init/random_normal.hpp"
#include "ctnn/policies/init/random_uniform.hpp"
#include "ctnn/policies/init/truncated_normal.hpp"
#include "ctnn/policies/init/variance_scaling.hpp"
#include "ctnn/policies/init/zeros.hpp"
