// ctnn/training/learning_curves.hpp - the training history drawn as learning curves (SVG).
//
//   ctnn::history h = trainer->fit(train, {.epochs = 100, .validation_split = 0.2f});
//   ctnn::save_svg(h, "curves.svg", {.title = "784-128-10, Adam"});
//   std::string svg = ctnn::learning_curves_svg(h);   // the same picture as text
//
// The lecture's picture of under- and overfitting: one panel per quantity ("loss" first, then
// "accuracy", then any other quantity alphabetically), each with the training curve (solid) and
// the validation curve (val_ key, dashed) over the epochs. A dotted vertical line marks the
// epoch of the lowest val_loss - where early stopping would keep the weights; past it the
// training loss still falls while the validation loss rises: overfitting.
//
// The SVG is self-contained (a generic sans-serif font, no scripts, no external references).
// Axes have ticks at 1, 2 or 5 × 10^k and integer epochs. NaN and infinite values leave a gap in
// their line (a point with no finite neighbour is drawn as a dot); a constant series gets a
// padded axis; a quantity without its val_ partner gets only the training line (and the reverse).
// Titles and keys are escaped for XML. Every coordinate is finite.
//
// Errors (std::invalid_argument): a history with no epochs, quantities of different lengths,
// sizes too small to draw in. save_svg replaces the file atomically (io/atomic_file.hpp) and
// throws ctnn::io_error (a std::runtime_error) naming the path when it cannot.
#pragma once

#include "ctnn/io/atomic_file.hpp"
#include "ctnn/io/svg.hpp"
#include "ctnn/training/history.hpp"
#include "ctnn/training/history_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn {

struct svg_options {
    std::string title = "Learning curves"; // empty: no title line
    double width = 640;                    // pixels, the whole picture (>= 240)
    double panel_height = 280;             // pixels per panel, axes included (>= 140)
    std::string training_color = "#1f77b4";
    std::string validation_color = "#d62728";
    bool mark_best_epoch = true; // dotted line at the epoch of the lowest val_loss
};

namespace detail {

// One quantity family: the training key and its val_ partner, either possibly absent.
struct curve_panel {
    std::string quantity;
    const std::vector<double>* training = nullptr;
    const std::vector<double>* validation = nullptr;
};

[[nodiscard]] inline std::vector<curve_panel> curve_panels(const history& h) {
    std::vector<curve_panel> panels;
    for (const std::string& key : history_columns(h)) {
        const std::string quantity(base_quantity(key));
        auto it = std::find_if(panels.begin(), panels.end(),
                               [&](const curve_panel& p) { return p.quantity == quantity; });
        if (it == panels.end()) {
            panels.push_back({quantity});
            it = panels.end() - 1;
        }
        (is_validation_key(key) ? it->validation : it->training) = &h.values.at(key);
    }
    return panels;
}

// The 0-based epoch of the lowest finite value (the first if tied), if any.
[[nodiscard]] inline std::optional<std::size_t> lowest_epoch(const std::vector<double>& values) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isfinite(values[i]) && (!best || values[i] < values[*best]))
            best = i;
    return best;
}

// Shortened to about `max_chars` characters with an ellipsis (long stop reasons).
[[nodiscard]] inline std::string shortened(const std::string& text, std::size_t max_chars) {
    if (text.size() <= max_chars)
        return text;
    std::size_t cut = max_chars > 3 ? max_chars - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut; // not inside a UTF-8 sequence
    return text.substr(0, cut) + "...";
}

// Writes one panel whose frame starts at vertical position `top`.
class panel_painter {
public:
    panel_painter(std::string& svg, const svg_options& options, std::size_t epochs, double top)
        : svg_(svg), options_(options), epochs_(epochs), top_(top) {}

