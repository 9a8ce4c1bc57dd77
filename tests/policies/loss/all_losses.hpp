// tests/policies/loss/all_losses.hpp - the one list of every loss policy the law tests run over.
// A new loss is added here (and gets a sampler in loss_laws_test.cpp).
#pragma once

#include "ctnn/policies/loss/losses.hpp"

#include <ratio>
#include <tuple>

namespace ctnn::test {

using all_losses =
    std::tuple<mean_squared_error, mean_absolute_error, mean_squared_logarithmic_error,
               binary_crossentropy, binary_crossentropy_from_logits, hinge, squared_hinge,
               categorical_crossentropy, categorical_crossentropy_from_logits,
               sparse_categorical_crossentropy, sparse_categorical_crossentropy_from_logits,
               kl_divergence, huber, huber_with<std::ratio<1, 2>>, log_cosh>;

} // namespace ctnn::test
