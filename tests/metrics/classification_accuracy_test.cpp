// Tests ctnn/metrics/classification_accuracy.hpp: binary accuracy on a hand-counted case and at
// the threshold's edge, categorical and sparse accuracy on a hand-counted case, their agreement
// with each other and with the trainer's per-sample accuracy on random data, and the errors.
#include "ctnn/metrics/classification_accuracy.hpp"

#include "ctnn/policies/loss/losses.hpp"
#include "metrics_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace ctnn::metrics;
using ctnn::test::error_of;

namespace {

// Random n × classes probabilities-like scores (with ties: values on a grid of 8) and labels.
struct random_classification {
    std::vector<float> predictions, class_indices, one_hot;
};
random_classification make_random(std::size_t n, std::size_t classes, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> grid(0, 7);
    std::uniform_int_distribution<std::size_t> label(0, classes - 1);
    random_classification r;
    r.one_hot.assign(n * classes, 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < classes; ++j)
            r.predictions.push_back(static_cast<float>(grid(gen)) / 8.0f);
        const std::size_t c = label(gen);
        r.class_indices.push_back(static_cast<float>(c));
        r.one_hot[i * classes + c] = 1.0f;
    }
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(classification_accuracy_test)

BOOST_AUTO_TEST_CASE(binary_accuracy_on_ten_hand_counted_samples) {
    // Threshold 0.5 predicts the first five positive.
    //   TP: samples 0, 1, 3 (3)   FP: 2, 4 (2)   FN: 5 (1)   TN: 6, 7, 8, 9 (4)
    //   accuracy = (TP + TN) / 10 = 7 / 10
    const std::vector<float> scores{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f};
    const std::vector<float> labels{1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
    BOOST_TEST(binary_accuracy(scores, labels) == 0.7);
    // Threshold 0.35: samples 0..5 positive -> TP 4, FP 2, FN 0, TN 4 -> 8 / 10.
    BOOST_TEST(binary_accuracy(scores, labels, 0.35f) == 0.8);
    // Threshold 0.95: nothing positive -> TN 6 of 10.
    BOOST_TEST(binary_accuracy(scores, labels, 0.95f) == 0.6);
}

BOOST_AUTO_TEST_CASE(binary_threshold_is_strict_and_works_on_logits) {
    // A score equal to the threshold is negative (score > threshold, as Keras).
    BOOST_TEST(binary_accuracy(std::vector<float>{0.5f}, std::vector<float>{0.0f}) == 1.0);
    BOOST_TEST(binary_accuracy(std::vector<float>{0.5f}, std::vector<float>{1.0f}) == 0.0);
    // Logits split at 0: [-2 -> 0 right, 3 -> 1 right, 0 -> 0 right, -0.1 -> 0 but label 1].
    const std::vector<float> logits{-2.0f, 3.0f, 0.0f, -0.1f}, labels{0, 1, 0, 1};
    BOOST_TEST(binary_accuracy(logits, labels, 0.0f) == 0.75);
    // Infinite scores are ordinary decisions.
    const float inf = std::numeric_limits<float>::infinity();
    BOOST_TEST(binary_accuracy(std::vector<float>{inf, -inf}, std::vector<float>{1, 0}) == 1.0);
}

BOOST_AUTO_TEST_CASE(categorical_and_sparse_on_a_hand_counted_case) {
    // 3 classes, 4 samples. Argmax of the prediction rows: 0, 2, 1, and 1 for row 3, whose 0.4
    // ties between classes 1 and 2 (the first maximum wins). True classes 0, 2, 2, 1, so rows
    // 0, 1 and 3 are right: 3 / 4.
    const std::vector<float> predictions{0.7f, 0.2f, 0.1f, //
                                         0.1f, 0.3f, 0.6f, //
                                         0.3f, 0.5f, 0.2f, //
                                         0.2f, 0.4f, 0.4f};
    const std::vector<float> classes{0, 2, 2, 1};
    const std::vector<float> one_hot{1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0};
    BOOST_TEST(sparse_categorical_accuracy(predictions, classes, 3) == 0.75);
    BOOST_TEST(categorical_accuracy(predictions, one_hot, 3) == 0.75);
    // One class, one sample: always right.
    BOOST_TEST(sparse_categorical_accuracy(std::vector<float>{0.3f}, std::vector<float>{0}, 1) ==
               1.0);
}

BOOST_AUTO_TEST_CASE(sparse_and_categorical_agree_with_each_other_and_the_trainer) {
    for (std::size_t n : {1u, 3u, 17u, 784u}) {
        constexpr std::size_t k = 10;
        const auto r = make_random(n, k, static_cast<unsigned>(n));
        const double sparse = sparse_categorical_accuracy(r.predictions, r.class_indices, k);
        BOOST_TEST(categorical_accuracy(r.predictions, r.one_hot, k) == sparse, "n = " << n);
        // The trainer's per-sample accuracy, averaged, is an independent count.
        double right = 0;
        for (std::size_t i = 0; i < n; ++i)
            right += ctnn::sample_accuracy<ctnn::sparse_categorical_crossentropy, k>(
                r.predictions.data() + i * k, r.class_indices.data() + i);
        BOOST_TEST(sparse == right / static_cast<double>(n), "n = " << n);
    }
}

BOOST_AUTO_TEST_CASE(binary_agrees_with_the_trainer_on_random_data) {
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> score(0.0f, 1.0f);
    std::bernoulli_distribution coin(0.4);
    for (std::size_t n : {1u, 3u, 17u, 784u}) {
        std::vector<float> scores(n), labels(n);
        double right = 0;
        for (std::size_t i = 0; i < n; ++i) {
            scores[i] = score(gen);
            labels[i] = coin(gen) ? 1.0f : 0.0f;
            right += ctnn::sample_accuracy<ctnn::binary_crossentropy, 1>(&scores[i], &labels[i]);
        }
        BOOST_TEST(binary_accuracy(scores, labels) == right / static_cast<double>(n), "n = " << n);
    }
}

BOOST_AUTO_TEST_CASE(errors_name_the_metric_and_the_problem) {
    const std::vector<float> three{0.1f, 0.2f, 0.3f}, two{0, 1};
    const auto has = [](const std::string& message, const std::string& part) {
        const bool found = message.find(part) != std::string::npos;
        BOOST_TEST(found, "'" << message << "' should contain '" << part << "'");
    };
    has(error_of([&] { binary_accuracy(three, two); }), "binary_accuracy: 3 scores but 2 labels");
    has(error_of([] { binary_accuracy({}, {}); }), "binary_accuracy: no samples");
    has(error_of([] {
            binary_accuracy(std::vector<float>{0.1f, 0.2f}, std::vector<float>{0, 2});
        }),
        "binary_accuracy: label 1 is 2, not 0 or 1");
    has(error_of([] { binary_accuracy(std::vector<float>{0.1f}, std::vector<float>{1e-7f}); }),
        "binary_accuracy: label 0 is 1e-07, not 0 or 1"); // not "0", though it looks like it
    const float nan = std::numeric_limits<float>::quiet_NaN();
    has(error_of([&] {
            binary_accuracy(std::vector<float>{0.1f, nan}, std::vector<float>{0, 1});
        }),
        "binary_accuracy: score 1 is NaN");
    has(error_of([&] { sparse_categorical_accuracy(three, two, 2); }),
        "3 prediction values are not a whole number of rows of 2 classes");
    has(error_of([&] { sparse_categorical_accuracy(three, two, 3); }),
        "sparse_categorical_accuracy: 1 prediction rows but 2 class indices");
    has(error_of([&] { sparse_categorical_accuracy(three, two, 0); }),
        "the number of classes must be positive");
    has(error_of([&] { sparse_categorical_accuracy(three, std::vector<float>{3}, 3); }),
        "sparse_categorical_accuracy: target 0 is 3, not a class index in [0, 3)");
    has(error_of([&] { sparse_categorical_accuracy(three, std::vector<float>{1.5f}, 3); }),
        "target 0 is 1.5, not a class index in [0, 3)");
    has(error_of([&] {
            sparse_categorical_accuracy(std::vector<float>{0.1f, nan, 0.3f}, std::vector<float>{1},
                                        3);
        }),
        "prediction row 0 has a NaN in column 1");
    has(error_of([&] {
            categorical_accuracy(three, std::vector<float>{0, 1}, 3);
        }),
        "categorical_accuracy: 3 prediction values but 2 target values");
}

BOOST_AUTO_TEST_SUITE_END()
