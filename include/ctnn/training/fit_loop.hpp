// ctnn/training/fit_loop.hpp - the epochs of trainer::fit: shuffling, batching, logging loss,
// accuracy and metrics per epoch, validation, early stopping and callbacks.
//
// Internal: users call trainer::fit. The loop drives only the trainer's public step API
// (mini_batch_step, or accumulate + apply_update for full-batch descent), so what a training
// step does (trainer.hpp) and what an epoch does (here) read separately.
#pragma once

#include "ctnn/policies/init/random.hpp"
#include "ctnn/training/callback.hpp"
#include "ctnn/training/early_stopping.hpp"
#include "ctnn/training/fit_options.hpp"
#include "ctnn/training/history.hpp"
#include "ctnn/training/progress_bar.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn::detail {

// Metric names become history keys: one that shadows a key fit logs itself is refused.
inline void check_metric_names(const fit_options& options) {
    for (std::size_t i = 0; i < options.metrics.size(); ++i) {
        const std::string& name = options.metrics[i].name;
        if (name.empty() || name == "loss" || name == "accuracy" || name.rfind("val_", 0) == 0)
            throw std::invalid_argument("fit: metric " + std::to_string(i) + " is named '" + name +
                                        "', which is empty or clashes with a quantity fit logs "
                                        "itself (loss, accuracy, val_...)");
        for (std::size_t j = 0; j < i; ++j)
            if (options.metrics[j].name == name)
                throw std::invalid_argument("fit: two metrics are named '" + name + "'");
    }
}

// After an epoch: true when early stopping ends training (the reason goes to h).
template <class Net>
bool stop_early(history& h, const early_stopping& options, early_stopping_state& state, Net& net,
                Net* best_weights) {
    const auto it = h.values.find(options.monitor);
    if (it == h.values.end()) {
        std::string logged;
        for (const auto& [key, values] : h.values)
            logged += (logged.empty() ? "" : ", ") + key;
        throw std::invalid_argument("early_stopping: '" + options.monitor +
                                    "' is not logged (logged: " + logged +
                                    "); val_ quantities need validation data or a "
                                    "validation_split");
    }
    const std::size_t epoch = h.epochs - 1;
    const bool stop = state.update(it->second.back(), epoch);
    if (state.improved() && best_weights != nullptr)
        *best_weights = net;
    if (!stop)
        return false;
    char best[32];
    std::snprintf(best, sizeof best, "%.6g", state.best());
    h.stop_reason = "early stopping after epoch " + std::to_string(epoch + 1) + ": " +
                    options.monitor + " has not improved for " +
                    std::to_string(state.epochs_without_improvement()) + " epochs; best " + best +
                    " at epoch " + std::to_string(state.best_epoch() + 1);
    if (best_weights != nullptr) {
        net = *best_weights;
        h.stop_reason += " (its weights restored)";
    }
    return true;
}

template <class Net>
bool weights_finite(const Net& net) {
    bool finite = true;
    net.visit_parameters([&](std::size_t, auto array) {
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c)
                finite &= std::isfinite(array(r, c));
    });
    return finite;
}
inline constexpr const char* weights_not_finite =
    "some weights became NaN or infinite, so the network is unusable: retrain it";

