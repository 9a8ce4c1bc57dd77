// ctnn/training/trainer.hpp - backpropagation and gradient descent for a network type.
//
//   using net_t = ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>,
//                               ctnn::dense<10, ctnn::softmax>>;
//   auto net = std::make_unique<net_t>();
//   auto trainer = ctnn::make_trainer<32>(*net, ctnn::sparse_categorical_crossentropy{},
//                                         ctnn::adam<>{.learning_rate = 1e-3f});
//   ctnn::history h = trainer->fit(train, {.epochs = 10, .validation_split = 0.1f});
//   auto [loss, accuracy] = trainer->evaluate(test);
//
// A trainer is network × loss × optimizer × batch size. It owns a fixed-size workspace for that
// batch size (every layer's outputs, pre-activations where the activation's derivative needs
// them, gradients and optimizer state), so a training step allocates nothing. The last layer's
// activation and the loss fuse where the math allows (softmax + categorical cross-entropy,
// sigmoid + binary cross-entropy: dL/dz = p - y).
//
// set_threads(2) (or fit_options::threads) splits each batch's rows between the threads of a
// thread_team: each runs the forward and backward passes of its rows into its own gradient
// buffers, the buffers are summed, and elementwise optimizers update halves of each block in
// parallel. Results equal one thread's up to the order of the gradient sums (rounding).
// Networks with dropout or batch normalization keep their forward and backward passes on one
// thread (their masks and batch statistics span the whole batch); their update is still split.
#pragma once

#include "ctnn/kernels/dense_weight_update.hpp"
#include "ctnn/util/static_for.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/loss/targets.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/policies/optimizer/sgd.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/training/callback.hpp"
#include "ctnn/training/dataset.hpp"
#include "ctnn/training/early_stopping.hpp"
#include "ctnn/training/fit_loop.hpp"
#include "ctnn/training/fit_options.hpp"
#include "ctnn/training/history.hpp"
#include "ctnn/training/workspace.hpp"
#include "ctnn/util/thread_pool.hpp"
#include "ctnn/util/thread_team.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ctnn {

// Loss and accuracy of a network over a data set.
struct evaluation {
    double loss = 0;
    double accuracy = std::nan(""); // NaN when the loss has no accuracy (regression)
};

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

template <class O>
inline constexpr bool is_sgd_v = false;
template <class LearningRate>
inline constexpr bool is_sgd_v<sgd<LearningRate>> = true;

template <std::size_t N>
bool all_finite(const float* values) noexcept {
    bool finite = true;
    for (std::size_t j = 0; j < N; ++j)
        finite &= std::isfinite(values[j]);
    return finite;
}

} // namespace detail

template <class Net, loss_function Loss, optimizer Optimizer, std::size_t BatchSize>
class trainer {
    static_assert(BatchSize > 0, "trainer: the batch size must be positive");
    static constexpr std::size_t layer_count = Net::layer_count;
    template <std::size_t I>
    using layer_t = typename Net::template layer_type<I>;
    using last_layer = layer_t<layer_count - 1>;
    static_assert(detail::has_parameters_v<last_layer>,
                  "trainer: the last layer of a trained network must have parameters (e.g. a "
                  "dense layer), not flatten or dropout");
    static constexpr std::size_t slots = Optimizer::state_slots;

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

    explicit trainer(Net& net, Optimizer opt = {}) : net_(&net), optimizer_(opt) { reset(); }

    // Forget the optimizer's state and step count (the weights are kept).
    void reset() noexcept {
        step_ = 0;
        static_for<layer_count>([&](auto i) {
            if constexpr (detail::has_parameters_v<layer_t<i>>) {
                auto& ws = std::get<i>(workspace_);
                reset_optimizer_state(optimizer_,
                                      std::span<float* const, slots>(detail::slot_pointers<slots>(
                                          ws.kernel_state.data(), ws.kernel_size)),
                                      ws.kernel_size);
                reset_optimizer_state(optimizer_,
                                      std::span<float* const, slots>(detail::slot_pointers<slots>(
                                          ws.bias_state.data(), ws.bias_size)),
                                      ws.bias_size);
            } else if constexpr (detail::normalizes_batch_v<layer_t<i>>) {
                auto& ws = std::get<i>(workspace_);
                for (float* state : {ws.gamma_state.data(), ws.beta_state.data()})
                    reset_optimizer_state(optimizer_,
                                          std::span<float* const, slots>(
                                              detail::slot_pointers<slots>(state, ws.stride)),
                                          ws.stride);
            }
        });
    }

