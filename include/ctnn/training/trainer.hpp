// ctnn/training/trainer.hpp - backpropagation and gradient descent for a network type.
//
//   using net_t = ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>,
//                               ctnn::dense<10, ctnn::softmax>>;
//   auto net = std::make_unique<net_t>();
//   auto trainer = ctnn::make_trainer<32>(*net, ctnn::sparse_categorical_crossentropy{},
//                                         ctnn::adam<>{.learning_rate = 1e-3f});
//   ctnn::history h = trainer->fit(train, {.epochs = 10, .validation_split = 0.1f});
//   auto [loss, accuracy] = trainer->evaluate(test);
//   float loss = trainer->train_step(x, y, rows);   // one update, for loops of your own
//
// A trainer is network × loss × optimizer × batch size. It owns a fixed-size workspace for that
// batch size, so a training step allocates nothing, and trains any layer through the layer
// training protocol (layers/training_protocol.hpp). Files by idea: the step itself (fused,
// split between threads, or plain) in step_engine.hpp, over the passes of training_pass.hpp,
// the parameter blocks of parameter_blocks.hpp and the thread split of row_split.hpp; the epochs
// in fit_loop.hpp. This file adds data sets: fit, evaluate, predict.
//
// set_threads(2) (or fit_options::threads) splits each batch's rows between two threads when
// every layer treats rows independently (batch normalization does not); results equal one
// thread's up to the order of the gradient sums (rounding).
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/loss/targets.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/training/callback.hpp"
#include "ctnn/training/dataset.hpp"
#include "ctnn/training/evaluation.hpp"
#include "ctnn/training/fit_loop.hpp"
#include "ctnn/training/fit_options.hpp"
#include "ctnn/training/history.hpp"
#include "ctnn/training/predictions.hpp"
#include "ctnn/training/step_engine.hpp"
#include "ctnn/training/training_pass.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace ctnn {

namespace detail {

// Named in the error when fit gets a data set of other shapes: both types appear in the
// instantiation line above the message.
template <class Expected, class Given>
struct dataset_shape_check {
    static_assert(std::is_same_v<Expected, void>,
                  "fit: the data set's sample or target shape does not match the network: samples "
                  "must have the network's input shape and targets the loss's target size "
                  "(1 class index for sparse categorical cross-entropy, else the output size)");
    operator history() const { return {}; }
};

} // namespace detail

template <class Net, loss_function Loss, optimizer Optimizer, std::size_t BatchSize>
class trainer : public detail::step_engine<Net, Loss, Optimizer, BatchSize> {
    static_assert(BatchSize > 0, "trainer: the batch size must be positive");
    using base = detail::step_engine<Net, Loss, Optimizer, BatchSize>;
    using base::forward_inference;
    using base::net_;
    using base::on_row_parts;
    using base::pass_;
    using pass_type = typename base::pass_type;

public:
    using base::output_row;
    using base::outputs;
    using base::regularization_penalty;
    using base::sample_size;
    using base::target_size;
    // The data sets this trainer accepts.
    using dataset_type = dataset<typename Net::input_shape, shape<target_size>>;

    explicit trainer(Net& net, Optimizer opt = {}) : base(net, opt) {}

    // Copies samples indices[0, rows) of `data` into x and y (rows × sample_size and rows ×
    // target_size floats), the batch fit hands to mini_batch_step; on the trainer's threads
    // when it has them, as the copy of a shuffled batch is a tenth of a small network's step.
    void gather_batch(const dataset_type& data, const std::size_t* indices, std::size_t rows,
                      float* x, float* y) noexcept {
        on_row_parts(rows, [&](std::size_t first, std::size_t count) noexcept {
            for (std::size_t r = first; r < first + count; ++r) {
                std::copy_n(data.sample(indices[r]), sample_size, x + r * sample_size);
                std::copy_n(data.target(indices[r]), target_size, y + r * target_size);
            }
        });
    }

    // Data of another sample or target shape: a compile error that names both.
    template <static_shape S, static_shape T, class... Callbacks>
    history fit(const dataset<S, T>&, const fit_options& = {}, Callbacks&...) {
        return detail::dataset_shape_check<dataset_type, dataset<S, T>>{};
    }