template <class Trainer, fit_callback... Callbacks>
history fit_loop(Trainer& t, const typename Trainer::dataset_type& data,
                 const typename Trainer::dataset_type* validation, const fit_options& options,
                 Callbacks&... callbacks) {
    using Net = typename Trainer::network_type;
    constexpr std::size_t batch_size = Trainer::batch_size;
    constexpr std::size_t sample_size = Trainer::sample_size;
    constexpr std::size_t target_size = Trainer::target_size;
    constexpr std::size_t outputs = Trainer::outputs;

    if (data.empty())
        throw std::invalid_argument("fit: the training set is empty");
    t.check_targets(data, "fit");
    if (validation != nullptr)
        t.check_targets(*validation, "fit (validation data)");
    // Each sample's weight (sample weights × class weights), empty when all are 1.
    const std::vector<float> weights = t.training_weights(data, options);
    check_metric_names(options);

    history h;
    std::optional<progress_bar> bar;
    if (options.verbose)
        bar.emplace(stdout);
    const auto each_callback = [&](auto&& f) {
        (f(callbacks), ...);
        if (bar)
            f(*bar);
    };

    std::optional<early_stopping_state> stopper;
    std::unique_ptr<Net> best_weights; // the network at the best epoch, when restoring
    if (options.early_stopping) {
        stopper.emplace(*options.early_stopping);
        if (options.early_stopping->restore_best_weights)
            best_weights = std::make_unique<Net>(t.network());
    }
    if (options.threads)
        t.set_threads(*options.threads);
    random_engine gen(options.seed);
    t.seed_noise(options.seed ^ 0x9e3779b97f4a7c15u); // noise independent of the shuffle
    std::vector<std::size_t> order(data.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::vector<float> batch_x(batch_size * sample_size), batch_y(batch_size * target_size);
    std::vector<float> batch_w(weights.empty() ? 0 : batch_size);
    const bool full_batch = options.mode == gradient_descent::full_batch;
    const std::size_t batches = (data.size() + batch_size - 1) / batch_size;
    // Training metrics are computed over the epoch's outputs as training produced them
    // (dropout on, weights moving), as Keras does; AUROC needs them all at once.
    const bool with_metrics = !options.metrics.empty();
    std::vector<float> epoch_outputs(with_metrics ? data.size() * outputs : 0);
    std::vector<float> epoch_targets(with_metrics ? data.size() * target_size : 0);

    each_callback([&](auto& c) {
        callback_train_begin(c, fit_begin{options.epochs, data.size(), full_batch ? 1 : batches});
    });
    for (std::size_t epoch = 0; epoch < options.epochs; ++epoch) {
        each_callback([&](auto& c) { callback_epoch_begin(c, epoch); });
        if (options.shuffle)
            std::shuffle(order.begin(), order.end(), gen);
        double loss_sum = 0, accuracy_sum = 0;
        if (full_batch)
            t.zero_gradients();
        for (std::size_t start = 0, batch = 0; start < order.size(); start += batch_size, ++batch) {
            const std::size_t rows = std::min(batch_size, order.size() - start);
            t.gather_batch(data, order.data() + start, rows, batch_x.data(), batch_y.data());
            for (std::size_t r = 0; r < batch_w.size() && r < rows; ++r)
                batch_w[r] = weights[order[start + r]];
            const float* w = batch_w.empty() ? nullptr : batch_w.data();
            const auto b = full_batch ? t.accumulate(batch_x.data(), batch_y.data(), rows,
                                                     1.0f / static_cast<float>(order.size()), w)
                                      : t.mini_batch_step(batch_x.data(), batch_y.data(), rows, w);
            if (!std::isfinite(b.loss)) {
                h.stop_reason =
                    "training stopped in epoch " + std::to_string(epoch + 1) +
                    ": the loss became " + (std::isnan(b.loss) ? "NaN" : "infinite") +
                    " (learning rate too high, or unscaled inputs?); " +
                    (weights_finite(t.network()) ? "the weights are those before the failing step"
                                                 : weights_not_finite);
                each_callback([&](auto& c) { callback_train_end(c, h); });
                return h;
            }
            if (with_metrics) {
                for (std::size_t r = 0; r < rows; ++r)
                    std::copy_n(t.output_row(r), outputs,
                                epoch_outputs.data() + (start + r) * outputs);
                std::copy_n(batch_y.data(), rows * target_size,
                            epoch_targets.data() + start * target_size);
            }
            loss_sum += static_cast<double>(b.loss) * static_cast<double>(rows);
            accuracy_sum += static_cast<double>(b.accuracy) * static_cast<double>(rows);
            if (!full_batch) {
                const batch_end e{epoch, batch, batches, b.loss,
                                  loss_sum / static_cast<double>(start + rows)};
                each_callback([&](auto& c) { callback_batch_end(c, e); });
            }
        }
        if (full_batch) {
            t.apply_update();
            const batch_end e{epoch, 0, 1, static_cast<float>(loss_sum / order.size()),
                              loss_sum / static_cast<double>(order.size())};
            each_callback([&](auto& c) { callback_batch_end(c, e); });
        }
        // A loss that stays finite can still hide weights that overflowed (a dead relu unit
        // with an infinite weight): checked once per epoch, a pass over the parameters.
        if (!weights_finite(t.network())) {
            h.stop_reason = "training stopped in epoch " + std::to_string(epoch + 1) + ": " +
                            weights_not_finite + " (learning rate too high, or unscaled inputs?)";
            each_callback([&](auto& c) { callback_train_end(c, h); });
            return h;
        }
        const double n = static_cast<double>(order.size());
        h.values["loss"].push_back(loss_sum / n);
        if constexpr (Trainer::has_accuracy)
            h.values["accuracy"].push_back(accuracy_sum / n);
        for (const auto& m : options.metrics)
            h.values[m.name].push_back(m(epoch_outputs, epoch_targets, outputs));
        if (validation != nullptr) {
            const auto v = t.evaluate(*validation);
            h.values["val_loss"].push_back(v.loss);
            if constexpr (Trainer::has_accuracy)
                h.values["val_accuracy"].push_back(v.accuracy);
            if (with_metrics) {
                const auto p = t.predict(*validation);
                for (const auto& m : options.metrics)
                    h.values["val_" + m.name].push_back(m(p, validation->targets(), outputs));
            }
        }
        h.epochs = epoch + 1;
        bool stop = false;
        each_callback([&](auto& c) {
            if (callback_epoch_end(c, h) && !stop) {
                stop = true;
                h.stop_reason = "stopped by a callback after epoch " + std::to_string(epoch + 1);
            }
        });
        if (!stop && stopper)
            stop =
                stop_early(h, *options.early_stopping, *stopper, t.network(), best_weights.get());
        if (stop)
            break;
    }
    each_callback([&](auto& c) { callback_train_end(c, h); });
    return h;
}

} // namespace ctnn::detail
