// ctnn/ctnn.hpp - everything but io: include this one header to use ctnn. The readers in
// ctnn/io/ and the .npz import (ctnn/serialize/npz.hpp) are included one by one: they need zlib
// through the ctnn::io target.
#pragma once

#include "ctnn/simd/simd.hpp"

#include "ctnn/core/core.hpp"

#include "ctnn/kernels/dense_backward.hpp"
#include "ctnn/kernels/dense_forward.hpp"

#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/policies/init/initializers.hpp"
#include "ctnn/policies/loss/losses.hpp"
#include "ctnn/policies/optimizer/optimizers.hpp"
#include "ctnn/policies/regularizer/regularizer.hpp"

#include "ctnn/layers/batch_normalization.hpp"
#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/dropout.hpp"
#include "ctnn/layers/flatten.hpp"
#include "ctnn/layers/gaussian_noise.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/layers/layer_options.hpp"
#include "ctnn/layers/training_protocol.hpp"

#include "ctnn/network/constexpr_predict.hpp"
#include "ctnn/network/fold_batch_normalization.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/network/parallel_predict.hpp"

#include "ctnn/training/accuracy.hpp"
#include "ctnn/training/callback.hpp"
#include "ctnn/training/dataset.hpp"
#include "ctnn/training/early_stopping.hpp"
#include "ctnn/training/evaluation.hpp"
#include "ctnn/training/fit_options.hpp"
#include "ctnn/training/history.hpp"
#include "ctnn/training/history_csv.hpp"
#include "ctnn/training/learning_curves.hpp"
#include "ctnn/training/predictions.hpp"
#include "ctnn/training/progress_bar.hpp"
#include "ctnn/training/trainer.hpp"

#include "ctnn/metrics/metrics.hpp"
#include "ctnn/serialize/architecture.hpp"
#include "ctnn/serialize/export_header.hpp"
#include "ctnn/serialize/npy.hpp"
#include "ctnn/serialize/weights_file.hpp"
#include "ctnn/workflow/workflow.hpp"
