// ctnn/io/one_hot.hpp - `one_hot_encoder`: a categorical column as one 0/1 column per category.
//
//   ctnn::io::one_hot_encoder colour;
//   colour.fit(train.strings("colour"));            // the categories of the training split
//   std::vector<float> x = colour.transform(test.strings("colour")); // rows x colour.size()
//   colour.categories();                            // {"blue", "green", "red"}: sorted
//   std::vector<float> k = colour.transform_indices(labels); // class index per row, as floats
//
// Categories are sorted (byte order), so the columns do not depend on the order of the rows.
// A missing value read with csv_options::allow_missing is the category "" like any other.
// A value not seen by fit() is an error naming it and its row (std::invalid_argument) by
// default; with unknown_category::ignore it becomes a row of zeros (transform_indices still
// refuses it: there is no index to give). Using the encoder before fit() throws
// std::logic_error.
//
// Standard library only: part of the core target ctnn::ctnn.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctnn::io {

// What transform() does with a category that fit() did not see.
enum class unknown_category {
    error,  // std::invalid_argument naming the value and the row
    ignore, // a row of zeros
};

class one_hot_encoder {
public:
    explicit one_hot_encoder(unknown_category unknown = unknown_category::error) noexcept
        : unknown_(unknown) {}

    void fit(std::span<const std::string> values) {
        if (values.empty())
            throw std::invalid_argument("one_hot_encoder::fit: no values to fit on");
        std::vector<std::string> categories(values.begin(), values.end());
        std::sort(categories.begin(), categories.end());
        categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
        categories_ = std::move(categories);
    }

    [[nodiscard]] bool fitted() const noexcept { return !categories_.empty(); }
    // The number of categories: the width of a transformed row.
    [[nodiscard]] std::size_t size() const noexcept { return categories_.size(); }
    // The fitted categories, sorted: column k of a transformed row is categories()[k].
    [[nodiscard]] const std::vector<std::string>& categories() const {
        require_fitted();
        return categories_;
    }
    // The column of a category, if fit() saw it.
    [[nodiscard]] std::optional<std::size_t> index(std::string_view value) const {
        require_fitted();
        const auto it = std::lower_bound(categories_.begin(), categories_.end(), value);
        if (it == categories_.end() || *it != value)
            return std::nullopt;
        return static_cast<std::size_t>(it - categories_.begin());
    }

    // values.size() rows of size() floats, row-major: 1 in the value's column, 0 elsewhere.
    [[nodiscard]] std::vector<float> transform(std::span<const std::string> values) const {
        require_fitted();
        const std::size_t k = size();
        std::vector<float> out(values.size() * k, 0.0f);
        for (std::size_t r = 0; r < values.size(); ++r) {
            if (const std::optional<std::size_t> j = index(values[r]))
                out[r * k + *j] = 1.0f;
            else if (unknown_ == unknown_category::error)
                throw unseen(values[r], r,
                             "; construct the encoder with "
                             "unknown_category::ignore to encode it as zeros");
        }
        return out;
    }

    // One float per value: the index of its category (class labels for sparse losses).
    [[nodiscard]] std::vector<float> transform_indices(std::span<const std::string> values) const {
        require_fitted();
        std::vector<float> out(values.size());
        for (std::size_t r = 0; r < values.size(); ++r) {
            const std::optional<std::size_t> j = index(values[r]);
            if (!j)
                throw unseen(values[r], r, "");
            out[r] = static_cast<float>(*j);
        }
        return out;
    }

    [[nodiscard]] unknown_category unknown() const noexcept { return unknown_; }

private:
    void require_fitted() const {
        if (!fitted())
            throw std::logic_error(
                "one_hot_encoder: used before fit(); fit it on the training split first");
    }

    [[nodiscard]] std::invalid_argument unseen(std::string_view value, std::size_t row,
                                               const char* hint) const {
        constexpr std::size_t listed = 20; // a vocabulary may have thousands
        std::string list;
        for (std::size_t i = 0; i < categories_.size() && i < listed; ++i)
            list += (i ? ", \"" : "\"") + categories_[i] + "\"";
        if (categories_.size() > listed)
            list += ", ... (" + std::to_string(categories_.size()) + " in all)";
        return std::invalid_argument(
            "one_hot_encoder: row " + std::to_string(row) + " holds \"" + std::string(value) +
            "\", a category not seen by fit() (the categories are " + list + ")" + hint);
    }

    std::vector<std::string> categories_;
    unknown_category unknown_;
};

} // namespace ctnn::io
