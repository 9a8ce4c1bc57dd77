// ctnn/training/step_engine.hpp - one gradient-descent step of a network × loss × optimizer ×
// batch size: what trainer::train_step and trainer::fit run for every batch.
//
// The engine owns the training storage of every layer (training_pass.hpp), the flat gradient
// buffer with the optimizer's state (parameter_blocks.hpp) and, after set_threads(n > 1), a
// team that splits each batch's rows (row_split.hpp). A step takes one of three paths:
// - fused: the optimizer's element rule runs inside the backward pass (no clipnorm, the batch
//   on one thread, no weight penalty to add to the gradients first): every parameter block is
//   read and written once per step;
// - split: each thread runs its rows into its own gradient buffer, then sums one part of every
//   block and updates it while it is in cache;
// - plain: zero the gradients, accumulate, update (clipnorm, weight penalties, batch
//   normalization on two threads, full-batch descent's many batches per update).
// The weights are untouched when a batch's loss is not finite. Steps run with denormals flushed
// to zero, as TensorFlow's CPU kernels do (util/denormals.hpp: 4x faster once an optimizer's
// state decays into the denormal range). trainer.hpp adds data sets, fit,
// evaluate and predict on top.
#pragma once

#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/training/parameter_blocks.hpp"
#include "ctnn/training/row_split.hpp"
#include "ctnn/training/training_pass.hpp"
#include "ctnn/util/denormals.hpp"
#include "ctnn/util/static_for.hpp"
#include "ctnn/util/thread_pool.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace ctnn::detail {

