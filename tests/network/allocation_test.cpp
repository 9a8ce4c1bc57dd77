// Proves the no-allocation promise of predict: this executable replaces the global operator new
// and counts every call made while a prediction runs.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

namespace {
std::atomic<std::size_t> allocations{0};
}

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

BOOST_AUTO_TEST_SUITE_END()
