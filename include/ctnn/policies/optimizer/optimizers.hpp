// ctnn/policies/optimizer/optimizers.hpp - every optimizer policy and learning-rate schedule:
// the `optimizer` concept; sgd, rmsprop, adam, adamw, nadam, adagrad (Keras 3 rules and defaults,
// clipnorm/clipvalue and weight_decay on each); constant_rate, step_decay, exponential_decay and
// cosine_decay for their `learning_rate`.
#pragma once

#include "ctnn/policies/optimizer/adagrad.hpp"
#include "ctnn/policies/optimizer/adam.hpp"
#include "ctnn/policies/optimizer/adamw.hpp"
#include "ctnn/policies/optimizer/cosine_decay.hpp"
#include "ctnn/policies/optimizer/exponential_decay.hpp"
#include "ctnn/policies/optimizer/learning_rate_schedule.hpp"
#include "ctnn/policies/optimizer/nadam.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/policies/optimizer/rmsprop.hpp"
#include "ctnn/policies/optimizer/sgd.hpp"
#include "ctnn/policies/optimizer/step_decay.hpp"
