// bench/peak.hpp - this core's FP32 FMA peak, the yardstick of every `%peak` counter, and its
// L2 read bandwidth, the yardstick of batch-1 inference (`%L2`: its weights stream from L2).
//
//   const double peak = ctnn::bench::measure_fma_peak_gflops(); // GFLOP/s, about 0.1 s
//   const double l2 = ctnn::bench::measure_l2_read_gbps();      // GB/s, about 0.1 s
//
// Runs independent FMA chains (acc = acc * m + c) over simd::batch_t<float>, all held in
// registers, and counts 2 FLOP per lane per FMA (without hardware FMA, as with x86-64-v2, xsimd's
// fma is a multiply and an add, and the result is the peak of that pair). The number of chains
// exceeds latency × FMA units on current x86 cores (4-5 cycles × 2 units) but leaves room for the
// two operands in the register file, so the loop is throughput-bound, as a perfect kernel would be.
// The best of a few short trials is kept: on a shared machine a trial can only be slowed, never
// sped up. Time is the thread's CPU time, the clock Google Benchmark's CPU times and rates use, so
// that a kernel's %peak does not depend on how many other processes share the core.
#pragma once

#include "ctnn/util/static_for.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"

#include <algorithm>
#include <cstddef>

#include <time.h> // clock_gettime (POSIX)

namespace ctnn::bench {

// CPU time of the calling thread in seconds.
[[nodiscard]] inline double thread_cpu_seconds() noexcept {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

namespace detail {

// 16 chains with 32 registers (AVX-512), 12 with 16 (SSE/AVX2): one register each plus m and c.
inline constexpr std::size_t peak_chains = simd::register_count == 32 ? 16 : 12;
inline constexpr double flop_per_iteration =
    2.0 * static_cast<double>(peak_chains * simd::width_v<float>);

// Seconds taken by `iterations` rounds of peak_chains independent FMAs.
[[gnu::noinline]] inline double time_fma_chains(std::size_t iterations) noexcept {
    using V = simd::batch_t<float>;
    // Read through volatiles so that the compiler cannot fold the chains into a closed form;
    // m < 1 and c > 0 keep every value finite and normal however long the loop runs.
    volatile float m_source = 0.999999f;
    volatile float c_source = 1.0e-6f;
    const V m(m_source);
    const V c(c_source);
    V acc[peak_chains];
    static_for<peak_chains>(
        [&](auto i) { acc[i] = V(static_cast<float>(i) * 0.001f + 0.5f); });

    const double start = thread_cpu_seconds();
    for (std::size_t n = 0; n < iterations; ++n)
        static_for<peak_chains>([&](auto i) { acc[i] = simd::fma(acc[i], m, c); });
    const double stop = thread_cpu_seconds();

    V sum = acc[0];
    static_for<peak_chains - 1>([&](auto i) { sum += acc[i + 1]; });
    volatile float sink = simd::reduce_add(sum); // keeps the chains alive
    static_cast<void>(sink);
    return stop - start;
}

} // namespace detail

// FP32 FMA peak of the core this runs on, in GFLOP/s.
[[nodiscard]] inline double measure_fma_peak_gflops() noexcept {
    constexpr double trial_seconds = 0.01;
    constexpr int trials = 5;
    // Grow the trial until it is long enough to time (also warms the core up to its clock).
    std::size_t iterations = 1 << 12;
    while (detail::time_fma_chains(iterations) < trial_seconds && iterations < (1ull << 32))
        iterations *= 2;
    double best = 0.0;
    for (int t = 0; t < trials; ++t) {
        const double seconds = detail::time_fma_chains(iterations);
        best =
            std::max(best, detail::flop_per_iteration * static_cast<double>(iterations) / seconds);
    }
    return best * 1e-9;
}

namespace detail {

// Seconds taken to read `floats` floats (aligned) `passes` times, summed into four independent
// accumulators so that the loads, not the adds, set the pace.
[[gnu::noinline]] inline double time_reads(const float* data, std::size_t floats,
                                           std::size_t passes) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t W = simd::width_v<float>;
    V acc[4] = {V(0.0f), V(0.0f), V(0.0f), V(0.0f)};
    const double start = thread_cpu_seconds();
    for (std::size_t p = 0; p < passes; ++p)
        for (std::size_t i = 0; i < floats; i += 4 * W)
            static_for<4>([&](auto j) { acc[j] += simd::load_aligned(data + i + j * W); });
    const double stop = thread_cpu_seconds();
    volatile float sink = simd::reduce_add(acc[0] + acc[1] + acc[2] + acc[3]);
    static_cast<void>(sink);
    return stop - start;
}

} // namespace detail

// Read bandwidth of this core from its L2 cache, in GB/s: a 400 KB block (W2's weights: too big
// for L1, well inside L2) read over and over, best of a few trials.
[[nodiscard]] inline double measure_l2_read_gbps() noexcept {
    constexpr std::size_t floats = 400 * 1024 / sizeof(float);
    alignas(simd::alignment) static float block[floats]; // static: 400 KB is too big a frame
    std::fill_n(block, floats, 1.0f);
    constexpr double trial_seconds = 0.01;
    std::size_t passes = 1;
    while (detail::time_reads(block, floats, passes) < trial_seconds && passes < (1u << 24))
        passes *= 2;
    double best = 0.0;
    for (int t = 0; t < 5; ++t) {
        const double seconds = detail::time_reads(block, floats, passes);
        best = std::max(best, static_cast<double>(floats * sizeof(float) * passes) / seconds);
    }
    return best * 1e-9;
}

} // namespace ctnn::bench
