// Tests ctnn/policies/loss/loss.hpp: every shipped loss satisfies `loss_function`, declares its
// Keras name and target size, and exactly the softmax/sigmoid pairs of the cross-entropies fuse.
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/loss/losses.hpp"
#include "policies/loss/all_losses.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <string_view>
#include <tuple>

using namespace ctnn;

namespace {

template <class... Ls>
constexpr bool all_are_losses(std::tuple<Ls...>*) {
    return (loss_function<Ls> && ...);
}
static_assert(all_are_losses(static_cast<test::all_losses*>(nullptr)),
              "every shipped loss satisfies loss_function");

// Things that are not losses.
struct no_gradient {
    static constexpr std::string_view name = "no_gradient";
    static constexpr std::size_t target_size(std::size_t n) { return n; }
    template <std::size_t N>
    static float value(const float*, const float*) noexcept {
        return 0;
    }
};
static_assert(!loss_function<no_gradient>);
static_assert(!loss_function<int>);

static_assert(mean_squared_error::target_size(10) == 10);
static_assert(categorical_crossentropy::target_size(10) == 10);
static_assert(sparse_categorical_crossentropy::target_size(10) == 1);
static_assert(sparse_categorical_crossentropy_from_logits::target_size(10) == 1);

static_assert(fuses_with_activation<categorical_crossentropy, softmax>);
static_assert(fuses_with_activation<sparse_categorical_crossentropy, softmax>);
static_assert(fuses_with_activation<binary_crossentropy, sigmoid>);
static_assert(!fuses_with_activation<categorical_crossentropy, sigmoid>);
static_assert(!fuses_with_activation<binary_crossentropy, softmax>);
static_assert(!fuses_with_activation<mean_squared_error, softmax>);
static_assert(!fuses_with_activation<categorical_crossentropy_from_logits, softmax>);
static_assert(!fuses_with_activation<binary_crossentropy_from_logits, sigmoid>);

static_assert(huber::delta<float> == 1.0f);
static_assert(huber_with<std::ratio<1, 2>>::delta<double> == 0.5);

} // namespace

BOOST_AUTO_TEST_SUITE(loss_test)

BOOST_AUTO_TEST_CASE(names_are_keras_names) {
    BOOST_TEST(mean_squared_error::name == "mean_squared_error");
    BOOST_TEST(mean_absolute_error::name == "mean_absolute_error");
    BOOST_TEST(mean_squared_logarithmic_error::name == "mean_squared_logarithmic_error");
    BOOST_TEST(binary_crossentropy::name == "binary_crossentropy");
    BOOST_TEST(binary_crossentropy_from_logits::name == "binary_crossentropy_from_logits");
    BOOST_TEST(hinge::name == "hinge");
    BOOST_TEST(squared_hinge::name == "squared_hinge");
    BOOST_TEST(categorical_crossentropy::name == "categorical_crossentropy");
    BOOST_TEST(categorical_crossentropy_from_logits::name ==
               "categorical_crossentropy_from_logits");
    BOOST_TEST(sparse_categorical_crossentropy::name == "sparse_categorical_crossentropy");
    BOOST_TEST(sparse_categorical_crossentropy_from_logits::name ==
               "sparse_categorical_crossentropy_from_logits");
    BOOST_TEST(kl_divergence::name == "kl_divergence");
    BOOST_TEST(huber::name == "huber");
    BOOST_TEST(log_cosh::name == "log_cosh");
}

// Keras converts {0, 1} labels to {-1, 1}; ctnn decides per sample.
BOOST_AUTO_TEST_CASE(hinge_converts_binary_labels_per_sample) {
    const std::array<float, 3> pred{0.8f, -0.3f, 1.6f};
    const std::array<float, 3> pm1{1.0f, -1.0f, 1.0f};
    const std::array<float, 3> binary{1.0f, 0.0f, 1.0f};
    BOOST_TEST(hinge::value<3>(pred.data(), binary.data()) ==
               hinge::value<3>(pred.data(), pm1.data()));
    BOOST_TEST(squared_hinge::value<3>(pred.data(), binary.data()) ==
               squared_hinge::value<3>(pred.data(), pm1.data()));
    // A sample that is not all {0, 1} is used as given: a label 0 contributes max(1 - 0, 0) = 1.
    const std::array<float, 3> mixed{1.0f, 0.0f, -1.0f};
    const float expected = (0.2f + 1.0f + 2.6f) / 3.0f;
    BOOST_TEST(hinge::value<3>(pred.data(), mixed.data()) == expected,
               boost::test_tools::tolerance(1e-6f));
}

// A sparse target outside [0, N) breaks the precondition but must stay inside the row.
BOOST_AUTO_TEST_CASE(sparse_labels_out_of_range_are_clamped) {
    const std::array<float, 3> p{0.2f, 0.3f, 0.5f};
    const std::array<float, 1> too_big{7.0f}, negative{-2.0f}, last{2.0f}, first{0.0f};
    std::array<float, 4> grad{0, 0, 0, 123.0f};
    BOOST_TEST(sparse_categorical_crossentropy::value<3>(p.data(), too_big.data()) ==
               sparse_categorical_crossentropy::value<3>(p.data(), last.data()));
    BOOST_TEST(sparse_categorical_crossentropy::value<3>(p.data(), negative.data()) ==
               sparse_categorical_crossentropy::value<3>(p.data(), first.data()));
    sparse_categorical_crossentropy::gradient<3>(p.data(), too_big.data(), grad.data());
    sparse_categorical_crossentropy_from_logits::gradient<3>(p.data(), too_big.data(), grad.data());
    sparse_categorical_crossentropy::gradient_wrt_logits<3>(p.data(), too_big.data(), grad.data());
    BOOST_TEST(grad[3] == 123.0f);
}

BOOST_AUTO_TEST_SUITE_END()
