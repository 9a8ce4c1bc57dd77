// ctnn/training.hpp - what a program that trains includes: everything of ctnn/inference.hpp,
// the losses, optimizers and regularizers, the trainer with its data sets, history, callbacks,
// early stopping, progress bar and learning curves, and the metrics. The validation protocols
// and searches (ctnn/workflow/), export and NumPy import (ctnn/serialize/) and the readers
// (ctnn/io/, with zlib through ctnn::io) are included by name or with ctnn/ctnn.hpp.
//
//   #include <ctnn/training.hpp>
//   auto trainer = ctnn::make_trainer<32>(*net, ctnn::sparse_categorical_crossentropy{},
//                                         ctnn::adam<>{.learning_rate = 1e-3f});
//   ctnn::history h = trainer->fit(train, {.epochs = 10, .validation_split = 0.1f});
#pragma once

#include "ctnn/inference.hpp"

#include "ctnn/policies/loss/losses.hpp"
#include "ctnn/policies/optimizer/optimizers.hpp"

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
