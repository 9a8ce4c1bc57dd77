// bench/train_bench.cpp - one training step (trainer::train_step) against hand-written Eigen, and
// the fused kernels of the dense layer against their unfused parts.
//
//   ctnn_bench --benchmark_filter='W4|W5'        the train steps
//   ctnn_bench --benchmark_filter=L784x128       the kernel-level fusion section
//
// Train steps (ctnn and Eigen hold the same weights and data; the Eigen version does the same
// work: forward, loss and accuracy, fused output gradient p - y, backward with matrix products,
// optimizer update with array expressions):
//   W4_b64  input<784>, dense<128, relu>, dense<10, softmax>, batch 64,
//           sparse_categorical_crossentropy, adam<>
//   W5_b32  input<64>, dense<256, tanh>, dense<256, tanh>, dense<1, sigmoid>, batch 32,
//           binary_crossentropy, sgd<>
// Their FLOP count is the matrix work both sides do: 2 FLOP per multiply-add of the forward
// pass, of dW, and of dX for every layer but the first (no one needs dL/dx of the input); the
// element-wise work of activations, loss and optimizer is not counted.
//
// Kernel-level fusion, the 784 → 128 relu layer of W4 (inputs, weights and gradients in cache):
//   L784x128_b64_forward   /fused: dense_forward<relu>  /unfused_epilogue: dense_forward<linear>
//                          then apply_activation<relu> over every row (a second pass)
//   L784x128_b64_backward  /fused: dense_backward<relu> (dZ prologue with db in one pass, dW, dX)
//                          /separate: preactivation gradient, bias gradient, weight gradient,
//                          input gradient, four calls
//   L784x128_b{32,64}_adam /fused: dense_weight_update (dW in registers straight into Adam)
//                          /unfused: dw = 0, dense_weight_gradient, adam.update over W, as the
//                          trainer does it; the same for sgd_momentum (sgd, momentum 0.9);
//   L784x128_b{32,64}_gradient and L784x128_adam_update time the two halves alone
// Before anything is timed, ctnn's and Eigen's updated weights after one step are compared.
#include "peak.hpp"
#include "suite.hpp"

#include "ctnn/kernels/dense_backward.hpp"
#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_weight_update.hpp"
#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/linear.hpp"
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

#if defined(CTNN_BENCH_EIGEN)
#include <Eigen/Core>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <random>
#include <span>
#include <type_traits>
#include <vector>

