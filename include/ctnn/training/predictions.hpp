// ctnn/training/predictions.hpp - `predictions<Outputs>`: a network's outputs for a data set,
// rows × Outputs floats, as trainer::predict returns them.
//
//   const ctnn::predictions<10> p = trainer->predict(test);
//   p.rows();  p(i, 3);  p.row(i);  ctnn::argmax(p.row(i));
//   ctnn::metrics::roc_auc(p, test.targets());   // a contiguous range of rows × Outputs floats
//   std::cout << p;                               // as NumPy prints a rows × Outputs array
//
// The column count is part of the type, like a tensor's shape; the row count is the data set's.
#pragma once

#include "ctnn/core/array_text.hpp"

#include <array>
#include <cstddef>
#include <ostream>
#include <span>
#include <vector>

namespace ctnn {

template <std::size_t Outputs>
class predictions {
public:
    static constexpr std::size_t columns = Outputs;

    predictions() = default;
    explicit predictions(std::size_t rows) : values_(rows * Outputs) {}

    [[nodiscard]] std::size_t rows() const noexcept { return values_.size() / Outputs; }
    [[nodiscard]] float& operator()(std::size_t r, std::size_t j) noexcept {
        return values_[r * Outputs + j];
    }
    [[nodiscard]] float operator()(std::size_t r, std::size_t j) const noexcept {
        return values_[r * Outputs + j];
    }
    [[nodiscard]] std::span<float, Outputs> row(std::size_t r) noexcept {
        return std::span<float, Outputs>(values_.data() + r * Outputs, Outputs);
    }
    [[nodiscard]] std::span<const float, Outputs> row(std::size_t r) const noexcept {
        return std::span<const float, Outputs>(values_.data() + r * Outputs, Outputs);
    }

    // The rows × Outputs values, row-major: a contiguous range, so it converts to
    // std::span<const float> (the metrics' argument) and iterates value by value.
    [[nodiscard]] float* data() noexcept { return values_.data(); }
    [[nodiscard]] const float* data() const noexcept { return values_.data(); }
    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    [[nodiscard]] float* begin() noexcept { return values_.data(); }
    [[nodiscard]] float* end() noexcept { return values_.data() + values_.size(); }
    [[nodiscard]] const float* begin() const noexcept { return values_.data(); }
    [[nodiscard]] const float* end() const noexcept { return values_.data() + values_.size(); }
    [[nodiscard]] const std::vector<float>& values() const noexcept { return values_; }

    friend bool operator==(const predictions&, const predictions&) = default;

    // The rows × Outputs array as NumPy prints it (long ones summarised: core/array_text.hpp).
    friend std::ostream& operator<<(std::ostream& os, const predictions& p) {
        const std::array<std::size_t, 2> extents{p.rows(), Outputs};
        return os << detail::array_text(p.data(), std::span<const std::size_t>(extents));
    }

private:
    std::vector<float> values_;
};

} // namespace ctnn
