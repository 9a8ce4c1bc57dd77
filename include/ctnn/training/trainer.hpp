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
// batch size (every layer's training storage, the flat gradient buffer and the optimizer's
// state), so a training step allocates nothing. It trains any layer through the layer training
// protocol (layers/training_protocol.hpp): the passes are in training_pass.hpp, the parameter
// blocks and their update in parameter_blocks.hpp, the split between threads in row_split.hpp,
// the epochs in fit_loop.hpp.
//
// The optimizer's step runs inside the backward pass when it can (elementwise update, no
// weight regularization, the batch on one thread): every block is then read and written once
// per step. set_threads(2) (or fit_options::threads) splits each batch's rows between the
// threads of a team when every layer treats rows independently (batch normalization does not):
// each thread's gradients go to its own buffer, the buffers are summed part by part, and an
// elementwise optimizer updates the parts on their threads. Results equal one thread's up to the
// order of the gradient sums (rounding).
#pragma once

#include "ctnn/kernels/dense_weight_update.hpp"
#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/training/accuracy.hpp"
#include "ctnn/training/callback.hpp"
#include "ctnn/training/dataset.hpp"
#include "ctnn/training/evaluation.hpp"
#include "ctnn/training/fit_loop.hpp"
#include "ctnn/training/fit_options.hpp"
#include "ctnn/training/history.hpp"
#include "ctnn/training/parameter_blocks.hpp"
#include "ctnn/training/predictions.hpp"
#include "ctnn/training/row_split.hpp"
#include "ctnn/training/training_pass.hpp"
#include "ctnn/util/static_for.hpp"
#include "ctnn/util/thread_pool.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
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

// Losses whose target is a class index: every label must be an integer in [0, classes).
template <class Loss>
inline constexpr bool has_class_index_targets_v =
    std::is_same_v<Loss, sparse_categorical_crossentropy> ||
    std::is_same_v<Loss, sparse_categorical_crossentropy_from_logits>;

} // namespace detail

template <class Net, loss_function Loss, optimizer Optimizer, std::size_t BatchSize>
class trainer {
    static_assert(BatchSize > 0, "trainer: the batch size must be positive");
    using pass_type = detail::training_pass<Net, Loss, Optimizer, BatchSize>;
    using blocks_type = typename pass_type::blocks_type;
    using split_type = detail::row_split<blocks_type::total>;
    using row_sums = detail::row_sums;

public:
    using network_type = Net;
    using loss_type = Loss;
    using optimizer_type = Optimizer;
    static constexpr std::size_t batch_size = BatchSize;
    static constexpr std::size_t outputs = Net::output_shape::size;
    static constexpr bool has_accuracy = has_accuracy_v<Loss>;
    static constexpr std::size_t sample_size = Net::input_shape::size;
    static constexpr std::size_t target_size = Loss::target_size(outputs);
    // The data sets this trainer accepts.
    using dataset_type = dataset<typename Net::input_shape, shape<target_size>>;

    explicit trainer(Net& net, Optimizer opt = {}) : net_(&net), optimizer_(opt), blocks_(net) {
        reset();
    }

    // Forget the optimizer's state and step count (the weights are kept).
    void reset() noexcept {
        step_ = 0;
        blocks_.reset_state(optimizer_);
    }

    [[nodiscard]] Net& network() noexcept { return *net_; }
    [[nodiscard]] const Optimizer& optimizer() const noexcept { return optimizer_; }
    [[nodiscard]] std::size_t steps() const noexcept { return step_; }

