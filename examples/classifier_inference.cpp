// A 784 → 128 relu → 10 softmax classifier (the Fashion-MNIST network of the course) running
// predict on one image and on a batch of 64, with the time per call.
//
// The weights are freshly initialised (Glorot uniform, seed 42), so the predicted class is not
// meaningful yet: this example shows the type-level API, the summary and the speed of inference.
#include <ctnn/ctnn.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

int main() {
    using classifier = ctnn::network<ctnn::input<28, 28>, ctnn::flatten,
                                     ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;
    std::printf("%s\n", classifier::summary().c_str());
    std::printf("sizeof(classifier) = %zu bytes, SIMD: %s, %zu floats per vector\n\n",
                sizeof(classifier), ctnn::simd::arch_name, ctnn::simd::width_v<float>);

    // 400 KB of weights: on the heap once, never on the hot path.
    const auto net = std::make_unique<classifier>(42);

    // A synthetic 28×28 "image": a bright diagonal bar.
    ctnn::tensor<float, ctnn::shape<28, 28>> image;
    for (std::size_t i = 0; i < 28; ++i)
        for (std::size_t j = 0; j < 28; ++j)
            image(i, j) = (i + j > 24 && i + j < 32) ? 1.0f : 0.0f;

    const auto p = net->predict(image);
    std::printf("class probabilities:");
    for (float v : p)
        std::printf(" %.3f", v);
    std::printf("\nargmax: %zu\n", ctnn::argmax(p));

    using clock = std::chrono::steady_clock;
    constexpr int repeats = 20000;
    float sink = 0;
    auto start = clock::now();
    for (int i = 0; i < repeats; ++i)
        sink += net->predict(image)[0];
    const double single_ns =
        std::chrono::duration<double, std::nano>(clock::now() - start).count() / repeats;

    const auto batch = std::make_unique<ctnn::tensor<float, ctnn::shape<64, 28, 28>>>();
    for (std::size_t s = 0; s < 64; ++s)
        std::copy(image.begin(), image.end(), batch->data() + s * 784);
    start = clock::now();
    for (int i = 0; i < repeats / 64; ++i)
        sink += net->predict(*batch)[0];
    const double batch_ns =
        std::chrono::duration<double, std::nano>(clock::now() - start).count() / (repeats / 64);

    std::printf("predict, batch 1:  %8.0f ns per sample\n", single_ns);
    std::printf("predict, batch 64: %8.0f ns per sample (%.1f GFLOP/s)\n", batch_ns / 64,
                2.0 * (784 * 128 + 128 * 10) * 64 / batch_ns);
    return sink == sink ? 0 : 1; // keeps the loops from being optimised away
}
