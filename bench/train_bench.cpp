// bench/train_bench.cpp - one training step (trainer::train_step) against hand-written Eigen.
//
//   ctnn_bench --benchmark_filter='W4|W5'
//
// ctnn and Eigen (eigen_train.cpp, when CMake found Eigen 3.4) hold the same weights and data
// and do the same work: forward, loss and accuracy, fused output gradient p - y, backward,
// optimizer update:
//   W4_b64  input<784>, dense<128, relu>, dense<10, softmax>, batch 64,
//           sparse_categorical_crossentropy, adam<>
//   W5_b32  input<64>, dense<256, tanh>, dense<256, tanh>, dense<1, sigmoid>, batch 32,
//           binary_crossentropy, sgd<>
// Their FLOP count is the matrix work both sides do: 2 FLOP per multiply-add of the forward
// pass, of dW, and of dX for every layer but the first (no one needs dL/dx of the input); the
// element-wise work of activations, loss and optimizer is not counted.
// Before anything is timed, ctnn's and Eigen's updated weights after one step are compared.
// The Eigen code lives in its own file so that neither file pays the other's compile time.
#include "counters.hpp"
#include "suite.hpp"

#if defined(CTNN_BENCH_EIGEN)
#include "eigen_train.hpp"
#endif

#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/relu.hpp"
#include "ctnn/policies/activation/sigmoid.hpp"
#include "ctnn/policies/activation/softmax.hpp"
#include "ctnn/policies/activation/tanh.hpp"
#include "ctnn/policies/loss/binary_crossentropy.hpp"
#include "ctnn/policies/loss/sparse_categorical_crossentropy.hpp"
#include "ctnn/policies/optimizer/adam.hpp"
#include "ctnn/policies/optimizer/sgd.hpp"
#include "ctnn/training/trainer.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using ctnn::bench::run;

constexpr std::size_t w4_batch = 64;
constexpr std::size_t w5_batch = 32;
using W4 =
    ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;
using W5 = ctnn::network<ctnn::input<64>, ctnn::dense<256, ctnn::tanh>,
                         ctnn::dense<256, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>>;
using W4_optimizer = ctnn::adam<>;
using W5_optimizer = ctnn::sgd<>;
using W4_trainer = ctnn::trainer<W4, ctnn::sparse_categorical_crossentropy, W4_optimizer, w4_batch>;
using W5_trainer = ctnn::trainer<W5, ctnn::binary_crossentropy, W5_optimizer, w5_batch>;

// Multiply-adds of one forward pass of one sample.
template <class Net>
constexpr double forward_macs() {
    double macs = 0.0;
    ctnn::static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::template layer_type<i>;
        macs += static_cast<double>(L::layout::inputs * L::layout::outputs);
    });
    return macs;
}

// forward + dW + dX of all layers but the first, 2 FLOP per multiply-add (see the top).
template <class Net>
constexpr double train_step_flop(std::size_t rows) {
    using first = typename Net::template layer_type<0>;
    const double first_macs = static_cast<double>(first::layout::inputs * first::layout::outputs);
    return 2.0 * (3.0 * forward_macs<Net>() - first_macs) * static_cast<double>(rows);
}

#if defined(CTNN_BENCH_EIGEN)
// Every dense layer's weights of a network, in ctnn's order, for the Eigen copy.
template <class Net>
std::vector<ctnn::bench::dense_parameters> parameters(const Net& net) {
    std::vector<ctnn::bench::dense_parameters> layers;
    ctnn::static_for<Net::layer_count>([&](auto l) {
        using L = typename Net::template layer_type<l>;
        const auto& layer = net.template layer<l>();
        ctnn::bench::dense_parameters p;
        p.inputs = L::layout::inputs;
        p.outputs = L::layout::outputs;
        for (std::size_t i = 0; i < p.inputs; ++i)
            for (std::size_t o = 0; o < p.outputs; ++o)
                p.w.push_back(layer.weight(i, o));
        for (std::size_t o = 0; o < p.outputs; ++o)
            p.b.push_back(layer.bias(o));
        layers.push_back(std::move(p));
    });
    return layers;
}
#endif

