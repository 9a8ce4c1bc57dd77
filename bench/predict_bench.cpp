// bench/predict_bench.cpp - network::predict against a naive loop and Eigen, side by side.
//
//   ctnn_bench [--benchmark_filter=W2] [--benchmark_format=json]   (or: build target run_bench;
//   main is in main.cpp)
//
// Three workloads, each run by ctnn, by plain nested loops and (when CMake found Eigen 3.4) by
// a hand-written Eigen version, all holding the same weights (copied from the ctnn network):
//   W1_b1  input<16>, dense<32, relu>, dense<32, relu>, dense<1>      one sample
//   W2_b1  input<784>, dense<128, relu>, dense<10, softmax>            one sample
//   W3_b64 W2's network on a batch of 64 samples
// and the multicore section: W3 and a batch of 2048 (W3x32) through ctnn::parallel_predict on 1
// and 2 threads, timed in wall-clock time (threads/N in the name), and W3 on a thread_team.
// Counters: FLOP/s (2 per multiply-add), %peak (of this core's FMA peak, measured at start-up)
// and, for one sample, bytes/s of weights streamed. Before anything is timed, every
// implementation's output is checked against ctnn's, so the times compare equal work.
#include "peak.hpp"
#include "suite.hpp"

#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/network/parallel_predict.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/activation/relu.hpp"
#include "ctnn/policies/activation/softmax.hpp"

#include <benchmark/benchmark.h>

#if defined(CTNN_BENCH_EIGEN)
#include <Eigen/Core>
#endif

#include <algorithm>
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

using W1 = ctnn::network<ctnn::input<16>, ctnn::dense<32, ctnn::relu>, ctnn::dense<32, ctnn::relu>,
                         ctnn::dense<1>>;
using W2 =
    ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;
constexpr std::size_t w3_batch = 64;
using W3_input = ctnn::tensor<float, ctnn::shape<w3_batch, 784>>;
constexpr std::size_t large_batch = 2048;

using ctnn::bench::l2_read_gbps; // measured once in main (main.cpp), like the peak
using ctnn::bench::peak_gflops;  // measured once in main (main.cpp), before any registration

// ---------------------------------------------------------------------------------------------
// Work per call, for the counters.

template <class Net>
constexpr double macs_per_sample() {
    double macs = 0.0;
    ctnn::static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::template layer_type<i>;
        macs += static_cast<double>(L::layout::inputs * L::layout::outputs);
    });
    return macs;
}

struct workload {
    double flop;         // per call
    double weight_bytes; // per call when one sample streams every parameter once; 0 otherwise
};

template <class Net>
constexpr workload workload_of(std::size_t samples) {
    return {2.0 * macs_per_sample<Net>() * static_cast<double>(samples),
            samples == 1 ? static_cast<double>(Net::param_count * sizeof(float)) : 0.0};
}

// Runs `call` in the benchmark loop and sets the counters. %peak is computed from the same
// thread CPU time the rates use, so it prints as a plain percentage rather than a rate.
template <class Call>
void run(benchmark::State& state, const workload& work, Call&& call) {
    const double start = ctnn::bench::thread_cpu_seconds();
    for (auto _ : state) {
        call();
        benchmark::ClobberMemory(); // the next call must read weights and input again
    }
    const double seconds = ctnn::bench::thread_cpu_seconds() - start;
    using benchmark::Counter;
    state.counters["FLOP/s"] =
        Counter(work.flop, Counter::kIsIterationInvariantRate, Counter::OneK::kIs1000);
    if (work.weight_bytes > 0.0) {
        state.counters["bytes/s"] =
            Counter(work.weight_bytes, Counter::kIsIterationInvariantRate, Counter::OneK::kIs1024);
        // Batch 1 streams every weight once: the share of the L2 bound (weights that fit in L1,
        // as W1's, can beat it).
        if (seconds > 0.0 && l2_read_gbps > 0.0)
            state.counters["%L2"] = 100.0 * work.weight_bytes *
                                    static_cast<double>(state.iterations()) / seconds /
                                    (l2_read_gbps * 1e9);
    }
    if (seconds > 0.0 && peak_gflops > 0.0)
        state.counters["%peak"] = 100.0 * work.flop * static_cast<double>(state.iterations()) /
                                  seconds / (peak_gflops * 1e9);
}

