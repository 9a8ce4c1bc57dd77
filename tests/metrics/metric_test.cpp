// Tests ctnn/metrics/metric.hpp: every named metric has Keras's history key and computes what
// the function it wraps computes; a user-made metric works the same way.
#include "ctnn/metrics/metric.hpp"

#include "ctnn/metrics/metrics.hpp" // the umbrella compiles and brings everything

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace ctnn::metrics;

BOOST_AUTO_TEST_SUITE(metric_test)

BOOST_AUTO_TEST_CASE(binary_metrics) {
    const std::vector<float> scores{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f, 0.05f};
    const std::vector<float> labels{1, 1, 0, 1, 0, 1, 0, 0, 0, 0};
    const std::vector<metric> ms = {
        binary_accuracy_metric(), precision_metric(), recall_metric(),
        f1_score_metric(),        auc_metric(),       precision_metric(0.35f)};
    const std::vector<std::string> names{"binary_accuracy", "precision", "recall",
                                         "f1_score",        "auc",       "precision"};
    const std::vector<double> values{0.7,         0.6,      0.75, binary_f1_score(scores, labels),
                                     21.0 / 24.0, 4.0 / 6.0};
    for (std::size_t i = 0; i < ms.size(); ++i) {
        BOOST_TEST(ms[i].name == names[i]);
        BOOST_TEST(ms[i](scores, labels, 1) == values[i], ms[i].name);
    }
}

BOOST_AUTO_TEST_CASE(categorical_regression_and_custom_metrics) {
    const std::vector<float> predictions{0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f,
                                         0.3f, 0.5f, 0.2f, 0.2f, 0.4f, 0.4f};
    const std::vector<float> classes{0, 2, 2, 1};
    const std::vector<float> one_hot{1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0};
    const metric sparse = sparse_categorical_accuracy_metric();
    const metric categorical = categorical_accuracy_metric();
    BOOST_TEST(sparse.name == "sparse_categorical_accuracy");
    BOOST_TEST(categorical.name == "categorical_accuracy");
    BOOST_TEST(sparse(predictions, classes, 3) == 0.75);
    BOOST_TEST(categorical(predictions, one_hot, 3) == 0.75);

    const std::vector<float> p{1, 2, 3}, t{2, 2, 5};
    BOOST_TEST(mae_metric().name == "mae");
    BOOST_TEST(mse_metric().name == "mse");
    BOOST_TEST(mae_metric()(p, t, 1) == 1.0);
    BOOST_TEST(mse_metric()(p, t, 1) == 5.0 / 3.0);

    // Predicted 0, 2, 1, 1 against 0, 2, 2, 1: class 0 F1 1, class 1 F1 2/3, class 2 F1 2/3.
    const metric macro_f1{"macro_f1", [](auto pred, auto target, std::size_t k) {
                              return macro_f1_score(sparse_categorical_confusion(pred, target, k));
                          }};
    BOOST_TEST(macro_f1(predictions, classes, 3) == (1.0 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0,
               boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_SUITE_END()
