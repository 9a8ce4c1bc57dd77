// ctnn/io/scaler.hpp - feature scaling fitted on the training split, applied to every split:
// `min_max_scaler` (each column to [0, 1], [-1, 1] or any [low, high]) and `standard_scaler`
// (each column to mean 0 and standard deviation 1).
//
//   ctnn::io::standard_scaler scaler;
//   scaler.fit(train_x, 9);                 // row-major, 9 columns; statistics of train only
//   scaler.transform_in_place(train_x);     // or: auto x = scaler.transform(test_x);
//   scaler.transform_in_place(test_x);      // the training statistics, unchanged
//   scaler.mean(); scaler.scale();          // per column, what fit found
//
// Fitting on the training split alone is the point: statistics taken from the test split leak
// it into training and make the test score optimistic. The conventions are scikit-learn's:
// the standard deviation is the population one (divide by n), and a constant column gets scale
// 1 (it becomes 0, or `low` for min-max) instead of a division by zero. Statistics are computed
// in double. fit() refuses NaN and infinity (impute first); transform() lets NaN through.
// Calling transform or an accessor before fit() throws std::logic_error; a matrix that is not a
// whole number of rows, or whose width differs from the fitted one, std::invalid_argument.
//
// Standard library only: part of the core target ctnn::ctnn.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ctnn::io {
namespace detail {

// Checks that `values` is a matrix of `columns` columns; returns its number of rows.
inline std::size_t scaler_rows(std::span<const float> values, std::size_t columns,
                               const char* who) {
    if (columns == 0)
        throw std::invalid_argument(std::string(who) +
                                    ": the number of columns must be at least 1");
    if (values.size() % columns != 0)
        throw std::invalid_argument(std::string(who) + ": " + std::to_string(values.size()) +
                                    " values are not a whole number of rows of " +
                                    std::to_string(columns) + " columns");
    return values.size() / columns;
}

// Checks the data fit() learns from: at least one row, every value finite.
inline std::size_t scaler_fit_rows(std::span<const float> values, std::size_t columns,
                                   const char* who) {
    const std::size_t rows = scaler_rows(values, columns, who);
    if (rows == 0)
        throw std::invalid_argument(std::string(who) + "::fit: no rows to fit on");
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw std::invalid_argument(std::string(who) + "::fit: row " +
                                        std::to_string(i / columns) + ", column " +
                                        std::to_string(i % columns) + " is " +
                                        (std::isnan(values[i]) ? "NaN" : "infinite") +
                                        " (impute missing values before scaling)");
    return rows;
}

// Shared by both scalers: y = (x - offset) * factor + shift per column, and its inverse.
class affine_columns {
public:
    [[nodiscard]] bool fitted() const noexcept { return !offset_.empty(); }
    [[nodiscard]] std::size_t columns() const noexcept { return offset_.size(); }

    // Scales rows (columns() values each) in place, or into a copy; inverse_* undoes it.
    void transform_in_place(std::span<float> rows) const { map(rows, false); }
    [[nodiscard]] std::vector<float> transform(std::span<const float> rows) const {
        std::vector<float> out(rows.begin(), rows.end());
        map(out, false);
        return out;
    }
    void inverse_transform_in_place(std::span<float> rows) const { map(rows, true); }
    [[nodiscard]] std::vector<float> inverse_transform(std::span<const float> rows) const {
        std::vector<float> out(rows.begin(), rows.end());
        map(out, true);
        return out;
    }

protected:
    explicit affine_columns(const char* who) : who_(who) {}

    void set(std::vector<double> offset, std::vector<double> factor, double shift) {
        offset_ = std::move(offset);
        factor_ = std::move(factor);
        shift_ = shift;
    }

    void map(std::span<float> values, bool inverse) const {
        require_fitted(who_);
        (void)scaler_rows(values, columns(), who_);
        const std::size_t n = columns();
        for (std::size_t i = 0; i < values.size(); ++i) {
            const std::size_t j = i % n;
            values[i] =
                static_cast<float>(inverse ? (values[i] - shift_) / factor_[j] + offset_[j]
                                           : (values[i] - offset_[j]) * factor_[j] + shift_);
        }
    }

    void require_fitted(const char* who) const {
        if (!fitted())
            throw std::logic_error(std::string(who) +
                                   ": used before fit(); fit it on the training split first");
    }

private:
    const char* who_; // the scaler's name, for error messages
    std::vector<double> offset_, factor_;
    double shift_ = 0;
};

} // namespace detail

