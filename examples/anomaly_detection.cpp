// One-class anomaly detection on Fashion-MNIST, self-supervised: for each of the ten classes in
// turn an autoencoder is trained on that class's training images only, every test image is
// scored by how badly the autoencoder handles it, and the AUROC of "another class" against "this
// class" (ctnn::metrics::roc_auc) measures how well the score tells them apart - the standard
// one-class protocol. Beside it, under the same protocol and in the same run, two shallow
// baselines on the raw pixels: PCA with 32 components (as a linear 784 → 32 → 784
// autoencoder, which with squared error spans the principal subspace) and the squared
// distance to the nearest training image of the class (brute force through a dense layer whose
// weights are the training images). For the T-shirt class it also picks the threshold that a 5 %
// false-alarm rate implies (from held-out training images), reports what the plain
// reconstruction error does with it on the test set and draws both error distributions to
// anomaly_detection_histogram.svg.
//
// The autoencoder's score (column AE) adds two standardised parts, both calibrated on the 600
// held-out training images of the class (never on test images):
//  - the reconstruction error with each pixel's squared error divided by that pixel's mean
//    squared error on the held-out images (+ a tenth of the mean over pixels): a diagonal
//    Mahalanobis distance of the residual. The plain mean squared error is dominated by the
//    pixels that are hard to reconstruct even for normal images (edges, prints, folds); after
//    the division an error counts by how unusual it is for this class, and an anomaly's errors
//    sit where a normal image's do not (a sleeve, a gap between the legs).
//  - the squared distance of the image's 32-number code (ctnn::encoder<2>) to the nearest
//    training code of the class: an image the decoder happens to redraw well can still map to
//    an unusual place in code space.
// Each is log-transformed and standardised by its held-out mean and standard deviation, and the
// code part is weighted one half. Column "AE plain" is the plain reconstruction error, for
// comparison (0.916 mean AUROC against 0.928; the weighted error alone gives 0.922, the code
// distance alone 0.869).
//
//   anomaly_detection [--quick] [--data DIR | --small] [--out DIR] [--threads T]
//
// --quick trains 5 epochs per class instead of 30 and skips the nearest-neighbour baseline.
// scikit-learn under this protocol (issue #13): PCA-32 0.905 mean AUROC, nearest neighbour 0.923.
#include "autoencoder_support.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace {

using examples::pixels;

using autoencoder_net = examples::dense_autoencoder<>;
using pca_net = examples::linear_autoencoder;

// Trains on one class's images (the held-out ones as validation data); its errors on test
// images are the anomaly scores.
template <class Net>
std::unique_ptr<Net> train_on_class(const examples::image_data& train,
                                    const examples::image_data& held_out, std::size_t epochs,
                                    std::size_t threads) {
    auto net = std::make_unique<Net>(/*seed=*/1);
    examples::fit_autoencoder<32>(*net, train, held_out, epochs, threads, /*quiet=*/true);
    return net;
}

// The squared distance of each test image to its nearest training image. ‖x − t‖² =
// ‖x‖² − 2 (x·t − ‖t‖²/2): a linear dense layer with the training images as its kernel columns
// and −‖t‖²/2 as biases gives x·t − ‖t‖²/2 for a block of them at once, through the library's
// register-tiled kernel (47 GFLOP per class would take minutes in a plain loop).
// Size: the length of a point (784 for images, 32 for codes).
template <std::size_t Size = pixels>
std::vector<float> nearest_neighbour_distances(const std::vector<float>& train,
                                               const std::vector<float>& test) {
    constexpr std::size_t block = 512;
    using block_net = ctnn::network<ctnn::input<Size>, ctnn::dense<block, ctnn::linear>>;
    auto net = std::make_unique<block_net>(/*seed=*/1);
    auto& layer = net->template layer<0>();
    const std::size_t n_train = train.size() / Size, n_test = test.size() / Size;
    std::vector<float> best(n_test, -std::numeric_limits<float>::infinity());
    for (std::size_t b = 0; b < n_train; b += block) {
        for (std::size_t j = 0; j < block; ++j) {
            const bool used = b + j < n_train;
            float norm = 0;
            for (std::size_t i = 0; i < Size; ++i) {
                const float t = used ? train[(b + j) * Size + i] : 0.0f;
                layer.weight(i, j) = t;
                norm += t * t;
            }
            layer.bias(j) = used ? -norm / 2 : -1e30f; // an unused column never wins
        }
        const std::vector<float> y = examples::predict_all(*net, test);
        for (std::size_t r = 0; r < n_test; ++r)
            best[r] = std::max(
                best[r],
                *std::max_element(y.begin() + static_cast<std::ptrdiff_t>(r * block),
                                  y.begin() + static_cast<std::ptrdiff_t>((r + 1) * block)));
    }
    std::vector<float> distance(n_test);
    for (std::size_t r = 0; r < n_test; ++r) {
        float norm = 0;
        for (std::size_t i = 0; i < Size; ++i)
            norm += test[r * Size + i] * test[r * Size + i];
        distance[r] = std::max(0.0f, norm - 2 * best[r]); // rounding can dip below 0
    }
    return distance;
}

