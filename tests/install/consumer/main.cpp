// Uses the installed (or add_subdirectory'd) ctnn: build a network, predict, check the result,
// and print the SIMD target the build chose ("arch: <name>"), which install_test.cmake checks.
#include <ctnn/ctnn.hpp>

#include <cmath>
#include <cstdio>

int main() {
    ctnn::network<ctnn::input<3>, ctnn::dense<4, ctnn::relu>, ctnn::dense<2, ctnn::softmax>> net;
    const auto p = net.predict(ctnn::tensor<float, ctnn::shape<3>>{0.1f, 0.2f, 0.3f});
    const float total = p[0] + p[1];
    std::printf("consumer: p = (%.4f, %.4f)\narch: %s\n", p[0], p[1], ctnn::simd::arch_name);
    return std::abs(total - 1.0f) < 1e-5f ? 0 : 1;
}
