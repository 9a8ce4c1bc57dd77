// ctnn/training/history.hpp - what fit returns: every logged quantity per epoch, as Keras's
// History.history ("loss", "accuracy", "val_loss", "val_accuracy", ...).
//
//   std::cout << h;   // a table: one row per epoch, a column per quantity in history_columns
//                     // order; the stop reason below it when training stopped
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn {

struct history {
    std::map<std::string, std::vector<double>> values; // key -> one value per epoch
    std::size_t epochs = 0;                            // epochs completed
    std::string stop_reason;                           // empty when all epochs ran

    [[nodiscard]] bool has(const std::string& key) const { return values.count(key) != 0; }
    [[nodiscard]] const std::vector<double>& operator[](const std::string& key) const {
        const auto it = values.find(key);
        if (it == values.end())
            throw std::out_of_range("history has no quantity '" + key + "'");
        return it->second;
    }
    [[nodiscard]] double last(const std::string& key) const { return (*this)[key].back(); }
};

namespace detail {

// A logged quantity as Keras prints it, 4 decimals ("0.4213"); very small and very large ones
// in scientific notation so that they do not print as 0.0000 or as a long row of digits.
inline std::string logged_value_text(double v) {
    char text[32];
    const double magnitude = std::abs(v);
    const bool scientific = std::isfinite(v) && v != 0 && (magnitude < 1e-3 || magnitude >= 1e7);
    std::snprintf(text, sizeof text, scientific ? "%.4e" : "%.4f", v);
    return text;
}

inline constexpr std::string_view validation_prefix = "val_";

[[nodiscard]] inline bool is_validation_key(std::string_view key) noexcept {
    return key.starts_with(validation_prefix);
}

// The quantity a key measures: "val_loss" -> "loss".
[[nodiscard]] inline std::string_view base_quantity(std::string_view key) noexcept {
    return is_validation_key(key) ? key.substr(validation_prefix.size()) : key;
}

// Keras's two standard quantities come first, in the order a reader expects them.
[[nodiscard]] inline int quantity_rank(std::string_view base) noexcept {
    return base == "loss" ? 0 : base == "accuracy" ? 1 : 2;
}

} // namespace detail

// The history's keys in table order: loss, accuracy, other training keys alphabetically, then
// the val_ keys in the same order.
[[nodiscard]] inline std::vector<std::string> history_columns(const history& h) {
    std::vector<std::string> keys;
    for (const auto& entry : h.values)
        keys.push_back(entry.first);
    std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
        const bool va = detail::is_validation_key(a), vb = detail::is_validation_key(b);
        if (va != vb)
            return vb;
        const std::string_view ba = detail::base_quantity(a), bb = detail::base_quantity(b);
        const int ra = detail::quantity_rank(ba), rb = detail::quantity_rank(bb);
        return ra != rb ? ra < rb : ba < bb;
    });
    return keys;
}

// One row per epoch, a column per quantity:
//   epoch    loss  accuracy  val_loss  val_accuracy
//       1  0.5213    0.8170    0.4510        0.8372
inline std::ostream& operator<<(std::ostream& os, const history& h) {
    const std::vector<std::string> keys = history_columns(h);
    std::size_t rows = 0;
    for (const auto& key : keys)
        rows = std::max(rows, h[key].size());
    std::string text = "epoch";
    std::vector<std::size_t> widths;
    for (const auto& key : keys) {
        std::size_t width = key.size();
        for (double v : h[key])
            width = std::max(width, detail::logged_value_text(v).size());
        widths.push_back(width);
        text += "  " + std::string(width - key.size(), ' ') + key;
    }
    text += '\n';
    for (std::size_t epoch = 0; epoch < rows; ++epoch) {
        const std::string number = std::to_string(epoch + 1);
        text += std::string(number.size() < 5 ? 5 - number.size() : 0, ' ') + number;
        for (std::size_t k = 0; k < keys.size(); ++k) {
            const std::vector<double>& values = h[keys[k]];
            const std::string cell =
                epoch < values.size() ? detail::logged_value_text(values[epoch]) : "-";
            text += "  " + std::string(widths[k] - cell.size(), ' ') + cell;
        }
        text += '\n';
    }
    if (!h.stop_reason.empty())
        text += h.stop_reason + '\n';
    return os << text;
}

} // namespace ctnn
