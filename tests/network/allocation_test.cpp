// Proves the no-allocation promise of predict and of a training step: this executable replaces the
// global operator new and counts every call made while a prediction runs.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace {
std::atomic<std::size_t> allocations{0};
}

// GCC 12 sees the replaced operator new's malloc and free through inlining and calls them a
// mismatched pair; they are the matching pair of this replacement.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(allocation_test)

BOOST_AUTO_TEST_CASE(predict_allocates_nothing) {
    using classifier = network<input<784>, dense<128, relu>, dense<10, softmax>>;
    using tiny = network<input<16>, dense<32, relu>, dense<32, relu>, dense<1>>;
    const auto net = std::make_unique<classifier>();
    const tiny small;
    const auto image = std::make_unique<tensor<float, shape<784>>>();
    const auto batch = std::make_unique<tensor<float, shape<64, 784>>>();
    const tensor<float, shape<16>> features = tensor<float, shape<16>>::filled(0.25f);

    const std::size_t before = allocations.load();
    float sink = 0;
    for (int i = 0; i < 10; ++i) {
        sink += net->predict(*image)[0];
        sink += net->predict(*batch)[0];
        sink += small.predict(features)[0];
    }
    const std::size_t during = allocations.load() - before;
    BOOST_TEST(during == 0u);
    BOOST_TEST(std::isfinite(sink));
    static_assert(noexcept(net->predict(*image)), "predict must be noexcept");
}

BOOST_AUTO_TEST_CASE(a_training_step_allocates_nothing) {
    using classifier = network<input<784>, dense<128, relu>, dense<10, softmax>>;
    const auto net = std::make_unique<classifier>();
    auto trainer = make_trainer<32>(*net, sparse_categorical_crossentropy{}, adam<>{});
    std::vector<float> x(32 * 784, 0.5f), y(32, 3.0f);
    using regression = network<input<16>, dense<32, gelu>, dense<1>>;
    regression small;
    auto small_trainer = make_trainer<8>(small, mean_squared_error{}, rmsprop<>{.clipnorm = 1.0f});
    std::vector<float> xs(8 * 16, 0.1f), ys(8, 1.0f);
    // Batch normalization, dropout and an activity regularizer, with the fused SGD update.
    using normalized =
        network<input<16>, dense<17>, batch_normalization<relu>, dropout<std::ratio<1, 4>>,
                dense<3, softmax, activity_regularizer<l2<std::ratio<1, 100>>>>>;
    const auto bn = std::make_unique<normalized>();
    auto bn_trainer =
        make_trainer<8>(*bn, sparse_categorical_crossentropy{}, sgd<>{.momentum = 0.9f});
    std::vector<float> yc(8, 2.0f);

    const std::size_t before = allocations.load();
    float loss = 0;
    for (int i = 0; i < 5; ++i) {
        loss += trainer->train_step(x.data(), y.data(), 32);
        loss += trainer->train_step(x.data(), y.data(), 7); // a partial batch
        loss += small_trainer->train_step(xs.data(), ys.data(), 8);
        loss += bn_trainer->train_step(xs.data(), yc.data(), 8);
    }
    BOOST_TEST(allocations.load() - before == 0u);
    BOOST_TEST(std::isfinite(loss));
}

BOOST_AUTO_TEST_SUITE_END()