    void paint(const curve_panel& panel, std::optional<std::size_t> best_epoch,
               const std::vector<double>* val_loss) {
        const double plot_top = top_ + header;
        const double plot_bottom = top_ + options_.panel_height - footer;
        const double plot_left = margin_left, plot_right = options_.width - margin_right;
        y_axis_ = value_range(panel);
        // Data sit a few pixels inside the frame, so a curve on an extreme tick stays visible.
        x0_ = plot_left + inset_x;
        x1_ = plot_right - inset_x;
        y0_ = plot_bottom - inset_y;
        y1_ = plot_top + inset_y;
        x_lo_ = epochs_ > 1 ? 1.0 : 0.0;
        x_hi_ = epochs_ > 1 ? static_cast<double>(epochs_) : 2.0;

        svg_ += "<g class=\"panel\" data-quantity=\"" + xml_escape(panel.quantity) + "\">\n";
        text(plot_left, top_ + 18, xml_escape(panel.quantity),
             "font-size=\"14\" font-weight=\"bold\"");
        legend(panel, plot_right, top_ + 14);
        svg_ += "<rect class=\"frame\" x=\"" + svg_number(plot_left) + "\" y=\"" +
                svg_number(plot_top) + "\" width=\"" + svg_number(plot_right - plot_left) +
                "\" height=\"" + svg_number(plot_bottom - plot_top) +
                "\" fill=\"none\" stroke=\"#444\" stroke-width=\"1\"/>\n";
        value_ticks(plot_left, plot_right);
        epoch_ticks(plot_bottom);
        text((plot_left + plot_right) / 2, plot_bottom + 34, "epoch", "text-anchor=\"middle\"");
        if (best_epoch)
            best_epoch_marker(*best_epoch, plot_top, plot_bottom, panel.quantity == "loss",
                              val_loss);
        if (panel.training != nullptr)
            series(*panel.training, "training", panel.quantity, options_.training_color, "");
        if (panel.validation != nullptr)
            series(*panel.validation, "validation", "val_" + panel.quantity,
                   options_.validation_color, " stroke-dasharray=\"7 4\"");
        svg_ += "</g>\n";
    }

    static constexpr double header = 28, footer = 42, margin_left = 64, margin_right = 20;
    static constexpr double inset_x = 8, inset_y = 6;

private:
    [[nodiscard]] value_axis value_range(const curve_panel& panel) const {
        double min = 0, max = 0;
        bool any = false;
        for (const auto* values : {panel.training, panel.validation})
            if (values != nullptr)
                for (double v : *values)
                    if (std::isfinite(v)) {
                        const double d = drawn_value(v);
                        min = any ? std::min(min, d) : d;
                        max = any ? std::max(max, d) : d;
                        any = true;
                    }
        return any ? nice_value_axis(min, max) : value_axis{0, 1, 0.2};
    }

    [[nodiscard]] double x(double epoch) const {
        return x0_ + (epoch - x_lo_) / (x_hi_ - x_lo_) * (x1_ - x0_);
    }
    [[nodiscard]] double y(double value) const {
        return y0_ + (drawn_value(value) - y_axis_.lo) / (y_axis_.hi - y_axis_.lo) * (y1_ - y0_);
    }

    void text(double at_x, double at_y, const std::string& escaped, const std::string& attributes) {
        svg_ += "<text x=\"" + svg_number(at_x) + "\" y=\"" + svg_number(at_y) + "\"" +
                (attributes.empty() ? "" : " " + attributes) + ">" + escaped + "</text>\n";
    }

    void line(double xa, double ya, double xb, double yb, const std::string& attributes) {
        svg_ += "<line x1=\"" + svg_number(xa) + "\" y1=\"" + svg_number(ya) + "\" x2=\"" +
                svg_number(xb) + "\" y2=\"" + svg_number(yb) + "\" " + attributes + "/>\n";
    }

