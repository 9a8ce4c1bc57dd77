// Tests ctnn/policies/loss/accuracy.hpp: the accuracy rules on hand-counted cases (ties, the
// split itself, labels that are not class indices), which shipped losses have an accuracy, that
// each one's accuracy is Keras's choice for it (the rule with the loss's splits), and that a loss
// written outside the library gets one by stating it.
#include "ctnn/policies/loss/accuracy.hpp"

#include "ctnn/policies/loss/losses.hpp"
#include "policies/loss/user_losses.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <random>

using namespace ctnn;

namespace {

// Losses written outside the library (user_losses.hpp).
static_assert(has_accuracy_v<test::binary_logit_loss> && !has_accuracy_v<test::plain_loss>);
static_assert(has_accuracy_v<sparse_categorical_crossentropy> &&
              has_accuracy_v<sparse_categorical_crossentropy_from_logits> &&
              has_accuracy_v<categorical_crossentropy> &&
              has_accuracy_v<categorical_crossentropy_from_logits> &&
              has_accuracy_v<binary_crossentropy> &&
              has_accuracy_v<binary_crossentropy_from_logits> && has_accuracy_v<hinge> &&
              has_accuracy_v<squared_hinge>);
// Regression losses and KL divergence have none.
static_assert(!has_accuracy_v<mean_squared_error> && !has_accuracy_v<mean_absolute_error> &&
              !has_accuracy_v<mean_squared_logarithmic_error> && !has_accuracy_v<huber> &&
              !has_accuracy_v<log_cosh> && !has_accuracy_v<kl_divergence>);

} // namespace

BOOST_AUTO_TEST_SUITE(accuracy_test)

BOOST_AUTO_TEST_CASE(rules_on_hand_counted_cases) {
    const std::array<float, 3> p{0.1f, 0.7f, 0.2f};
    BOOST_TEST(class_index_accuracy<3>(p.data(), std::array{1.0f}.data()) == 1.0f);
    BOOST_TEST(class_index_accuracy<3>(p.data(), std::array{2.0f}.data()) == 0.0f);
    BOOST_TEST(class_index_accuracy<3>(p.data(), std::array{1.5f}.data()) == 0.0f);
    BOOST_TEST(class_index_accuracy<3>(p.data(), std::array{-1.0f}.data()) == 0.0f);
    // Ties: the first maximum, as std::max_element and Keras's argmax.
    const std::array<float, 3> tie{0.4f, 0.4f, 0.2f};
    BOOST_TEST(class_index_accuracy<3>(tie.data(), std::array{0.0f}.data()) == 1.0f);
    BOOST_TEST(class_index_accuracy<3>(tie.data(), std::array{1.0f}.data()) == 0.0f);
    BOOST_TEST(argmax_accuracy<3>(p.data(), std::array{0.0f, 1.0f, 0.0f}.data()) == 1.0f);
    BOOST_TEST(argmax_accuracy<3>(p.data(), std::array{0.2f, 0.3f, 0.5f}.data()) == 0.0f);
    BOOST_TEST(argmax_accuracy<3>(tie.data(), std::array{0.5f, 0.5f, 0.0f}.data()) == 1.0f);
    // (0.6 > .5, 1 > .5) right, (0.4, 0) right, (0.5 is not above 0.5, 1) wrong, (0.9, 0) wrong.
    const std::array<float, 4> scores{0.6f, 0.4f, 0.5f, 0.9f}, labels{1, 0, 1, 0};
    BOOST_TEST(threshold_accuracy<4>(scores.data(), labels.data(), 0.5f, 0.5f) == 0.5f);
    BOOST_TEST(threshold_accuracy<4>(scores.data(), labels.data(), 0.45f, 0.5f) == 0.75f);
    BOOST_TEST(threshold_accuracy<1>(std::array{-0.1f}.data(), std::array{-1.0f}.data(), 0.0f,
                                     0.0f) == 1.0f);
}

BOOST_AUTO_TEST_CASE(each_loss_uses_kerass_rule) {
    std::mt19937 gen(9);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::bernoulli_distribution coin(0.5);
    for (int draw = 0; draw < 200; ++draw) {
        std::array<float, 5> pred{}, binary{}, signs{}, one_hot{};
        for (std::size_t j = 0; j < 5; ++j) {
            pred[j] = uniform(gen);
            binary[j] = coin(gen) ? 1.0f : 0.0f;
            signs[j] = 2 * binary[j] - 1;
        }
        const std::size_t label = static_cast<std::size_t>(draw % 5);
        one_hot[label] = 1;
        const float index = static_cast<float>(label);
        const float* p = pred.data();
        BOOST_TEST((sample_accuracy<sparse_categorical_crossentropy, 5>(p, &index) ==
                    class_index_accuracy<5>(p, &index)));
        BOOST_TEST((sample_accuracy<sparse_categorical_crossentropy_from_logits, 5>(p, &index) ==
                    class_index_accuracy<5>(p, &index)));
        BOOST_TEST((sample_accuracy<categorical_crossentropy, 5>(p, one_hot.data()) ==
                    argmax_accuracy<5>(p, one_hot.data())));
        BOOST_TEST((sample_accuracy<categorical_crossentropy_from_logits, 5>(p, one_hot.data()) ==
                    argmax_accuracy<5>(p, one_hot.data())));
        // Probabilities split at 0.5, logits at 0, hinge scores at 0 for either label form.
        BOOST_TEST((sample_accuracy<binary_crossentropy, 5>(p, binary.data()) ==
                    threshold_accuracy<5>(p, binary.data(), 0.5f, 0.5f)));
        BOOST_TEST((sample_accuracy<binary_crossentropy_from_logits, 5>(p, binary.data()) ==
                    threshold_accuracy<5>(p, binary.data(), 0.0f, 0.5f)));
        for (const float* t : {binary.data(), signs.data()}) {
            BOOST_TEST(
                (sample_accuracy<hinge, 5>(p, t) == threshold_accuracy<5>(p, t, 0.0f, 0.0f)));
            BOOST_TEST((sample_accuracy<squared_hinge, 5>(p, t) ==
                        threshold_accuracy<5>(p, t, 0.0f, 0.0f)));
        }
        BOOST_TEST((sample_accuracy<test::binary_logit_loss, 5>(p, binary.data()) ==
                    threshold_accuracy<5>(p, binary.data(), 0.0f, 0.5f)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