// ---------------------------------------------------------------------------------------------
// Baseline 1: plain nested loops over [in][out] weights, as one would write them without a
// library. The input loop is outside so the inner loop runs along a contiguous weight row (the
// compiler may vectorise it); no intrinsics, no blocking.

enum class act { linear, relu, softmax };

struct naive_dense {
    std::size_t in = 0;
    std::size_t out = 0;
    act activation = act::linear;
    std::vector<float> w; // [in][out]
    std::vector<float> b; // [out]

    void forward(const float* x, float* y) const {
        for (std::size_t j = 0; j < out; ++j)
            y[j] = b[j];
        for (std::size_t i = 0; i < in; ++i) {
            const float xi = x[i];
            for (std::size_t j = 0; j < out; ++j)
                y[j] += xi * w[i * out + j];
        }
        if (activation == act::relu) {
            for (std::size_t j = 0; j < out; ++j)
                y[j] = std::max(y[j], 0.0f);
        } else if (activation == act::softmax) {
            float m = y[0];
            for (std::size_t j = 1; j < out; ++j)
                m = std::max(m, y[j]);
            float sum = 0.0f;
            for (std::size_t j = 0; j < out; ++j) {
                y[j] = std::exp(y[j] - m);
                sum += y[j];
            }
            for (std::size_t j = 0; j < out; ++j)
                y[j] /= sum;
        }
    }
};

struct naive_network {
    std::vector<naive_dense> layers;
    std::vector<float> ping, pong; // activations between layers, sized once

    // One sample: x has layers.front().in floats, y receives layers.back().out.
    void predict(const float* x, float* y) {
        const float* current = x;
        for (std::size_t l = 0; l < layers.size(); ++l) {
            float* target = l + 1 == layers.size() ? y : (l % 2 == 0 ? ping.data() : pong.data());
            layers[l].forward(current, target);
            current = target;
        }
    }
};

template <class Activation>
constexpr act act_of() {
    if constexpr (std::is_same_v<Activation, ctnn::relu>)
        return act::relu;
    else if constexpr (std::is_same_v<Activation, ctnn::softmax>)
        return act::softmax;
    else {
        static_assert(std::is_same_v<Activation, ctnn::linear>,
                      "the naive baseline knows linear, relu and softmax only");
        return act::linear;
    }
}

template <class Net>
naive_network naive_copy(const Net& net) {
    naive_network copy;
    std::size_t widest = 0;
    ctnn::static_for<Net::layer_count>([&](auto l) {
        using L = typename Net::template layer_type<l>;
        const auto& layer = net.template layer<l>();
        naive_dense d;
        d.in = L::layout::inputs;
        d.out = L::layout::outputs;
        d.activation = act_of<typename L::activation_type>();
        d.w.resize(d.in * d.out);
        d.b.resize(d.out);
        for (std::size_t i = 0; i < d.in; ++i)
            for (std::size_t j = 0; j < d.out; ++j)
                d.w[i * d.out + j] = layer.weight(i, j);
        for (std::size_t j = 0; j < d.out; ++j)
            d.b[j] = layer.bias(j);
        widest = std::max(widest, d.out);
        copy.layers.push_back(std::move(d));
    });
    copy.ping.resize(widest);
    copy.pong.resize(widest);
    return copy;
}

// ---------------------------------------------------------------------------------------------
// Baseline 2: Eigen 3.4 written by hand, fixed sizes wherever Eigen allows them (a fixed-size
// object may not exceed 128 KB, so W2's 784 × 128 kernel and the batch input are dynamic).
// Eigen matrices are [out][in]: column-major, so each input's column of weights is contiguous,
// the same memory order as ctnn's [in][out] rows.

#if defined(CTNN_BENCH_EIGEN)

template <class Matrix, class Layer>
void eigen_fill(Matrix& w, const Layer& layer) {
    for (Eigen::Index o = 0; o < w.rows(); ++o)
        for (Eigen::Index i = 0; i < w.cols(); ++i)
            w(o, i) = layer.weight(static_cast<std::size_t>(i), static_cast<std::size_t>(o));
}
template <class Vector, class Layer>
void eigen_fill_bias(Vector& b, const Layer& layer) {
    for (Eigen::Index o = 0; o < b.size(); ++o)
        b(o) = layer.bias(static_cast<std::size_t>(o));
}