    [[nodiscard]] Net& network() noexcept { return *net_; }
    [[nodiscard]] const Optimizer& optimizer() const noexcept { return optimizer_; }
    [[nodiscard]] std::size_t steps() const noexcept { return step_; }

    // Trains (and evaluates) on `threads` threads from now on: 1 is the calling thread alone,
    // 0 every hardware thread. Batches of fewer than 2 × min_rows_per_thread rows stay on the
    // calling thread, and so do the passes of networks with dropout or batch normalization.
    void set_threads(std::size_t threads) {
        const std::size_t wanted = threads == 0 ? default_thread_count() : threads;
        if (wanted == this->threads())
            return;
        team_.reset();
        gradient_copies_.reset();
        if (wanted > 1) {
            team_ = std::make_unique<thread_team>(wanted);
            gradient_copies_ = std::make_unique<gradient_block[]>(wanted); // zeroed
            member_sums_.assign(wanted, row_sums{});
        }
    }
    [[nodiscard]] std::size_t threads() const noexcept { return team_ ? team_->size() : 1; }
    // Fewer rows than this per thread are not worth a hand-over (a few microseconds).
    static constexpr std::size_t min_rows_per_thread = 8;

    // Seeds the generator of dropout masks (fit seeds it from fit_options::seed).
    void seed_dropout(std::uint64_t seed) noexcept { mask_generator_.seed(seed); }

    // The accumulated gradients of layer I's kernel and bias (dense_layout: rows of the kernel
    // padded), as the last accumulate() or train_step() left them.
    template <std::size_t I>
    [[nodiscard]] const float* kernel_gradient() const noexcept {
        return std::get<I>(workspace_).dw.data();
    }
    template <std::size_t I>
    [[nodiscard]] const float* bias_gradient() const noexcept {
        return std::get<I>(workspace_).db.data();
    }
    // The same for a batch normalization layer's gamma and beta.
    template <std::size_t I>
    [[nodiscard]] const float* gamma_gradient() const noexcept {
        return std::get<I>(workspace_).dgamma.data();
    }
    template <std::size_t I>
    [[nodiscard]] const float* beta_gradient() const noexcept {
        return std::get<I>(workspace_).dbeta.data();
    }

    // One gradient-descent step on `rows` (1..BatchSize) samples: x holds rows × sample_size
    // values, y rows × target_size. Returns the batch's mean loss (before the update). Weights
    // are not changed when the loss is not finite.
    float train_step(const float* x, const float* y, std::size_t rows) noexcept {
        return mini_batch_step(x, y, rows).loss;
    }

    // Sum of losses and of accuracies over `rows` samples after a forward pass, and dL/dparams
    // (scaled by `gradient_scale`) added to the gradient buffers.
    struct batch_result {
        float loss = 0;     // mean over the rows
        float accuracy = 0; // mean over the rows
    };
    batch_result accumulate(const float* x, const float* y, std::size_t rows,
                            float gradient_scale) noexcept {
        if (!splits_rows(rows)) {
            forward(x, rows, /*training=*/true);
            const batch_result result = output_gradient(y, rows, gradient_scale);
            backward(x, rows);
            return result;
        }
        const batch_result result = accumulate_parts(x, y, rows, gradient_scale);
        team_->run([&](std::size_t member) noexcept {
            combine_part(member, /*assign=*/false, /*update=*/false);
        });
        return result;
    }