    // Trains for options.epochs epochs and returns the per-epoch history of loss (and accuracy
    // where the loss has one, and options.metrics), with val_ entries when validation data are
    // given or split off. Callbacks (training/callback.hpp) follow the options.
    template <fit_callback... Callbacks>
    history fit(const dataset_type& data, const fit_options& options = {},
                Callbacks&... callbacks) {
        if (options.validation_split < 0.0f || options.validation_split >= 1.0f)
            throw std::invalid_argument("fit: validation_split must be in [0, 1), got " +
                                        std::to_string(options.validation_split));
        if (options.validation_split == 0.0f)
            return detail::fit_loop(*this, data, nullptr, options, callbacks...);
        // Keras takes the validation samples from the end, before any shuffling.
        const std::size_t n = data.size();
        const auto held_out =
            static_cast<std::size_t>(static_cast<double>(n) * options.validation_split);
        if (held_out == 0 || held_out == n)
            throw std::invalid_argument("fit: validation_split " +
                                        std::to_string(options.validation_split) + " of " +
                                        std::to_string(n) + " samples leaves an empty set");
        std::vector<std::size_t> train_idx(n - held_out), val_idx(held_out);
        std::iota(train_idx.begin(), train_idx.end(), std::size_t{0});
        std::iota(val_idx.begin(), val_idx.end(), n - held_out);
        const dataset_type validation = data.subset(val_idx);
        return detail::fit_loop(*this, data.subset(train_idx), &validation, options, callbacks...);
    }

    template <fit_callback... Callbacks>
    history fit(const dataset_type& data, const dataset_type& validation,
                const fit_options& options = {}, Callbacks&... callbacks) {
        return detail::fit_loop(*this, data, &validation, options, callbacks...);
    }

    // Mean loss (and accuracy) over a data set, in batches of BatchSize; parameters unchanged. A
    // data set with sample weights gives the weighted sum of the losses over the sample count,
    // as Keras's evaluate(..., sample_weight) (accuracy is not weighted).
    evaluation evaluate(const dataset_type& data) {
        if (data.empty())
            throw std::invalid_argument("evaluate: the data set is empty");
        check_targets(data, "evaluate");
        double loss = 0, accuracy = 0;
        for (std::size_t start = 0; start < data.size(); start += BatchSize) {
            const std::size_t rows = std::min(BatchSize, data.size() - start);
            forward_inference(data.sample(start), rows);
            for (std::size_t r = 0; r < rows; ++r) {
                const float* pred = output_row(r);
                if (!detail::all_finite<outputs>(pred))
                    loss = std::nan(""); // not hidden by the loss's clipping
                if (const float w = data.weight(start + r); w != 0.0f) // Keras's sample_weight
                    loss += w * Loss::template value<outputs>(pred, data.target(start + r));
                if constexpr (has_accuracy_v<Loss>)
                    accuracy += sample_accuracy<Loss, outputs>(pred, data.target(start + r));
            }
            if constexpr (pass_type::activity_regularized)
                loss += static_cast<double>(pass_.activity_penalty(*net_, 0, rows));
        }
        const double n = static_cast<double>(data.size());
        if constexpr (pass_type::regularized)
            loss += n * static_cast<double>(regularization_penalty()); // Keras reports it too
        return {loss / n, has_accuracy_v<Loss> ? accuracy / n : std::nan("")};
    }

    // The network's outputs for every sample: rows × outputs values.
    predictions<outputs> predict(const dataset_type& data) {
        predictions<outputs> result(data.size());
        for (std::size_t start = 0; start < data.size(); start += BatchSize) {
            const std::size_t rows = std::min(BatchSize, data.size() - start);
            forward_inference(data.sample(start), rows);
            for (std::size_t r = 0; r < rows; ++r)
                std::copy_n(output_row(r), outputs, result.row(start + r).data());
        }
        return result;
    }

