// ctnn/training/history_csv.hpp - a training history as a CSV table, one row per epoch.
//
//   ctnn::history h = trainer->fit(train, {.epochs = 50, .validation_split = 0.2f});
//   ctnn::save_csv(h, "run1.csv");       // or ctnn::write_csv(h, std::cout);
//
// gives
//   epoch,loss,accuracy,val_loss,val_accuracy
//   1,0.6931,0.5,0.6925,0.52
//   ...
// Columns: "epoch" (1-based), then "loss", "accuracy", the other training quantities
// alphabetically, then the val_ quantities in the same order ("val_loss", "val_accuracy", ...).
// Numbers are the shortest text that reads back to the same double (std::to_chars), so nothing
// is lost in the file. NaN is written as an empty field (a missing value to spreadsheets,
// pandas and ctnn::io::read_csv with allow_missing); infinities as "inf" / "-inf".
// The row count is the length of the quantities (h.epochs is not consulted); quantities of
// different lengths are refused with std::invalid_argument.
//
// save_csv replaces the file atomically (io/atomic_file.hpp), so a reader never sees half a file;
// failures throw ctnn::io_error (a std::runtime_error) naming the path.
#pragma once

#include "ctnn/io/atomic_file.hpp"
#include "ctnn/training/history.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn {

// The common length of every quantity (0 for an empty history).
[[nodiscard]] inline std::size_t history_length(const history& h) {
    if (h.values.empty())
        return 0;
    const auto& [first_key, first] = *h.values.begin();
    for (const auto& [key, values] : h.values)
        if (values.size() != first.size())
            throw std::invalid_argument("history: quantity '" + key + "' has " +
                                        std::to_string(values.size()) + " values but '" +
                                        first_key + "' has " + std::to_string(first.size()));
    return first.size();
}

namespace detail {

// Shortest round-trip text of a finite double; "" for NaN, "inf"/"-inf" for infinities.
[[nodiscard]] inline std::string csv_number(double v) {
    if (std::isnan(v))
        return {};
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

} // namespace detail

inline void write_csv(const history& h, std::ostream& out) {
    const std::size_t rows = history_length(h);
    const std::vector<std::string> columns = history_columns(h);
    std::vector<const std::vector<double>*> series;
    std::string text = "epoch";
    for (const std::string& key : columns) {
        text += ',';
        // A key with a comma, quote or line break is quoted (RFC 4180); fit's keys never are.
        if (key.find_first_of(",\"\r\n") != std::string::npos) {
            text += '"';
            for (char c : key)
                text += c == '"' ? std::string("\"\"") : std::string(1, c);
            text += '"';
        } else {
            text += key;
        }
        series.push_back(&h.values.at(key));
    }
    text += '\n';
    for (std::size_t row = 0; row < rows; ++row) {
        text += std::to_string(row + 1);
        for (const auto* values : series) {
            text += ',';
            text += detail::csv_number((*values)[row]);
        }
        text += '\n';
    }
    out << text;
}

inline void save_csv(const history& h, const std::filesystem::path& path) {
    std::ostringstream text; // formatted first, so a bad history leaves no file behind
    write_csv(h, text);
    io::write_file_atomically(path, text.view());
}

} // namespace ctnn