    // Trains (and evaluates) on `threads` threads from now on: 1 is the calling thread alone,
    // 0 every hardware thread. Batches of fewer than 2 × min_rows_per_thread rows stay on the
    // calling thread, and so do the passes of networks whose layers span the batch's rows
    // (batch normalization); their update is still split.
    void set_threads(std::size_t threads) {
        const std::size_t wanted = threads == 0 ? default_thread_count() : threads;
        if (wanted == this->threads())
            return;
        split_.reset();
        member_sums_.clear();
        if (wanted > 1) {
            split_ = std::make_unique<split_type>(wanted);
            member_sums_.resize(wanted);
        }
    }
    [[nodiscard]] std::size_t threads() const noexcept { return split_ ? split_->size() : 1; }
    // Fewer rows than this per thread are not worth a hand-over (a few microseconds).
    static constexpr std::size_t min_rows_per_thread = 8;

    // Seeds the noise of training (dropout masks, gaussian_noise): fit seeds it from
    // fit_options::seed. Every batch after it draws new noise.
    void seed_noise(std::uint64_t seed) noexcept {
        noise_seed_ = seed;
        noise_batches_ = 0;
    }

    // The accumulated gradient of block b of layer I (a dense layer's kernel is block 0, in its
    // padded layout, and its bias block 1; batch normalization's gamma and beta), as the last
    // accumulate() or train_step() left it.
    template <std::size_t I>
    [[nodiscard]] const float* gradient(std::size_t block) const noexcept {
        return blocks_.gradients() +
               blocks_type::layout::blocks[blocks_type::layout::template first_block<I> + block]
                   .offset;
    }

    // One gradient-descent step on `rows` (1..BatchSize) samples: x holds rows × sample_size
    // values, y rows × target_size. Returns the batch's mean loss (before the update). Weights
    // are not changed when the loss is not finite.
    float train_step(const float* x, const float* y, std::size_t rows) noexcept {
        return mini_batch_step(x, y, rows).loss;
    }

    // The mean loss and accuracy of a batch.
    struct batch_result {
        float loss = 0;     // mean over the rows
        float accuracy = 0; // mean over the rows
    };

    // A forward pass over `rows` samples, and dL/dparams (scaled by `gradient_scale`) added to
    // the gradient buffer; returns the rows' mean loss and accuracy.
    batch_result accumulate(const float* x, const float* y, std::size_t rows,
                            float gradient_scale) noexcept {
        const std::uint64_t noise = next_noise_seed();
        if (!splits_rows(rows))
            return result_of(run_part(x, y, 0, rows, gradient_scale, noise, blocks_.gradients()),
                             rows);
        const row_sums sums = run_parts(x, y, rows, gradient_scale, noise);
        split_->run([&](std::size_t member) noexcept {
            const auto [begin, end] = split_->part(member, blocks_type::total);
            split_->gather(blocks_.gradients(), begin, end, /*assign=*/false);
        });
        return result_of(sums, rows);
    }

    // One update from one batch, with its mean loss and accuracy. Either way the weights are
    // untouched when the loss is not finite.
    batch_result mini_batch_step(const float* x, const float* y, std::size_t rows) noexcept {
        const float scale = 1.0f / static_cast<float>(rows);
        if constexpr (may_fuse) {
            if (!splits_rows(rows) && updates_elementwise(optimizer_)) {
                typename pass_type::views v;
                pass_.forward(*net_, x, 0, rows, /*training=*/true, next_noise_seed(), v);
                const batch_result result = result_of(output_part(v, y, 0, rows, scale), rows);
                if (std::isfinite(result.loss)) {
                    ++step_;
                    pass_.backward_updating(*net_, v, rows, scale, blocks_, optimizer_, step_);
                }
                return result;
            }
        }
        if (!pass_type::regularized && splits_rows(rows) && updates_elementwise(optimizer_)) {
            // Two hand-overs: the rows' passes, then each thread sums the threads' gradients of
            // its part of every block (overwriting the trainer's: no zeroing pass) and updates
            // that part while it is in cache.
            const batch_result result =
                result_of(run_parts(x, y, rows, scale, next_noise_seed()), rows);
            const bool update = std::isfinite(result.loss);
            step_ += update ? 1 : 0;
            split_->run([&](std::size_t member) noexcept {
                for (std::size_t k = 0; k < blocks_type::count; ++k) {
                    const auto& block = blocks_type::layout::blocks[k];
                    const auto [begin, end] = split_->part(member, block.size);
                    split_->gather(blocks_.gradients(), block.offset + begin, block.offset + end,
                                   /*assign=*/true);
                    if (update)
                        blocks_.update(optimizer_, k, begin, end, step_);
                }
            });
            return result;
        }
        zero_gradients();
        const batch_result result = accumulate(x, y, rows, scale);
        if (std::isfinite(result.loss))
            apply_update();
        return result;
    }

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

