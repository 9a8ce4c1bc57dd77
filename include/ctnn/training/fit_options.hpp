// ctnn/training/fit_options.hpp - the run-time settings of trainer::fit, with Keras's defaults.
//
//   trainer.fit(train, {.epochs = 10, .validation_split = 0.1f, .seed = 7});
//   trainer.fit(train, {.epochs = 100, .validation_split = 0.2f,
//                       .early_stopping = ctnn::early_stopping{.patience = 3}});
//   trainer.fit(train, {.epochs = 20, .metrics = {ctnn::metrics::auc_metric()}}, my_callback);
//   trainer.fit(train, {.epochs = 10, .class_weight = {{0, 1.0f}, {1, 5.0f}}});
#pragma once

#include "ctnn/metrics/metric.hpp"
#include "ctnn/training/early_stopping.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace ctnn {

// How many samples go into one update (the lecture's three forms of gradient descent). The
// mini-batch size itself is the trainer's BatchSize template parameter; stochastic gradient
// descent is BatchSize 1.
enum class gradient_descent {
    mini_batch, // one update per BatchSize samples; the last batch of an epoch may be smaller
    full_batch, // one update per epoch from the gradient of the whole training set
};

struct fit_options {
    std::size_t epochs = 1;
    bool shuffle = true;           // reshuffle the training set every epoch
    float validation_split = 0.0f; // fraction held out from the END of the data, as Keras does
    std::uint64_t seed = 0;        // shuffling is reproducible for a given seed
    gradient_descent mode = gradient_descent::mini_batch;
    bool verbose = false; // a progress bar (on a terminal) and one line per epoch on stdout
    std::optional<ctnn::early_stopping> early_stopping = std::nullopt; // off unless given
    // Logged per epoch under their names (and val_<name> with validation data), e.g.
    // {metrics::precision_metric(), metrics::recall_metric(), metrics::auc_metric()}.
    std::vector<metrics::metric> metrics = {};
    // Threads for the training steps and the validation passes (trainer::set_threads): 1 keeps
    // everything on the calling thread, 0 uses every hardware thread; unset keeps the trainer's
    // setting (1 unless set_threads changed it).
    std::optional<std::size_t> threads = std::nullopt;
    // Keras's class_weight: the loss of a training sample of class c is multiplied by
    // class_weight[c] (and by its sample weight, if the data set has them); classes not listed
    // weigh 1. Classes are class indices, one-hot columns, or 0 and 1 for one binary output.
    // Validation data are not weighted by class.
    std::map<std::size_t, float> class_weight = {};
};

} // namespace ctnn
