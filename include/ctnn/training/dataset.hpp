// ctnn/training/dataset.hpp - samples of a static shape, any number of them, with targets.
//
//   ctnn::dataset<ctnn::shape<784>, ctnn::shape<1>> train(std::move(pixels), std::move(labels));
//   train.size();  train.sample(i);  train.target(i);
//   ctnn::dataset<...> weighted(pixels, labels, weights);   // Keras's sample_weight
//   train.weight(i);   // 1 without weights
//
// The sample and target shapes are types (a fit on data whose shape does not fit the network is
// a compile error); the count is a run-time value. Construction checks that the value counts
// agree and that every value is finite (weights also >= 0), and says what is wrong and where if
// not. Sample weights scale each sample's loss in fit and evaluate, as Keras's sample_weight:
// the batch's loss is the weighted sum divided by the batch size; a weight of 0 removes a sample.
#pragma once

#include "ctnn/core/shape.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ctnn {

template <static_shape SampleShape, static_shape TargetShape>
class dataset {
public:
    using sample_shape = SampleShape;
    using target_shape = TargetShape;
    static constexpr std::size_t sample_size = SampleShape::size;
    static constexpr std::size_t target_size = TargetShape::size;

    dataset() = default;

    // `samples` holds count × sample_size values, `targets` count × target_size, row-major.
    dataset(std::vector<float> samples, std::vector<float> targets)
        : samples_(std::move(samples)), targets_(std::move(targets)) {
        if (samples_.size() % sample_size != 0)
            throw std::invalid_argument("dataset: " + std::to_string(samples_.size()) +
                                        " sample values are not a whole number of samples of " +
                                        std::to_string(sample_size) + " values");
        if (targets_.size() % target_size != 0)
            throw std::invalid_argument("dataset: " + std::to_string(targets_.size()) +
                                        " target values are not a whole number of targets of " +
                                        std::to_string(target_size) + " values");
        if (samples_.size() / sample_size != targets_.size() / target_size)
            throw std::invalid_argument(
                "dataset: " + std::to_string(samples_.size() / sample_size) + " samples but " +
                std::to_string(targets_.size() / target_size) + " targets");
        check_finite(samples_, sample_size, "sample");
        check_finite(targets_, target_size, "target");
    }

    // With one weight per sample (each finite and >= 0).
    dataset(std::vector<float> samples, std::vector<float> targets,
            std::vector<float> sample_weights)
        : dataset(std::move(samples), std::move(targets)) {
        if (sample_weights.size() != size())
            throw std::invalid_argument("dataset: " + std::to_string(sample_weights.size()) +
                                        " sample weights for " + std::to_string(size()) +
                                        " samples");
        for (std::size_t i = 0; i < sample_weights.size(); ++i)
            if (!(std::isfinite(sample_weights[i]) && sample_weights[i] >= 0.0f))
                throw std::invalid_argument("dataset: sample weight " + std::to_string(i) +
                                            " is " + std::to_string(sample_weights[i]) +
                                            ", not a finite weight >= 0");
        weights_ = std::move(sample_weights);
    }

    [[nodiscard]] std::size_t size() const noexcept { return samples_.size() / sample_size; }
    [[nodiscard]] bool empty() const noexcept { return samples_.empty(); }
    [[nodiscard]] const float* sample(std::size_t i) const noexcept {
        return samples_.data() + i * sample_size;
    }
    [[nodiscard]] const float* target(std::size_t i) const noexcept {
        return targets_.data() + i * target_size;
    }
    [[nodiscard]] const std::vector<float>& samples() const noexcept { return samples_; }
    [[nodiscard]] const std::vector<float>& targets() const noexcept { return targets_; }

    // Sample weights: empty when the data set has none (every weight is then 1).
    [[nodiscard]] bool weighted() const noexcept { return !weights_.empty(); }
    [[nodiscard]] float weight(std::size_t i) const noexcept {
        return weights_.empty() ? 1.0f : weights_[i];
    }
    [[nodiscard]] const std::vector<float>& weights() const noexcept { return weights_; }

    // The samples whose indices are listed, in that order (splits, folds, shuffles).
    [[nodiscard]] dataset subset(const std::vector<std::size_t>& indices) const {
        std::vector<float> x, y, w;
        x.reserve(indices.size() * sample_size);
        y.reserve(indices.size() * target_size);
        w.reserve(weighted() ? indices.size() : 0);
        for (std::size_t i : indices) {
            if (i >= size())
                throw std::out_of_range("dataset::subset: index " + std::to_string(i) +
                                        " but the dataset has " + std::to_string(size()) +
                                        " samples");
            x.insert(x.end(), sample(i), sample(i) + sample_size);
            y.insert(y.end(), target(i), target(i) + target_size);
            if (weighted())
                w.push_back(weights_[i]);
        }
        dataset d;
        d.samples_ = std::move(x);
        d.targets_ = std::move(y);
        d.weights_ = std::move(w);
        return d;
    }

private:
    static void check_finite(const std::vector<float>& values, std::size_t row, const char* what) {
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!std::isfinite(values[i]))
                throw std::invalid_argument("dataset: " + std::string(what) + " " +
                                            std::to_string(i / row) + ", value " +
                                            std::to_string(i % row) + " is " +
                                            (std::isnan(values[i]) ? "NaN" : "infinite"));
    }

    std::vector<float> samples_, targets_, weights_;
};

} // namespace ctnn
