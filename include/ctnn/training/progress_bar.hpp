// ctnn/training/progress_bar.hpp - Keras's verbose=1 display as a fit callback: a bar that
// fills within each epoch and one line per epoch with the time and every logged quantity.
//
//   Epoch 3/10 [==============================] 1875/1875 - 0.41 s - loss: 0.4213 - accuracy:
//   0.8512
//
// The bar is redrawn in place ('\r') only on a terminal; written to a file or a pipe (a CI
// log) it stays quiet and only the per-epoch lines appear. fit_options::verbose uses one on
// stdout.
#pragma once

#include "ctnn/training/callback.hpp"
#include "ctnn/training/history.hpp"

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#if __has_include(<unistd.h>)
#include <unistd.h>
#endif

namespace ctnn {

class progress_bar {
public:
    enum class bar { automatic, always, never };

    // `out` must outlive the fit; `show_bar`: automatic draws the bar only on a terminal.
    explicit progress_bar(std::FILE* out = stdout, bar show_bar = bar::automatic)
        : out_(out),
          draw_bar_(show_bar == bar::always || (show_bar == bar::automatic && is_terminal(out))) {}

    void on_train_begin(const fit_begin& b) {
        epochs_ = b.epochs;
        batches_ = b.batches_per_epoch;
    }
    void on_epoch_begin(std::size_t epoch) {
        epoch_ = epoch;
        drawn_ = static_cast<std::size_t>(-1);
        start_ = std::chrono::steady_clock::now();
    }
    void on_batch_end(const batch_end& e) {
        if (!draw_bar_)
            return;
        const std::size_t filled = (e.batch + 1) * width / (e.batches == 0 ? 1 : e.batches);
        if (filled == drawn_ && e.batch + 1 != e.batches)
            return; // redraw only when the bar grows: a few dozen writes per epoch
        drawn_ = filled;
        std::fprintf(out_, "\r%s - loss: %.4f", line_start(e.batch + 1, filled).c_str(),
                     e.mean_loss);
        std::fflush(out_);
    }
    void on_epoch_end(const history& h) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::fprintf(out_, "%s%s - %.2f s", draw_bar_ ? "\r" : "",
                     line_start(batches_, width).c_str(), seconds);
        // Loss first, then the other training quantities, then validation's.
        for (const std::string& key : history_columns(h))
            if (const auto& values = h[key]; !values.empty())
                std::fprintf(out_, " - %s: %.4f", key.c_str(), values.back());
        std::fprintf(out_, "\n");
        std::fflush(out_);
    }

    static bool is_terminal(std::FILE* f) {
#if __has_include(<unistd.h>)
        return f != nullptr && ::isatty(::fileno(f)) != 0;
#else
        return false;
#endif
    }

private:
    static constexpr std::size_t width = 30;

    std::string line_start(std::size_t done, std::size_t filled) const {
        std::string s = "Epoch " + std::to_string(epoch_ + 1) + "/" + std::to_string(epochs_) +
                        " [" + std::string(filled, '=');
        if (filled < width)
            s += '>' + std::string(width - filled - 1, ' ');
        return s + "] " + std::to_string(done) + "/" + std::to_string(batches_);
    }

    std::FILE* out_;
    bool draw_bar_;
    std::size_t epochs_ = 0, batches_ = 0, epoch_ = 0;
    std::size_t drawn_ = static_cast<std::size_t>(-1);
    std::chrono::steady_clock::time_point start_{};
};

static_assert(fit_callback<progress_bar>);

} // namespace ctnn
