// A loss written only in this file trains through trainer::fit and gets what the library's own
// losses get from their members (policies/loss/accuracy.hpp, targets.hpp), with no edit of
// ctnn: "accuracy" and "val_accuracy" in the history, evaluate's accuracy equal to
// metrics::binary_accuracy of the predictions (an independent count), and its targets checked
// against its target kind before the first step. A loss that states neither logs no accuracy.
#include "ctnn/ctnn.hpp"

#include "support/separable_points.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

using namespace ctnn;

namespace {

// The Brier score: the mean over the outputs of (p - y)^2 on probabilities, binary targets,
// binary accuracy at 0.5.
struct brier_score {
    static constexpr std::string_view name = "brier_score";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    static constexpr target_kind targets = target_kind::binary;

    template <std::size_t N>
    static float value(const float* p, const float* y) noexcept {
        float sum = 0;
        for (std::size_t j = 0; j < N; ++j)
            sum += (p[j] - y[j]) * (p[j] - y[j]);
        return sum / static_cast<float>(N);
    }
    template <std::size_t N>
    static void gradient(const float* p, const float* y, float* grad) noexcept {
        for (std::size_t j = 0; j < N; ++j)
            grad[j] = 2 * (p[j] - y[j]) / static_cast<float>(N);
    }
    template <std::size_t N>
    static float accuracy(const float* p, const float* y) noexcept {
        return threshold_accuracy<N>(p, y, 0.5f, 0.5f);
    }
};

// The same loss stating nothing more than loss_function asks.
struct plain_brier_score {
    static constexpr std::string_view name = "plain_brier_score";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    template <std::size_t N>
    static float value(const float* p, const float* y) noexcept {
        return brier_score::value<N>(p, y);
    }
    template <std::size_t N>
    static void gradient(const float* p, const float* y, float* grad) noexcept {
        brier_score::gradient<N>(p, y, grad);
    }
};

using net_t = network<input<2>, dense<1, sigmoid>>;

} // namespace

BOOST_AUTO_TEST_SUITE(user_loss_test)

BOOST_AUTO_TEST_CASE(fit_logs_the_accuracy_the_loss_states) {
    const auto data = test::separable_points(200);
    auto net = std::make_unique<net_t>(/*seed=*/4);
    auto t = make_trainer<16>(*net, brier_score{}, adam<>{.learning_rate = 0.05f});
    static_assert(decltype(t)::element_type::has_accuracy);
    const history h = t->fit(data, {.epochs = 30, .validation_split = 0.25f, .seed = 2});
    BOOST_TEST_REQUIRE(h.values.count("accuracy") == 1u);
    BOOST_TEST_REQUIRE(h.values.count("val_accuracy") == 1u);
    BOOST_TEST(h.values.at("accuracy").size() == 30u);
    BOOST_TEST(h.values.at("val_accuracy").size() == 30u);
    BOOST_TEST(h.values.at("accuracy").back() >= 0.95);
    BOOST_TEST(h.values.at("val_accuracy").back() >= 0.95);

    // evaluate's accuracy against metrics::binary_accuracy of the predictions (threshold 0.5).
    const evaluation e = t->evaluate(data);
    BOOST_TEST(e.accuracy == metrics::binary_accuracy(t->predict(data), data.targets()));
    BOOST_TEST(e.accuracy >= 0.95);
}

BOOST_AUTO_TEST_CASE(a_loss_without_accuracy_logs_none) {
    const auto data = test::separable_points(64);
    auto net = std::make_unique<net_t>();
    auto t = make_trainer<16>(*net, plain_brier_score{}, adam<>{});
    const history h = t->fit(data, {.epochs = 2, .validation_split = 0.25f});
    BOOST_TEST(h.values.count("loss") == 1u);
    BOOST_TEST(h.values.count("val_loss") == 1u);
    BOOST_TEST(h.values.count("accuracy") == 0u);
    BOOST_TEST(h.values.count("val_accuracy") == 0u);
    BOOST_TEST(std::isnan(t->evaluate(data).accuracy));
}

BOOST_AUTO_TEST_CASE(targets_are_checked_against_the_stated_kind) {
    const dataset<shape<2>, shape<1>> bad({0, 0, 1, 1, 2, 2}, {0, 2, 1});
    auto net = std::make_unique<net_t>();
    auto t = make_trainer<4>(*net, brier_score{}, adam<>{});
    try {
        t->fit(bad);
        BOOST_ERROR("fit accepted a binary target of 2");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()) == "fit: target 1 is 2, not a binary target in [0, 1]");
    }
    try {
        (void)t->evaluate(bad);
        BOOST_ERROR("evaluate accepted a binary target of 2");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "evaluate: target 1 is 2, not a binary target in [0, 1]");
    }
    // Without a stated kind the targets are real: 2 is accepted.
    auto plain = make_trainer<4>(*net, plain_brier_score{}, adam<>{});
    BOOST_CHECK_NO_THROW(plain->fit(bad));
}

BOOST_AUTO_TEST_SUITE_END()
