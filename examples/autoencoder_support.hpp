// examples/autoencoder_support.hpp - what the three autoencoder examples (autoencoder,
// denoising_autoencoder, anomaly_detection) share: their network types, their command line and
// data (example_run), Fashion-MNIST as image -> image data, one class's images, prediction of
// many images, the reconstruction error of each image, a per-epoch report, and an SVG grid of
// 28 × 28 images (rows of images with a label each).
//
//   examples::example_run run;   // flags, data and clock
//   if (const int status = run.start(argc, argv, "autoencoder"); status >= 0) return status;
//   const auto train = examples::as_images(run.data.train.samples());   // targets = inputs
//   examples::fit_autoencoder(*net, train, test, /*epochs=*/10, /*threads=*/1);
//   const auto errors = examples::reconstruction_errors(*net, test.samples());   // one per image
//   return run.finish("x.svg", examples::image_grid_svg(rows, "title"));   // 0, or 1 on failure
#pragma once

#include "fashion_mnist_data.hpp"

#include <ctnn/ctnn.hpp>
#include <ctnn/io/atomic_file.hpp>
#include <ctnn/io/svg.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace examples {

inline constexpr std::size_t pixels = 784;

inline const char* const class_names[10] = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat",
                                            "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Boot"};

// The examples' autoencoder, 784 → 128 relu → 32 → 128 relu → 784 sigmoid, with any corruption
// layers (gaussian_noise, masking_noise) in front, and the linear one with the same code size,
// which with squared error spans the principal subspace (PCA with 32 components).
template <class... Corruption>
using dense_autoencoder =
    ctnn::network<ctnn::input<784>, Corruption..., ctnn::dense<128, ctnn::relu>,
                  ctnn::dense<32, ctnn::linear>, ctnn::dense<128, ctnn::relu>,
                  ctnn::dense<784, ctnn::sigmoid>>;
using linear_autoencoder =
    ctnn::network<ctnn::input<784>, ctnn::dense<32, ctnn::linear>, ctnn::dense<784, ctnn::linear>>;

// The flags the three examples share.
struct autoencoder_args {
    std::filesystem::path data;
    bool small = false;
    bool quick = false;
    std::filesystem::path out = "."; // where the pictures go
    std::size_t threads = 1;

    // Returns -1 to go on, else the exit status (2 after printing the usage).
    int parse(int argc, char** argv, const char* program) {
        try {
            for (int i = 1; i < argc; ++i) {
                const std::string_view arg = argv[i];
                if (arg == "--small")
                    small = true;
                else if (arg == "--quick")
                    quick = true;
                else if (arg == "--data" && i + 1 < argc)
                    data = argv[++i];
                else if (arg == "--out" && i + 1 < argc)
                    out = argv[++i];
                else if (arg == "--threads" && i + 1 < argc)
                    threads = std::stoul(argv[++i]);
                else
                    return usage(program);
            }
        } catch (const std::exception&) {
            return usage(program);
        }
        if (small && !data.empty())
            return usage(program);
        return -1;
    }

private:
    static int usage(const char* program) {
        std::fprintf(stderr,
                     "usage: %s [--quick] [--data DIR | --small] [--out DIR] [--threads T]\n"
                     "  --quick      a short run (fewer epochs)\n"
                     "  --data DIR   the directory holding "
                     "{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz\n"
                     "               (default: %s, Debian's dataset-fashion-mnist)\n"
                     "  --small      the 2,000 + 500 image subset bundled in %s\n"
                     "  --out DIR    where the pictures are written (default: the current "
                     "directory)\n"
                     "  --threads T  threads per training step (default 1; 0: every core)\n",
                     program, fashion_mnist_package_dir.c_str(), fashion_mnist_bundled_dir.c_str());
        return 2;
    }
};

// An autoencoder's data: every image is its own target.
using image_data = ctnn::dataset<ctnn::shape<pixels>, ctnn::shape<pixels>>;

inline image_data as_images(std::vector<float> x) {
    std::vector<float> y = x;
    return {std::move(x), std::move(y)};
}

// The images of one class, in their order.
inline std::vector<float> images_of_class(const fashion_mnist_data& data, std::size_t label) {
    std::vector<float> x;
    for (std::size_t i = 0; i < data.size(); ++i)
        if (static_cast<std::size_t>(*data.target(i)) == label)
            x.insert(x.end(), data.sample(i), data.sample(i) + pixels);
    return x;
}

// Anything with predict_rows over images: a network, an encoder / decoder view. predict_rows
// stores whole aligned SIMD vectors straight into its output when a row is a whole number of
// vectors wide, and std::vector's memory is only 16-byte aligned (a crash with AVX), so each
// chunk goes through an aligned tensor first.
template <class Net>
std::vector<float> predict_all(const Net& net, const std::vector<float>& x) {
    constexpr std::size_t inputs = Net::input_shape::size, outputs = Net::output_shape::size;
    constexpr std::size_t chunk = 64;
    const std::size_t rows = x.size() / inputs;
    std::vector<float> y(rows * outputs);
    auto staging = std::make_unique<ctnn::tensor<float, ctnn::shape<chunk, outputs>>>();
    for (std::size_t start = 0; start < rows; start += chunk) {
        const std::size_t n = std::min(chunk, rows - start);
        net.template predict_rows<chunk>(x.data() + start * inputs, staging->data(), n);
        std::copy_n(staging->data(), n * outputs, y.data() + start * outputs);
    }
    return y;
}