    // "── training  - - validation", right-aligned in the panel's header.
    void legend(const curve_panel& panel, double right, double baseline) {
        struct entry {
            const char* name;
            const std::string* color;
            const char* dash;
        };
        std::vector<entry> entries;
        if (panel.training != nullptr)
            entries.push_back({"training", &options_.training_color, ""});
        if (panel.validation != nullptr)
            entries.push_back(
                {"validation", &options_.validation_color, " stroke-dasharray=\"7 4\""});
        constexpr double sample = 26, gap = 6, char_width = 7, spacing = 16;
        double width = 0;
        for (const entry& e : entries)
            width += sample + gap + char_width * std::string_view(e.name).size() + spacing;
        double at = right - width + spacing;
        svg_ += "<g class=\"legend\">\n";
        for (const entry& e : entries) {
            line(at, baseline - 4, at + sample, baseline - 4,
                 "stroke=\"" + xml_escape(*e.color) + "\" stroke-width=\"2\"" + e.dash);
            text(at + sample + gap, baseline, e.name, "");
            at += sample + gap + char_width * std::string_view(e.name).size() + spacing;
        }
        svg_ += "</g>\n";
    }

    // Light grid lines and labels at each value tick.
    void value_ticks(double left, double right) {
        svg_ += "<g class=\"value-axis\">\n";
        for (long long i = y_axis_.first_tick(); i <= y_axis_.last_tick(); ++i) {
            const double at = y(static_cast<double>(i) * y_axis_.step);
            line(left, at, right, at, "stroke=\"#e4e4e4\" stroke-width=\"1\"");
            line(left - 5, at, left, at, "stroke=\"#444\" stroke-width=\"1\"");
            text(left - 8, at + 4, y_axis_.label(i), "text-anchor=\"end\"");
        }
        svg_ += "</g>\n";
    }

    // Integer epochs, every 1, 2, 5, 10, ... so that about ten are labelled.
    void epoch_ticks(double bottom) {
        const auto step =
            static_cast<std::size_t>(nice_step(std::max(1.0, static_cast<double>(epochs_) / 10.0)));
        svg_ += "<g class=\"epoch-axis\">\n";
        for (std::size_t e = step == 1 ? 1 : step; e <= epochs_; e += step) {
            const double at = x(static_cast<double>(e));
            line(at, bottom, at, bottom + 5, "stroke=\"#444\" stroke-width=\"1\"");
            text(at, bottom + 18, std::to_string(e), "text-anchor=\"middle\"");
        }
        svg_ += "</g>\n";
    }

    // The dotted line at the best epoch; in the loss panel also a ring on the lowest val_loss
    // and a label saying where early stopping would stop.
    void best_epoch_marker(std::size_t best, double top, double bottom, bool labelled,
                           const std::vector<double>* val_loss) {
        const double at = x(static_cast<double>(best + 1));
        svg_ += "<g class=\"best-epoch\" data-epoch=\"" + std::to_string(best + 1) + "\">\n";
        line(at, top, at, bottom, "stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"");
        if (labelled && val_loss != nullptr) {
            svg_ += "<circle cx=\"" + svg_number(at) + "\" cy=\"" +
                    svg_number(y((*val_loss)[best])) +
                    "\" r=\"5\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\"/>\n";
            const std::string label = "lowest val_loss " + short_number((*val_loss)[best], 4) +
                                      " at epoch " + std::to_string(best + 1);
            // Right of the line, or left of it when the label would leave the panel.
            const bool left =
                at + 6 + 6.5 * static_cast<double>(label.size()) > options_.width - margin_right;
            text(left ? at - 6 : at + 6, top + 16, label,
                 std::string("font-size=\"12\" fill=\"#333\" stroke=\"white\" stroke-width=\"4\" "
                             "stroke-linejoin=\"round\" paint-order=\"stroke\"") +
                     (left ? " text-anchor=\"end\"" : ""));
        }
        svg_ += "</g>\n";
    }

    // One polyline per run of finite values; a lone finite value is a dot.
    void series(const std::vector<double>& values, const char* role, const std::string& key,
                const std::string& color, const char* dash) {
        const std::string common =
            std::string("class=\"") + role + "\" data-series=\"" + xml_escape(key) + "\"";
        const std::string escaped_color = xml_escape(color);
        for (std::size_t i = 0; i < values.size();) {
            if (!std::isfinite(values[i])) {
                ++i;
                continue;
            }
            std::size_t end = i;
            while (end < values.size() && std::isfinite(values[end]))
                ++end;
            if (end - i == 1) {
                svg_ += "<circle " + common + " cx=\"" + svg_number(x(static_cast<double>(i + 1))) +
                        "\" cy=\"" + svg_number(y(values[i])) + "\" r=\"3\" fill=\"" +
                        escaped_color + "\"/>\n";
            } else {
                svg_ += "<polyline " + common + " fill=\"none\" stroke=\"" + escaped_color +
                        "\" stroke-width=\"2\" stroke-linejoin=\"round\"" + dash + " points=\"";
                for (std::size_t j = i; j < end; ++j) {
                    if (j != i)
                        svg_ += ' ';
                    svg_ +=
                        svg_number(x(static_cast<double>(j + 1))) + "," + svg_number(y(values[j]));
                }
                svg_ += "\"/>\n";
            }
            i = end;
        }
    }

    std::string& svg_;
    const svg_options& options_;
    std::size_t epochs_;
    double top_;
    value_axis y_axis_{0, 1, 0.2};
    double x0_ = 0, x1_ = 1, y0_ = 1, y1_ = 0, x_lo_ = 0, x_hi_ = 1;
};

} // namespace detail

