// ctnn/layers/layers.hpp - every layer ctnn ships, in one include: input, dense, flatten,
// gaussian_noise, dropout, batch_normalization, and the layer concepts (layer.hpp,
// constant_layer.hpp, spelled_layer.hpp). Headers written by export_header include it.
#pragma once

#include "ctnn/layers/batch_normalization.hpp"
#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/dropout.hpp"
#include "ctnn/layers/flatten.hpp"
#include "ctnn/layers/gaussian_noise.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/layers/layer.hpp"
#include "ctnn/layers/layer_options.hpp"
#include "ctnn/layers/spelled_layer.hpp"
#include "ctnn/layers/training_protocol.hpp"
