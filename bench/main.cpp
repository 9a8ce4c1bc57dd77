// bench/main.cpp - the main of ctnn_bench: measures the FMA peak and the L2 bandwidth, checks and
// registers every suite (suite.hpp), runs the benchmarks Google Benchmark's command line selects.
//
//   ctnn_bench [--benchmark_filter=W4] [--benchmark_format=json]   (or: build target run_bench)
#include "peak.hpp"
#include "suite.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

double ctnn::bench::peak_gflops = 0.0;
double ctnn::bench::l2_read_gbps = 0.0;

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;

    // Diagnostics go to stderr: stdout may be carrying --benchmark_format=json.
    ctnn::bench::peak_gflops = ctnn::bench::measure_fma_peak_gflops();
    std::fprintf(stderr, "FP32 FMA peak of this core: %.1f GFLOP/s (ctnn SIMD: %s, %zu lanes)\n",
                 ctnn::bench::peak_gflops, ctnn::simd::arch_name, ctnn::simd::width_v<float>);
    benchmark::AddCustomContext("fma_peak_gflops", std::to_string(ctnn::bench::peak_gflops));
    ctnn::bench::l2_read_gbps = ctnn::bench::measure_l2_read_gbps();
    std::fprintf(stderr, "L2 read bandwidth of this core: %.1f GB/s\n", ctnn::bench::l2_read_gbps);
    benchmark::AddCustomContext("l2_read_gbps", std::to_string(ctnn::bench::l2_read_gbps));
    benchmark::AddCustomContext("ctnn_simd", ctnn::simd::arch_name);

    const bool predict_ok = ctnn::bench::register_predict_benchmarks();
    const bool train_ok = ctnn::bench::register_train_benchmarks();
    ctnn::bench::register_fusion_benchmarks();
#if defined(CTNN_BENCH_TORCH)
    const bool torch_ok = ctnn::bench::register_torch_benchmarks();
#else
    const bool torch_ok = true;
#endif
    if (!predict_ok || !train_ok || !torch_ok) {
        std::fprintf(stderr, "error: a baseline disagrees with ctnn (see the checks above); the "
                             "timings would not compare the same work\n");
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
