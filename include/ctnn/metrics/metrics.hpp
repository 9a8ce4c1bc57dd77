// ctnn/metrics/metrics.hpp - every metric: accuracies (binary, categorical, sparse), confusion
// matrices, precision / recall / F1, exact AUROC, MAE / MSE, and `metric` values for logging.
// All in namespace ctnn::metrics; predictions first, targets second, as the data set stores them.
#pragma once

#include "ctnn/metrics/classification_accuracy.hpp"
#include "ctnn/metrics/confusion_matrix.hpp"
#include "ctnn/metrics/metric.hpp"
#include "ctnn/metrics/precision_recall.hpp"
#include "ctnn/metrics/regression.hpp"
#include "ctnn/metrics/roc_auc.hpp"
