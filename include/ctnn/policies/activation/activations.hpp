// ctnn/policies/activation/activations.hpp - every activation ctnn ships, in one include.
//
// Elementwise: linear, threshold, sigmoid, tanh, relu, leaky_relu (leaky_relu_with<Slope>), elu
// (elu_with<Alpha>), softplus, gelu, swish, and fast_tanh / fast_sigmoid (simd/fast_math.hpp's
// approximations, stated error). Rowwise: softmax. The concepts and the row helpers
// apply_activation / activation_backward are in activation.hpp.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/policies/activation/elu.hpp"
#include "ctnn/policies/activation/fast_sigmoid.hpp"
#include "ctnn/policies/activation/fast_tanh.hpp"
#include "ctnn/policies/activation/gelu.hpp"
#include "ctnn/policies/activation/leaky_relu.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/activation/relu.hpp"
#include "ctnn/policies/activation/sigmoid.hpp"
#include "ctnn/policies/activation/softmax.hpp"
#include "ctnn/policies/activation/softplus.hpp"
#include "ctnn/policies/activation/swish.hpp"
#include "ctnn/policies/activation/tanh.hpp"
#include "ctnn/policies/activation/threshold.hpp"