// ---------------------------------------------------------------------------------------------
// Train-step fixtures: networks, trainers, Eigen copies, one batch of data each.

struct train_fixtures {
    std::unique_ptr<W4> w4 = std::make_unique<W4>(42);
    std::unique_ptr<W5> w5 = std::make_unique<W5>(42);
    std::unique_ptr<W4_trainer> t4 =
        ctnn::make_trainer<w4_batch>(*w4, ctnn::sparse_categorical_crossentropy{}, W4_optimizer{});
    std::unique_ptr<W5_trainer> t5 =
        ctnn::make_trainer<w5_batch>(*w5, ctnn::binary_crossentropy{}, W5_optimizer{});
    // The multicore runs train copies, each batch's rows split between `threads` threads.
    std::unique_ptr<W4> w4_copy = std::make_unique<W4>(42);
    std::unique_ptr<W4_trainer> t4_threads = ctnn::make_trainer<w4_batch>(
        *w4_copy, ctnn::sparse_categorical_crossentropy{}, W4_optimizer{});
    std::unique_ptr<W5> w5_copy = std::make_unique<W5>(42);
    std::unique_ptr<W5_trainer> t5_threads =
        ctnn::make_trainer<w5_batch>(*w5_copy, ctnn::binary_crossentropy{}, W5_optimizer{});
#if defined(CTNN_BENCH_EIGEN)
    std::unique_ptr<ctnn::bench::eigen_train_step> e4 = ctnn::bench::make_eigen_w4(parameters(*w4));
    std::unique_ptr<ctnn::bench::eigen_train_step> e5 = ctnn::bench::make_eigen_w5(parameters(*w5));
#endif
    alignas(ctnn::simd::alignment) std::array<float, w4_batch * 784> x4{};
    std::array<float, w4_batch> y4{};
    alignas(ctnn::simd::alignment) std::array<float, w5_batch * 64> x5{};
    std::array<float, w5_batch> y5{};

    train_fixtures() {
        std::mt19937 gen(11);
        std::uniform_real_distribution<float> unit(0.0f, 1.0f);
        std::uniform_int_distribution<int> label(0, 9), bit(0, 1);
        for (auto& v : x4)
            v = unit(gen);
        for (auto& v : y4)
            v = static_cast<float>(label(gen));
        for (auto& v : x5)
            v = 2.0f * unit(gen) - 1.0f;
        for (auto& v : y5)
            v = static_cast<float>(bit(gen));
    }
};

// ---------------------------------------------------------------------------------------------
// The start-up check: after one step from the same weights on the same batch, every updated
// weight and bias of ctnn and Eigen agree to 1e-4.

#if defined(CTNN_BENCH_EIGEN)

constexpr float tolerance = 1e-4f;

template <class Layer>
float worst_difference(const Layer& layer, const ctnn::bench::dense_parameters& e) {
    float worst = 0.0f;
    for (std::size_t o = 0; o < e.outputs; ++o) {
        for (std::size_t i = 0; i < e.inputs; ++i)
            worst = std::max(worst, std::abs(e.w[i * e.outputs + o] - layer.weight(i, o)));
        worst = std::max(worst, std::abs(e.b[o] - layer.bias(o)));
    }
    return worst;
}

bool report(const char* what, float worst) {
    const bool ok = worst <= tolerance && std::isfinite(worst);
    std::fprintf(stderr, "check %-12s max |difference| of updated weights from ctnn = %.3g %s\n",
                 what, static_cast<double>(worst), ok ? "ok" : "FAILED");
    return ok;
}

