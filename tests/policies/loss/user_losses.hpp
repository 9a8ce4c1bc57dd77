// tests/policies/loss/user_losses.hpp - losses written outside the library, for the tests of
// what a loss may state about itself (accuracy_test.cpp, targets_test.cpp).
#pragma once

#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/targets.hpp"

#include <cstddef>
#include <string_view>

namespace ctnn::test {

// Only what loss_function asks (its value and gradient are not used): no accuracy, real
// targets.
struct plain_loss {
    static constexpr std::string_view name = "plain_loss";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    template <std::size_t N>
    static float value(const float*, const float*) noexcept {
        return 0;
    }
    template <std::size_t N>
    static void gradient(const float*, const float*, float*) noexcept {}
};

// Binary targets and the binary accuracy on logits (split at 0), stated with the library's
// rule.
struct binary_logit_loss : plain_loss {
    static constexpr target_kind targets = target_kind::binary;
    template <std::size_t N>
    static float accuracy(const float* y_pred, const float* y_true) noexcept {
        return threshold_accuracy<N>(y_pred, y_true, 0.0f, 0.5f);
    }
};

static_assert(loss_function<plain_loss> && loss_function<binary_logit_loss>);

} // namespace ctnn::test