// The mean squared error of each pixel over a set of images and their reconstructions.
std::vector<double> pixel_errors(const std::vector<float>& reconstructed,
                                 const std::vector<float>& images) {
    std::vector<double> e(pixels, 0.0);
    const std::size_t n = images.size() / pixels;
    for (std::size_t i = 0; i < n * pixels; ++i) {
        const double d = reconstructed[i] - images[i];
        e[i % pixels] += d * d / static_cast<double>(n);
    }
    return e;
}

// The reconstruction error of each image with each pixel's squared error divided by its
// expected one, `pixel_mse` (from held-out normal images), plus a tenth of that one's mean, so
// that pixels a normal image never gets wrong (the black border) do not blow up.
std::vector<float> standardised_errors(const std::vector<float>& reconstructed,
                                       const std::vector<float>& images,
                                       const std::vector<double>& pixel_mse) {
    const double floor = 0.1 * examples::mean_of(pixel_mse);
    std::vector<double> weight(pixels);
    for (std::size_t j = 0; j < pixels; ++j)
        weight[j] = 1 / (pixel_mse[j] + floor);
    std::vector<float> e(images.size() / pixels);
    for (std::size_t i = 0; i < e.size(); ++i) {
        double s = 0;
        for (std::size_t j = 0; j < pixels; ++j) {
            const double d = reconstructed[i * pixels + j] - images[i * pixels + j];
            s += d * d * weight[j];
        }
        e[i] = static_cast<float>(s / pixels);
    }
    return e;
}

// log(score), standardised by the mean and standard deviation of log(held-out scores): scores
// of different kinds and scales become comparable and can be added.
std::vector<double> log_z(const std::vector<float>& scores, const std::vector<float>& held) {
    constexpr double tiny = 1e-12;
    double sum = 0, squares = 0;
    for (float v : held) {
        const double l = std::log(v + tiny);
        sum += l;
        squares += l * l;
    }
    const double n = static_cast<double>(held.size()), mean = sum / n;
    const double sd = std::sqrt(std::max(squares / n - mean * mean, tiny));
    std::vector<double> z(scores.size());
    for (std::size_t i = 0; i < z.size(); ++i)
        z[i] = (std::log(scores[i] + tiny) - mean) / sd;
    return z;
}

// The autoencoder's anomaly score of each test image (see the header): the standardised
// reconstruction error plus half the standardised distance to the nearest training code.
// `train` the images it was trained on, `held` the held-out ones of the same class.
template <class Net>
std::vector<float> anomaly_scores(const Net& net, const std::vector<float>& train,
                                  const std::vector<float>& held, const std::vector<float>& test) {
    constexpr double code_weight = 0.5;
    const std::vector<float> held_out = examples::predict_all(net, held);
    const std::vector<double> pixel_mse = pixel_errors(held_out, held);
    const auto error = log_z(standardised_errors(examples::predict_all(net, test), test, pixel_mse),
                             standardised_errors(held_out, held, pixel_mse));
    const auto encode = ctnn::encoder<2>(net);
    const std::vector<float> codes = examples::predict_all(encode, train);
    const auto code =
        log_z(nearest_neighbour_distances<32>(codes, examples::predict_all(encode, test)),
              nearest_neighbour_distances<32>(codes, examples::predict_all(encode, held)));
    std::vector<float> score(test.size() / pixels);
    for (std::size_t i = 0; i < score.size(); ++i)
        score[i] = static_cast<float>(error[i] + code_weight * code[i]);
    return score;
}

// The value below which `fraction` of `v` lies (no interpolation: a threshold is a score).
float quantile(std::vector<float> v, double fraction) {
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(fraction * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(k, v.size() - 1)];
}

double fraction_above(const std::vector<float>& v, float threshold) {
    return static_cast<double>(
               std::count_if(v.begin(), v.end(), [&](float x) { return x > threshold; })) /
           static_cast<double>(v.size());
}

