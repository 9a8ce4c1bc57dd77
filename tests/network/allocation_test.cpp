// Proves the no-allocation promise of predict and of a training step: this executable replaces
// every form of the global operator new (plain, array, aligned - every ctnn buffer is
// over-aligned, so a heap buffer of one goes through the std::align_val_t forms - and nothrow)
// and counts every call made while a prediction or a training step runs, on any thread.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace {
std::atomic<std::size_t> allocations{0};

void* allocate(std::size_t size) noexcept {
    ++allocations;
    return std::malloc(size == 0 ? 1 : size);
}
void* allocate(std::size_t size, std::align_val_t alignment) noexcept {
    ++allocations;
    const auto a = static_cast<std::size_t>(alignment);
    // aligned_alloc wants a multiple of the alignment.
    return std::aligned_alloc(a, (size == 0 ? a : (size + a - 1) / a * a));
}
template <class... A>
void* allocate_or_throw(A... args) {
    if (void* p = allocate(args...))
        return p;
    throw std::bad_alloc();
}
} // namespace

// GCC 12 sees the replaced operator new's malloc and free through inlining and calls them a
// mismatched pair; they are the matching pair of this replacement.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
    return allocate_or_throw(size);
}
void* operator new[](std::size_t size) {
    return allocate_or_throw(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
    return allocate_or_throw(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
    return allocate_or_throw(size, alignment);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return allocate(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return allocate(size, alignment);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    std::free(p);
}

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(allocation_test)

BOOST_AUTO_TEST_CASE(the_counter_sees_every_form_of_operator_new) {
    // Called as functions (a new-expression whose result is unused may be elided).
    const std::size_t before = allocations.load();
    void* plain = ::operator new(24);
    void* array = ::operator new[](24);
    void* aligned = ::operator new (24, std::align_val_t{64});
    void* aligned_array = ::operator new[](24, std::align_val_t{64});
    void* nothrow = ::operator new(24, std::nothrow);
    void* aligned_nothrow = ::operator new (24, std::align_val_t{64}, std::nothrow);
    BOOST_TEST(allocations.load() - before == 6u);
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(aligned) % 64 == 0u);
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(aligned_nothrow) % 64 == 0u);
    ::operator delete(plain);
    ::operator delete[](array);
    ::operator delete (aligned, std::align_val_t{64});
    ::operator delete[](aligned_array, std::align_val_t{64});
    ::operator delete(nothrow, std::nothrow);
    ::operator delete (aligned_nothrow, std::align_val_t{64}, std::nothrow);
    // A ctnn buffer on the heap takes the aligned form.
    static_assert(alignof(tensor<float, shape<16>>) > __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    const std::size_t mid = allocations.load();
    const auto t = std::make_unique<tensor<float, shape<16>>>();
    BOOST_TEST(allocations.load() - mid == 1u);
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(t->data()) % simd::alignment == 0u);
}

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

BOOST_AUTO_TEST_CASE(a_training_step_with_gaussian_noise_allocates_nothing) {
    using noisy = network<input<16>, gaussian_noise<std::ratio<1, 10>>, dense<8, relu>, dense<1>>;
    const auto net = std::make_unique<noisy>();
    auto trainer = make_trainer<8>(*net, mean_squared_error{}, adam<>{});
    std::vector<float> x(8 * 16, 0.5f), y(8, 1.0f);
    const std::size_t before = allocations.load();
    float loss = 0;
    for (int i = 0; i < 5; ++i)
        loss += trainer->train_step(x.data(), y.data(), 8);
    BOOST_TEST(allocations.load() - before == 0u);
    BOOST_TEST(std::isfinite(loss));
}

BOOST_AUTO_TEST_CASE(a_training_step_on_two_threads_allocates_nothing) {
    // set_threads starts the team and its gradient buffers (allocations, once); the first step
    // on two threads wakes the worker. Every step after it allocates nothing on either thread.
    using classifier = network<input<64>, dense<32, relu>, dense<10, softmax>>;
    const auto net = std::make_unique<classifier>();
    auto trainer = make_trainer<32>(*net, sparse_categorical_crossentropy{}, adam<>{});
    using regularized = network<input<64>, dense<32, relu, kernel_regularizer<l2<>>>,
                                gaussian_noise<std::ratio<1, 10>>, dense<10, softmax>>;
    const auto reg = std::make_unique<regularized>();
    auto reg_trainer =
        make_trainer<32>(*reg, sparse_categorical_crossentropy{}, sgd<>{.momentum = 0.9f});
    std::vector<float> x(32 * 64, 0.25f), y(32, 3.0f);
    trainer->train_step(x.data(), y.data(), 32);
    trainer->set_threads(2);
    reg_trainer->set_threads(2);
    BOOST_TEST(trainer->threads() == 2u);
    trainer->train_step(x.data(), y.data(), 32);
    reg_trainer->train_step(x.data(), y.data(), 32);

    const std::size_t before = allocations.load();
    float loss = 0;
    for (int i = 0; i < 5; ++i) {
        loss += trainer->train_step(x.data(), y.data(), 32); // split: 16 rows per thread
        loss += trainer->train_step(x.data(), y.data(), 9);  // too few rows: one thread
        loss += reg_trainer->train_step(x.data(), y.data(), 32);
    }
    BOOST_TEST(allocations.load() - before == 0u);
    BOOST_TEST(std::isfinite(loss));
}

BOOST_AUTO_TEST_SUITE_END()