// Softmax of every column, by hand (Eigen has none).
template <class Matrix>
void eigen_softmax_columns(Matrix& y) {
    for (Eigen::Index c = 0; c < y.cols(); ++c) {
        auto col = y.col(c);
        const float m = col.maxCoeff();
        col = (col.array() - m).exp().matrix();
        col /= col.sum();
    }
}

struct eigen_w1 {
    EIGEN_MAKE_ALIGNED_OPERATOR_NEW
    Eigen::Matrix<float, 32, 16> w0;
    Eigen::Matrix<float, 32, 1> b0;
    Eigen::Matrix<float, 32, 32> w1;
    Eigen::Matrix<float, 32, 1> b1;
    Eigen::Matrix<float, 1, 32> w2;
    Eigen::Matrix<float, 1, 1> b2;

    explicit eigen_w1(const W1& net) {
        eigen_fill(w0, net.layer<0>());
        eigen_fill_bias(b0, net.layer<0>());
        eigen_fill(w1, net.layer<1>());
        eigen_fill_bias(b1, net.layer<1>());
        eigen_fill(w2, net.layer<2>());
        eigen_fill_bias(b2, net.layer<2>());
    }

    [[nodiscard]] Eigen::Matrix<float, 1, 1> predict(const float* x) const {
        const Eigen::Map<const Eigen::Matrix<float, 16, 1>, Eigen::Aligned64> in(x);
        const Eigen::Matrix<float, 32, 1> h0 = (w0 * in + b0).cwiseMax(0.0f);
        const Eigen::Matrix<float, 32, 1> h1 = (w1 * h0 + b1).cwiseMax(0.0f);
        return w2 * h1 + b2;
    }
};

struct eigen_w2 {
    EIGEN_MAKE_ALIGNED_OPERATOR_NEW
    Eigen::MatrixXf w0{128, 784};
    Eigen::Matrix<float, 128, 1> b0;
    Eigen::Matrix<float, 10, 128> w1;
    Eigen::Matrix<float, 10, 1> b1;
    // Activations, sized once: predict allocates nothing (as ctnn's does not).
    Eigen::Matrix<float, 128, 1> h;
    Eigen::Matrix<float, 10, 1> y;
    Eigen::Matrix<float, 128, w3_batch> hb;
    Eigen::Matrix<float, 10, w3_batch> yb;

    explicit eigen_w2(const W2& net) {
        eigen_fill(w0, net.layer<0>());
        eigen_fill_bias(b0, net.layer<0>());
        eigen_fill(w1, net.layer<1>());
        eigen_fill_bias(b1, net.layer<1>());
    }

    // One sample of 784 floats; the result is `y`.
    void predict(const float* x) {
        const Eigen::Map<const Eigen::VectorXf, Eigen::Aligned64> in(x, 784);
        h = b0;
        h.noalias() += w0 * in; // gemv straight into h: no temporary
        h = h.cwiseMax(0.0f);
        y = w1 * h + b1;
        eigen_softmax_columns(y);
    }

    // w3_batch samples, row-major [sample][784] = column-major 784 × batch; the result is `yb`.
    void predict_batch(const float* x) {
        const Eigen::Map<const Eigen::MatrixXf, Eigen::Aligned64> in(x, 784, w3_batch);
        hb.noalias() = w0 * in;
        hb = (hb.colwise() + b0).cwiseMax(0.0f);
        yb.noalias() = w1 * hb;
        yb.colwise() += b1;
        eigen_softmax_columns(yb);
    }
};

#endif // CTNN_BENCH_EIGEN

// ---------------------------------------------------------------------------------------------
// The fixtures: one network per architecture, its copies, and inputs in [0, 1).