bool check_train_steps(train_fixtures& f) {
    f.t4->train_step(f.x4.data(), f.y4.data(), w4_batch);
    f.e4->step(f.x4.data(), f.y4.data());
    f.t5->train_step(f.x5.data(), f.y5.data(), w5_batch);
    f.e5->step(f.x5.data(), f.y5.data());
    const float w4_worst = std::max(worst_difference(f.w4->layer<0>(), f.e4->layer(0)),
                                    worst_difference(f.w4->layer<1>(), f.e4->layer(1)));
    const float w5_worst = std::max({worst_difference(f.w5->layer<0>(), f.e5->layer(0)),
                                     worst_difference(f.w5->layer<1>(), f.e5->layer(1)),
                                     worst_difference(f.w5->layer<2>(), f.e5->layer(2))});
    const bool ok4 = report("W4_b64/eigen", w4_worst);
    const bool ok5 = report("W5_b32/eigen", w5_worst);
    return ok4 && ok5;
}

#endif // CTNN_BENCH_EIGEN

// ---------------------------------------------------------------------------------------------

void register_benchmarks(train_fixtures& f) {
    auto add = [](const char* name, auto fn) {
        benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMicrosecond);
    };
    constexpr double w4_flop = train_step_flop<W4>(w4_batch);
    constexpr double w5_flop = train_step_flop<W5>(w5_batch);

    add("W4_b64/ctnn", [&f](benchmark::State& s) {
        run(s, w4_flop, [&] {
            float loss = f.t4->train_step(f.x4.data(), f.y4.data(), w4_batch);
            benchmark::DoNotOptimize(loss);
        });
    });
#if defined(CTNN_BENCH_EIGEN)
    add("W4_b64/eigen", [&f](benchmark::State& s) {
        run(s, w4_flop, [&] {
            float loss = f.e4->step(f.x4.data(), f.y4.data());
            benchmark::DoNotOptimize(loss);
        });
    });
#endif
    add("W5_b32/ctnn", [&f](benchmark::State& s) {
        run(s, w5_flop, [&] {
            float loss = f.t5->train_step(f.x5.data(), f.y5.data(), w5_batch);
            benchmark::DoNotOptimize(loss);
        });
    });
#if defined(CTNN_BENCH_EIGEN)
    add("W5_b32/eigen", [&f](benchmark::State& s) {
        run(s, w5_flop, [&] {
            float loss = f.e5->step(f.x5.data(), f.y5.data());
            benchmark::DoNotOptimize(loss);
        });
    });
#endif
    // Multicore: wall-clock time, as the work is spread over threads (trainer::set_threads).
    const auto add_parallel = [](const std::string& name, auto& trainer, const float* x,
                                 const float* y, std::size_t rows, double flop,
                                 std::size_t threads) {
        benchmark::RegisterBenchmark(name.c_str(),
                                     [&trainer, x, y, rows, flop, threads](benchmark::State& s) {
                                         trainer.set_threads(threads);
                                         run(s, flop, [&] {
                                             float loss = trainer.train_step(x, y, rows);
                                             benchmark::DoNotOptimize(loss);
                                         });
                                     })
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
    };
    for (const std::size_t threads : {1, 2}) {
        const std::string suffix = "/threads/" + std::to_string(threads);
        add_parallel("W4_b64/parallel" + suffix, *f.t4_threads, f.x4.data(), f.y4.data(), w4_batch,
                     w4_flop, threads);
        add_parallel("W5_b32/parallel" + suffix, *f.t5_threads, f.x5.data(), f.y5.data(), w5_batch,
                     w5_flop, threads);
    }
}

} // namespace

// The start-up check, then the registration; the fixtures live as long as the program.
bool ctnn::bench::register_train_benchmarks() {
    static const auto f = std::make_unique<train_fixtures>();
#if defined(CTNN_BENCH_EIGEN)
    if (!check_train_steps(*f))
        return false;
#endif
    register_benchmarks(*f);
    return true;
}