// Scales each column linearly so that the training minimum maps to `low` and the maximum to
// `high`. Test values outside the training range land outside [low, high], as they should.
class min_max_scaler : public detail::affine_columns {
public:
    explicit min_max_scaler(float low = 0, float high = 1)
        : affine_columns("min_max_scaler"), low_(low), high_(high) {
        if (!(std::isfinite(low) && std::isfinite(high) && low < high))
            throw std::invalid_argument("min_max_scaler: the range [" + std::to_string(low) + ", " +
                                        std::to_string(high) + "] must be finite with low < high");
    }

    void fit(std::span<const float> rows, std::size_t columns) {
        const std::size_t n = detail::scaler_fit_rows(rows, columns, "min_max_scaler");
        std::vector<double> lo(columns), hi(columns);
        for (std::size_t j = 0; j < columns; ++j)
            lo[j] = hi[j] = rows[j];
        for (std::size_t r = 1; r < n; ++r)
            for (std::size_t j = 0; j < columns; ++j) {
                const double v = rows[r * columns + j];
                lo[j] = v < lo[j] ? v : lo[j];
                hi[j] = v > hi[j] ? v : hi[j];
            }
        std::vector<double> factor(columns);
        for (std::size_t j = 0; j < columns; ++j) {
            const double range = hi[j] - lo[j];
            factor[j] = (double(high_) - double(low_)) / (range == 0 ? 1.0 : range);
        }
        data_min_ = lo;
        data_max_ = hi;
        set(std::move(lo), std::move(factor), low_);
    }

    [[nodiscard]] std::vector<float> fit_transform(std::span<const float> rows,
                                                   std::size_t columns) {
        fit(rows, columns);
        return transform(rows);
    }

    [[nodiscard]] float low() const noexcept { return low_; }
    [[nodiscard]] float high() const noexcept { return high_; }
    // Per column, the training minimum and maximum.
    [[nodiscard]] const std::vector<double>& data_min() const {
        require_fitted("min_max_scaler::data_min");
        return data_min_;
    }
    [[nodiscard]] const std::vector<double>& data_max() const {
        require_fitted("min_max_scaler::data_max");
        return data_max_;
    }

private:
    float low_, high_;
    std::vector<double> data_min_, data_max_;
};

// Scales each column to (x - mean) / scale with the training mean and population standard
// deviation (scale 1 for a constant column).
class standard_scaler : public detail::affine_columns {
public:
    standard_scaler() : affine_columns("standard_scaler") {}

    void fit(std::span<const float> rows, std::size_t columns) {
        const std::size_t n = detail::scaler_fit_rows(rows, columns, "standard_scaler");
        std::vector<double> mean(columns, 0.0), var(columns, 0.0);
        for (std::size_t i = 0; i < rows.size(); ++i)
            mean[i % columns] += rows[i];
        for (double& m : mean)
            m /= static_cast<double>(n);
        // Two passes: the sum of squared deviations, not E[x^2] - E[x]^2, which cancels.
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const double d = rows[i] - mean[i % columns];
            var[i % columns] += d * d;
        }
        std::vector<double> scale(columns), factor(columns);
        for (std::size_t j = 0; j < columns; ++j) {
            var[j] /= static_cast<double>(n);
            scale[j] = var[j] == 0 ? 1.0 : std::sqrt(var[j]);
            factor[j] = 1.0 / scale[j];
        }
        mean_ = mean;
        var_ = std::move(var);
        scale_ = std::move(scale);
        set(std::move(mean), std::move(factor), 0.0);
    }

    [[nodiscard]] std::vector<float> fit_transform(std::span<const float> rows,
                                                   std::size_t columns) {
        fit(rows, columns);
        return transform(rows);
    }

    // Per column, the training mean, population variance and the scale divided by.
    [[nodiscard]] const std::vector<double>& mean() const {
        require_fitted("standard_scaler::mean");
        return mean_;
    }
    [[nodiscard]] const std::vector<double>& variance() const {
        require_fitted("standard_scaler::variance");
        return var_;
    }
    [[nodiscard]] const std::vector<double>& scale() const {
        require_fitted("standard_scaler::scale");
        return scale_;
    }

private:
    std::vector<double> mean_, var_, scale_;
};

} // namespace ctnn::io