[[nodiscard]] inline std::string learning_curves_svg(const history& h,
                                                     const svg_options& options = {}) {
    const std::size_t epochs = history_length(h);
    if (epochs == 0)
        throw std::invalid_argument("learning_curves_svg: the history holds no epochs to draw");
    if (!(options.width >= 240 && options.width <= 1e5) ||
        !(options.panel_height >= 140 && options.panel_height <= 1e5))
        throw std::invalid_argument(
            "learning_curves_svg: width must be in [240, 1e5] and panel_height in [140, 1e5] "
            "pixels, got " +
            detail::svg_number(options.width) + " and " + detail::svg_number(options.panel_height));

    const auto panels = detail::curve_panels(h);
    const std::vector<double>* val_loss = h.has("val_loss") ? &h["val_loss"] : nullptr;
    const auto best = options.mark_best_epoch && val_loss != nullptr
                          ? detail::lowest_epoch(*val_loss)
                          : std::optional<std::size_t>{};

    double top = 8;
    std::string heading;
    if (!options.title.empty()) {
        heading += "<text class=\"title\" x=\"" + detail::svg_number(options.width / 2) +
                   "\" y=\"30\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">" +
                   detail::xml_escape(options.title) + "</text>\n";
        top = 44;
    }
    if (!h.stop_reason.empty()) {
        const auto room = static_cast<std::size_t>((options.width - 40) / 6);
        heading += "<text class=\"stop-reason\" x=\"" + detail::svg_number(options.width / 2) +
                   "\" y=\"" + detail::svg_number(top + 10) +
                   "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#a33\">" +
                   detail::xml_escape(detail::shortened(h.stop_reason, room)) + "</text>\n";
        top += 20;
    }
    const double height = top + static_cast<double>(panels.size()) * options.panel_height + 8;
    const std::string w = detail::svg_number(options.width), ht = detail::svg_number(height);

    std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      w + "\" height=\"" + ht + "\" viewBox=\"0 0 " + w + " " + ht +
                      "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                      "font-size=\"12\" fill=\"#222\">\n";
    svg += "<title>" + detail::xml_escape(options.title) + "</title>\n";
    svg += "<rect width=\"" + w + "\" height=\"" + ht + "\" fill=\"white\"/>\n";
    svg += heading;
    for (const auto& panel : panels) {
        detail::panel_painter(svg, options, epochs, top).paint(panel, best, val_loss);
        top += options.panel_height;
    }
    svg += "</svg>\n";
    return svg;
}

inline void write_svg(const history& h, std::ostream& out, const svg_options& options = {}) {
    out << learning_curves_svg(h, options);
}

inline void save_svg(const history& h, const std::filesystem::path& path,
                     const svg_options& options = {}) {
    const std::string svg = learning_curves_svg(h, options); // a bad history leaves no file
    io::write_file_atomically(path, svg);
}

} // namespace ctnn
