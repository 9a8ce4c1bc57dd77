// Tests ctnn/policies/loss/targets.hpp: the target kind every shipped loss states (and the
// default for a loss that states none), and target_problem for each kind: valid targets give "",
// invalid ones the exact phrase naming the value, its index in a row and what it should be;
// NaN and infinities are refused for every kind.
#include "ctnn/policies/loss/targets.hpp"

#include "ctnn/policies/loss/losses.hpp"
#include "policies/loss/user_losses.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <ratio>
#include <string>

using namespace ctnn;

namespace {

// Losses written outside the library (user_losses.hpp): without a stated kind, real targets.
using test::binary_logit_loss;
using test::plain_loss;
static_assert(loss_targets_v<plain_loss> == target_kind::real);
static_assert(loss_targets_v<binary_logit_loss> == target_kind::binary);

static_assert(loss_targets_v<sparse_categorical_crossentropy> == target_kind::class_index);
static_assert(loss_targets_v<sparse_categorical_crossentropy_from_logits> ==
              target_kind::class_index);
static_assert(loss_targets_v<categorical_crossentropy> == target_kind::distribution);
static_assert(loss_targets_v<categorical_crossentropy_from_logits> == target_kind::distribution);
static_assert(loss_targets_v<kl_divergence> == target_kind::distribution);
static_assert(loss_targets_v<binary_crossentropy> == target_kind::binary);
static_assert(loss_targets_v<binary_crossentropy_from_logits> == target_kind::binary);
static_assert(loss_targets_v<hinge> == target_kind::signed_binary);
static_assert(loss_targets_v<squared_hinge> == target_kind::signed_binary);
static_assert(loss_targets_v<mean_squared_error> == target_kind::real);
static_assert(loss_targets_v<mean_absolute_error> == target_kind::real);
static_assert(loss_targets_v<mean_squared_logarithmic_error> == target_kind::real);
static_assert(loss_targets_v<huber_with<std::ratio<1, 2>>> == target_kind::real);
static_assert(loss_targets_v<log_cosh> == target_kind::real);

constexpr float quiet_nan = std::numeric_limits<float>::quiet_NaN();
constexpr float infinity = std::numeric_limits<float>::infinity();

template <class Loss, std::size_t Outputs, std::size_t Size>
std::string problem(const std::array<float, Size>& target) {
    static_assert(Size == Loss::target_size(Outputs));
    return target_problem<Loss, Outputs>(target.data());
}

} // namespace

BOOST_AUTO_TEST_SUITE(targets_test)

BOOST_AUTO_TEST_CASE(class_indices) {
    using L = sparse_categorical_crossentropy;
    for (float label : {0.0f, 1.0f, 9.0f})
        BOOST_TEST((problem<L, 10>(std::array{label}).empty()), label);
    BOOST_TEST((problem<L, 10>(std::array{2.5f}) == "is 2.5, not a class index in [0, 10)"));
    BOOST_TEST((problem<L, 10>(std::array{10.0f}) == "is 10, not a class index in [0, 10)"));
    BOOST_TEST((problem<L, 10>(std::array{-1.0f}) == "is -1, not a class index in [0, 10)"));
    BOOST_TEST((problem<L, 3>(std::array{1e9f}) == "is 1e+09, not a class index in [0, 3)"));
    BOOST_TEST((problem<sparse_categorical_crossentropy_from_logits, 2>(std::array{2.0f}) ==
                "is 2, not a class index in [0, 2)"));
}

BOOST_AUTO_TEST_CASE(distributions) {
    using L = categorical_crossentropy;
    BOOST_TEST((problem<L, 3>(std::array{0.0f, 1.0f, 0.0f}).empty()));
    BOOST_TEST((problem<L, 3>(std::array{0.2f, 0.3f, 0.5f}).empty()));
    BOOST_TEST((problem<L, 1>(std::array{1.0f}).empty()));
    // Label smoothing 0.1 over 10 classes: the float sum is 1 up to rounding.
    std::array<float, 10> smoothed;
    smoothed.fill(0.01f);
    smoothed[4] = 0.91f;
    BOOST_TEST((problem<L, 10>(smoothed).empty()));
    BOOST_TEST((problem<L, 3>(std::array{0.5f, 0.5f, 0.5f}) ==
                "sums to 1.5, not 1 (a one-hot or probability row)"));
    BOOST_TEST((problem<L, 3>(std::array{0.0f, 0.0f, 0.0f}) ==
                "sums to 0, not 1 (a one-hot or probability row)"));
    BOOST_TEST((problem<L, 3>(std::array{1.5f, -0.5f, 0.0f}) ==
                "has 1.5 at index 0, not a probability in [0, 1]"));
    BOOST_TEST((problem<kl_divergence, 2>(std::array{0.25f, -0.75f}) ==
                "has -0.75 at index 1, not a probability in [0, 1]"));
    BOOST_TEST((problem<categorical_crossentropy_from_logits, 2>(std::array{0.0f, 2.0f}) ==
                "has 2 at index 1, not a probability in [0, 1]"));
}

