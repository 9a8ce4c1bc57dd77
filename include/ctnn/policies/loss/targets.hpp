// ctnn/policies/loss/targets.hpp - what a loss's targets are, and the check of one sample's
// target against them.
//
// A loss states the kind of its targets with a static member (a loss without it has `real`
// targets):
//   static constexpr ctnn::target_kind targets = ctnn::target_kind::binary;
// loss_targets_v<Loss> reads it. target_problem<Loss, Outputs>(y_true) checks the
// Loss::target_size(Outputs) values of one sample's target and returns "" when they fit, else
// what is wrong as a phrase that follows "target <i> ":
//   "is 2.5, not a class index in [0, 10)"              class_index
//   "has 1.5 at index 2, not a probability in [0, 1]"   distribution (also: "sums to 0.5, ...")
//   "is 2, not a binary target in [0, 1]"               binary
//   "is 0.5, not a label in {-1, 1} or {0, 1}"          signed_binary
//   "is nan, not a finite number"                       any kind
// Every training entry point checks its data with it before the first step, so that a label the
// loss would clamp or misread (class 10 of 10, a hinge label of 0.5) is refused by name.
#pragma once

#include "ctnn/policies/loss/loss.hpp"

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <string>

namespace ctnn {

enum class target_kind {
    class_index,   // one value per sample: an integer class in [0, outputs) stored as a float
    distribution,  // one-hot or probability rows: values in [0, 1] that sum to 1
    binary,        // each value in [0, 1] (0/1 labels or soft labels)
    signed_binary, // hinge labels: all in {-1, 1}, or all in {0, 1} (converted with 2y - 1)
    real           // any finite number (regression)
};

// clang-format off
template <class Loss>
inline constexpr target_kind loss_targets_v = [] {
    if constexpr (requires { { Loss::targets } -> std::convertible_to<target_kind>; })
        return target_kind{Loss::targets};
    else
        return target_kind::real;
}();
// clang-format on

namespace detail {

// The shortest text that reads back as v: "2.5", "3", "nan", "-inf".
inline std::string number_text(float v) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, v).ptr;
    return std::string(text, end);
}

// How far a distribution row's sum may be from 1: float rounding of soft labels, not a mistake.
inline constexpr double distribution_sum_tolerance = 1e-3;

} // namespace detail

// "" when y_true (Loss::target_size(Outputs) values) is a valid target for Loss, else why not
// (see the top of this file).
template <loss_function Loss, std::size_t Outputs>
[[nodiscard]] std::string target_problem(const float* y_true) {
    constexpr std::size_t size = Loss::target_size(Outputs);
    constexpr target_kind kind = loss_targets_v<Loss>;
    const auto value_at = [&](std::size_t j) {
        const std::string v = detail::number_text(y_true[j]);
        return size == 1 ? "is " + v : "has " + v + " at index " + std::to_string(j);
    };
    bool minus_one = false, zero = false;
    double sum = 0;
    for (std::size_t j = 0; j < size; ++j) {
        const float v = y_true[j];
        if (!std::isfinite(v))
            return value_at(j) + ", not a finite number";
        if constexpr (kind == target_kind::class_index) {
            if (!(v >= 0.0f && v < static_cast<float>(Outputs)) || v != std::floor(v))
                return value_at(j) + ", not a class index in [0, " + std::to_string(Outputs) + ")";
        } else if constexpr (kind == target_kind::distribution) {
            if (!(v >= 0.0f && v <= 1.0f))
                return value_at(j) + ", not a probability in [0, 1]";
        } else if constexpr (kind == target_kind::binary) {
            if (!(v >= 0.0f && v <= 1.0f))
                return value_at(j) + ", not a binary target in [0, 1]";
        } else if constexpr (kind == target_kind::signed_binary) {
            if (v != -1.0f && v != 0.0f && v != 1.0f)
                return value_at(j) + ", not a label in {-1, 1} or {0, 1}";
            minus_one |= v == -1.0f;
            zero |= v == 0.0f;
        }
        sum += static_cast<double>(v);
    }
    if (kind == target_kind::signed_binary && minus_one && zero)
        return "mixes -1 and 0, not labels all in {-1, 1} or all in {0, 1}";
    if (kind == target_kind::distribution &&
        std::abs(sum - 1.0) > detail::distribution_sum_tolerance)
        return "sums to " + detail::number_text(static_cast<float>(sum)) +
               ", not 1 (a one-hot or probability row)";
    return {};
}

// The classes of Loss's targets for Outputs outputs, as Keras's class_weight counts them: the
// class indices or one-hot columns, or 2 (0 and 1) for a single binary output; 0 when the
// targets have no classes (regression, several independent binary outputs).
template <loss_function Loss, std::size_t Outputs>
inline constexpr std::size_t target_classes_v = [] {
    constexpr target_kind kind = loss_targets_v<Loss>;
    if constexpr (kind == target_kind::class_index || kind == target_kind::distribution)
        return Outputs;
    else if constexpr ((kind == target_kind::binary || kind == target_kind::signed_binary) &&
                       Outputs == 1)
        return std::size_t{2};
    else
        return std::size_t{0};
}();

// The class of one valid target (target_problem is ""): the index, the largest one-hot column
// (the first on ties), or 1 for a binary target above 0.5 (hinge: above 0) and 0 otherwise.
template <loss_function Loss, std::size_t Outputs>
requires(target_classes_v<Loss, Outputs> > 0)
[[nodiscard]] std::size_t target_class(const float* y_true) noexcept {
    constexpr target_kind kind = loss_targets_v<Loss>;
    if constexpr (kind == target_kind::class_index) {
        return static_cast<std::size_t>(y_true[0]);
    } else if constexpr (kind == target_kind::distribution) {
        std::size_t best = 0;
        for (std::size_t j = 1; j < Outputs; ++j)
            if (y_true[j] > y_true[best])
                best = j;
        return best;
    } else {
        return y_true[0] > (kind == target_kind::signed_binary ? 0.0f : 0.5f) ? 1 : 0;
    }
}

} // namespace ctnn
