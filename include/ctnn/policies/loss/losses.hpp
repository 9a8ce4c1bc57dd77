// ctnn/policies/loss/losses.hpp - every loss policy ctnn ships, and the loss concepts.
//
// Include this to get `mean_squared_error`, `mean_absolute_error`,
// `mean_squared_logarithmic_error`, `binary_crossentropy` (+ `_from_logits`), `hinge`,
// `squared_hinge`, `categorical_crossentropy` (+ `_from_logits`),
// `sparse_categorical_crossentropy` (+ `_from_logits`), `kl_divergence`, `huber` /
// `huber_with<Delta>` and `log_cosh`; ctnn/policies/loss/loss.hpp says what a loss provides,
// accuracy.hpp and targets.hpp the accuracy rules and target kinds the losses state.
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/binary_crossentropy.hpp"
#include "ctnn/policies/loss/binary_crossentropy_from_logits.hpp"
#include "ctnn/policies/loss/categorical_crossentropy.hpp"
#include "ctnn/policies/loss/categorical_crossentropy_from_logits.hpp"
#include "ctnn/policies/loss/hinge.hpp"
#include "ctnn/policies/loss/huber.hpp"
#include "ctnn/policies/loss/kl_divergence.hpp"
#include "ctnn/policies/loss/log_cosh.hpp"
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/loss/mean_absolute_error.hpp"
#include "ctnn/policies/loss/mean_squared_error.hpp"
#include "ctnn/policies/loss/mean_squared_logarithmic_error.hpp"
#include "ctnn/policies/loss/sparse_categorical_crossentropy.hpp"
#include "ctnn/policies/loss/sparse_categorical_crossentropy_from_logits.hpp"
#include "ctnn/policies/loss/squared_hinge.hpp"
#include "ctnn/policies/loss/targets.hpp"
