// bench/suite.hpp - what bench/main.cpp needs from each benchmark file of ctnn_bench.
//
// main measures this core's FMA peak, then asks every suite to check its implementations against
// each other and register its benchmarks, then runs them. A suite whose check fails registers
// nothing and returns false, and main exits with an error: the timings would not compare equal
// work.
#pragma once

namespace ctnn::bench {

// This core's FP32 FMA peak in GFLOP/s, measured by main before any suite registers.
extern double peak_gflops;
// This core's read bandwidth from L2 in GB/s (a 400 KB block), measured by main likewise.
extern double l2_read_gbps;

bool register_predict_benchmarks(); // predict_bench.cpp: W1..W3, predict
bool register_train_benchmarks();   // train_bench.cpp: W4, W5 train steps
bool register_fusion_benchmarks();  // fusion_bench.cpp: fused vs unfused kernels
bool register_torch_benchmarks();   // torch_bench.cpp (when CMake found Torch): W1..W5, libtorch

} // namespace ctnn::bench
