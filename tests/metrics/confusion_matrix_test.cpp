// Tests ctnn/metrics/confusion_matrix.hpp: a hand-counted 3-class matrix built four ways
// (sparse, categorical, class indices, add), its totals and one-vs-rest counts, its printed
// table, the binary 2 × 2 layout and counts, and the errors.
#include "ctnn/metrics/confusion_matrix.hpp"

#include "metrics_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace ctnn::metrics;
using ctnn::test::error_of;

namespace {

// 9 samples, 3 classes:
//   true      0 0 0 0 1 1 2 2 2
//   predicted 0 0 0 1 1 2 2 0 0
// so, rows = true class, columns = predicted:
//   row 0: 3 1 0     row 1: 0 1 1     row 2: 2 0 1
const std::vector<float> true_classes{0, 0, 0, 0, 1, 1, 2, 2, 2};
const std::vector<float> predicted_classes{0, 0, 0, 1, 1, 2, 2, 0, 0};

// Probability rows whose argmax is the predicted class (the rest shared out unevenly).
std::vector<float> probability_rows() {
    std::vector<float> p;
    for (float c : predicted_classes)
        for (int j = 0; j < 3; ++j)
            p.push_back(static_cast<float>(j) == c ? 0.6f : (j == 0 ? 0.3f : 0.1f));
    return p;
}
std::vector<float> one_hot_rows() {
    std::vector<float> y;
    for (float c : true_classes)
        for (int j = 0; j < 3; ++j)
            y.push_back(static_cast<float>(j) == c ? 1.0f : 0.0f);
    return y;
}

} // namespace

BOOST_AUTO_TEST_SUITE(confusion_matrix_test)

BOOST_AUTO_TEST_CASE(three_classes_counted_by_hand) {
    const confusion_matrix m = sparse_categorical_confusion(probability_rows(), true_classes, 3);
    const std::size_t expected[3][3] = {{3, 1, 0}, {0, 1, 1}, {2, 0, 1}};
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t p = 0; p < 3; ++p)
            BOOST_TEST(m(t, p) == expected[t][p], "(" << t << ", " << p << ")");
    BOOST_TEST(m.classes() == 3u);
    BOOST_TEST(m.total() == 9u);
    BOOST_TEST(m.correct() == 5u); // 3 + 1 + 1
    BOOST_TEST(m.accuracy() == 5.0 / 9.0);
    BOOST_TEST(m.support(0) == 4u); // row sums 4, 2, 3
    BOOST_TEST(m.support(2) == 3u);
    BOOST_TEST(m.predicted(0) == 5u); // column sums 5, 2, 2
    BOOST_TEST(m.predicted(1) == 2u);
    // Class 2 against the rest: TP 1, FP = column 2 - 1 = 1, FN = row 2 - 1 = 2, TN = 9 - 4.
    BOOST_TEST((m.one_vs_rest(2) == binary_counts{1, 1, 2, 5}));
    // Class 0: TP 3, FP 5 - 3 = 2, FN 4 - 3 = 1, TN 3.
    BOOST_TEST((m.one_vs_rest(0) == binary_counts{3, 2, 1, 3}));

    // The same matrix from one-hot targets, from class indices, and added by hand.
    BOOST_TEST((categorical_confusion(probability_rows(), one_hot_rows(), 3) == m));
    BOOST_TEST((confusion(predicted_classes, true_classes, 3) == m));
    confusion_matrix by_hand(3);
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t p = 0; p < 3; ++p)
            by_hand.add(t, p, expected[t][p]);
    BOOST_TEST((by_hand == m));
}

BOOST_AUTO_TEST_CASE(prints_rows_as_true_and_columns_as_predicted_classes) {
    const confusion_matrix m = confusion(predicted_classes, true_classes, 3);
    BOOST_TEST(m.to_string() == "true\\pred  0  1  2\n"
                                "        0  3  1  0\n"
                                "        1  0  1  1\n"
                                "        2  2  0  1\n");
    // Names as headers; columns as wide as the widest name or count.
    confusion_matrix pets(2);
    pets.add(0, 0, 12);
    pets.add(0, 1, 3);
    pets.add(1, 1, 7);
    const std::vector<std::string> names{"cat", "dog"};
    BOOST_TEST(pets.to_string(names) == "true\\pred  cat  dog\n"
                                        "      cat   12    3\n"
                                        "      dog    0    7\n");
    confusion_matrix wide(2);
    wide.add(1, 0, 12345);
    BOOST_TEST(wide.to_string() == "true\\pred      0      1\n"
                                   "        0      0      0\n"
                                   "        1  12345      0\n");
}

BOOST_AUTO_TEST_CASE(binary_layout_is_tn_fp_fn_tp) {
    // The 10-sample case of the accuracy test: TP 3, FP 2, FN 1, TN 4 at threshold 0.5.
    const std::vector<float> scores{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f};
    const std::vector<float> labels{1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
    const binary_counts c = count_binary(scores, labels);
    BOOST_TEST((c == binary_counts{3, 2, 1, 4}));
    BOOST_TEST(c.total() == 10u);
    const confusion_matrix m = binary_confusion(scores, labels);
    BOOST_TEST(m(0, 0) == 4u); // TN
    BOOST_TEST(m(0, 1) == 2u); // FP
    BOOST_TEST(m(1, 0) == 1u); // FN
    BOOST_TEST(m(1, 1) == 3u); // TP
    BOOST_TEST((m.one_vs_rest(1) == c));
    // Threshold 0.35 moves sample 5 (0.4, positive) from FN to TP.
    BOOST_TEST((count_binary(scores, labels, 0.35f) == binary_counts{4, 2, 0, 4}));
}

BOOST_AUTO_TEST_CASE(errors) {
    const auto has = [](const std::string& message, const std::string& part) {
        const bool found = message.find(part) != std::string::npos;
        BOOST_TEST(found, "'" << message << "' should contain '" << part << "'");
    };
    has(error_of([] { confusion_matrix m(0); }), "number of classes must be positive");
    confusion_matrix m(3);
    has(error_of([&] { (void)m(3, 0); }), "class (3, 0) outside the 3 classes");
    has(error_of([&] { m.add(0, 5); }), "class (0, 5) outside the 3 classes");
    has(error_of([&] { (void)m.accuracy(); }), "no samples");
    has(error_of([&] {
            const std::vector<std::string> names{"a", "b"};
            (void)m.to_string(names);
        }),
        "2 names for 3 classes");
    has(error_of([] {
            confusion(std::vector<float>{0, 1}, std::vector<float>{0}, 2);
        }),
        "confusion: 2 predicted classes but 1 true classes");
    has(error_of([] {
            confusion(std::vector<float>{0, 2}, std::vector<float>{0, 1}, 2);
        }),
        "confusion: predicted class 1 is 2, not a class index in [0, 2)");
    has(error_of([] {
            sparse_categorical_confusion(std::vector<float>{0.1f, 0.9f}, std::vector<float>{2}, 2);
        }),
        "sparse_categorical_confusion: target 0 is 2");
    has(error_of([] { binary_confusion(std::vector<float>{0.1f}, std::vector<float>{0.5f}); }),
        "binary_confusion: label 0 is 0.5, not 0 or 1");
    has(error_of([] { count_binary({}, {}); }), "count_binary: no samples");
}

BOOST_AUTO_TEST_SUITE_END()