// The mean squared difference per image between two sets of images.
inline std::vector<float> squared_errors(const std::vector<float>& a, const std::vector<float>& b) {
    std::vector<float> e(a.size() / pixels);
    for (std::size_t i = 0; i < e.size(); ++i) {
        double s = 0;
        for (std::size_t j = i * pixels; j < (i + 1) * pixels; ++j)
            s += (a[j] - b[j]) * static_cast<double>(a[j] - b[j]);
        e[i] = static_cast<float>(s / pixels);
    }
    return e;
}

// The reconstruction error of each image of `x` (mean squared error over its 784 pixels).
template <class Net>
std::vector<float> reconstruction_errors(const Net& net, const std::vector<float>& x) {
    return squared_errors(predict_all(net, x), x);
}

template <class T>
double mean_of(const std::vector<T>& v) {
    double s = 0;
    for (T x : v)
        s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// A fit callback printing each epoch's training and test loss and its training time: from the
// epoch's start to its last update, so the test set's evaluation is not counted.
class epoch_report {
public:
    explicit epoch_report(bool accuracy = false, bool quiet = false)
        : accuracy_(accuracy), quiet_(quiet) {}
    void on_epoch_begin(std::size_t) { start_ = std::chrono::steady_clock::now(); }
    void on_batch_end(const ctnn::batch_end& e) {
        if (e.batch + 1 == e.batches)
            seconds_.push_back(seconds_since(start_));
    }
    void on_epoch_end(const ctnn::history& h) {
        if (quiet_ || seconds_.empty())
            return;
        if (accuracy_)
            std::printf("  epoch %2zu  loss %.4f  accuracy %.4f  test accuracy %.4f  %.2f s\n",
                        h.epochs, h.last("loss"), h.last("accuracy"), h.last("val_accuracy"),
                        seconds_.back());
        else
            std::printf("  epoch %2zu  training MSE %.5f  test MSE %.5f  %.2f s\n", h.epochs,
                        h.last("loss"), h.last("val_loss"), seconds_.back());
    }
    [[nodiscard]] double seconds_per_epoch() const noexcept {
        return seconds_.empty() ? 0.0 : mean_of(seconds_);
    }

private:
    bool accuracy_, quiet_;
    std::chrono::steady_clock::time_point start_{};
    std::vector<double> seconds_;
};

// Trains an autoencoder to give back its (clean) input, squared error and Adam 1e-3, with
// `validation` as validation data (val_loss: its reconstruction error), printing each epoch
// unless `quiet`.
template <std::size_t BatchSize = 64, class Net>
ctnn::history fit_autoencoder(Net& net, const image_data& train, const image_data& validation,
                              std::size_t epochs, std::size_t threads, bool quiet = false) {
    auto trainer = ctnn::make_trainer<BatchSize>(net, ctnn::mean_squared_error{},
                                                 ctnn::adam<>{.learning_rate = 1e-3f});
    epoch_report report(/*accuracy=*/false, quiet);
    ctnn::history h =
        trainer->fit(train, validation, {.epochs = epochs, .seed = 1, .threads = threads}, report);
    if (!h.stop_reason.empty())
        std::printf("  %s\n", h.stop_reason.c_str());
    return h;
}

// One labelled row of a picture: images of 784 values in [0, 1] (clamped), 0 black.
struct image_row {
    std::string label;
    std::vector<const float*> images;
};

// A row of every image in `images` (784 values each).
inline image_row row_of(std::string label, const std::vector<float>& images) {
    image_row row{std::move(label), {}};
    for (std::size_t i = 0; i < images.size() / pixels; ++i)
        row.images.push_back(images.data() + i * pixels);
    return row;
}

// Rows of 28 × 28 images as an SVG (any browser shows it). Each image is drawn as runs of equal
// grey along its pixel rows, in 32 levels: a few hundred rectangles per image, not 784.
inline std::string image_grid_svg(const std::vector<image_row>& rows, const std::string& title) {
    using ctnn::detail::svg_number;
    constexpr double cell = 3, side = 28 * cell, gap = 6, left = 110, top = 34;
    std::size_t columns = 0;
    for (const image_row& r : rows)
        columns = std::max(columns, r.images.size());
    const double width = left + static_cast<double>(columns) * (side + gap) + gap;
    const double height = top + static_cast<double>(rows.size()) * (side + gap) + gap;
    std::string svg =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
        svg_number(width) + "\" height=\"" + svg_number(height) +
        "\" font-family=\"sans-serif\" font-size=\"13\" shape-rendering=\"crispEdges\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        "<text x=\"" +
        svg_number(gap) + "\" y=\"20\" font-size=\"15\">" + ctnn::detail::xml_escape(title) +
        "</text>\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const double y0 = top + static_cast<double>(r) * (side + gap);
        svg += "<text x=\"" + svg_number(gap) + "\" y=\"" + svg_number(y0 + side / 2 + 5) + "\">" +
               ctnn::detail::xml_escape(rows[r].label) + "</text>\n";
        for (std::size_t c = 0; c < rows[r].images.size(); ++c) {
            const double x0 = left + static_cast<double>(c) * (side + gap);
            const float* image = rows[r].images[c];
            svg += "<g transform=\"translate(" + svg_number(x0) + "," + svg_number(y0) +
                   ")\"><rect width=\"" + svg_number(side) + "\" height=\"" + svg_number(side) +
                   "\" fill=\"black\"/>";
            for (int i = 0; i < 28; ++i)
                for (int j = 0; j < 28;) {
                    const auto level = [&](int k) {
                        return static_cast<int>(std::clamp(image[i * 28 + k], 0.0f, 1.0f) * 31 +
                                                0.5f);
                    };
                    const int v = level(j);
                    int end = j + 1;
                    while (end < 28 && level(end) == v)
                        ++end;
                    if (v > 0) {
                        const int grey = v * 255 / 31;
                        svg += "<rect x=\"" + svg_number(j * cell) + "\" y=\"" +
                               svg_number(i * cell) + "\" width=\"" + svg_number((end - j) * cell) +
                               "\" height=\"" + svg_number(cell) + "\" fill=\"rgb(" +
                               std::to_string(grey) + "," + std::to_string(grey) + "," +
                               std::to_string(grey) + ")\"/>";
                    }
                    j = end;
                }
            svg += "</g>\n";
        }
    }
    return svg + "</svg>\n";
}