    // One update from one batch, with its mean loss and accuracy. SGD's update runs inside the
    // weight-gradient pass (kernels/dense_weight_update.hpp; 8-17 % faster for the memory-bound
    // momentum rule, measured in bench/train_bench.cpp); other optimizers, and clipnorm, take
    // the two passes. Either way the weights are untouched when the loss is not finite.
    batch_result mini_batch_step(const float* x, const float* y, std::size_t rows) noexcept {
        const float scale = 1.0f / static_cast<float>(rows);
        if constexpr (fuses_weight_update) {
            if (kernels::fused_update_applies(optimizer_) && !splits_rows(rows)) {
                forward(x, rows, /*training=*/true);
                const batch_result result = output_gradient(y, rows, scale);
                if (std::isfinite(result.loss)) {
                    ++step_;
                    backward(x, rows, /*update=*/true);
                }
                return result;
            }
        }
        if (!regularized && splits_rows(rows) && splits_update()) {
            // Two hand-overs: the rows' passes, then each thread sums the threads' gradients of
            // its part into the workspace (overwriting it: no zeroing pass) and updates the part.
            const batch_result result = accumulate_parts(x, y, rows, scale);
            const bool update = std::isfinite(result.loss);
            step_ += update ? 1 : 0;
            team_->run([&](std::size_t member) noexcept {
                combine_part(member, /*assign=*/true, update);
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

    // The loss and accuracy of the last forward pass and dL/d(output) × scale into delta_.
    batch_result output_gradient(const float* y, std::size_t rows, float gradient_scale) noexcept {
        activity_gradient_scale_ = gradient_scale;
        return batch_result_of(output_rows(y, 0, rows, gradient_scale), rows);
    }

    void zero_gradients() noexcept {
        static_for<layer_count>([&](auto i) {
            if constexpr (detail::has_parameters_v<layer_t<i>>) {
                auto& ws = std::get<i>(workspace_);
                ws.dw.fill(0.0f);
                ws.db.fill(0.0f);
            } else if constexpr (detail::normalizes_batch_v<layer_t<i>>) {
                auto& ws = std::get<i>(workspace_);
                ws.dgamma.fill(0.0f);
                ws.dbeta.fill(0.0f);
            }
        });
    }

    // The weight penalties of every regularized layer (part of the reported loss, as Keras).
    [[nodiscard]] float regularization_penalty() const noexcept {
        float total = 0.0f;
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            if constexpr (detail::has_parameters_v<L>) {
                const auto& layer = net_->template layer<i>();
                total +=
                    L::kernel_regularizer::penalty(layer.kernel_data(), L::layout::kernel_size);
                total += L::bias_regularizer::penalty(layer.bias_data(), L::layout::bias_size);
            }
        });
        return total;
    }

    // The activity regularizers' penalties summed over the `rows` samples of the last forward
    // pass (each regularized layer's outputs, after its activation).
    [[nodiscard]] float activity_penalty(std::size_t rows) const noexcept {
        float total = 0.0f;
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            if constexpr (detail::has_parameters_v<L>) {
                const auto& ws = std::get<i>(workspace_);
                for (std::size_t r = 0; r < rows; ++r)
                    total += L::activity_regularizer::penalty(ws.y.data() + r * ws.stride,
                                                              L::output_shape::size);
            }
        });
        return total;
    }

