// ctnn/inference.hpp - what a program that only predicts includes: tensors, every layer and
// activation, networks (predict, predict_rows, parallel_predict, subnetworks, summary,
// constexpr_predict, fold_batch_normalization) and the weight files it loads. Nothing for
// training (losses, optimizers, the trainer): it compiles faster than ctnn/ctnn.hpp.
//
//   #include <ctnn/inference.hpp>
//   ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>
//       net;
//   ctnn::load_weights(net, "model.ctnnw");
//   const auto p = net.predict(image);
#pragma once

#include "ctnn/core/core.hpp"
#include "ctnn/simd/simd.hpp"

#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/policies/init/initializers.hpp"
#include "ctnn/policies/regularizer/regularizer.hpp"

#include "ctnn/layers/layers.hpp"

#include "ctnn/network/constexpr_predict.hpp"
#include "ctnn/network/fold_batch_normalization.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/network/parallel_predict.hpp"
#include "ctnn/network/subnetwork.hpp"

#include "ctnn/serialize/weights_file.hpp"
