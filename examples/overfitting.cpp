// The lecture's overfitting and its cures, measured: a network far too large for 3,000
// Fashion-MNIST images (784 → 512 relu → 512 relu → 10 softmax, 670 k parameters) is trained
// three ways for up to 40 epochs with Adam:
//   1. as is: the training loss falls towards 0 while the validation loss turns and rises;
//   2. with dropout 0.5 after each hidden layer;
//   3. with L2 (1e-3) on every kernel;
//   4. as is, with early stopping on val_loss (patience 5, best weights restored).
// It prints, for each, the validation cross-entropy at its best epoch and at the end, and the
// test cross-entropy and accuracy of the weights training ended with; each run's learning
// curves go to overfitting_<variant>.svg in the working directory. The cross-entropy is logged
// as a metric because the L2 run's loss also holds its penalty.
//
//   overfitting [--data DIR] [--epochs N]
//
// Validation: the 2,000 training images after the first 3,000 (with the bundled subset: the
// first 1,500 train, the remaining 500 validate); test: the test set.
#include "fashion_mnist_data.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using l2_kernel = ctnn::kernel_regularizer<ctnn::l2<std::ratio<1, 1000>>>;
using too_large = ctnn::network<ctnn::input<784>, ctnn::dense<512, ctnn::relu>,
                                ctnn::dense<512, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;
using with_dropout = ctnn::network<ctnn::input<784>, ctnn::dense<512, ctnn::relu>,
                                   ctnn::dropout<std::ratio<1, 2>>, ctnn::dense<512, ctnn::relu>,
                                   ctnn::dropout<std::ratio<1, 2>>, ctnn::dense<10, ctnn::softmax>>;
using with_l2 = ctnn::network<ctnn::input<784>, ctnn::dense<512, ctnn::relu, l2_kernel>,
                              ctnn::dense<512, ctnn::relu, l2_kernel>,
                              ctnn::dense<10, ctnn::softmax, l2_kernel>>;

using data = examples::fashion_mnist_data;

// Mean sparse categorical cross-entropy of a pass's predictions, without any penalty.
double crossentropy(std::span<const float> p, std::span<const float> labels) {
    double sum = 0;
    for (std::size_t i = 0; i < labels.size(); ++i)
        sum += ctnn::sparse_categorical_crossentropy::value<10>(p.data() + i * 10, &labels[i]);
    return sum / static_cast<double>(labels.size());
}
const ctnn::metrics::metric crossentropy_metric{
    "crossentropy", [](auto p, auto t, std::size_t) { return crossentropy(p, t); }};

data slice(const data& d, std::size_t from, std::size_t count) {
    std::vector<std::size_t> idx(count);
    std::iota(idx.begin(), idx.end(), from);
    return d.subset(idx);
}

struct outcome {
    std::string name;
    ctnn::history h;
    double test_crossentropy;
    double test_accuracy;
    double seconds;
};

template <class Net>
outcome run(const char* name, const data& train, const data& validation, const data& test,
            std::size_t epochs, bool early) {
    auto net = std::make_unique<Net>(/*seed=*/7);
    auto trainer = ctnn::make_trainer<32>(*net, ctnn::sparse_categorical_crossentropy{},
                                          ctnn::adam<>{.learning_rate = 1e-3f});
    ctnn::fit_options options{.epochs = epochs, .seed = 1, .metrics = {crossentropy_metric}};
    if (early)
        options.early_stopping = ctnn::early_stopping{
            .monitor = "val_loss", .patience = 5, .restore_best_weights = true};
    const auto start = std::chrono::steady_clock::now();
    ctnn::history h = trainer->fit(train, validation, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ctnn::save_svg(h, std::string("overfitting_") + name + ".svg",
                   {.title = std::string("784-512-512-10 on 3,000 images: ") + name});
    return {name, std::move(h), crossentropy(trainer->predict(test), test.targets()),
            trainer->evaluate(test).accuracy, seconds};
}

} // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir;
    std::size_t epochs = 40;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--data")
            dir = argv[i + 1];
        else if (flag == "--epochs")
            epochs = std::strtoul(argv[i + 1], nullptr, 10);
    }
    if (epochs == 0 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: overfitting [--data DIR] [--epochs N]\n");
        return 2;
    }
    if (dir.empty())
        dir = examples::default_fashion_mnist_dir();
    std::unique_ptr<const data> all, test_set;
    try {
        all = std::make_unique<const data>(examples::load_fashion_mnist(dir, "train"));
        test_set = std::make_unique<const data>(examples::load_fashion_mnist(dir, "t10k"));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "overfitting: %s\n", e.what());
        return 1;
    }
    const std::size_t n_train = all->size() >= 5000 ? 3000 : all->size() * 3 / 4;
    const std::size_t n_val = std::min<std::size_t>(2000, all->size() - n_train);
    const data train = slice(*all, 0, n_train), validation = slice(*all, n_train, n_val);
    std::printf("%zu training, %zu validation, %zu test images; up to %zu epochs, Adam 1e-3, "
                "batch 32\n\n",
                train.size(), validation.size(), test_set->size(), epochs);

    const outcome results[] = {
        run<too_large>("too_large", train, validation, *test_set, epochs, false),
        run<with_dropout>("dropout", train, validation, *test_set, epochs, false),
        run<with_l2>("l2", train, validation, *test_set, epochs, false),
        run<too_large>("early_stopping", train, validation, *test_set, epochs, true)};

    std::printf("validation and test cross-entropy (without penalties):\n");
    std::printf("%-15s %7s %16s %9s %10s %9s %9s %8s\n", "variant", "epochs", "best val",
                "last val", "last train", "test", "test acc", "seconds");
    for (const outcome& r : results) {
        const auto& val = r.h["val_crossentropy"];
        const auto best = std::min_element(val.begin(), val.end());
        char best_text[32];
        std::snprintf(best_text, sizeof best_text, "%.4f (ep %zu)", *best,
                      static_cast<std::size_t>(best - val.begin()) + 1);
        std::printf("%-15s %7zu %16s %9.4f %10.4f %9.4f %9.4f %8.1f\n", r.name.c_str(), r.h.epochs,
                    best_text, val.back(), r.h.last("crossentropy"), r.test_crossentropy,
                    r.test_accuracy, r.seconds);
    }
    std::printf("\nlearning curves: overfitting_{too_large,dropout,l2,early_stopping}.svg\n");
}