    void zero_gradients() noexcept { blocks_.zero_gradients(); }

    // The weight penalties of every regularized layer (part of the reported loss, as Keras).
    [[nodiscard]] float regularization_penalty() const noexcept {
        float total = 0.0f;
        static_for<Net::layer_count>(
            [&](auto i) { total += detail::penalty(net_->template layer<i>()); });
        return total;
    }

    // Adds the weight regularizers' gradients to the accumulated ones (apply_update does, once
    // per update).
    void add_regularization_gradients() noexcept {
        static_for<Net::layer_count>([&](auto i) {
            auto g = blocks_.template accumulating<i, false, false>(blocks_.gradients());
            detail::add_penalty_gradient(net_->template layer<i>(), g);
        });
    }

    // One optimizer update of every parameter block from the accumulated gradients (plus the
    // regularizers' gradients, added once per update).
    void apply_update() noexcept {
        if constexpr (pass_type::regularized)
            add_regularization_gradients();
        ++step_;
        if (split_ && updates_elementwise(optimizer_)) {
            split_->run([&](std::size_t member) noexcept {
                for (std::size_t k = 0; k < blocks_type::count; ++k) {
                    const auto [begin, end] =
                        split_->part(member, blocks_type::layout::blocks[k].size);
                    blocks_.update(optimizer_, k, begin, end, step_);
                }
            });
            return;
        }
        blocks_.update_all(optimizer_, step_);
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

    // Mean loss (and accuracy) over a data set, in batches of BatchSize; weights unchanged.
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
                loss += Loss::template value<outputs>(pred, data.target(start + r));
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

    // Class-index targets must name a class; a label such as 10 for 10 classes is refused here
    // rather than silently clamped by the loss.
    static void check_targets(const dataset_type& data, const char* who) {
        if constexpr (detail::has_class_index_targets_v<Loss>) {
            for (std::size_t i = 0; i < data.size(); ++i) {
                const float label = data.target(i)[0];
                if (!(label >= 0.0f && label < static_cast<float>(outputs)) ||
                    label != std::floor(label))
                    throw std::invalid_argument(std::string(who) + ": target " + std::to_string(i) +
                                                " is " + std::to_string(label) +
                                                ", not a class index in [0, " +
                                                std::to_string(outputs) + ")");
            }
        }
    }

    // Row r of the network's outputs after the last forward pass (training step or evaluate).
    [[nodiscard]] const float* output_row(std::size_t r) const noexcept {
        return pass_.output_row(r);
    }

private:
    // The optimizer's step may run inside the backward pass (when it updates elementwise, the
    // batch is on one thread and no weight penalty must join the gradients first).
    static constexpr bool may_fuse =
        !pass_type::regularized && kernels::fusable_optimizer<Optimizer>; // TEMPORARY

    // One part of a batch (rows [first, first + rows)): forward, loss, backward into `gradients`.
    row_sums run_part(const float* x, const float* y, std::size_t first, std::size_t rows,
                      float scale, std::uint64_t noise, float* gradients) noexcept {
        typename pass_type::views v;
        pass_.forward(*net_, x, first, rows, /*training=*/true, noise, v);
        const row_sums sums = output_part(v, y, first, rows, scale);
        pass_.backward(*net_, v, first, rows, scale, gradients, blocks_);
        return sums;
    }

    // The batch's parts on the team's threads, each into its own gradient buffer.
    row_sums run_parts(const float* x, const float* y, std::size_t rows, float scale,
                       std::uint64_t noise) noexcept {
        split_->run([&](std::size_t member) noexcept {
            const auto [first, count] = split_->rows(member, rows);
            member_sums_[member] = run_part(x, y, first, count, scale, noise, split_->copy(member));
        });
        row_sums total;
        for (const row_sums& part : member_sums_)
            total += part;
        return total;
    }

    // The loss sums of a part after its forward pass (with the activity penalties) and its
    // output gradient.
    row_sums output_part(const typename pass_type::views& v, const float* y, std::size_t first,
                         std::size_t rows, float scale) noexcept {
        row_sums sums = pass_.output_gradient(v, y, first, rows, scale);
        if constexpr (pass_type::activity_regularized)
            sums.loss += pass_.activity_penalty(*net_, first, rows);
        return sums;
    }

    // The batch's mean loss (with the weight penalties) and accuracy from its row sums.
    batch_result result_of(const row_sums& sums, std::size_t rows) const noexcept {
        batch_result result{sums.loss / static_cast<float>(rows),
                            sums.accuracy / static_cast<float>(rows)};
        // A loss that clips its inputs would hide NaN outputs behind a finite value.
        if (!sums.finite)
            result.loss = std::numeric_limits<float>::quiet_NaN();
        if constexpr (pass_type::regularized)
            result.loss += regularization_penalty();
        return result;
    }

    // Runs `rows` samples through the network as predict does, keeping the outputs (split
    // between the threads when there is a team: in inference every layer treats rows alone).
    void forward_inference(const float* x, std::size_t rows) noexcept {
        on_row_parts(rows, [&](std::size_t first, std::size_t count) noexcept {
            typename pass_type::views v;
            pass_.forward(*net_, x, first, count, /*training=*/false, 0, v);
        });
    }

    // Whether a batch of `rows` is split between threads: only with a team, enough rows, and
    // layers whose training pass treats rows independently.
    [[nodiscard]] bool splits_rows(std::size_t rows) const noexcept {
        return pass_type::rows_independent && split_ != nullptr && rows >= 2 * min_rows_per_thread;
    }
    // part(first, count) over `rows` rows: split between the threads when there is a team and
    // enough rows, else all on the calling thread. Only for work that treats rows independently.
    template <class Part>
    void on_row_parts(std::size_t rows, const Part& part) noexcept {
        if (split_ == nullptr || rows < 2 * min_rows_per_thread) {
            part(std::size_t{0}, rows);
            return;
        }
        split_->run([&](std::size_t member) noexcept {
            const auto [first, count] = split_->rows(member, rows);
            part(first, count);
        });
    }

    // Every training batch draws new noise: the seed of batch n after seed_noise(s).
    std::uint64_t next_noise_seed() noexcept {
        return counter_random(noise_seed_, noise_batches_++, 0);
    }

    Net* net_;
    Optimizer optimizer_;
    std::size_t step_ = 0;
    std::uint64_t noise_seed_ = 0;
    std::uint64_t noise_batches_ = 0;
    pass_type pass_;
    blocks_type blocks_;
    std::unique_ptr<split_type> split_; // with set_threads(n > 1)
    std::vector<row_sums> member_sums_; // each thread's loss sums
};

// A trainer on the heap (its workspace holds gradients and optimizer state for every weight).
template <std::size_t BatchSize, class Net, loss_function Loss, optimizer Optimizer>
std::unique_ptr<trainer<Net, Loss, Optimizer, BatchSize>> make_trainer(Net& net, Loss,
                                                                       Optimizer opt) {
    return std::make_unique<trainer<Net, Loss, Optimizer, BatchSize>>(net, opt);
}

} // namespace ctnn
