// A dense autoencoder on Fashion-MNIST, the lecture's "compression": 784 → 128 relu → 32 → 128
// relu → 784 sigmoid, mean squared error, Adam, trained with the test set as validation data
// (so val_loss is the test reconstruction error of each epoch). Beside it a linear autoencoder
// with the same 32-number code (784 → 32 → 784, linear): with squared error it learns the
// principal subspace, PCA's compression. Then the compression is put to use: a softmax
// classifier (one dense<10, softmax> layer) trained on the 32-number codes, read through the
// `ctnn::encoder<2>(net)` view, against the same classifier on the 784 pixels - test accuracy
// and seconds per epoch of each. Ten test images (one per class) above their reconstructions
// go to autoencoder_reconstructions.svg.
//
//   autoencoder [--quick] [--data DIR | --small] [--out DIR] [--threads T]
//
// --quick trains 2 epochs instead of 10 (classifiers 3 instead of 10).
#include "autoencoder_support.hpp"

#include <ctnn/io/scaler.hpp>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

using autoencoder_net = examples::dense_autoencoder<>;
using linear_autoencoder_net = examples::linear_autoencoder;

// The test reconstruction error after training, each epoch printed.
template <class Net>
double train_autoencoder(Net& net, const examples::image_data& train,
                         const examples::image_data& test, std::size_t epochs,
                         std::size_t threads) {
    const ctnn::history h = examples::fit_autoencoder(net, train, test, epochs, threads);
    return h.epochs == 0 ? 0.0 : h.last("val_loss");
}

struct classifier_result {
    double accuracy, seconds_per_epoch;
};

// A softmax classifier on Features numbers per image (codes or pixels), standardised with the
// training statistics (the codes' scales differ by far more than the pixels').
template <std::size_t Features>
classifier_result softmax_classifier(std::vector<float> train_x, const std::vector<float>& train_y,
                                     std::vector<float> test_x, const std::vector<float>& test_y,
                                     std::size_t epochs, std::size_t threads) {
    ctnn::io::standard_scaler scaler;
    scaler.fit(train_x, Features);
    scaler.transform_in_place(train_x);
    scaler.transform_in_place(test_x);
    using data = ctnn::dataset<ctnn::shape<Features>, ctnn::shape<1>>;
    const data train(std::move(train_x), train_y), test(std::move(test_x), test_y);
    using net_t = ctnn::network<ctnn::input<Features>, ctnn::dense<10, ctnn::softmax>>;
    auto net = std::make_unique<net_t>(/*seed=*/1);
    auto trainer = ctnn::make_trainer<32>(*net, ctnn::sparse_categorical_crossentropy{},
                                          ctnn::adam<>{.learning_rate = 1e-3f});
    examples::epoch_report report(/*accuracy=*/true);
    const ctnn::history h =
        trainer->fit(train, test, {.epochs = epochs, .seed = 1, .threads = threads}, report);
    return {h.epochs == 0 ? 0.0 : h.last("val_accuracy"), report.seconds_per_epoch()};
}

} // namespace

int main(int argc, char** argv) {
    examples::example_run run;
    if (const int status = run.start(argc, argv, "autoencoder"); status >= 0)
        return status;
    const std::size_t epochs = run.args.quick ? 2 : 10, classifier_epochs = run.args.quick ? 3 : 10;
    const auto train = examples::as_images(run.data.train.samples());
    const auto test = examples::as_images(run.data.test.samples());

    std::printf("\n%s", autoencoder_net::summary().c_str());
    auto net = std::make_unique<autoencoder_net>(/*seed=*/1);
    const double mse = train_autoencoder(*net, train, test, epochs, run.args.threads);
    std::printf("\nlinear autoencoder 784 -> 32 -> 784 (the principal subspace):\n");
    auto linear = std::make_unique<linear_autoencoder_net>(/*seed=*/1);
    const double linear_mse = train_autoencoder(*linear, train, test, epochs, run.args.threads);
    std::printf("\ntest reconstruction MSE after %zu epochs: autoencoder %.5f, linear "
                "autoencoder %.5f (predicting the mean image: %.5f)\n",
                epochs, mse, linear_mse, [&] {
                    std::vector<float> mean_image(examples::pixels, 0.0f);
                    for (std::size_t i = 0; i < train.size(); ++i)
                        for (std::size_t j = 0; j < examples::pixels; ++j)
                            mean_image[j] += train.sample(i)[j] / static_cast<float>(train.size());
                    std::vector<float> means;
                    for (std::size_t i = 0; i < test.size(); ++i)
                        means.insert(means.end(), mean_image.begin(), mean_image.end());
                    return examples::mean_of(examples::squared_errors(means, test.samples()));
                }());

    // Compression put to use: the 32-number codes as a classifier's features.
    const auto encode = ctnn::encoder<2>(*net);
    std::printf("\nsoftmax classifier on the 32-number codes:\n");
    const auto on_codes = softmax_classifier<32>(
        examples::predict_all(encode, train.samples()), run.data.train.targets(),
        examples::predict_all(encode, test.samples()), run.data.test.targets(), classifier_epochs,
        run.args.threads);
    std::printf("softmax classifier on the 784 pixels:\n");
    const auto on_pixels =
        softmax_classifier<784>(train.samples(), run.data.train.targets(), test.samples(),
                                run.data.test.targets(), classifier_epochs, run.args.threads);
    std::printf("\n%-22s %13s %16s\n", "softmax classifier on", "test accuracy", "s per epoch");
    std::printf("%-22s %13.4f %16.3f\n", "32 codes", on_codes.accuracy, on_codes.seconds_per_epoch);
    std::printf("%-22s %13.4f %16.3f\n", "784 pixels", on_pixels.accuracy,
                on_pixels.seconds_per_epoch);

    // Ten test images, one per class, above the autoencoder's and the linear one's output.
    const auto originals = examples::one_image_per_class(run.data.test, test.samples());
    const auto decoded = examples::predict_all(*net, originals);
    const auto linear_decoded = examples::predict_all(*linear, originals);
    const std::vector<examples::image_row> rows{examples::row_of("test image", originals),
                                                examples::row_of("autoencoder", decoded),
                                                examples::row_of("linear AE", linear_decoded)};
    return run.finish("autoencoder_reconstructions.svg",
                      examples::image_grid_svg(rows, "Fashion-MNIST test images and their "
                                                     "reconstructions from 32 numbers "
                                                     "(784-128-32-128-784 and linear)"));
}
