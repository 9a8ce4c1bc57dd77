// Tests ctnn/metrics/precision_recall.hpp: binary precision, recall and F1 on a hand-counted
// case, the zero-division conventions, per-class and macro values on a hand-counted 3-class
// matrix, and macro averages skipping classes that never occur.
#include "ctnn/metrics/precision_recall.hpp"

#include "metrics_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace tt = boost::test_tools;
using namespace ctnn::metrics;
using ctnn::test::error_of;

BOOST_AUTO_TEST_SUITE(precision_recall_test)

BOOST_AUTO_TEST_CASE(binary_on_ten_hand_counted_samples) {
    // Threshold 0.5: TP 3 (samples 0, 1, 3), FP 2 (2, 4), FN 1 (5), TN 4 (6..9).
    //   precision = 3 / (3 + 2) = 0.6, recall = 3 / (3 + 1) = 0.75,
    //   F1 = 2 · 0.6 · 0.75 / (0.6 + 0.75) = 0.9 / 1.35 = 2/3 = 2·3 / (2·3 + 2 + 1)
    const std::vector<float> scores{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f};
    const std::vector<float> labels{1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
    BOOST_TEST(binary_precision(scores, labels) == 0.6);
    BOOST_TEST(binary_recall(scores, labels) == 0.75);
    BOOST_TEST(binary_f1_score(scores, labels) == 2.0 / 3.0, tt::tolerance(1e-15));
    // Threshold 0.35: TP 4, FP 2, FN 0 -> P = 4/6, R = 1, F1 = 8 / 10.
    BOOST_TEST(binary_precision(scores, labels, 0.35f) == 4.0 / 6.0);
    BOOST_TEST(binary_recall(scores, labels, 0.35f) == 1.0);
    BOOST_TEST(binary_f1_score(scores, labels, 0.35f) == 0.8);
    // From counts, and at compile time.
    static_assert(precision(binary_counts{3, 2, 1, 4}) == 0.6);
    static_assert(recall(binary_counts{3, 2, 1, 4}) == 0.75);
    static_assert(f1_score(binary_counts{1, 1, 0, 0}) == 2.0 / 3.0);
}

BOOST_AUTO_TEST_CASE(undefined_ratios_are_zero) {
    // Nothing predicted positive: precision 0/0 -> 0 (sklearn zero_division=0); recall 0/2 = 0.
    const std::vector<float> low{0.1f, 0.2f, 0.3f}, labels{1, 1, 0};
    BOOST_TEST(binary_precision(low, labels) == 0.0);
    BOOST_TEST(binary_recall(low, labels) == 0.0);
    BOOST_TEST(binary_f1_score(low, labels) == 0.0);
    // No actual positives: recall 0/0 -> 0; precision 0/2 = 0.
    const std::vector<float> high{0.9f, 0.8f}, negatives{0, 0};
    BOOST_TEST(binary_recall(high, negatives) == 0.0);
    BOOST_TEST(binary_precision(high, negatives) == 0.0);
    // All negatives predicted negative: everything 0/0 -> 0 (accuracy would be 1).
    static_assert(f1_score(binary_counts{0, 0, 0, 5}) == 0.0);
    // The F1 count form equals the harmonic mean whenever that is defined.
    for (std::size_t tp = 0; tp < 4; ++tp)
        for (std::size_t fp = 0; fp < 4; ++fp)
            for (std::size_t fn = 0; fn < 4; ++fn) {
                const binary_counts c{tp, fp, fn, 0};
                const double p = precision(c), r = recall(c);
                const double harmonic = p + r == 0 ? 0.0 : 2 * p * r / (p + r);
                BOOST_TEST(f1_score(c) == harmonic, tt::tolerance(1e-15));
            }
}

BOOST_AUTO_TEST_CASE(per_class_and_macro_on_three_classes) {
    // true 0 0 0 0 1 1 2 2 2, predicted 0 0 0 1 1 2 2 0 0: rows 3 1 0 / 0 1 1 / 2 0 1.
    //   class 0: TP 3, FP 2, FN 1 -> P 3/5,  R 3/4, F1 6/9
    //   class 1: TP 1, FP 1, FN 1 -> P 1/2,  R 1/2, F1 2/4
    //   class 2: TP 1, FP 1, FN 2 -> P 1/2,  R 1/3, F1 2/5
    //   macro P = (0.6 + 0.5 + 0.5) / 3, R = (0.75 + 0.5 + 1/3) / 3, F1 = (2/3 + 0.5 + 0.4) / 3
    // (sklearn's precision_recall_fscore_support(average="macro") gives the same three.)
    const confusion_matrix m = confusion(std::vector<float>{0, 0, 0, 1, 1, 2, 2, 0, 0},
                                         std::vector<float>{0, 0, 0, 0, 1, 1, 2, 2, 2}, 3);
    const auto tol = tt::tolerance(1e-15);
    BOOST_TEST(precision(m, 0) == 0.6, tol);
    BOOST_TEST(recall(m, 0) == 0.75, tol);
    BOOST_TEST(f1_score(m, 0) == 2.0 / 3.0, tol);
    BOOST_TEST(precision(m, 1) == 0.5, tol);
    BOOST_TEST(recall(m, 1) == 0.5, tol);
    BOOST_TEST(f1_score(m, 1) == 0.5, tol);
    BOOST_TEST(precision(m, 2) == 0.5, tol);
    BOOST_TEST(recall(m, 2) == 1.0 / 3.0, tol);
    BOOST_TEST(f1_score(m, 2) == 0.4, tol);
    BOOST_TEST(macro_precision(m) == 1.6 / 3.0, tol);
    BOOST_TEST(macro_recall(m) == (0.75 + 0.5 + 1.0 / 3.0) / 3.0, tol);
    BOOST_TEST(macro_f1_score(m) == (2.0 / 3.0 + 0.5 + 0.4) / 3.0, tol);
    // For two classes, class 1's values are the binary ones.
    const std::vector<float> scores{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f};
    const std::vector<float> labels{1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
    const confusion_matrix b = binary_confusion(scores, labels);
    BOOST_TEST(precision(b, 1) == binary_precision(scores, labels));
    BOOST_TEST(recall(b, 1) == binary_recall(scores, labels));
    BOOST_TEST(f1_score(b, 1) == binary_f1_score(scores, labels));
}

BOOST_AUTO_TEST_CASE(macro_skips_classes_never_seen_nor_predicted) {
    // The 3-class case inside a 4-class matrix: class 3 never occurs, so the macro averages are
    // those of the 3 classes (sklearn averages over the labels present by default).
    const std::vector<float> predicted{0, 0, 0, 1, 1, 2, 2, 0, 0}, truth{0, 0, 0, 0, 1, 1, 2, 2, 2};
    const confusion_matrix three = confusion(predicted, truth, 3);
    const confusion_matrix four = confusion(predicted, truth, 4);
    BOOST_TEST(macro_precision(four) == macro_precision(three));
    BOOST_TEST(macro_recall(four) == macro_recall(three));
    BOOST_TEST(macro_f1_score(four) == macro_f1_score(three));
    BOOST_TEST(precision(four, 3) == 0.0); // asked for directly: 0/0 -> 0
    // A class that is predicted but never true counts (precision 0, recall 0/0 -> 0).
    confusion_matrix m(2);
    m.add(0, 0, 3);
    m.add(0, 1, 1);
    // class 0: P 3/3, R 3/4; class 1: P 0/1, R 0/0 -> 0.
    BOOST_TEST(macro_precision(m) == 0.5);
    BOOST_TEST(macro_recall(m) == 0.375);
    const std::string empty = error_of([] { (void)macro_f1_score(confusion_matrix(2)); });
    BOOST_TEST(empty.find("macro_f1_score: no samples") != std::string::npos, empty);
    const std::string outside = error_of([&] { (void)precision(m, 2); });
    BOOST_TEST(outside.find("outside the 2 classes") != std::string::npos, outside);
    const std::string label =
        error_of([] { (void)binary_recall(std::vector<float>{0.5f}, std::vector<float>{-1}); });
    BOOST_TEST(label.find("binary_recall: label 0 is -1, not 0 or 1") != std::string::npos, label);
}

BOOST_AUTO_TEST_SUITE_END()
