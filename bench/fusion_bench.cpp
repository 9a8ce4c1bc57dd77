// bench/fusion_bench.cpp - the fused kernels of the dense layer against their unfused parts, so
// that the value of fusion is a measured number.
//
//   ctnn_bench --benchmark_filter=L784x128
//
// The 784 -> 128 relu layer of W4 (inputs, weights and gradients in cache):
//   L784x128_b64_forward   /fused: dense_forward<relu>  /unfused_epilogue: dense_forward<linear>
//                          then apply_activation<relu> over every row (a second pass)
//   L784x128_b64_backward  /fused: dense_backward<relu> (dZ prologue with db in one pass, dW, dX)
//                          /separate: preactivation gradient, bias gradient, weight gradient,
//                          input gradient, four calls
//   L784x128_b{32,64}_adam /fused: dense_weight_update (dW in registers straight into Adam)
//                          /unfused: dw = 0, dense_weight_gradient, adam.update over W, as the
//                          trainer does it; the same for sgd_momentum (sgd, momentum 0.9);
//   L784x128_b{32,64}_gradient and L784x128_adam_update time the two halves alone
//
// Exact against fast transcendentals (simd/fast_math.hpp; filter "fastmath"):
//   fastmath_{exp,tanh,sigmoid}_4096  /exact: simd::exp, simd::tanh, ctnn::sigmoid::f
//                                     /fast: simd::fast_exp, fast_tanh, fast_sigmoid
//                                     over 4096 floats in [-10, 10]; counter time/element
//   fastmath_L256x256_b32_forward     /tanh, /fast_tanh: dense_forward of a 256 -> 256 layer
//                                     at batch 32, the activation in the fused epilogue
#include "counters.hpp"
#include "suite.hpp"

#include "ctnn/kernels/dense_backward.hpp"
#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_weight_update.hpp"
#include "ctnn/policies/activation/fast_tanh.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/activation/relu.hpp"
#include "ctnn/policies/activation/sigmoid.hpp"
#include "ctnn/policies/activation/tanh.hpp"
#include "ctnn/policies/optimizer/adam.hpp"
#include "ctnn/policies/optimizer/sgd.hpp"
#include "ctnn/simd/fast_math.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <random>
#include <span>
#include <type_traits>

namespace {

using ctnn::bench::run;
using W4_optimizer = ctnn::adam<>;

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
// Exact against fast transcendentals: 4096 floats, and a 256 -> 256 tanh layer at batch 32.

constexpr std::size_t math_count = 4096;
constexpr std::size_t tanh_in = 256;
constexpr std::size_t tanh_out = 256;
constexpr std::size_t tanh_rows = 32;
using tanh_layout = ctnn::kernels::dense_layout<tanh_in, tanh_out>;

struct fast_math_fixtures {
    alignas(ctnn::simd::alignment) std::array<float, math_count> x{}, y{};
    alignas(ctnn::simd::alignment) std::array<float, tanh_rows * tanh_in> lx{};
    alignas(ctnn::simd::alignment) std::array<float, tanh_layout::kernel_size> w{};
    alignas(ctnn::simd::alignment) std::array<float, tanh_layout::bias_size> b{};
    alignas(ctnn::simd::alignment) std::array<float, tanh_rows * tanh_layout::padded_outputs> ly{};

    fast_math_fixtures() {
        std::mt19937 gen(17);
        std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
        for (auto& v : x)
            v = 10.0f * unit(gen); // the curved part and both saturations
        for (auto& v : lx)
            v = unit(gen);
        for (auto& v : w)
            v = 0.1f * unit(gen); // pre-activations of about +-1: tanh's curved part
        for (auto& v : b)
            v = 0.1f * unit(gen);
    }
};

// y = f(x) over the 4096 floats, whole vectors.
template <class F>
void map_vectors(const float* x, float* y, F f) noexcept {
    constexpr std::size_t W = ctnn::simd::width_v<float>;
    static_assert(math_count % W == 0);
    for (std::size_t i = 0; i < math_count; i += W)
        ctnn::simd::store_aligned(y + i, f(ctnn::simd::load_aligned(x + i)));
}

void register_fast_math_benchmarks(fast_math_fixtures& m) {
    auto add = [&m](const char* name, auto f) {
        benchmark::RegisterBenchmark(name, [&m, f](benchmark::State& s) {
            for (auto _ : s) {
                map_vectors(m.x.data(), m.y.data(), f);
                benchmark::ClobberMemory();
            }
            // The inverted rate of elements: seconds per element, printed as e.g. "165ps".
            s.counters["time/element"] = benchmark::Counter(
                static_cast<double>(math_count),
                benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
        })->Unit(benchmark::kMicrosecond);
    };
    add("fastmath_exp_4096/exact", [](auto v) { return ctnn::simd::exp(v); });
    add("fastmath_exp_4096/fast", [](auto v) { return ctnn::simd::fast_exp(v); });
    add("fastmath_tanh_4096/exact", [](auto v) { return ctnn::simd::tanh(v); });
    add("fastmath_tanh_4096/fast", [](auto v) { return ctnn::simd::fast_tanh(v); });
    add("fastmath_sigmoid_4096/exact", [](auto v) { return ctnn::sigmoid::f(v); });
    add("fastmath_sigmoid_4096/fast", [](auto v) { return ctnn::simd::fast_sigmoid(v); });

    constexpr double flop = 2.0 * static_cast<double>(tanh_rows * tanh_in * tanh_out);
    auto add_layer = [&m]<class Act>(const char* name, Act) {
        benchmark::RegisterBenchmark(name, [&m](benchmark::State& s) {
            run(s, flop, [&] {
                ctnn::kernels::dense_forward<Act, tanh_in, tanh_out>(
                    m.lx.data(), tanh_in, m.w.data(), m.b.data(), m.ly.data(),
                    tanh_layout::padded_outputs, tanh_rows);
            });
        })->Unit(benchmark::kMicrosecond);
    };
    add_layer("fastmath_L256x256_b32_forward/tanh", ctnn::tanh{});
    add_layer("fastmath_L256x256_b32_forward/fast_tanh", ctnn::fast_tanh{});
}

// ---------------------------------------------------------------------------------------------

void register_benchmarks(layer_fixtures& l) {
    auto add = [](const char* name, auto fn) {
        benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMicrosecond);
    };
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
                apply_update(opt, l.w.data(), l.dw.data(), state, kernel_size, ++l.step);
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
            [&] { apply_update(l.adam, l.w.data(), l.dw.data(), l.slots(), kernel_size, ++l.step); });
    });
}

} // namespace

bool ctnn::bench::register_fusion_benchmarks() {
    static const auto l = std::make_unique<layer_fixtures>();
    register_benchmarks(*l);
    static const auto m = std::make_unique<fast_math_fixtures>();
    register_fast_math_benchmarks(*m);
    return true;
}