// From `images` (one per sample of `data`, e.g. its samples corrupted), the first image of each
// class in class order: a picture shows every kind of clothes.
inline std::vector<float> one_image_per_class(const fashion_mnist_data& data,
                                              const std::vector<float>& images) {
    std::vector<float> picked;
    for (std::size_t label = 0; label < 10; ++label)
        for (std::size_t i = 0; i < data.size(); ++i)
            if (static_cast<std::size_t>(*data.target(i)) == label) {
                picked.insert(picked.end(),
                              images.begin() + static_cast<std::ptrdiff_t>(i * pixels),
                              images.begin() + static_cast<std::ptrdiff_t>((i + 1) * pixels));
                break;
            }
    return picked;
}

struct fashion_mnist_split {
    fashion_mnist_data train, test;
};

// Both parts, or nothing after saying on stderr what is missing or damaged.
inline std::optional<fashion_mnist_split> load_or_explain(const autoencoder_args& args,
                                                          const std::string& program) {
    const std::filesystem::path dir = args.small          ? fashion_mnist_bundled_dir
                                      : args.data.empty() ? default_fashion_mnist_dir()
                                                          : args.data;
    if (!has_fashion_mnist(dir)) {
        std::fprintf(stderr,
                     "%s: no Fashion-MNIST in %s: it needs "
                     "{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz.\n",
                     program.c_str(), dir.c_str());
        return std::nullopt;
    }
    if (std::error_code ec; !std::filesystem::is_directory(args.out, ec)) {
        std::fprintf(stderr, "%s: --out %s is not a directory\n", program.c_str(),
                     args.out.c_str());
        return std::nullopt;
    }
    try {
        fashion_mnist_split split{load_fashion_mnist(dir, "train"),
                                  load_fashion_mnist(dir, "t10k")};
        std::printf("Fashion-MNIST from %s: %zu training and %zu test images\n", dir.c_str(),
                    split.train.size(), split.test.size());
        return split;
    } catch (const ctnn::io_error& e) { // a damaged file: say which, where and what
        std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
        return std::nullopt;
    }
}

// One run of an example: its flags, its data and its clock.
//   examples::example_run run;
//   if (const int status = run.start(argc, argv, "autoencoder"); status >= 0) return status;
//   ... run.args.quick, run.data.train ...
//   return run.finish("autoencoder_reconstructions.svg", svg);   // writes it, "total 41.2 s"
struct example_run {
    autoencoder_args args;
    fashion_mnist_split data;
    std::string program;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

    // -1 to go on; else the exit status: 2 for bad flags (after the usage), 1 for bad data.
    int start(int argc, char** argv, std::string name) {
        program = std::move(name);
        if (const int status = args.parse(argc, argv, program.c_str()); status >= 0)
            return status;
        auto loaded = load_or_explain(args, program);
        if (!loaded)
            return 1;
        data = std::move(*loaded);
        return -1;
    }

    // Writes the example's picture under --out, atomically (a reader never sees half a
    // picture), and prints the total time; the exit status: 1 when it cannot be written.
    int finish(const std::string& picture, const std::string& svg) const {
        const std::filesystem::path path = args.out / picture;
        try {
            ctnn::io::write_file_atomically(path, svg);
        } catch (const ctnn::io_error& e) {
            std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
            return 1;
        }
        std::printf("picture: %s\ntotal %.1f s\n", path.c_str(), seconds_since(started));
        return 0;
    }
};

} // namespace examples
