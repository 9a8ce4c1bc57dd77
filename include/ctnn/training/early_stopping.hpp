// ctnn/training/early_stopping.hpp - stop training when a logged quantity stops improving
// (Keras's EarlyStopping callback).
//
//   trainer->fit(train, {.epochs = 100, .validation_split = 0.2f,
//                        .early_stopping = ctnn::early_stopping{.monitor = "val_loss",
//                                                               .patience = 3,
//                                                               .restore_best_weights = true}});
//
// After every epoch the monitored value (any key of the history: "val_loss", "val_accuracy",
// "loss", ...) is compared with the best so far; it improves when it beats the best by more
// than min_delta in the direction of `mode` (auto: maximise quantities named like accuracy or
// AUC, minimise the rest, as Keras does). After `patience` epochs without improvement, training
// stops; with restore_best_weights the network gets back the weights of the best epoch.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

namespace ctnn {

enum class monitor_mode { automatic, min, max };

struct early_stopping {
    std::string monitor = "val_loss";
    double min_delta = 0.0;
    std::size_t patience = 0;
    monitor_mode mode = monitor_mode::automatic;
    bool restore_best_weights = false;
    std::size_t start_from_epoch = 0; // epochs before this one (0-based) never stop training

    // Whether larger is better for the monitored quantity.
    [[nodiscard]] bool maximizes() const {
        if (mode != monitor_mode::automatic)
            return mode == monitor_mode::max;
        return monitor.find("acc") != std::string::npos || monitor.find("auc") != std::string::npos;
    }
};

// The bookkeeping of one fit: feed it each epoch's value, it says when to stop.
class early_stopping_state {
public:
    explicit early_stopping_state(const early_stopping& options)
        : options_(options), maximize_(options.maximizes()),
          best_(maximize_ ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity()) {}

    // Records the value of epoch `epoch` (0-based). Returns true when training should stop.
    // `improved()` then tells whether this epoch is the new best.
    bool update(double value, std::size_t epoch) {
        const double delta = std::abs(options_.min_delta);
        improved_ = maximize_ ? value - delta > best_ : value + delta < best_;
        if (improved_) {
            best_ = value;
            best_epoch_ = epoch;
            wait_ = 0;
            return false;
        }
        ++wait_;
        return epoch >= options_.start_from_epoch && wait_ >= options_.patience && epoch > 0;
    }

    [[nodiscard]] bool improved() const noexcept { return improved_; }
    [[nodiscard]] double best() const noexcept { return best_; }
    [[nodiscard]] std::size_t best_epoch() const noexcept { return best_epoch_; }
    [[nodiscard]] std::size_t epochs_without_improvement() const noexcept { return wait_; }

private:
    early_stopping options_;
    bool maximize_;
    double best_;
    std::size_t best_epoch_ = 0;
    std::size_t wait_ = 0;
    bool improved_ = false;
};

} // namespace ctnn