namespace {

using ctnn::bench::peak_gflops;

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
    ctnn::kernels::static_for<Net::layer_count>([&](auto i) {
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

// Runs `call` in the benchmark loop and sets FLOP/s and %peak (from the thread CPU time, the
// clock Google Benchmark's rates use), as predict_bench.cpp does.
template <class Call>
void run(benchmark::State& state, double flop, Call&& call) {
    const double start = ctnn::bench::thread_cpu_seconds();
    for (auto _ : state) {
        call();
        benchmark::ClobberMemory();
    }
    const double seconds = ctnn::bench::thread_cpu_seconds() - start;
    using benchmark::Counter;
    state.counters["FLOP/s"] =
        Counter(flop, Counter::kIsIterationInvariantRate, Counter::OneK::kIs1000);
    if (seconds > 0.0 && peak_gflops > 0.0)
        state.counters["%peak"] =
            100.0 * flop * static_cast<double>(state.iterations()) / seconds / (peak_gflops * 1e9);
}

// ---------------------------------------------------------------------------------------------
// Eigen 3.4 train steps written by hand. Matrices are [out][in] column-major (each input's
// column of weights contiguous, the memory order of ctnn's [in][padded out] rows) and a batch is
// one sample per column (the row-major [sample][feature] data mapped as it is). Every buffer is
// sized once: a step allocates nothing, as ctnn's does not.

#if defined(CTNN_BENCH_EIGEN)

using matrix = Eigen::MatrixXf;
using vector = Eigen::VectorXf;

template <class Layer>
void eigen_fill(matrix& w, vector& b, const Layer& layer) {
    for (Eigen::Index o = 0; o < w.rows(); ++o) {
        for (Eigen::Index i = 0; i < w.cols(); ++i)
            w(o, i) = layer.weight(static_cast<std::size_t>(i), static_cast<std::size_t>(o));
        b(o) = layer.bias(static_cast<std::size_t>(o));
    }
}

// A dense layer's parameters, gradients and optimizer state.
struct eigen_dense {
    matrix w, dw, mw, vw;
    vector b, db, mb, vb;
    eigen_dense(Eigen::Index out, Eigen::Index in)
        : w(out, in), dw(out, in), mw(matrix::Zero(out, in)), vw(matrix::Zero(out, in)), b(out),
          db(out), mb(vector::Zero(out)), vb(vector::Zero(out)) {}
};

// Keras' Adam (adam.hpp) with array expressions, one block of parameters.
template <class P, class G, class S>
void eigen_adam(P& p, const G& g, S& m, S& v, const W4_optimizer& opt, std::size_t t) {
    const double td = static_cast<double>(t);
    const auto alpha = static_cast<float>(opt.learning_rate.value *
                                          std::sqrt(1.0 - std::pow(double{opt.beta_2}, td)) /
                                          (1.0 - std::pow(double{opt.beta_1}, td)));
    m.array() += (g.array() - m.array()) * (1.0f - opt.beta_1);
    v.array() += (g.array().square() - v.array()) * (1.0f - opt.beta_2);
    p.array() -= alpha * m.array() / (v.array().sqrt() + opt.epsilon);
}

struct eigen_w4 {
    eigen_dense l0{128, 784}, l1{10, 128};
    matrix z0{128, w4_batch}, h{128, w4_batch}, p{10, w4_batch}, dh{128, w4_batch};
    std::size_t step = 0;
    W4_optimizer opt;

    explicit eigen_w4(const W4& net) {
        eigen_fill(l0.w, l0.b, net.layer<0>());
        eigen_fill(l1.w, l1.b, net.layer<1>());
    }

    // x: w4_batch × 784 floats row-major; labels: w4_batch class indices as floats. Returns the
    // mean loss (-log p[label], clipped as Keras clips) and leaves the accuracy in `accuracy`.
    float train_step(const float* x, const float* labels) {
        const Eigen::Map<const matrix, Eigen::Aligned64> in(x, 784, w4_batch);
        z0.noalias() = l0.w * in;
        h = (z0.colwise() + l0.b).cwiseMax(0.0f);
        p.noalias() = l1.w * h;
        p.colwise() += l1.b;
        float loss = 0.0f;
        accuracy = 0.0f;
        for (Eigen::Index c = 0; c < p.cols(); ++c) {
            auto col = p.col(c);
            col = (col.array() - col.maxCoeff()).exp().matrix();
            col /= col.sum();
            const auto label = static_cast<Eigen::Index>(labels[c]);
            loss -= std::log(std::clamp(col(label), 1e-7f, 1.0f - 1e-7f));
            Eigen::Index best = 0;
            col.maxCoeff(&best);
            accuracy += best == label ? 1.0f : 0.0f;
            col(label) -= 1.0f; // dL/dz = p - onehot, scaled below
        }
        constexpr float scale = 1.0f / static_cast<float>(w4_batch);
        p *= scale;
        l1.dw.noalias() = p * h.transpose();
        l1.db = p.rowwise().sum();
        dh.noalias() = l1.w.transpose() * p;
        dh = (h.array() > 0.0f).select(dh, 0.0f);
        l0.dw.noalias() = dh * in.transpose();
        l0.db = dh.rowwise().sum();
        ++step;
        for (eigen_dense* l : {&l0, &l1}) {
            eigen_adam(l->w, l->dw, l->mw, l->vw, opt, step);
            eigen_adam(l->b, l->db, l->mb, l->vb, opt, step);
        }
        accuracy *= scale;
        return loss * scale;
    }
    float accuracy = 0.0f;
};

struct eigen_w5 {
    eigen_dense l0{256, 64}, l1{256, 256}, l2{1, 256};
    matrix h0{256, w5_batch}, h1{256, w5_batch}, p{1, w5_batch}, d1{256, w5_batch},
        d0{256, w5_batch};
    W5_optimizer opt;

    explicit eigen_w5(const W5& net) {
        eigen_fill(l0.w, l0.b, net.layer<0>());
        eigen_fill(l1.w, l1.b, net.layer<1>());
        eigen_fill(l2.w, l2.b, net.layer<2>());
    }

    // x: w5_batch × 64 floats row-major; y: w5_batch targets in {0, 1}. Returns the mean
    // binary cross-entropy (clipped as Keras clips).
    float train_step(const float* x, const float* y) {
        const Eigen::Map<const matrix, Eigen::Aligned64> in(x, 64, w5_batch);
        const Eigen::Map<const Eigen::RowVectorXf> target(y, w5_batch);
        h0.noalias() = l0.w * in;
        h0 = (h0.colwise() + l0.b).array().tanh().matrix();
        h1.noalias() = l1.w * h0;
        h1 = (h1.colwise() + l1.b).array().tanh().matrix();
        p.noalias() = l2.w * h1;
        p = (1.0f / (1.0f + (-(p.array() + l2.b(0))).exp())).matrix();
        const auto c = p.array().max(1e-7f).min(1.0f - 1e-7f);
        const float loss =
            -(target.array() * c.log() + (1.0f - target.array()) * (1.0f - c).log()).mean();
        constexpr float scale = 1.0f / static_cast<float>(w5_batch);
        p = (p - target) * scale; // dL/dz = (p - y) / outputs, outputs = 1
        l2.dw.noalias() = p * h1.transpose();
        l2.db = p.rowwise().sum();
        d1.noalias() = l2.w.transpose() * p;
        d1.array() *= 1.0f - h1.array().square();
        l1.dw.noalias() = d1 * h0.transpose();
        l1.db = d1.rowwise().sum();
        d0.noalias() = l1.w.transpose() * d1;
        d0.array() *= 1.0f - h0.array().square();
        l0.dw.noalias() = d0 * in.transpose();
        l0.db = d0.rowwise().sum();
        const float lr = opt.learning_rate.value;
        for (eigen_dense* l : {&l0, &l1, &l2}) {
            l->w -= lr * l->dw;
            l->b -= lr * l->db;
        }
        return loss;
    }
};

#endif // CTNN_BENCH_EIGEN

// ---------------------------------------------------------------------------------------------
// Train-step fixtures: networks, trainers, Eigen copies, one batch of data each.

struct train_fixtures {
    std::unique_ptr<W4> w4 = std::make_unique<W4>(42);
    std::unique_ptr<W5> w5 = std::make_unique<W5>(42);
    std::unique_ptr<W4_trainer> t4 =
        ctnn::make_trainer<w4_batch>(*w4, ctnn::sparse_categorical_crossentropy{}, W4_optimizer{});
    std::unique_ptr<W5_trainer> t5 =
        ctnn::make_trainer<w5_batch>(*w5, ctnn::binary_crossentropy{}, W5_optimizer{});
#if defined(CTNN_BENCH_EIGEN)
    std::unique_ptr<eigen_w4> e4 = std::make_unique<eigen_w4>(*w4);
    std::unique_ptr<eigen_w5> e5 = std::make_unique<eigen_w5>(*w5);
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
float worst_difference(const Layer& layer, const eigen_dense& e) {
    float worst = 0.0f;
    for (Eigen::Index o = 0; o < e.w.rows(); ++o) {
        for (Eigen::Index i = 0; i < e.w.cols(); ++i)
            worst =
                std::max(worst, std::abs(e.w(o, i) - layer.weight(static_cast<std::size_t>(i),
                                                                  static_cast<std::size_t>(o))));
        worst = std::max(worst, std::abs(e.b(o) - layer.bias(static_cast<std::size_t>(o))));
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
    f.e4->train_step(f.x4.data(), f.y4.data());
    f.t5->train_step(f.x5.data(), f.y5.data(), w5_batch);
    f.e5->train_step(f.x5.data(), f.y5.data());
    const float w4_worst = std::max(worst_difference(f.w4->layer<0>(), f.e4->l0),
                                    worst_difference(f.w4->layer<1>(), f.e4->l1));
    const float w5_worst = std::max({worst_difference(f.w5->layer<0>(), f.e5->l0),
                                     worst_difference(f.w5->layer<1>(), f.e5->l1),
                                     worst_difference(f.w5->layer<2>(), f.e5->l2)});
    const bool ok4 = report("W4_b64/eigen", w4_worst);
    const bool ok5 = report("W5_b32/eigen", w5_worst);
    return ok4 && ok5;
}

#endif // CTNN_BENCH_EIGEN

// ---------------------------------------------------------------------------------------------
// Kernel-level fusion: the 784 -> 128 relu layer, buffers for up to 64 rows.

constexpr std::size_t layer_in = 784;
constexpr std::size_t layer_out = 128;
constexpr std::size_t layer_rows = 64;
using layer_layout = ctnn::kernels::dense_layout<layer_in, layer_out>;
constexpr std::size_t kernel_size = layer_layout::kernel_size;
constexpr std::size_t out_stride = layer_layout::padded_outputs;

struct layer_fixtures {
    alignas(ctnn::simd::alignment) std::array<float, layer_rows * layer_in> x{};
    alignas(ctnn::simd::alignment) std::array<float, kernel_size> w{};
    alignas(ctnn::simd::alignment) std::array<float, layer_layout::bias_size> b{};
    alignas(ctnn::simd::alignment) std::array<float, layer_rows * out_stride> z{}, y{}, dy{}, dz{};
    alignas(ctnn::simd::alignment) std::array<float, kernel_size> dw{};
    alignas(ctnn::simd::alignment) std::array<float, layer_layout::bias_size> db{};
    alignas(ctnn::simd::alignment) std::array<float, layer_rows * layer_in> dx{};
    // Adam's m and v for W (trainer layout: two arrays of kernel_size floats).
    alignas(ctnn::simd::alignment) std::array<float, 2 * kernel_size> state{};
    std::array<float*, 2> slot_pointers{state.data(), state.data() + kernel_size};
    W4_optimizer adam{};
    std::size_t step = 0;

    layer_fixtures() {
        std::mt19937 gen(13);
        std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
        for (auto& v : x)
            v = 0.5f * (unit(gen) + 1.0f);
        for (std::size_t i = 0; i < layer_in; ++i)
            for (std::size_t j = 0; j < layer_out; ++j)
                w[i * out_stride + j] = 0.05f * unit(gen);
        for (std::size_t j = 0; j < layer_out; ++j)
            b[j] = 0.1f * unit(gen);
        for (std::size_t r = 0; r < layer_rows; ++r)
            for (std::size_t j = 0; j < layer_out; ++j) {
                dy[r * out_stride + j] = 0.01f * unit(gen);
                dz[r * out_stride + j] = 0.01f * unit(gen);
            }
        ctnn::kernels::dense_forward<ctnn::relu, layer_in, layer_out>(
            x.data(), layer_in, w.data(), b.data(), y.data(), out_stride, layer_rows);
    }

    [[nodiscard]] std::span<float* const, 2> slots() const noexcept {
        return std::span<float* const, 2>(slot_pointers);
    }
};

// ---------------------------------------------------------------------------------------------

void register_benchmarks(train_fixtures& f, layer_fixtures& l) {
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
            float loss = f.e4->train_step(f.x4.data(), f.y4.data());
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
            float loss = f.e5->train_step(f.x5.data(), f.y5.data());
            benchmark::DoNotOptimize(loss);
        });
    });
#endif

    // Kernel-level fusion. One layer pass = 2 FLOP per multiply-add of rows × 784 × 128.
    constexpr double pass_flop = 2.0 * static_cast<double>(layer_rows * layer_in * layer_out);
    add("L784x128_b64_forward/fused", [&l](benchmark::State& s) {
        run(s, pass_flop, [&] {
            ctnn::kernels::dense_forward<ctnn::relu, layer_in, layer_out>(
                l.x.data(), layer_in, l.w.data(), l.b.data(), l.y.data(), out_stride, layer_rows);
        });
    });
    add("L784x128_b64_forward/unfused_epilogue", [&l](benchmark::State& s) {
        run(s, pass_flop, [&] {
            ctnn::kernels::dense_forward<ctnn::linear, layer_in, layer_out>(
                l.x.data(), layer_in, l.w.data(), l.b.data(), l.z.data(), out_stride, layer_rows);
            for (std::size_t r = 0; r < layer_rows; ++r)
                ctnn::apply_activation<ctnn::relu, layer_out>(l.z.data() + r * out_stride,
                                                              l.y.data() + r * out_stride);
        });
    });
    // Backward: dW and dX, each one pass's worth of FLOP. dw and db are zeroed first in both, as
    // the trainer does before a batch (they accumulate).
    add("L784x128_b64_backward/fused", [&l](benchmark::State& s) {
        run(s, 2.0 * pass_flop, [&] {
            std::fill(l.dw.begin(), l.dw.end(), 0.0f);
            std::fill(l.db.begin(), l.db.end(), 0.0f);
            ctnn::kernels::dense_backward<ctnn::relu, layer_in, layer_out>(
                l.x.data(), layer_in, nullptr, l.y.data(), l.dy.data(), l.z.data(), l.w.data(),
                l.dw.data(), l.db.data(), l.dx.data(), layer_in, layer_rows);
        });
    });
    add("L784x128_b64_backward/separate", [&l](benchmark::State& s) {
        run(s, 2.0 * pass_flop, [&] {
            std::fill(l.dw.begin(), l.dw.end(), 0.0f);
            std::fill(l.db.begin(), l.db.end(), 0.0f);
            ctnn::kernels::dense_preactivation_gradient<ctnn::relu, layer_out>(
                nullptr, l.y.data(), l.dy.data(), l.z.data(), layer_rows);
            ctnn::kernels::dense_bias_gradient<layer_out>(l.z.data(), l.db.data(), layer_rows);
            ctnn::kernels::dense_weight_gradient<layer_in, layer_out>(
                l.x.data(), layer_in, l.z.data(), l.dw.data(), layer_rows);
            ctnn::kernels::dense_input_gradient<layer_in, layer_out>(
                l.z.data(), l.w.data(), l.dx.data(), layer_in, layer_rows);
        });
    });

    // The optimizer update fused into the weight-gradient pass, on W only (the bias is not part
    // of it); FLOP/s counts the gradient's multiply-adds. Adam (two state slots, a square root
    // and a division per weight) and SGD with momentum (one slot, two multiply-adds).
    const auto add_update = [&l, &add](const char* unfused, const char* fused, std::size_t rows,
                                       const auto& opt) {
        const double flop = 2.0 * static_cast<double>(rows * layer_in * layer_out);
        constexpr std::size_t slots = std::remove_cvref_t<decltype(opt)>::state_slots;
        const std::span<float* const, slots> state(l.slot_pointers.data(), slots);
        add(unfused, [&l, rows, flop, opt, state](benchmark::State& s) {
            run(s, flop, [&] {
                std::fill(l.dw.begin(), l.dw.end(), 0.0f);
                ctnn::kernels::dense_weight_gradient<layer_in, layer_out>(
                    l.x.data(), layer_in, l.dz.data(), l.dw.data(), rows);
                opt.update(l.w.data(), l.dw.data(), state, kernel_size, ++l.step);
            });
        });
        add(fused, [&l, rows, flop, opt, state](benchmark::State& s) {
            run(s, flop, [&] {
                const bool done = ctnn::kernels::dense_weight_update<layer_in, layer_out>(
                    l.x.data(), layer_in, l.dz.data(), l.w.data(), state, rows, opt, ++l.step);
                benchmark::DoNotOptimize(done);
            });
        });
    };
    const ctnn::sgd<> momentum{.learning_rate = 0.01f, .momentum = 0.9f};
    add_update("L784x128_b32_adam/unfused", "L784x128_b32_adam/fused", 32, l.adam);
    add_update("L784x128_b64_adam/unfused", "L784x128_b64_adam/fused", 64, l.adam);
    add_update("L784x128_b32_sgd_momentum/unfused", "L784x128_b32_sgd_momentum/fused", 32,
               momentum);
    add_update("L784x128_b64_sgd_momentum/unfused", "L784x128_b64_sgd_momentum/fused", 64,
               momentum);
    for (const std::size_t rows : {std::size_t{32}, std::size_t{64}}) {
        const double flop = 2.0 * static_cast<double>(rows * layer_in * layer_out);
        add(rows == 32 ? "L784x128_b32_gradient" : "L784x128_b64_gradient",
            [&l, rows, flop](benchmark::State& s) {
                run(s, flop, [&] {
                    std::fill(l.dw.begin(), l.dw.end(), 0.0f);
                    ctnn::kernels::dense_weight_gradient<layer_in, layer_out>(
                        l.x.data(), layer_in, l.dz.data(), l.dw.data(), rows);
                });
            });
    }
    add("L784x128_adam_update", [&l](benchmark::State& s) {
        run(s, 0.0,
            [&] { l.adam.update(l.w.data(), l.dw.data(), l.slots(), kernel_size, ++l.step); });
    });
}

} // namespace

// The start-up check, then the registration; the fixtures live as long as the program.
bool ctnn::bench::register_train_benchmarks() {
    static const auto f = std::make_unique<train_fixtures>();
    static const auto l = std::make_unique<layer_fixtures>();
#if defined(CTNN_BENCH_EIGEN)
    if (!check_train_steps(*f))
        return false;
#endif
    register_benchmarks(*f, *l);
    return true;
}