    // Adds the regularizers' gradients to the accumulated ones (once per update).
    void add_regularization_gradients() noexcept {
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            if constexpr (detail::has_parameters_v<L>) {
                auto& ws = std::get<i>(workspace_);
                const auto& layer = net_->template layer<i>();
                L::kernel_regularizer::add_gradient(layer.kernel_data(), ws.dw.data(),
                                                    ws.kernel_size);
                L::bias_regularizer::add_gradient(layer.bias_data(), ws.db.data(), ws.bias_size);
            }
        });
    }

    // One optimizer update of every parameter block from the accumulated gradients (plus the
    // regularizers' gradients, added once per update).
    void apply_update() noexcept {
        if constexpr (regularized)
            add_regularization_gradients();
        ++step_;
        if (splits_update()) {
            team_->run([&](std::size_t member) noexcept {
                static_for<layer_count>([&](auto i) {
                    if constexpr (detail::has_parameters_v<layer_t<i>>)
                        update_part<i>(member);
                    else if constexpr (detail::normalizes_batch_v<layer_t<i>>)
                        if (member == 0) // gamma and beta: one vector each
                            update_scale_and_shift<i>();
                });
            });
            return;
        }
        static_for<layer_count>([&](auto i) {
            if constexpr (detail::has_parameters_v<layer_t<i>>) {
                auto& ws = std::get<i>(workspace_);
                auto& layer = net_->template layer<i>();
                optimizer_.update(layer.kernel_data(), ws.dw.data(),
                                  std::span<float* const, slots>(detail::slot_pointers<slots>(
                                      ws.kernel_state.data(), ws.kernel_size)),
                                  ws.kernel_size, step_);
                optimizer_.update(layer.bias_data(), ws.db.data(),
                                  std::span<float* const, slots>(detail::slot_pointers<slots>(
                                      ws.bias_state.data(), ws.bias_size)),
                                  ws.bias_size, step_);
            } else if constexpr (detail::normalizes_batch_v<layer_t<i>>) {
                update_scale_and_shift<i>();
            }
        });
    }

    // Batch normalization's gamma and beta, updated like two bias vectors.
    template <std::size_t I>
    void update_scale_and_shift() noexcept {
        auto& ws = std::get<I>(workspace_);
        auto& layer = net_->template layer<I>();
        optimizer_.update(layer.gamma_data(), ws.dgamma.data(),
                          std::span<float* const, slots>(
                              detail::slot_pointers<slots>(ws.gamma_state.data(), ws.stride)),
                          ws.stride, step_);
        optimizer_.update(layer.beta_data(), ws.dbeta.data(),
                          std::span<float* const, slots>(
                              detail::slot_pointers<slots>(ws.beta_state.data(), ws.stride)),
                          ws.stride, step_);
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
            const auto& out = std::get<layer_count - 1>(workspace_);
            constexpr std::size_t stride = simd::padded_size<float>(outputs);
            for (std::size_t r = 0; r < rows; ++r) {
                const float* pred = out.y.data() + r * stride;
                if (!detail::all_finite<outputs>(pred))
                    loss = std::nan(""); // not hidden by the loss's clipping
                loss += Loss::template value<outputs>(pred, data.target(start + r));
                if constexpr (has_accuracy_v<Loss>)
                    accuracy += sample_accuracy<Loss, outputs>(pred, data.target(start + r));
            }
            if constexpr (activity_regularized)
                loss += static_cast<double>(activity_penalty(rows));
        }
        const double n = static_cast<double>(data.size());
        if constexpr (regularized)
            loss += n * static_cast<double>(regularization_penalty()); // Keras reports it too
        return {loss / n, has_accuracy_v<Loss> ? accuracy / n : std::nan("")};
    }

    // The network's outputs for every sample (n × outputs values, row-major).
    std::vector<float> predict(const dataset_type& data) {
        std::vector<float> result(data.size() * outputs);
        for (std::size_t start = 0; start < data.size(); start += BatchSize) {
            const std::size_t rows = std::min(BatchSize, data.size() - start);
            forward_inference(data.sample(start), rows);
            const auto& out = std::get<layer_count - 1>(workspace_);
            constexpr std::size_t stride = simd::padded_size<float>(outputs);
            for (std::size_t r = 0; r < rows; ++r)
                std::copy_n(out.y.data() + r * stride, outputs,
                            result.data() + (start + r) * outputs);
        }
        return result;
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

    // Row r of the network's outputs after the last forward pass (training step or evaluate).
    [[nodiscard]] const float* output_row(std::size_t r) const noexcept {
        return std::get<layer_count - 1>(workspace_).y.data() +
               r * simd::padded_size<float>(outputs);
    }

private:
    // Sums over some rows of a batch, before the mean is taken.
    struct row_sums {
        float loss = 0;
        float accuracy = 0;
        bool finite = true; // all outputs finite
    };

    // The loss and accuracy sums of rows [first, first + count) of the last forward pass, and
    // their dL/d(output) × scale into delta_. y points to the batch's first target.
    row_sums output_rows(const float* y, std::size_t first, std::size_t count,
                         float gradient_scale) noexcept {
        auto& out = std::get<layer_count - 1>(workspace_);
        constexpr std::size_t stride = simd::padded_size<float>(outputs);
        row_sums sums;
        for (std::size_t r = first; r < first + count; ++r) {
            const float* pred = out.y.data() + r * stride;
            const float* target = y + r * target_size;
            sums.finite &= detail::all_finite<outputs>(pred);
            sums.loss += Loss::template value<outputs>(pred, target);
            if constexpr (has_accuracy_v<Loss>)
                sums.accuracy += sample_accuracy<Loss, outputs>(pred, target);
            float* grad = delta_rows(delta_, first) + (r - first) * stride;
            if constexpr (fused_output)
                Loss::template gradient_wrt_logits<outputs>(pred, target, grad);
            else
                Loss::template gradient<outputs>(pred, target, grad);
            for (std::size_t j = 0; j < outputs; ++j)
                grad[j] *= gradient_scale;
        }
        return sums;
    }

    // The split batch's passes: each thread takes its rows forward, computes their loss and
    // dL/d(output) and takes them backward into its own gradient buffers (gradient_copies_,
    // summed into the workspace's by combine_part).
    batch_result accumulate_parts(const float* x, const float* y, std::size_t rows,
                                  float gradient_scale) noexcept {
        activity_gradient_scale_ = gradient_scale;
        team_->run([&](std::size_t member) noexcept {
            const auto [first, count] = member_rows(member, rows);
            forward(x, count, /*training=*/true, first);
            member_sums_[member] = output_rows(y, first, count, gradient_scale);
            backward(x, count, /*update=*/false, first, &gradient_copies_[member]);
        });
        row_sums total;
        for (const row_sums& part : member_sums_) {
            total.loss += part.loss;
            total.accuracy += part.accuracy;
            total.finite &= part.finite;
        }
        return batch_result_of(total, rows);
    }

    // The batch's mean loss (with the penalties) and accuracy from its row sums.
    batch_result batch_result_of(const row_sums& sums, std::size_t rows) const noexcept {
        batch_result result{sums.loss / static_cast<float>(rows),
                            sums.accuracy / static_cast<float>(rows)};
        // A loss that clips its inputs would hide NaN outputs behind a finite value.
        if (!sums.finite)
            result.loss = std::numeric_limits<float>::quiet_NaN();
        if constexpr (regularized)
            result.loss += regularization_penalty();
        if constexpr (activity_regularized)
            result.loss += activity_penalty(rows) / static_cast<float>(rows);
        return result;
    }

    // Whether a batch of `rows` is split between threads: only with a team, enough rows, and
    // layers whose training pass treats rows independently.
    [[nodiscard]] bool splits_rows(std::size_t rows) const noexcept {
        return rows_independent && team_ != nullptr && rows >= 2 * min_rows_per_thread;
    }
    // part(first, count) over `rows` rows: split between the threads when there is a team and
    // enough rows, else all on the calling thread. Only for work that treats rows independently.
    template <class Part>
    void on_row_parts(std::size_t rows, const Part& part) noexcept {
        if (team_ == nullptr || rows < 2 * min_rows_per_thread) {
            part(std::size_t{0}, rows);
            return;
        }
        team_->run([&](std::size_t member) noexcept {
            const auto [first, count] = member_rows(member, rows);
            part(first, count);
        });
    }
    // Member m's rows of a batch: [first, first + count).
    [[nodiscard]] std::pair<std::size_t, std::size_t> member_rows(std::size_t member,
                                                                  std::size_t rows) const noexcept {
        const std::size_t members = team_->size();
        const std::size_t first = member * rows / members;
        return {first, (member + 1) * rows / members - first};
    }

    // The part [begin, end) of an n-float block member m takes, cut at 16-float (64-byte)
    // boundaries so that each part stays aligned.
    [[nodiscard]] std::pair<std::size_t, std::size_t> member_block(std::size_t member,
                                                                   std::size_t n) const noexcept {
        constexpr std::size_t grain = 16;
        const std::size_t members = team_->size();
        const std::size_t units = (n + grain - 1) / grain;
        return {std::min(n, member * units / members * grain),
                std::min(n, (member + 1) * units / members * grain)};
    }

    // Member m's share of what follows the rows' passes: for its part of every block, every
    // thread's gradients summed into the workspace's (added to them, or replacing them with
    // `assign`) and cleared for the next batch, then, with `update`, the optimizer's update of
    // that part.
    void combine_part(std::size_t member, bool assign, bool update) noexcept {
        const std::size_t copies = team_->size();
        static_for<layer_count>([&](auto i) {
            if constexpr (detail::has_parameters_v<layer_t<i>>) {
                auto& ws = std::get<i>(workspace_);
                const auto [kb, ke] = member_block(member, ws.kernel_size);
                const auto [bb, be] = member_block(member, ws.bias_size);
                for (std::size_t c = 0; c < copies; ++c) {
                    float* copy = gradient_copies_[c].values.data() + gradient_offset(i);
                    const bool first_assigns = assign && c == 0;
                    move_into(copy + kb, ws.dw.data() + kb, ke - kb, first_assigns);
                    move_into(copy + ws.kernel_size + bb, ws.db.data() + bb, be - bb,
                              first_assigns);
                }
                if (update) // while the part is in cache
                    update_part<i>(member);
            }
        });
    }

    // to = from (assign) or to += from, then from = 0.
    static void move_into(float* from, float* to, std::size_t n, bool assign) noexcept {
        if (assign)
            std::copy_n(from, n, to);
        else
            for (std::size_t k = 0; k < n; ++k)
                to[k] += from[k];
        std::fill_n(from, n, 0.0f);
    }

    // Whether apply_update splits every block between the threads: with a team, an optimizer
    // whose update is elementwise and no clipnorm (it needs the whole block's norm).
    [[nodiscard]] bool splits_update() const noexcept {
        if constexpr (updates_elementwise_v<Optimizer>) {
            if constexpr (requires { optimizer_.clipnorm; })
                if (optimizer_.clipnorm > 0.0f)
                    return false;
            return team_ != nullptr;
        } else {
            return false;
        }
    }
    // The optimizer's update of member m's part of dense layer I's kernel and bias.
    template <std::size_t I>
    void update_part(std::size_t member) noexcept {
        auto& ws = std::get<I>(workspace_);
        auto& layer = net_->template layer<I>();
        const auto [kb, ke] = member_block(member, ws.kernel_size);
        update_range(layer.kernel_data(), ws.dw.data(), ws.kernel_state.data(), ws.kernel_size, kb,
                     ke);
        const auto [bb, be] = member_block(member, ws.bias_size);
        update_range(layer.bias_data(), ws.db.data(), ws.bias_state.data(), ws.bias_size, bb, be);
    }
    // The optimizer's update of [begin, end) of an n-parameter block with its state.
    void update_range(float* params, const float* grads, float* state, std::size_t n,
                      std::size_t begin, std::size_t end) noexcept {
        if (begin == end)
            return;
        std::array<float*, slots> part = detail::slot_pointers<slots>(state, n);
        for (float*& slot : part)
            slot += begin;
        optimizer_.update(params + begin, grads + begin, std::span<float* const, slots>(part),
                          end - begin, step_);
    }

    // Where layer i's kernel gradient starts in a gradient_block (its bias follows it).
    static constexpr std::size_t gradient_offset(std::size_t i) {
        std::size_t offset = 0;
        static_for<layer_count>([&](auto j) {
            if constexpr (detail::has_parameters_v<layer_t<j>>)
                if (j < i)
                    offset += layer_t<j>::layout::kernel_size + layer_t<j>::layout::bias_size;
        });
        return offset;
    }
    // One thread's kernel and bias gradients for every dense layer.
    struct gradient_block {
        alignas(simd::alignment) std::array<float, gradient_offset(layer_count)> values{};
    };

    // The loss takes dL/dz of the output layer directly (p - y) when it fuses with its activation.
    // (Not when the output layer's activity is regularized: that gradient is dL/dy, not dL/dz.)
    static constexpr bool fused_output =
        fuses_with_activation<Loss, typename last_layer::activation_type> &&
        !last_layer::activity_regularizer::active;
    static constexpr bool activity_regularized = [] {
        bool any = false;
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            if constexpr (detail::has_parameters_v<L>)
                any |= L::activity_regularizer::active;
        });
        return any;
    }();
    // SGD's update is fused into the weight-gradient pass (faster, measured); Adam's is not
    // (its square roots and divisions dominate either way).
    static constexpr bool regularized = [] {
        bool any = false;
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            if constexpr (detail::has_parameters_v<L>)
                any |= L::kernel_regularizer::active || L::bias_regularizer::active;
        });
        return any;
    }();
    // (A regularized kernel takes the two passes: its penalty's gradient joins dW first.)
    static constexpr bool fuses_weight_update = detail::is_sgd_v<Optimizer> && !regularized;
    // Dropout's masks come from one generator in row order and batch normalization's statistics
    // span the batch: with either, the batch's rows are not split between threads.
    static constexpr bool rows_independent = [] {
        bool independent = true;
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            independent &= !detail::masks_in_training_v<L> && !detail::normalizes_batch_v<L>;
        });
        return independent;
    }();

    static constexpr std::size_t widest = [] {
        std::size_t w = 0;
        static_for<layer_count>([&](auto i) {
            w = std::max(w, simd::padded_size<float>(layer_t<i>::output_shape::size));
            w = std::max(w, simd::padded_size<float>(layer_t<i>::input_shape::size));
        });
        return w;
    }();

    // Runs `rows` samples through every layer, keeping each layer's outputs. Dropout masks
    // only when `training`; otherwise it is the identity, as in predict. Batch normalization
    // uses (and moves) the batch's statistics when `training`, the moving ones otherwise.
    // `first` > 0: rows [first, first + rows) of the batch that starts at x (one thread's part).
    void forward(const float* x, std::size_t rows, bool training = false,
                 std::size_t first = 0) noexcept {
        const float* current = x + first * sample_size;
        std::size_t current_stride = sample_size;
        static_for<layer_count>([&](auto i) {
            using L = layer_t<i>;
            auto& ws = std::get<i>(workspace_);
            if constexpr (detail::has_parameters_v<L>) {
                const std::size_t offset = first * ws.stride;
                float* z = L::keeps_preactivation ? ws.z_data() + offset : nullptr;
                net_->template layer<i>().forward_train(current, current_stride, z,
                                                        ws.y.data() + offset, ws.stride, rows);
                current = ws.y.data() + offset;
                current_stride = ws.stride;
            } else if constexpr (detail::normalizes_batch_v<L>) {
                auto& layer = net_->template layer<i>();
                const std::size_t offset = first * ws.stride; // 0 in training (whole batch)
                if (training)
                    layer.forward_train(current, current_stride, ws.x_hat.data(), ws.y.data(), rows,
                                        ws.inv_std.data(), ws.z_data());
                else
                    layer.template forward<BatchSize>(current, current_stride, ws.y.data() + offset,
                                                      ws.stride, rows);
                current = ws.y.data() + offset;
                current_stride = ws.stride;
            } else if constexpr (detail::masks_in_training_v<L>) {
                if (training) {
                    net_->template layer<i>().forward_train(current, current_stride, ws.mask.data(),
                                                            ws.y.data(), ws.stride, rows,
                                                            mask_generator_);
                    current = ws.y.data();
                    current_stride = ws.stride;
                }
            }
        });
    }

    // forward() without training, its rows split between the threads when there is a team
    // (every layer treats rows independently in inference).
    void forward_inference(const float* x, std::size_t rows) noexcept {
        on_row_parts(rows, [&](std::size_t first, std::size_t count) noexcept {
            forward(x, count, /*training=*/false, first);
        });
    }

    // From dL/d(output) in delta_ back to the first layer, accumulating every layer's gradients,
    // or, with `update`, applying the fused SGD step to each layer as its gradient is formed.
    // A thread's part (only for rows_independent networks): rows [first, first + rows) of the
    // batch at x, gradients into `own` (a thread's gradient buffers) instead of the workspace's.
    void backward(const float* x, std::size_t rows, bool update = false, std::size_t first = 0,
                  gradient_block* own = nullptr) noexcept {
        float* dy = delta_rows(delta_, first);
        float* dx = delta_rows(delta_spare_, first);
        static_for<layer_count>([&](auto step) {
            constexpr std::size_t i = layer_count - 1 - step;
            using L = layer_t<i>;
            if constexpr (detail::masks_in_training_v<L>) {
                if constexpr (previous_compute_layer(i) != no_layer) {
                    auto& ws = std::get<i>(workspace_);
                    net_->template layer<i>().backward(ws.mask.data(), dy, dx, ws.stride, rows);
                    std::swap(dy, dx);
                }
            } else if constexpr (detail::normalizes_batch_v<L>) {
                auto& ws = std::get<i>(workspace_);
                constexpr bool has_below = previous_compute_layer(i) != no_layer;
                if (update) { // fused SGD: gamma and beta step as soon as their gradient is formed
                    ws.dgamma.fill(0.0f);
                    ws.dbeta.fill(0.0f);
                }
                net_->template layer<i>().backward(
                    ws.x_hat.data(), ws.z_data(), ws.y.data(), dy, ws.dgamma.data(),
                    ws.dbeta.data(), has_below ? dx : nullptr, ws.stride, rows, ws.inv_std.data());
                if (update)
                    update_scale_and_shift<i>();
                std::swap(dy, dx);
            } else if constexpr (detail::has_parameters_v<L>) {
                auto& ws = std::get<i>(workspace_);
                constexpr std::size_t below = previous_compute_layer(i);
                constexpr std::size_t dx_stride = simd::padded_size<float>(L::input_shape::size);
                const float* input = x + first * sample_size;
                std::size_t input_stride = sample_size;
                if constexpr (below != no_layer) {
                    const auto& below_ws = std::get<below>(workspace_);
                    input = below_ws.y.data() + first * below_ws.stride;
                    input_stride = below_ws.stride;
                }
                const float* const y_rows = ws.y.data() + first * ws.stride;
                const float* const z_rows =
                    L::keeps_preactivation ? ws.z_data() + first * ws.stride : nullptr;
                float* dx_target = below != no_layer ? dx : nullptr;
                constexpr bool fused = fused_output && i == layer_count - 1;
                auto& layer = net_->template layer<i>();
                if constexpr (L::activity_regularizer::active) {
                    for (std::size_t r = 0; r < rows; ++r)
                        L::activity_regularizer::add_gradient(
                            y_rows + r * ws.stride, dy + r * ws.stride, L::output_shape::size,
                            activity_gradient_scale_);
                }
                if constexpr (fuses_weight_update) {
                    if (update) { // never split between threads: first == 0
                        ws.db.fill(0.0f);
                        layer.template backward_update<fused>(
                            input, input_stride, z_rows, y_rows, dy, ws.db.data(), dx_target,
                            dx_stride, rows, optimizer_,
                            std::span<float* const, slots>(detail::slot_pointers<slots>(
                                ws.kernel_state.data(), ws.kernel_size)),
                            step_);
                        optimizer_.update(
                            layer.bias_data(), ws.db.data(),
                            std::span<float* const, slots>(
                                detail::slot_pointers<slots>(ws.bias_state.data(), ws.bias_size)),
                            ws.bias_size, step_);
                        std::swap(dy, dx);
                        return;
                    }
                }
                float* dw = ws.dw.data();
                float* db = ws.db.data();
                if (own != nullptr) {
                    dw = own->values.data() + gradient_offset(i);
                    db = dw + ws.kernel_size;
                }
                layer.template backward<fused>(input, input_stride, z_rows, y_rows, dy, dw, db,
                                               dx_target, dx_stride, rows);
                std::swap(dy, dx);
            }
        });
    }

    // Where the gradient rows of a thread's part start in delta_ or delta_spare_: each layer
    // packs its rows at its own stride (at most `widest`), so a part that starts at row `first`
    // owns the floats from first × widest on, whatever the layer.
    static float* delta_rows(std::array<float, BatchSize * widest>& buffer,
                             std::size_t first) noexcept {
        return buffer.data() + first * widest;
    }

    static constexpr std::size_t no_layer = static_cast<std::size_t>(-1);
    // The nearest layer below i that computes (skipping views such as flatten), or no_layer.
    static constexpr std::size_t previous_compute_layer(std::size_t i) {
        std::size_t found = no_layer;
        static_for<layer_count>([&](auto j) {
            if (j < i && detail::computes_in_training_v<layer_t<j>>)
                found = j;
        });
        return found;
    }

    template <class Indices>
    struct workspace_tuple;
    template <std::size_t... I>
    struct workspace_tuple<std::index_sequence<I...>> {
        using type = std::tuple<detail::workspace_for<layer_t<I>, BatchSize, slots>...>;
    };

    Net* net_;
    Optimizer optimizer_;
    random_engine mask_generator_{0};
    float activity_gradient_scale_ = 1.0f; // output_gradient's scale, for backward
    std::size_t step_ = 0;
    typename workspace_tuple<std::make_index_sequence<layer_count>>::type workspace_;
    alignas(simd::alignment) std::array<float, BatchSize * widest> delta_{};
    alignas(simd::alignment) std::array<float, BatchSize * widest> delta_spare_{};
    // With set_threads(n > 1): the team, each thread's gradients and loss sums.
    std::unique_ptr<thread_team> team_;
    std::unique_ptr<gradient_block[]> gradient_copies_;
    std::vector<row_sums> member_sums_;
};

// A trainer on the heap (its workspace holds gradients and optimizer state for every weight).
template <std::size_t BatchSize, class Net, loss_function Loss, optimizer Optimizer>
std::unique_ptr<trainer<Net, Loss, Optimizer, BatchSize>> make_trainer(Net& net, Loss,
                                                                       Optimizer opt) {
    return std::make_unique<trainer<Net, Loss, Optimizer, BatchSize>>(net, opt);
}

} // namespace ctnn
