// Tests the learning-rate schedules (constant_rate, step_decay, exponential_decay, cosine_decay,
// include/ctnn/policies/optimizer/*.hpp) against their closed forms and against values computed
// independently (Python, float64) from Keras 3's formulas, and that optimizers call a schedule
// with the number of completed updates (step - 1), as Keras does with `optimizer.iterations`.
#include "ctnn/policies/optimizer/optimizers.hpp"

#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <numbers>

using namespace ctnn;

namespace {
constexpr double tol = 2e-7; // float results of double computations
}

BOOST_AUTO_TEST_SUITE(schedule_test)

BOOST_AUTO_TEST_CASE(constant_rate_and_learning_rate_at) {
    constexpr constant_rate rate = 0.25f;
    static_assert(rate(0) == 0.25f && rate(123456) == 0.25f);
    static_assert(learning_rate_at(rate, 7) == 0.25f);
    static_assert(learning_rate_at(0.5f, 7) == 0.5f);
    static_assert(learning_rate_at(0.5, 7) == 0.5f);
    const auto lambda = [](std::size_t i) noexcept { return 1.0f / static_cast<float>(i + 1); };
    BOOST_TEST(learning_rate_at(lambda, 3) == 0.25f);
    static_assert(learning_rate_schedule<constant_rate> && learning_rate_schedule<step_decay> &&
                  learning_rate_schedule<exponential_decay> &&
                  learning_rate_schedule<cosine_decay> && learning_rate_schedule<decltype(lambda)>);
    static_assert(learning_rate_or_schedule<float> && learning_rate_or_schedule<double>);
    static_assert(!learning_rate_or_schedule<int> && !learning_rate_schedule<float>);
    // A schedule must promise not to throw.
    const auto throwing = [](std::size_t) { return 1.0f; };
    static_assert(!learning_rate_schedule<decltype(throwing)>);
}

BOOST_AUTO_TEST_CASE(step_decay_drops_every_k_steps) {
    const step_decay s{.initial_learning_rate = 0.1f, .drop = 0.5f, .steps_per_drop = 10};
    for (std::size_t i : {0u, 1u, 9u, 10u, 11u, 19u, 20u, 35u, 1000u}) {
        const double expected = 0.1 * std::pow(0.5, std::floor(static_cast<double>(i) / 10.0));
        BOOST_TEST(test::close(s(i), expected, tol, 0.0), "i = " << i);
    }
    BOOST_TEST(test::close(s(9), 0.1, tol, 0.0));
    BOOST_TEST(test::close(s(10), 0.05, tol, 0.0));
    BOOST_TEST(test::close(s(25), 0.025, tol, 0.0));
    const step_decay never{.initial_learning_rate = 0.3f, .steps_per_drop = 0};
    BOOST_TEST(never(1000000) == 0.3f);
}

BOOST_AUTO_TEST_CASE(exponential_decay_is_keras_exponential_decay) {
    const exponential_decay smooth{
        .initial_learning_rate = 0.1f, .decay_steps = 1000, .decay_rate = 0.96f};
    const exponential_decay stairs{
        .initial_learning_rate = 0.1f, .decay_steps = 1000, .decay_rate = 0.96f, .staircase = true};
    for (std::size_t i : {0u, 1u, 500u, 999u, 1000u, 1500u, 10000u}) {
        const double p = static_cast<double>(i) / 1000.0;
        const double rate = static_cast<double>(0.96f);
        BOOST_TEST(test::close(smooth(i), 0.1 * std::pow(rate, p), tol, 0.0), "i = " << i);
        BOOST_TEST(test::close(stairs(i), 0.1 * std::pow(rate, std::floor(p)), tol, 0.0),
                   "i = " << i);
    }
    // Independent values: 0.1 * 0.96 ** (500 / 1000) and 0.1 * 0.96 ** 2.5 (Python, float64).
    BOOST_TEST(test::close(smooth(500), 0.09797958971132713, 1e-6, 0.0));
    BOOST_TEST(test::close(smooth(2500), 0.09029798987795908, 1e-6, 0.0));
    BOOST_TEST(test::close(stairs(2500), 0.09216, 1e-6, 0.0));
    BOOST_TEST(stairs(999) == 0.1f);
}