    // One update from one batch of a training loop of your own (Keras's train_on_batch): x holds
    // rows × sample_size values, y rows × target_size, sample_weights nothing or one weight
    // per row; 1 <= rows <= BatchSize. Checks the sizes, the targets against the loss and the
    // weights, and throws std::invalid_argument naming what is wrong (the network unchanged);
    // then trains as train_step, allocating nothing. Returns the batch's loss before the update
    // (NaN, and no update, when it is not finite).
    float train_on_batch(std::span<const float> x, std::span<const float> y,
                         std::span<const float> sample_weights = {}) {
        const std::size_t rows = x.size() / sample_size;
        const auto fail = [](const std::string& what) {
            throw std::invalid_argument("train_on_batch: " + what);
        };
        if (x.empty() || x.size() % sample_size != 0)
            fail(std::to_string(x.size()) +
                 " input values are not a whole number (1 or more) of "
                 "samples of " +
                 std::to_string(sample_size));
        if (rows > BatchSize)
            fail(std::to_string(rows) + " samples, more than the trainer's batch size " +
                 std::to_string(BatchSize));
        if (y.size() != rows * target_size)
            fail(std::to_string(y.size()) + " target values for " + std::to_string(rows) +
                 " samples of " + std::to_string(target_size) + " target values");
        if (!sample_weights.empty() && sample_weights.size() != rows)
            fail(std::to_string(sample_weights.size()) + " sample weights for " +
                 std::to_string(rows) + " samples");
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!std::isfinite(x[i]))
                fail("sample " + std::to_string(i / sample_size) + ", value " +
                     std::to_string(i % sample_size) + " is not finite");
        for (std::size_t r = 0; r < rows; ++r) {
            if (const std::string problem =
                    target_problem<Loss, outputs>(y.data() + r * target_size);
                !problem.empty())
                fail("target " + std::to_string(r) + " " + problem);
            if (!sample_weights.empty() &&
                !(std::isfinite(sample_weights[r]) && sample_weights[r] >= 0.0f))
                fail("sample weight " + std::to_string(r) + " is " +
                     std::to_string(sample_weights[r]) + ", not a finite weight >= 0");
        }
        return this->train_step(x.data(), y.data(), rows,
                                sample_weights.empty() ? nullptr : sample_weights.data());
    }

    // The weight of every training sample in fit: its sample weight times its class's weight
    // (Keras's class_weight); empty when both are absent (every weight 1). Throws
    // std::invalid_argument for a class the loss's targets do not have or a weight that is not
    // finite and >= 0.
    [[nodiscard]] static std::vector<float> training_weights(const dataset_type& data,
                                                             const fit_options& options) {
        if (options.class_weight.empty())
            return data.weights();
        constexpr std::size_t classes = target_classes_v<Loss, outputs>;
        if constexpr (classes == 0) {
            throw std::invalid_argument(
                "fit: class_weight needs targets with classes (class indices, one-hot rows or "
                "one binary output), but the loss's targets have none");
        } else {
            std::vector<float> by_class(classes, 1.0f);
            for (const auto& [c, w] : options.class_weight) {
                if (c >= classes)
                    throw std::invalid_argument("fit: class_weight names class " +
                                                std::to_string(c) +
                                                ", but the "
                                                "targets have classes 0 to " +
                                                std::to_string(classes - 1));
                if (!(std::isfinite(w) && w >= 0.0f))
                    throw std::invalid_argument("fit: class_weight of class " + std::to_string(c) +
                                                " is " + std::to_string(w) +
                                                ", not a finite weight >= 0");
                by_class[c] = w;
            }
            std::vector<float> weights(data.size());
            for (std::size_t i = 0; i < data.size(); ++i)
                weights[i] = data.weight(i) * by_class[target_class<Loss, outputs>(data.target(i))];
            return weights;
        }
    }

    // Every target must be of the loss's kind (target_problem); a label such as 10 for 10
    // classes is refused here rather than silently clamped by the loss.
    static void check_targets(const dataset_type& data, const char* who) {
        for (std::size_t i = 0; i < data.size(); ++i)
            if (const std::string problem = target_problem<Loss, outputs>(data.target(i));
                !problem.empty())
                throw std::invalid_argument(std::string(who) + ": target " + std::to_string(i) +
                                            " " + problem);
    }
};

// A trainer on the heap (its workspace holds gradients and optimizer state for every weight).
template <std::size_t BatchSize, class Net, loss_function Loss, optimizer Optimizer>
std::unique_ptr<trainer<Net, Loss, Optimizer, BatchSize>> make_trainer(Net& net, Loss,
                                                                       Optimizer opt) {
    return std::make_unique<trainer<Net, Loss, Optimizer, BatchSize>>(net, opt);
}

} // namespace ctnn
