// Tests ctnn/training/fit_loop.hpp and callback.hpp through trainer::fit: user callbacks see
// every hook in order and can stop training; metrics are logged per epoch and equal the metric
// computed on the same predictions; clashing metric names are refused.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace ctnn;

namespace {

using net_t = network<input<2>, dense<8, ctnn::tanh>, dense<1, sigmoid>>;
using data_t = dataset<shape<2>, shape<1>>;

// 40 points labelled by the sign of a + b (learnable, not separable by chance).
data_t points(std::size_t n = 40) {
    std::vector<float> x, y;
    for (std::size_t i = 0; i < n; ++i) {
        const float a = static_cast<float>(i % 7) - 3.0f, b = static_cast<float>(i % 5) - 2.0f;
        x.insert(x.end(), {a, b});
        y.push_back(a + b > 0 ? 1.0f : 0.0f);
    }
    return {x, y};
}

struct recorder {
    std::vector<std::string> events;
    std::size_t stop_after = 0; // epochs; 0 = never
    fit_begin begin{};
    void on_train_begin(const fit_begin& b) {
        begin = b;
        events.push_back("train_begin");
    }
    void on_epoch_begin(std::size_t epoch) {
        events.push_back("epoch_begin " + std::to_string(epoch));
    }
    void on_batch_end(const batch_end& e) {
        events.push_back("batch " + std::to_string(e.epoch) + "." + std::to_string(e.batch) + "/" +
                         std::to_string(e.batches));
    }
    bool on_epoch_end(const history& h) {
        events.push_back("epoch_end " + std::to_string(h.epochs));
        return stop_after != 0 && h.epochs == stop_after;
    }
    void on_train_end(const history& h) {
        events.push_back("train_end " + std::to_string(h.epochs));
    }
};

struct only_epochs {
    std::size_t seen = 0;
    void on_epoch_end(const history&) { ++seen; } // void: never stops training
};

} // namespace

BOOST_AUTO_TEST_SUITE(fit_loop_test)

BOOST_AUTO_TEST_CASE(callbacks_see_every_hook_in_order) {
    net_t net(1);
    auto t = make_trainer<16>(net, binary_crossentropy{}, adam<>{});
    recorder r;
    only_epochs o;
    const history h = t->fit(points(), {.epochs = 2}, r, o);
    BOOST_TEST(h.epochs == 2u);
    BOOST_TEST(o.seen == 2u);
    BOOST_TEST(r.begin.epochs == 2u);
    BOOST_TEST(r.begin.samples == 40u);
    BOOST_TEST(r.begin.batches_per_epoch == 3u); // 16 + 16 + 8
    const std::vector<std::string> expected = {"train_begin",   "epoch_begin 0", "batch 0.0/3",
                                               "batch 0.1/3",   "batch 0.2/3",   "epoch_end 1",
                                               "epoch_begin 1", "batch 1.0/3",   "batch 1.1/3",
                                               "batch 1.2/3",   "epoch_end 2",   "train_end 2"};
    BOOST_TEST(r.events == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_callback_returning_true_stops_training) {
    net_t net(2);
    auto t = make_trainer<8>(net, binary_crossentropy{}, adam<>{});
    recorder r;
    r.stop_after = 3;
    const history h = t->fit(points(), {.epochs = 50}, r);
    BOOST_TEST(h.epochs == 3u);
    BOOST_TEST(h["loss"].size() == 3u);
    BOOST_TEST(h.stop_reason == "stopped by a callback after epoch 3");
    BOOST_TEST(r.events.back() == "train_end 3");
}

BOOST_AUTO_TEST_CASE(full_batch_descent_reports_one_batch_per_epoch) {
    net_t net(3);
    auto t = make_trainer<16>(net, binary_crossentropy{}, sgd<>{});
    recorder r;
    t->fit(points(), {.epochs = 1, .mode = gradient_descent::full_batch}, r);
    const std::vector<std::string> expected = {"train_begin", "epoch_begin 0", "batch 0.0/1",
                                               "epoch_end 1", "train_end 1"};
    BOOST_TEST(r.events == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(validation_metrics_equal_the_metric_of_the_predictions) {
    net_t net(4);
    auto t = make_trainer<8>(net, binary_crossentropy{}, adam<>{});
    const data_t train = points(40), validation = points(23);
    const history h = t->fit(train, validation,
                             {.epochs = 3,
                              .metrics = {metrics::auc_metric(), metrics::precision_metric(),
                                          metrics::recall_metric()}});
    for (const char* key : {"auc", "precision", "recall", "val_auc", "val_precision", "val_recall"})
        BOOST_TEST(h[key].size() == 3u, key);
    // After the last epoch the weights are those the validation metrics were computed with.
    const auto p = t->predict(validation);
    BOOST_TEST(h.last("val_auc") == metrics::roc_auc(p, validation.targets()),
               boost::test_tools::tolerance(1e-12));
    BOOST_TEST(h.last("val_recall") == metrics::binary_recall(p, validation.targets(), 0.5f),
               boost::test_tools::tolerance(1e-12));
    for (const double v : h["auc"])
        BOOST_TEST((v >= 0.0 && v <= 1.0));
}

BOOST_AUTO_TEST_CASE(training_metrics_use_the_epochs_outputs_in_shuffled_order) {
    // With a learning rate of 0 the weights never move, so the training-set metric over the
    // epoch's outputs must equal the metric of predict on the whole training set.
    net_t net(5);
    auto t = make_trainer<8>(net, binary_crossentropy{}, sgd<>{.learning_rate = 0.0f});
    const data_t train = points(37);
    const history h = t->fit(train, {.epochs = 2, .metrics = {metrics::auc_metric()}});
    const auto p = t->predict(train);
    BOOST_TEST(h.last("auc") == metrics::roc_auc(p, train.targets()),
               boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(clashing_metric_names_are_refused) {
    net_t net(6);
    auto t = make_trainer<8>(net, binary_crossentropy{}, adam<>{});
    const auto message_of = [&](std::vector<metrics::metric> ms) {
        try {
            t->fit(points(), {.epochs = 1, .metrics = std::move(ms)});
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    BOOST_TEST(message_of({metrics::auc_metric(), metrics::auc_metric()}) ==
               "fit: two metrics are named 'auc'");
    BOOST_TEST(message_of({metrics::metric{"loss", metrics::auc_metric().compute}})
                   .find("clashes with a quantity fit logs itself") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