struct fixtures {
    std::unique_ptr<W1> w1 = std::make_unique<W1>(42);
    std::unique_ptr<W2> w2 = std::make_unique<W2>(42);
    naive_network naive1 = naive_copy(*w1);
    naive_network naive2 = naive_copy(*w2);
#if defined(CTNN_BENCH_EIGEN)
    std::unique_ptr<eigen_w1> eigen1 = std::make_unique<eigen_w1>(*w1);
    std::unique_ptr<eigen_w2> eigen2 = std::make_unique<eigen_w2>(*w2);
#endif
    ctnn::tensor<float, ctnn::shape<16>> x1;
    ctnn::tensor<float, ctnn::shape<784>> x2;
    std::unique_ptr<W3_input> x3 = std::make_unique<W3_input>();
    std::vector<float> x_large = std::vector<float>(large_batch * 784);
    std::vector<float> y_large = std::vector<float>(large_batch * 10);
    // Naive outputs.
    float y1 = 0.0f;
    std::vector<float> y2 = std::vector<float>(10);
    std::vector<float> y3 = std::vector<float>(w3_batch * 10);

    fixtures() {
        std::mt19937 gen(7);
        std::uniform_real_distribution<float> unit(0.0f, 1.0f);
        for (auto& v : std::span(x1.data(), 16))
            v = unit(gen);
        for (auto& v : std::span(x2.data(), 784))
            v = unit(gen);
        for (auto& v : std::span(x3->data(), w3_batch * 784))
            v = unit(gen);
        for (auto& v : x_large)
            v = unit(gen);
    }

    void naive3() {
        for (std::size_t r = 0; r < w3_batch; ++r)
            naive2.predict(x3->data() + r * 784, y3.data() + r * 10);
    }
};

// ---------------------------------------------------------------------------------------------
// The start-up check: every baseline agrees with ctnn to 1e-4 on every output.

constexpr float tolerance = 1e-4f;

bool agree(const char* what, std::span<const float> expected, std::span<const float> got) {
    float worst = 0.0f;
    for (std::size_t i = 0; i < expected.size(); ++i)
        worst = std::max(worst, std::abs(expected[i] - got[i]));
    const bool ok = worst <= tolerance && std::isfinite(worst);
    std::fprintf(stderr, "check %-12s max |difference| from ctnn = %.3g %s\n", what,
                 static_cast<double>(worst), ok ? "ok" : "FAILED");
    return ok;
}

bool check_outputs(fixtures& f) {
    bool ok = true;
    const auto p1 = f.w1->predict(f.x1);
    const auto p2 = f.w2->predict(f.x2);
    const auto p3 =
        std::make_unique<ctnn::tensor<float, ctnn::shape<w3_batch, 10>>>(f.w2->predict(*f.x3));
    const std::span<const float> c1(p1.data(), 1), c2(p2.data(), 10), c3(p3->data(), w3_batch * 10);

    f.naive1.predict(f.x1.data(), &f.y1);
    f.naive2.predict(f.x2.data(), f.y2.data());
    f.naive3();
    ok &= agree("W1_b1/naive", c1, std::span<const float>(&f.y1, 1));
    ok &= agree("W2_b1/naive", c2, f.y2);
    ok &= agree("W3_b64/naive", c3, f.y3);
#if defined(CTNN_BENCH_EIGEN)
    const auto e1 = f.eigen1->predict(f.x1.data());
    f.eigen2->predict(f.x2.data());
    f.eigen2->predict_batch(f.x3->data());
    ok &= agree("W1_b1/eigen", c1, std::span<const float>(e1.data(), 1));
    ok &= agree("W2_b1/eigen", c2, std::span<const float>(f.eigen2->y.data(), 10));
    ok &= agree("W3_b64/eigen", c3, std::span<const float>(f.eigen2->yb.data(), w3_batch * 10));
#endif
    return ok;
}

// ---------------------------------------------------------------------------------------------

void register_benchmarks(fixtures& f) {
    constexpr workload w1 = workload_of<W1>(1);
    constexpr workload w2 = workload_of<W2>(1);
    constexpr workload w3 = workload_of<W2>(w3_batch);
    auto add = [](const char* name, auto fn) {
        benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kNanosecond);
    };

    add("W1_b1/ctnn", [&f, w1](benchmark::State& s) {
        run(s, w1, [&] {
            auto y = f.w1->predict(f.x1);
            benchmark::DoNotOptimize(y);
        });
    });
    add("W1_b1/naive", [&f, w1](benchmark::State& s) {
        run(s, w1, [&] {
            f.naive1.predict(f.x1.data(), &f.y1);
            benchmark::DoNotOptimize(f.y1);
        });
    });
