// Tests ctnn/metrics/roc_auc.hpp: perfect, reversed and all-tied scores, small cases with and
// without ties counted by hand, invariance under a monotone transform, agreement with the
// O(n²) pair count on random data with many ties, and the errors.
#include "ctnn/metrics/roc_auc.hpp"

#include "metrics_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace ctnn::metrics;
using ctnn::test::brute_force_auc;
using ctnn::test::error_of;

BOOST_AUTO_TEST_SUITE(roc_auc_test)

BOOST_AUTO_TEST_CASE(perfect_reversed_and_tied) {
    const std::vector<float> scores{0.1f, 0.2f, 0.8f, 0.9f};
    BOOST_TEST(roc_auc(scores, std::vector<float>{0, 0, 1, 1}) == 1.0); // every pair ranked right
    BOOST_TEST(roc_auc(scores, std::vector<float>{1, 1, 0, 0}) == 0.0); // every pair ranked wrong
    // All scores equal: every pair is a tie worth 1/2.
    BOOST_TEST(roc_auc(std::vector<float>(7, 0.3f), std::vector<float>{0, 1, 0, 1, 1, 0, 0}) ==
               0.5);
    // The smallest defined case, one pair.
    BOOST_TEST(roc_auc(std::vector<float>{0.4f, 0.6f}, std::vector<float>{1, 0}) == 0.0);
}

BOOST_AUTO_TEST_CASE(small_cases_by_hand) {
    // Positives 0.35 and 0.8, negatives 0.1 and 0.4: 0.35 beats 0.1 only (1 pair), 0.8 beats
    // both (2 pairs): 3 of 4 pairs -> 0.75.
    BOOST_TEST(roc_auc(std::vector<float>{0.1f, 0.4f, 0.35f, 0.8f},
                       std::vector<float>{0, 0, 1, 1}) == 0.75);
    // With ties. Scores 0.2 0.5 0.5 0.5 0.9, labels 0 1 0 0 1.
    //   Pairs: positive 0.5 beats 0.2 (1) and ties two 0.5s (1/2 each) -> 2;
    //          positive 0.9 beats all three negatives -> 3.  U = 5 of 2·3 = 6 pairs.
    //   Average ranks: 0.2 -> 1, the 0.5s -> (2+3+4)/3 = 3, 0.9 -> 5; positives' rank sum
    //   3 + 5 = 8; U = 8 - 2·3/2 = 5. AUROC = 5/6.
    BOOST_TEST(roc_auc(std::vector<float>{0.2f, 0.5f, 0.5f, 0.5f, 0.9f},
                       std::vector<float>{0, 1, 0, 0, 1}) == 5.0 / 6.0);
    // The 10-sample binary case: positives 0.9, 0.8, 0.6, 0.4 beat 6, 6, 5, 4 of the six
    // negatives (0.7, 0.55, 0.3, 0.2, 0.1, 0.05): 21 of 24 pairs.
    BOOST_TEST(
        roc_auc(std::vector<float>{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f},
                std::vector<float>{1, 1, 0, 1, 0, 1, 0, 0, 0, 0}) == 21.0 / 24.0);
    // Infinite scores rank at the ends. Positives 0 and inf, negatives -inf and inf:
    //   0 beats -inf (1), loses to inf (0); inf beats -inf (1), ties inf (1/2) -> 2.5 / 4.
    const float inf = std::numeric_limits<float>::infinity();
    BOOST_TEST(roc_auc(std::vector<float>{-inf, 0.0f, inf, inf}, std::vector<float>{0, 1, 0, 1}) ==
               0.625);
}

BOOST_AUTO_TEST_CASE(monotone_transforms_do_not_change_it) {
    // Probabilities and their logits rank the same.
    std::mt19937 gen(3);
    std::uniform_real_distribution<float> u(0.01f, 0.99f);
    std::bernoulli_distribution coin(0.3);
    std::vector<float> p(17), logits(17), labels(17);
    for (std::size_t i = 0; i < p.size(); ++i) {
        p[i] = u(gen);
        logits[i] = std::log(p[i] / (1.0f - p[i]));
        labels[i] = i < 2 ? static_cast<float>(i) : (coin(gen) ? 1.0f : 0.0f); // both classes
    }
    BOOST_TEST(roc_auc(logits, labels) == roc_auc(p, labels));
}

BOOST_AUTO_TEST_CASE(agrees_with_the_pair_count_on_random_data_with_ties) {
    std::mt19937 gen(11);
    for (std::size_t n : {2u, 3u, 17u, 784u, 1000u}) {
        for (int levels : {3, 20, 1000}) { // few levels: many ties
            std::uniform_int_distribution<int> level(0, levels - 1);
            std::bernoulli_distribution coin(0.35);
            std::vector<float> scores(n), labels(n);
            for (std::size_t i = 0; i < n; ++i) {
                scores[i] = static_cast<float>(level(gen)) / static_cast<float>(levels);
                labels[i] = coin(gen) ? 1.0f : 0.0f;
            }
            labels[0] = 1.0f; // both classes present
            labels[n - 1] = 0.0f;
            // Both are exact (integer pair counts in double), so they agree exactly.
            BOOST_TEST(roc_auc(scores, labels) == brute_force_auc(scores, labels),
                       "n = " << n << ", levels = " << levels);
        }
    }
}

BOOST_AUTO_TEST_CASE(errors) {
    const auto has = [](const std::string& message, const std::string& part) {
        const bool found = message.find(part) != std::string::npos;
        BOOST_TEST(found, "'" << message << "' should contain '" << part << "'");
    };
    has(error_of([] {
            roc_auc(std::vector<float>{0.1f, 0.2f}, std::vector<float>{1, 1});
        }),
        "roc_auc: AUROC is undefined when all 2 labels are 1 (no negatives)");
    has(error_of([] { roc_auc(std::vector<float>{0.1f}, std::vector<float>{0}); }),
        "roc_auc: AUROC is undefined when all 1 labels are 0 (no positives)");
    has(error_of([] { roc_auc({}, {}); }), "roc_auc: no samples");
    has(error_of([] {
            roc_auc(std::vector<float>{0.1f, 0.2f}, std::vector<float>{1});
        }),
        "roc_auc: 2 scores but 1 labels");
    const float nan = std::numeric_limits<float>::quiet_NaN();
    has(error_of([&] {
            roc_auc(std::vector<float>{0.1f, 0.2f, nan}, std::vector<float>{1, 0, 1});
        }),
        "roc_auc: score 2 is NaN");
    has(error_of([] {
            roc_auc(std::vector<float>{0.1f, 0.2f}, std::vector<float>{1, 3});
        }),
        "roc_auc: label 1 is 3, not 0 or 1");
}

BOOST_AUTO_TEST_SUITE_END()