template <class Net, loss_function Loss, optimizer Optimizer, std::size_t BatchSize>
class step_engine {
protected:
    using pass_type = training_pass<Net, Loss, Optimizer, BatchSize>;
    using blocks_type = typename pass_type::blocks_type;
    using split_type = row_split<blocks_type::total>;

public:
    using network_type = Net;
    using loss_type = Loss;
    using optimizer_type = Optimizer;
    static constexpr std::size_t batch_size = BatchSize;
    static constexpr std::size_t outputs = Net::output_shape::size;
    static constexpr bool has_accuracy = has_accuracy_v<Loss>;
    static constexpr std::size_t sample_size = Net::input_shape::size;
    static constexpr std::size_t target_size = Loss::target_size(outputs);
    explicit step_engine(Net& net, Optimizer opt)
        : net_(&net), optimizer_(opt), elementwise_(updates_elementwise(optimizer_)), blocks_(net) {
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
    // values, y rows × target_size, sample_weights (optional) rows weights (Keras's
    // sample_weight: each sample's loss is multiplied by its weight and the batch's loss is
    // their sum over `rows`). Returns the batch's loss (before the update). The parameters are
    // not changed when the loss is not finite. No checks: trainer::train_on_batch checks.
    float train_step(const float* x, const float* y, std::size_t rows,
                     const float* sample_weights = nullptr) noexcept {
        return mini_batch_step(x, y, rows, sample_weights).loss;
    }

    // The mean loss and accuracy of a batch.
    struct batch_result {
        float loss = 0;     // mean over the rows
        float accuracy = 0; // mean over the rows
    };

    // A forward pass over `rows` samples, and dL/dparams (scaled by `gradient_scale`) added to
    // the gradient buffer; returns the rows' mean loss and accuracy.
    batch_result accumulate(const float* x, const float* y, std::size_t rows, float gradient_scale,
                            const float* sample_weights = nullptr) noexcept {
        const flush_denormals scope; // as TensorFlow trains (util/denormals.hpp)
        const std::uint64_t noise = next_noise_seed();
        const batch_data batch{x, y, sample_weights, rows};
        if (!splits_rows(rows))
            return result_of(run_part(batch, 0, rows, gradient_scale, noise, blocks_.gradients()),
                             rows);
        const row_sums sums = run_parts(batch, gradient_scale, noise);
        split_->run([&](std::size_t member) noexcept {
            const auto [begin, end] = split_->part(member, blocks_type::total);
            split_->gather(blocks_.gradients(), begin, end, /*assign=*/false);
        });
        return result_of(sums, rows);
    }

    // One update from one batch, with its mean loss and accuracy. Either way the weights are
    // untouched when the loss is not finite.
    batch_result mini_batch_step(const float* x, const float* y, std::size_t rows,
                                 const float* sample_weights = nullptr) noexcept {
        const flush_denormals scope; // as TensorFlow trains (util/denormals.hpp)
        const float scale = 1.0f / static_cast<float>(rows);
        const batch_data batch{x, y, sample_weights, rows};
        if constexpr (may_fuse) {
            if (!splits_rows(rows) && elementwise_) {
                typename pass_type::views v;
                pass_.forward(*net_, x, 0, rows, /*training=*/true, next_noise_seed(), v);
                const batch_result result = result_of(output_part(v, batch, 0, rows, scale), rows);
                if (std::isfinite(result.loss)) {
                    ++step_;
                    pass_.backward_updating(*net_, v, rows, scale, blocks_, optimizer_, step_);
                }
                return result;
            }
        }
        if (!pass_type::regularized && splits_rows(rows) && elementwise_) {
            // Two hand-overs: the rows' passes, then each thread sums the threads' gradients of
            // its part of every block (overwriting the trainer's: no zeroing pass) and updates
            // that part while it is in cache.
            const batch_result result = result_of(run_parts(batch, scale, next_noise_seed()), rows);
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
        const batch_result result = accumulate(x, y, rows, scale, sample_weights);
        if (std::isfinite(result.loss))
            apply_update();
        return result;
    }

    void zero_gradients() noexcept { blocks_.zero_gradients(); }

    // The weight penalties of every regularized layer (part of the reported loss, as Keras).
    [[nodiscard]] float regularization_penalty() const noexcept {
        float total = 0.0f;
        static_for<Net::layer_count>([&](auto i) { total += penalty(net_->template layer<i>()); });
        return total;
    }

    // Adds the weight regularizers' gradients to the accumulated ones (apply_update does, once
    // per update).
    void add_regularization_gradients() noexcept {
        static_for<Net::layer_count>([&](auto i) {
            auto g = blocks_.template accumulating<i, false, false>(blocks_.gradients());
            add_penalty_gradient(net_->template layer<i>(), g);
        });
    }

    // One optimizer update of every parameter block from the accumulated gradients (plus the
    // regularizers' gradients, added once per update).
    void apply_update() noexcept {
        const flush_denormals scope;
        if constexpr (pass_type::regularized)
            add_regularization_gradients();
        ++step_;
        if (split_ && elementwise_) {
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

    // Row r of the network's outputs after the last forward pass (training step or evaluate).
    [[nodiscard]] const float* output_row(std::size_t r) const noexcept {
        return pass_.output_row(r);
    }

protected:
    // The optimizer's step may run inside the backward pass (when it does not clip by norm, the
    // batch is on one thread and no weight penalty must join the gradients first).
    static constexpr bool may_fuse = !pass_type::regularized;

    // A batch's rows, targets and sample weights (null: all 1).
    struct batch_data {
        const float* x;
        const float* y;
        const float* weights;
        std::size_t rows;
    };

    // One part of a batch (rows [first, first + rows)): forward, loss, backward into `gradients`.
    row_sums run_part(const batch_data& batch, std::size_t first, std::size_t rows, float scale,
                      std::uint64_t noise, float* gradients) noexcept {
        typename pass_type::views v;
        pass_.forward(*net_, batch.x, first, rows, /*training=*/true, noise, v);
        const row_sums sums = output_part(v, batch, first, rows, scale);
        pass_.backward(*net_, v, first, rows, scale, gradients, blocks_);
        return sums;
    }

    // The batch's parts on the team's threads, each into its own gradient buffer.
    row_sums run_parts(const batch_data& batch, float scale, std::uint64_t noise) noexcept {
        split_->run([&](std::size_t member) noexcept {
            const auto [first, count] = split_->rows(member, batch.rows);
            member_sums_[member] =
                run_part(batch, first, count, scale, noise, split_->copy(member));
        });
        row_sums total;
        for (const row_sums& part : member_sums_)
            total += part;
        return total;
    }

    // The loss sums of a part after its forward pass (with the activity penalties) and its
    // output gradient.
    row_sums output_part(const typename pass_type::views& v, const batch_data& batch,
                         std::size_t first, std::size_t rows, float scale) noexcept {
        row_sums sums = pass_.output_gradient(v, batch.y, batch.weights, first, rows, scale);
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
    // Whether its update may be split (no clipnorm): fixed with the optimizer, so it is not
    // worked out again (a rule, with its powers and schedule) on every step.
    bool elementwise_;
    std::size_t step_ = 0;
    std::uint64_t noise_seed_ = 0;
    std::uint64_t noise_batches_ = 0;
    pass_type pass_;
    blocks_type blocks_;
    std::unique_ptr<split_type> split_; // with set_threads(n > 1)
    std::vector<row_sums> member_sums_; // each thread's loss sums
};

} // namespace ctnn::detail
