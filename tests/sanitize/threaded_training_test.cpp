// Training on two threads (trainer::set_threads) under ThreadSanitizer: the threads share the
// trainer's workspace, each owning its rows of every layer's buffers and its part of every
// gradient block, so any overlap (a layer writing another thread's rows, a gradient part summed
// twice) is a data race that fails the tsan run. Here it also checks the result against one
// thread. (tests/training/threads_test.cpp has the numerical tests; it does not run under TSan.)
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <memory>
#include <random>
#include <vector>

using namespace ctnn;

namespace {

// Layers of different widths, so that the rows of consecutive layers have different strides,
// and gelu, which keeps its pre-activations.
using net_t = network<input<37>, dense<49, relu>, dense<19, gelu>, dense<5, softmax>>;

std::vector<float> train(std::size_t threads) {
    auto net = std::make_unique<net_t>(3);
    auto t = make_trainer<64>(*net, sparse_categorical_crossentropy{}, adam<>{});
    t->set_threads(threads);
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> x(64 * 37), y(64);
    for (int step = 0; step < 6; ++step) {
        for (float& v : x)
            v = value(gen);
        for (float& v : y)
            v = static_cast<float>(gen() % 5);
        const std::size_t rows = step % 2 == 0 ? 64 : 41; // even and uneven halves
        BOOST_REQUIRE(std::isfinite(t->train_step(x.data(), y.data(), rows)));
    }
    std::vector<float> weights;
    net->visit_parameters([&](std::size_t, auto array) {
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c)
                weights.push_back(array(r, c));
    });
    return weights;
}

} // namespace

BOOST_AUTO_TEST_SUITE(threaded_training_test)

BOOST_AUTO_TEST_CASE(two_threads_share_the_workspace_without_a_race) {
    const std::vector<float> one = train(1), two = train(2);
    BOOST_REQUIRE(one.size() == two.size());
    for (std::size_t i = 0; i < one.size(); ++i)
        BOOST_TEST(std::abs(two[i] - one[i]) <= 1e-4f * (1.0f + std::abs(one[i])),
                   "parameter " << i << ": " << two[i] << " vs " << one[i]);
}

BOOST_AUTO_TEST_SUITE_END()
