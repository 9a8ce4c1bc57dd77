// Tests ctnn/training/early_stopping.hpp: Keras's EarlyStopping rules on scripted values
// (patience, min_delta, mode, start_from_epoch), and in fit: an overfitting run stops and
// restores the weights of its best epoch.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <random>
#include <vector>

using namespace ctnn;

namespace {
// The epoch (0-based) at which the rule says stop, or the count if it never does.
std::size_t stop_epoch(const early_stopping& options, const std::vector<double>& values) {
    early_stopping_state state(options);
    for (std::size_t e = 0; e < values.size(); ++e)
        if (state.update(values[e], e))
            return e;
    return values.size();
}

dataset<shape<2>, shape<1>> noisy_points(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::bernoulli_distribution flip(0.25);
    std::vector<float> x, y;
    for (std::size_t i = 0; i < n; ++i) {
        const float a = u(gen), b = u(gen);
        x.insert(x.end(), {a, b});
        const bool label = a * b > 0.0f;
        y.push_back(label != flip(gen) ? 1.0f : 0.0f);
    }
    return {x, y};
}
} // namespace

BOOST_AUTO_TEST_SUITE(early_stopping_test)

BOOST_AUTO_TEST_CASE(keras_rules_on_scripted_values) {
    // Improvements at epochs 0 and 1; then 2 epochs without: stop at epoch 3 with patience 2.
    BOOST_TEST(stop_epoch({.patience = 2}, {1.0, 0.9, 0.95, 0.92, 0.91}) == 3u);
    // Patience 0 stops at the first epoch that does not improve (never at epoch 0).
    BOOST_TEST(stop_epoch({.patience = 0}, {1.0, 1.0, 0.5}) == 1u);
    // min_delta: 0.995 does not beat 1.0 by more than 0.01.
    BOOST_TEST(stop_epoch({.min_delta = 0.01, .patience = 1}, {1.0, 0.995, 0.5}) == 1u);
    BOOST_TEST(stop_epoch({.min_delta = 0.001, .patience = 1}, {1.0, 0.995, 0.99, 0.99}) == 3u);
    // Accuracy-like names maximise in auto mode; mode overrides.
    BOOST_TEST(early_stopping{.monitor = "val_accuracy"}.maximizes());
    BOOST_TEST(!early_stopping{.monitor = "val_loss"}.maximizes());
    BOOST_TEST(stop_epoch({.monitor = "val_accuracy", .patience = 1}, {0.5, 0.6, 0.55}) == 2u);
    BOOST_TEST(stop_epoch({.patience = 1, .mode = monitor_mode::max}, {0.5, 0.6, 0.7}) == 3u);
    // start_from_epoch: no stop before epoch 3.
    BOOST_TEST(stop_epoch({.patience = 1, .start_from_epoch = 3}, {1, 2, 3, 4, 5}) == 3u);
    early_stopping_state state({.patience = 5});
    for (double v : {3.0, 2.0, 2.5, 1.5, 1.7})
        (void)state.update(v, 0);
    BOOST_TEST(state.best() == 1.5);
    BOOST_TEST(state.epochs_without_improvement() == 1u);
}

BOOST_AUTO_TEST_CASE(fit_stops_an_overfitting_run_and_restores_the_best_weights) {
    const auto train = noisy_points(40, 1), validation = noisy_points(400, 2);
    network<input<2>, dense<64, relu>, dense<64, relu>, dense<1, sigmoid>> net(3);
    auto t = make_trainer<8>(net, binary_crossentropy{}, adam<>{.learning_rate = 0.01f});
    const history h = t->fit(
        train, validation,
        {.epochs = 300,
         .seed = 4,
         .early_stopping = ctnn::early_stopping{.patience = 5, .restore_best_weights = true}});
    BOOST_TEST_MESSAGE(h.stop_reason);
    BOOST_TEST(h.epochs < 300u);
    BOOST_TEST(h.stop_reason.find("early stopping after epoch") != std::string::npos);
    const auto& val_loss = h["val_loss"];
    const double best = *std::min_element(val_loss.begin(), val_loss.end());
    BOOST_TEST(h.last("val_loss") > best); // it stopped because val_loss rose
    BOOST_TEST(t->evaluate(validation).loss == best, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(an_unlogged_quantity_is_a_clear_error) {
    const auto train = noisy_points(16, 5);
    network<input<2>, dense<4, relu>, dense<1, sigmoid>> net(1);
    auto t = make_trainer<8>(net, binary_crossentropy{}, sgd<>{});
    try {
        t->fit(train, {.epochs = 2, .early_stopping = ctnn::early_stopping{}});
        BOOST_TEST(false, "fit accepted a monitor that is not logged");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find(
                       "'val_loss' is not logged (logged: accuracy, loss)") != std::string::npos,
                   e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