#if defined(CTNN_BENCH_EIGEN)
    add("W1_b1/eigen", [&f, w1](benchmark::State& s) {
        run(s, w1, [&] {
            auto y = f.eigen1->predict(f.x1.data());
            benchmark::DoNotOptimize(y);
        });
    });
#endif

    add("W2_b1/ctnn", [&f, w2](benchmark::State& s) {
        run(s, w2, [&] {
            auto y = f.w2->predict(f.x2);
            benchmark::DoNotOptimize(y);
        });
    });
    add("W2_b1/naive", [&f, w2](benchmark::State& s) {
        run(s, w2, [&] {
            f.naive2.predict(f.x2.data(), f.y2.data());
            benchmark::DoNotOptimize(f.y2.data());
        });
    });
#if defined(CTNN_BENCH_EIGEN)
    add("W2_b1/eigen", [&f, w2](benchmark::State& s) {
        run(s, w2, [&] {
            f.eigen2->predict(f.x2.data());
            benchmark::DoNotOptimize(f.eigen2->y.data());
        });
    });
#endif

    add("W3_b64/ctnn", [&f, w3](benchmark::State& s) {
        run(s, w3, [&] {
            auto y = f.w2->predict(*f.x3);
            benchmark::DoNotOptimize(y);
        });
    });
    // Multicore: wall-clock time, as the work is spread over threads.
    const auto add_wall_clock = [](const std::string& name, auto body) {
        benchmark::RegisterBenchmark(name.c_str(), body)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
    };
    for (const std::size_t threads : {1, 2}) {
        const std::string suffix = "/threads/" + std::to_string(threads);
        add_wall_clock("W3_b64/parallel" + suffix, [&f, w3, threads](benchmark::State& s) {
            std::vector<float> y(w3_batch * 10);
            run(s, w3, [&] {
                ctnn::parallel_predict(*f.w2, f.x3->data(), y.data(), w3_batch, threads);
                benchmark::DoNotOptimize(y.data());
            });
        });
        // The same on a thread_team: its threads are kept between calls.
        add_wall_clock("W3_b64/team" + suffix, [&f, w3, threads](benchmark::State& s) {
            std::vector<float> y(w3_batch * 10);
            ctnn::thread_team team(threads);
            run(s, w3, [&] {
                ctnn::parallel_predict(*f.w2, f.x3->data(), y.data(), w3_batch, team);
                benchmark::DoNotOptimize(y.data());
            });
        });
        constexpr workload large = workload_of<W2>(large_batch);
        add_wall_clock("W3x32_b2048/parallel" + suffix, [&f, large, threads](benchmark::State& s) {
            run(s, large, [&] {
                ctnn::parallel_predict(*f.w2, f.x_large.data(), f.y_large.data(), large_batch,
                                       threads);
                benchmark::DoNotOptimize(f.y_large.data());
            });
        });
    }
    add("W3_b64/naive", [&f, w3](benchmark::State& s) {
        run(s, w3, [&] {
            f.naive3();
            benchmark::DoNotOptimize(f.y3.data());
        });
    });
#if defined(CTNN_BENCH_EIGEN)
    add("W3_b64/eigen", [&f, w3](benchmark::State& s) {
        run(s, w3, [&] {
            f.eigen2->predict_batch(f.x3->data());
            benchmark::DoNotOptimize(f.eigen2->yb.data());
        });
    });
#endif
}

} // namespace

// The start-up check, then the registration; the fixtures live as long as the program.
bool ctnn::bench::register_predict_benchmarks() {
    static const auto f = std::make_unique<fixtures>();
    if (!check_outputs(*f)) {
        std::fprintf(stderr,
                     "error: a baseline disagrees with ctnn's predict by more than %g; "
                     "the timings would not compare the same work\n",
                     static_cast<double>(tolerance));
        return false;
    }
    register_benchmarks(*f);
    return true;
}