BOOST_AUTO_TEST_CASE(cosine_decay_is_keras_cosine_decay) {
    const cosine_decay plain{.initial_learning_rate = 0.1f, .decay_steps = 1000};
    const cosine_decay with_alpha{
        .initial_learning_rate = 0.1f, .decay_steps = 1000, .alpha = 0.2f};
    for (std::size_t i : {0u, 1u, 250u, 500u, 750u, 999u, 1000u, 5000u}) {
        const double fraction = std::min(static_cast<double>(i), 1000.0) / 1000.0;
        const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * fraction));
        const double alpha = static_cast<double>(0.2f);
        BOOST_TEST(test::close(plain(i), 0.1 * cosine, tol, 1e-9), "i = " << i);
        BOOST_TEST(test::close(with_alpha(i), 0.1 * ((1.0 - alpha) * cosine + alpha), tol, 0.0),
                   "i = " << i);
    }
    // Landmarks: start, half way, end and after the end.
    BOOST_TEST(plain(0) == 0.1f);
    BOOST_TEST(test::close(plain(500), 0.05, tol, 0.0));
    BOOST_TEST(std::abs(plain(1000)) < 1e-9f);
    BOOST_TEST(test::close(with_alpha(1000), 0.02, tol, 0.0));
    BOOST_TEST(with_alpha(1000) == with_alpha(100000));
    // Independent value: 0.1 * (0.8 * 0.5 * (1 + cos(pi * 0.25)) + 0.2) (Python, float64).
    BOOST_TEST(test::close(with_alpha(250), 0.08828427124746191, 1e-6, 0.0));
}

BOOST_AUTO_TEST_CASE(cosine_decay_warm_up_is_linear_then_decays_from_the_target) {
    const cosine_decay s{.initial_learning_rate = 0.0f,
                         .decay_steps = 1000,
                         .alpha = 0.1f,
                         .warmup_steps = 100,
                         .warmup_target = 0.5f};
    BOOST_TEST(s(0) == 0.0f);
    BOOST_TEST(test::close(s(25), 0.125, tol, 0.0));
    BOOST_TEST(test::close(s(50), 0.25, tol, 0.0));
    BOOST_TEST(test::close(s(100), 0.5, tol, 0.0)); // decay starts from the target
    const double alpha = static_cast<double>(0.1f);
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * 0.5));
    BOOST_TEST(test::close(s(600), 0.5 * ((1.0 - alpha) * cosine + alpha), tol, 0.0));
    BOOST_TEST(test::close(s(1100), 0.5 * alpha, tol, 0.0));
    BOOST_TEST(s(1100) == s(99999));
}

BOOST_AUTO_TEST_CASE(optimizers_evaluate_schedules_at_completed_updates) {
    // sgd on p = 0 with g = 1 moves p by exactly -lr, so p reveals the rate each step used.
    const sgd<exponential_decay> opt{
        .learning_rate = {.initial_learning_rate = 0.1f, .decay_steps = 1, .decay_rate = 0.5f}};
    std::array<float, 3> p{};
    const std::array<float, 3> g{1.0f, 1.0f, 1.0f};
    std::array<float, 3> unused{};
    const std::array<float*, 1> slots{unused.data()};
    double expected = 0.0;
    for (std::size_t step = 1; step <= 4; ++step) {
        apply_update(opt, p.data(), g.data(), slots, p.size(), step);
        expected -= 0.1 * std::pow(0.5, static_cast<double>(step - 1)); // schedule(step - 1)
        for (float v : p)
            BOOST_TEST(test::close(v, expected, 1e-6, 0.0), "step " << step);
    }
    // A lambda is a schedule too.
    const auto halving = [](std::size_t i) noexcept { return i == 0 ? 1.0f : 0.5f; };
    const sgd<decltype(halving)> lambda_sgd{.learning_rate = halving};
    p = {};
    apply_update(lambda_sgd, p.data(), g.data(), slots, p.size(), 1);
    apply_update(lambda_sgd, p.data(), g.data(), slots, p.size(), 2);
    BOOST_TEST(p[0] == -1.5f);
}

BOOST_AUTO_TEST_SUITE_END()
