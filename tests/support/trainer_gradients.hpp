// tests/support/trainer_gradients.hpp - every parameter gradient a trainer backpropagates,
// checked against central differences of its batch loss: the oracle for the training protocol
// of every layer kind (tests/training/trainer_test.cpp, tests/layers/*_test.cpp).
#pragma once

#include "ctnn/ctnn.hpp"

#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

namespace ctnn::test {

// The batch-mean loss of the network on (x, y), in float, for finite differences.
template <class Trainer>
double batch_loss(Trainer& t, const std::vector<float>& x, const std::vector<float>& y,
                  std::size_t rows) {
    t.zero_gradients();
    t.seed_noise(12345); // the same dropout mask for every evaluation of the loss
    return t.accumulate(x.data(), y.data(), rows, 1.0f / static_cast<float>(rows)).loss;
}

// dL/d(parameter) by central differences of the batch loss (step 1e-2, relative above 1).
template <class Trainer>
double loss_slope(Trainer& t, const std::vector<float>& x, const std::vector<float>& y,
                  std::size_t rows, float& parameter) {
    const float saved = parameter, h = 1e-2f * std::max(1.0f, std::abs(saved));
    parameter = saved + h;
    const double up = batch_loss(t, x, y, rows);
    parameter = saved - h;
    const double down = batch_loss(t, x, y, rows);
    parameter = saved;
    return (up - down) / (2.0 * static_cast<double>(h));
}

// Compares the backpropagated gradient of every parameter block of layer I (through the
// training protocol: a dense kernel with its padding, a bias, gamma, beta, ...) with central
// differences of the loss, over a sample of each block's elements.
template <std::size_t I, class Trainer>
void check_layer(Trainer& t, const std::vector<float>& x, const std::vector<float>& y,
                 std::size_t rows) {
    auto& layer = t.network().template layer<I>();
    using L = std::remove_reference_t<decltype(layer)>;
    batch_loss(t, x, y, rows);
    t.add_regularization_gradients(); // part of the loss's gradient (no-op without regularizers)
    const auto blocks = layer.parameter_blocks();
    std::vector<std::vector<float>> gradients; // before the differences overwrite them
    for (std::size_t b = 0; b < blocks.size(); ++b)
        gradients.emplace_back(t.template gradient<I>(b),
                               t.template gradient<I>(b) + L::parameter_sizes[b]);
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const std::size_t size = L::parameter_sizes[b];
        const std::vector<float>& grad = gradients[b];
        for (std::size_t k = 0; k < size; k += std::max<std::size_t>(1, size / 23)) {
            const double expected = loss_slope(t, x, y, rows, blocks[b][k]);
            BOOST_TEST(std::abs(grad[k] - expected) <= 2e-3 + 2e-2 * std::abs(expected),
                       "layer " << I << " block " << b << " [" << k << "] = " << grad[k] << ", FD "
                                << expected);
        }
    }
}

template <class Net, class Loss, std::size_t Batch>
void check_trainer_gradients(std::size_t rows, std::vector<float> targets, std::uint64_t seed) {
    auto net = std::make_unique<Net>(seed);
    auto t = ctnn::make_trainer<Batch>(*net, Loss{}, ctnn::sgd<>{});
    const auto x = random_values(rows * Net::input_shape::size, seed + 1, -1.0f, 1.0f);
    ctnn::static_for<Net::layer_count>([&](auto i) {
        if constexpr (ctnn::parameter_block_count_v < typename Net::template layer_type < i >>> 0)
            check_layer<i>(*t, x, targets, rows);
    });
}

} // namespace ctnn::test