BOOST_AUTO_TEST_CASE(binary_targets) {
    using L = binary_crossentropy;
    for (float label : {0.0f, 1.0f, 0.3f})
        BOOST_TEST((problem<L, 1>(std::array{label}).empty()), label);
    BOOST_TEST((problem<L, 1>(std::array{2.0f}) == "is 2, not a binary target in [0, 1]"));
    BOOST_TEST((problem<L, 1>(std::array{-0.5f}) == "is -0.5, not a binary target in [0, 1]"));
    BOOST_TEST((problem<binary_crossentropy_from_logits, 3>(std::array{0.0f, 1.0f, 1.5f}) ==
                "has 1.5 at index 2, not a binary target in [0, 1]"));
    BOOST_TEST(
        (problem<binary_logit_loss, 1>(std::array{3.0f}) == "is 3, not a binary target in [0, 1]"));
}

BOOST_AUTO_TEST_CASE(hinge_labels) {
    using L = hinge;
    for (float label : {-1.0f, 0.0f, 1.0f})
        BOOST_TEST((problem<L, 1>(std::array{label}).empty()), label);
    BOOST_TEST((problem<L, 2>(std::array{-1.0f, 1.0f}).empty()));
    BOOST_TEST((problem<L, 2>(std::array{0.0f, 1.0f}).empty()));
    BOOST_TEST((problem<L, 1>(std::array{0.5f}) == "is 0.5, not a label in {-1, 1} or {0, 1}"));
    BOOST_TEST((problem<squared_hinge, 2>(std::array{1.0f, 2.0f}) ==
                "has 2 at index 1, not a label in {-1, 1} or {0, 1}"));
    // hinge converts {0, 1} labels only when all of a sample's labels are 0 or 1: a sample with
    // -1 and 0 would read 0 as a label of 0.
    BOOST_TEST((problem<L, 3>(std::array{-1.0f, 0.0f, 1.0f}) ==
                "mixes -1 and 0, not labels all in {-1, 1} or all in {0, 1}"));
}

BOOST_AUTO_TEST_CASE(real_targets_take_any_finite_number) {
    BOOST_TEST((problem<mean_squared_error, 3>(std::array{-1e30f, 0.0f, 2.5f}).empty()));
    BOOST_TEST((problem<plain_loss, 1>(std::array{-7.0f}).empty()));
    BOOST_TEST((problem<mean_absolute_error, 2>(std::array{1.0f, -infinity}) ==
                "has -inf at index 1, not a finite number"));
}

BOOST_AUTO_TEST_CASE(nan_and_infinity_are_refused_for_every_kind) {
    BOOST_TEST((problem<sparse_categorical_crossentropy, 10>(std::array{quiet_nan}) ==
                "is nan, not a finite number"));
    BOOST_TEST((problem<categorical_crossentropy, 2>(std::array{quiet_nan, 1.0f}) ==
                "has nan at index 0, not a finite number"));
    BOOST_TEST(
        (problem<binary_crossentropy, 1>(std::array{infinity}) == "is inf, not a finite number"));
    BOOST_TEST((problem<hinge, 1>(std::array{quiet_nan}) == "is nan, not a finite number"));
    BOOST_TEST(
        (problem<mean_squared_error, 1>(std::array{quiet_nan}) == "is nan, not a finite number"));
    BOOST_TEST((problem<plain_loss, 2>(std::array{0.0f, infinity}) ==
                "has inf at index 1, not a finite number"));
}

BOOST_AUTO_TEST_SUITE_END()
