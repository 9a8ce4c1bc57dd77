// Denoising autoencoders on Fashion-MNIST: the autoencoder example's 784 → 128 relu → 32 → 128
// relu → 784 sigmoid network with a corruption layer in front - `gaussian_noise<0.3>` (normal
// noise of standard deviation 0.3 on every pixel) in one, `masking_noise<0.5>` (half the pixels
// set to 0) in the other - trained by Adam to give back the clean image (the layer corrupts in
// training only and is the identity in predict). On the test set, corrupted here with a seeded
// generator in the same way, it prints the mean squared error to the clean image of the noisy
// input and of the network's output, and the same for the plain autoencoder trained without
// noise; rows of noisy / denoised / clean test images go to denoising_autoencoder.svg.
//
//   denoising_autoencoder [--quick] [--data DIR | --small] [--out DIR] [--threads T]
//
// --quick trains 2 epochs instead of 10.
#include "autoencoder_support.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <ratio>
#include <string>
#include <vector>

namespace {

using gaussian_stddev = std::ratio<3, 10>;
using masking_rate = std::ratio<1, 2>;

template <class... Corruption>
using denoiser = examples::dense_autoencoder<Corruption...>;

// The test images corrupted as the layers corrupt in training, from a seeded generator.
std::vector<float> with_gaussian_noise(std::vector<float> x, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<float> noise(0.0f, static_cast<float>(gaussian_stddev::num) /
                                                    gaussian_stddev::den);
    for (float& v : x)
        v += noise(random);
    return x;
}

std::vector<float> with_masking_noise(std::vector<float> x, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::bernoulli_distribution masked(static_cast<double>(masking_rate::num) / masking_rate::den);
    for (float& v : x)
        if (masked(random))
            v = 0.0f;
    return x;
}

struct denoising {
    double noisy, plain, denoised; // MSE to the clean images: input, plain AE, denoising AE
};

template <class Net, class Plain>
denoising measure(const Net& net, const Plain& plain, const std::vector<float>& noisy,
                  const std::vector<float>& clean) {
    using examples::mean_of, examples::predict_all, examples::squared_errors;
    return {mean_of(squared_errors(noisy, clean)),
            mean_of(squared_errors(predict_all(plain, noisy), clean)),
            mean_of(squared_errors(predict_all(net, noisy), clean))};
}

} // namespace

int main(int argc, char** argv) {
    examples::example_run run;
    if (const int status = run.start(argc, argv, "denoising_autoencoder"); status >= 0)
        return status;
    const std::size_t epochs = run.args.quick ? 2 : 10;
    const auto train_images = examples::as_images(run.data.train.samples());
    const auto test_images = examples::as_images(run.data.test.samples());
    const std::vector<float>& clean = test_images.samples();
    // The corruption is off in evaluation, so each epoch's test MSE is on clean test images.

    std::printf("\nplain autoencoder (no corruption), for comparison:\n");
    auto plain = std::make_unique<denoiser<>>(/*seed=*/1);
    examples::fit_autoencoder(*plain, train_images, test_images, epochs, run.args.threads);
    std::printf("\ngaussian_noise<3/10> in front:\n");
    auto gaussian = std::make_unique<denoiser<ctnn::gaussian_noise<gaussian_stddev>>>(1);
    examples::fit_autoencoder(*gaussian, train_images, test_images, epochs, run.args.threads);
    std::printf("\nmasking_noise<1/2> in front:\n");
    auto masking = std::make_unique<denoiser<ctnn::masking_noise<masking_rate>>>(1);
    examples::fit_autoencoder(*masking, train_images, test_images, epochs, run.args.threads);

    const auto gaussian_test = with_gaussian_noise(clean, /*seed=*/7);
    const auto masked_test = with_masking_noise(clean, /*seed=*/7);
    const denoising g = measure(*gaussian, *plain, gaussian_test, clean);
    const denoising m = measure(*masking, *plain, masked_test, clean);
    std::printf("\nmean squared error to the clean test image (10,000 images, %zu epochs)\n"
                "%-28s %11s %14s %14s\n",
                epochs, "corruption", "noisy input", "plain AE", "denoising AE");
    std::printf("%-28s %11.5f %14.5f %14.5f\n", "gaussian, stddev 0.3", g.noisy, g.plain,
                g.denoised);
    std::printf("%-28s %11.5f %14.5f %14.5f\n", "masking, half the pixels", m.noisy, m.plain,
                m.denoised);
    std::printf("%-28s %11s %14.5f %14.5f / %.5f\n", "none (clean input)", "0",
                examples::mean_of(examples::reconstruction_errors(*plain, clean)),
                examples::mean_of(examples::reconstruction_errors(*gaussian, clean)),
                examples::mean_of(examples::reconstruction_errors(*masking, clean)));

    // One test image per class: noisy, denoised and clean rows for each kind of noise.
    const auto pick = [&](const std::vector<float>& x) {
        return examples::one_image_per_class(run.data.test, x);
    };
    const auto g_in = pick(gaussian_test), m_in = pick(masked_test), ref = pick(clean);
    const auto g_out = examples::predict_all(*gaussian, g_in);
    const auto m_out = examples::predict_all(*masking, m_in);
    using examples::row_of;
    const std::vector<examples::image_row> rows{
        row_of("gaussian", g_in), row_of("denoised", g_out), row_of("clean", ref),
        row_of("masked", m_in),   row_of("denoised", m_out), row_of("clean", ref)};
    return run.finish("denoising_autoencoder.svg",
                      examples::image_grid_svg(rows, "Denoising autoencoders on Fashion-MNIST "
                                                     "test images: gaussian noise 0.3, "
                                                     "masking noise 0.5"));
}