// Two histograms of reconstruction errors (each normalised to its own count, so 1,000 normal
// images and 9,000 anomalies compare) with the threshold as a dashed line.
std::string histogram_svg(const std::vector<float>& normal, const std::vector<float>& anomalies,
                          float threshold, const std::string& title) {
    using ctnn::detail::svg_number;
    constexpr std::size_t bins = 60;
    constexpr double width = 760, height = 420, left = 70, right = 20, top = 40, bottom = 50;
    std::vector<float> all = normal;
    all.insert(all.end(), anomalies.begin(), anomalies.end());
    const auto xa = ctnn::detail::nice_value_axis(0, quantile(all, 0.99)); // the long tail clipped
    const auto count = [&](const std::vector<float>& v) {
        std::vector<double> h(bins, 0.0);
        for (float x : v) {
            const auto b = static_cast<std::size_t>((x - xa.lo) / (xa.hi - xa.lo) * bins);
            h[std::min(b, bins - 1)] += 1.0 / static_cast<double>(v.size());
        }
        return h;
    };
    const auto hn = count(normal), ha = count(anomalies);
    const auto ya =
        ctnn::detail::nice_value_axis(0, std::max(*std::max_element(hn.begin(), hn.end()),
                                                  *std::max_element(ha.begin(), ha.end())));
    const auto x = [&](double v) {
        return left + (v - xa.lo) / (xa.hi - xa.lo) * (width - left - right);
    };
    const auto y = [&](double v) {
        return height - bottom - (v - ya.lo) / (ya.hi - ya.lo) * (height - top - bottom);
    };
    std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      svg_number(width) + "\" height=\"" + svg_number(height) +
                      "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"" +
                      svg_number(left) + "\" y=\"24\" font-size=\"14\">" +
                      ctnn::detail::xml_escape(title) + "</text>\n";
    for (long long i = xa.first_tick(); i <= xa.last_tick(); ++i) {
        const std::string at = svg_number(x(static_cast<double>(i) * xa.step));
        svg += "<line x1=\"" + at + "\" y1=\"" + svg_number(height - bottom) + "\" x2=\"" + at +
               "\" y2=\"" + svg_number(height - bottom + 5) + "\" stroke=\"black\"/><text x=\"" +
               at + "\" y=\"" + svg_number(height - bottom + 18) + "\" text-anchor=\"middle\">" +
               xa.label(i) + "</text>\n";
    }
    for (long long i = ya.first_tick(); i <= ya.last_tick(); ++i) {
        const std::string at = svg_number(y(static_cast<double>(i) * ya.step));
        svg += "<line x1=\"" + svg_number(left - 5) + "\" y1=\"" + at + "\" x2=\"" +
               svg_number(width - right) + "\" y2=\"" + at + "\" stroke=\"#ddd\"/><text x=\"" +
               svg_number(left - 8) + "\" y=\"" + at + "\" dy=\"4\" text-anchor=\"end\">" +
               ya.label(i) + "</text>\n";
    }
    svg += "<text x=\"" + svg_number((left + width - right) / 2) + "\" y=\"" +
           svg_number(height - 12) +
           "\" text-anchor=\"middle\">reconstruction error (mean squared, per image)</text>\n"
           "<text transform=\"translate(16," +
           svg_number((top + height - bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">fraction of the images</text>\n";
    const double bin_width = (width - left - right) / bins;
    for (const auto& [h, colour] :
         {std::pair{&hn, "rgba(31,119,180,0.6)"}, std::pair{&ha, "rgba(214,39,40,0.5)"}})
        for (std::size_t b = 0; b < bins; ++b)
            if ((*h)[b] > 0)
                svg += "<rect x=\"" + svg_number(left + static_cast<double>(b) * bin_width) +
                       "\" y=\"" + svg_number(y((*h)[b])) + "\" width=\"" + svg_number(bin_width) +
                       "\" height=\"" + svg_number(y(0) - y((*h)[b])) + "\" fill=\"" + colour +
                       "\"/>\n";
    const std::string tx = svg_number(x(threshold));
    svg += "<line x1=\"" + tx + "\" y1=\"" + svg_number(top) + "\" x2=\"" + tx + "\" y2=\"" +
           svg_number(height - bottom) +
           "\" stroke=\"black\" stroke-dasharray=\"6,4\"/>\n<text x=\"" + tx + "\" y=\"" +
           svg_number(top - 4) + "\" dx=\"4\">threshold " +
           ctnn::detail::short_number(threshold, 3) + " (5 % false alarms)</text>\n";
    svg += "<rect x=\"" + svg_number(width - right - 210) + "\" y=\"" + svg_number(top + 10) +
           "\" width=\"14\" height=\"10\" fill=\"rgba(31,119,180,0.6)\"/><text x=\"" +
           svg_number(width - right - 190) + "\" y=\"" + svg_number(top + 19) +
           "\">this class (normal)</text>\n<rect x=\"" + svg_number(width - right - 210) +
           "\" y=\"" + svg_number(top + 28) +
           "\" width=\"14\" height=\"10\" fill=\"rgba(214,39,40,0.5)\"/><text x=\"" +
           svg_number(width - right - 190) + "\" y=\"" + svg_number(top + 37) +
           "\">the other nine (anomalies)</text>\n";
    return svg + "</svg>\n";
}

} // namespace

int main(int argc, char** argv) {
    constexpr std::size_t pictured = 0; // T-shirts
    constexpr double false_alarms = 0.05;
    examples::example_run run;
    if (const int status = run.start(argc, argv, "anomaly_detection"); status >= 0)
        return status;
    const std::size_t epochs = run.args.quick ? 5 : 30;
    const bool nearest = !run.args.quick;
    const std::vector<float>& test = run.data.test.samples();

    std::printf("\none class at a time: train on its images, AUROC of the anomaly score "
                "for \"another class\" over the 10,000 test images\n"
                "(AE: standardised reconstruction error + code distance; AE plain: reconstruction "
                "error)\n%s\n%-10s %8s %9s %8s %8s %9s %10s\n",
                autoencoder_net::summary().c_str(), "class", "AE", "AE plain", "PCA-32", "nearest",
                "AE+PCA s", "nearest s");
    double sum_ae = 0, sum_plain = 0, sum_pca = 0, sum_nn = 0;
    std::vector<float> pictured_normal, pictured_anomalies;
    float threshold = 0;
    for (std::size_t c = 0; c < 10; ++c) {
        const auto class_start = std::chrono::steady_clock::now();
        std::vector<float> images = examples::images_of_class(run.data.train, c);
        // The last tenth is held out: validation data and the false-alarm threshold.
        const std::size_t n = images.size() / pixels, kept = n - n / 10;
        std::vector<float> held(images.begin() + static_cast<std::ptrdiff_t>(kept * pixels),
                                images.end());
        const std::vector<float> kept_images(
            images.begin(), images.begin() + static_cast<std::ptrdiff_t>(kept * pixels));
        const auto train = examples::as_images(kept_images);
        const auto held_out = examples::as_images(held);

        std::vector<float> anomaly(run.data.test.size());
        for (std::size_t i = 0; i < anomaly.size(); ++i)
            anomaly[i] = static_cast<std::size_t>(*run.data.test.target(i)) == c ? 0.0f : 1.0f;

        const auto ae = train_on_class<autoencoder_net>(train, held_out, epochs, run.args.threads);
        const auto ae_errors = examples::reconstruction_errors(*ae, test);
        const double auc_plain = ctnn::metrics::roc_auc(ae_errors, anomaly);
        const double auc_ae =
            ctnn::metrics::roc_auc(anomaly_scores(*ae, kept_images, held, test), anomaly);
        const auto pca = train_on_class<pca_net>(train, held_out, epochs, run.args.threads);
        const double auc_pca =
            ctnn::metrics::roc_auc(examples::reconstruction_errors(*pca, test), anomaly);
        // Nearest neighbour needs no training: all of the class's training images.
        const auto nn_start = std::chrono::steady_clock::now();
        const double auc_nn =
            nearest ? ctnn::metrics::roc_auc(nearest_neighbour_distances(images, test), anomaly)
                    : 0.0;
        sum_ae += auc_ae;
        sum_plain += auc_plain;
        sum_pca += auc_pca;
        sum_nn += auc_nn;
        const double nn_seconds = examples::seconds_since(nn_start);
        std::printf("%-10s %8.4f %9.4f %8.4f %8s %9.1f %10.1f\n", examples::class_names[c], auc_ae,
                    auc_plain, auc_pca, nearest ? std::to_string(auc_nn).substr(0, 6).c_str() : "-",
                    examples::seconds_since(class_start) - nn_seconds, nn_seconds);
        if (c == pictured) {
            threshold = quantile(examples::reconstruction_errors(*ae, held), 1 - false_alarms);
            for (std::size_t i = 0; i < ae_errors.size(); ++i)
                (anomaly[i] > 0 ? pictured_anomalies : pictured_normal).push_back(ae_errors[i]);
        }
    }
    std::printf("%-10s %8.4f %9.4f %8.4f %8s\n", "mean", sum_ae / 10, sum_plain / 10, sum_pca / 10,
                nearest ? std::to_string(sum_nn / 10).substr(0, 6).c_str() : "-");

    std::printf("\n%s, plain reconstruction error: the threshold for %.0f %% false alarms on the "
                "held-out training images is an error of %.5f;\non the test set it flags %.1f %% "
                "of the %zu %ss (false alarms) "
                "and %.1f %% of the %zu other images (detections)\n",
                examples::class_names[pictured], 100 * false_alarms, threshold,
                100 * fraction_above(pictured_normal, threshold), pictured_normal.size(),
                examples::class_names[pictured],
                100 * fraction_above(pictured_anomalies, threshold), pictured_anomalies.size());
    return run.finish("anomaly_detection_histogram.svg",
                      histogram_svg(pictured_normal, pictured_anomalies, threshold,
                                    std::string("Autoencoder trained on ") +
                                        examples::class_names[pictured] +
                                        "s: reconstruction errors of the test images"));
}
