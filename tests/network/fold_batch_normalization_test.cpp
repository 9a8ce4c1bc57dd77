// Tests ctnn/network/fold_batch_normalization.hpp: the folded network's type (each linear dense
// layer and the batch normalization after it become one dense layer, everything else is kept)
// and its predictions, which must equal the unfolded network's for non-trivial gamma, beta and
// moving statistics.
#include "ctnn/ctnn.hpp"
#include "ctnn/layers/batch_normalization.hpp"
#include "ctnn/network/fold_batch_normalization.hpp"

#include "support/finite_difference.hpp"
#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <memory>
#include <ratio>
#include <type_traits>

using namespace ctnn;
using ctnn::test::close;

namespace {

using half = std::ratio<1, 2>;

// The folds at compile time.
static_assert(
    std::is_same_v<folded_network_t<
                       network<input<5>, dense<17>, batch_normalization<relu>, dense<3, softmax>>>,
                   network<input<5>, dense<17, relu>, dense<3, softmax>>>);
static_assert(
    std::is_same_v<
        folded_network_t<network<input<4, 5>, flatten, dense<130, kernel_initializer<he_uniform>>,
                                 batch_normalization<ctnn::tanh, std::ratio<9, 10>>, dropout<half>,
                                 dense<9>, batch_normalization<>, dense<2>>>,
        network<input<4, 5>, flatten, dense<130, ctnn::tanh, kernel_initializer<he_uniform>>,
                dropout<half>, dense<9>, dense<2>>>);
// Nothing to fold: the same network.
static_assert(std::is_same_v<folded_network_t<network<input<3>, dense<4, relu>, dense<1>>>,
                             network<input<3>, dense<4, relu>, dense<1>>>);

template <class Layer>
void randomize_normalization(Layer& layer, std::uint64_t seed) {
    constexpr std::size_t n = Layer::size;
    const auto g = ctnn::test::random_values(n, seed, 0.3f, 2.0f);
    const auto b = ctnn::test::random_values(n, seed + 1, -0.7f, 0.7f);
    const auto m = ctnn::test::random_values(n, seed + 2, -0.5f, 0.5f);
    const auto v = ctnn::test::random_values(n, seed + 3, 0.05f, 3.0f);
    for (std::size_t j = 0; j < n; ++j) {
        layer.gamma(j) = g[j];
        layer.beta(j) = b[j];
        layer.moving_mean(j) = m[j];
        layer.moving_variance(j) = v[j];
    }
}

template <class Dense>
void randomize_bias(Dense& layer, std::uint64_t seed) {
    constexpr std::size_t n = Dense::output_shape::size;
    const auto b = ctnn::test::random_values(n, seed, -0.3f, 0.3f);
    for (std::size_t j = 0; j < n; ++j)
        layer.bias(j) = b[j];
}

} // namespace

BOOST_AUTO_TEST_SUITE(fold_batch_normalization_test)

BOOST_AUTO_TEST_CASE(folds_into_one_dense_layer_with_the_same_predictions) {
    using net_t = network<input<5>, dense<17>, batch_normalization<relu>, dense<3, softmax>>;
    auto net = std::make_unique<net_t>(4);
    randomize_bias(net->layer<0>(), 1);
    randomize_normalization(net->layer<1>(), 2);
    const auto folded = fold_batch_normalization(*net);
    static_assert(std::is_same_v<std::decay_t<decltype(*folded)>,
                                 network<input<5>, dense<17, relu>, dense<3, softmax>>>);
    static_assert(std::decay_t<decltype(*folded)>::param_count == net_t::param_count - 4 * 17);

    // The folded kernel and bias, by the formula.
    const auto& d = net->layer<0>();
    const auto& bn = net->layer<1>();
    for (std::size_t j = 0; j < 17; ++j) {
        const double s = bn.gamma(j) / std::sqrt(static_cast<double>(bn.moving_variance(j)) + 1e-3);
        BOOST_TEST(close(folded->layer<0>().bias(j),
                         (d.bias(j) - static_cast<double>(bn.moving_mean(j))) * s + bn.beta(j),
                         1e-6, 1e-7));
        for (std::size_t i = 0; i < 5; ++i)
            BOOST_TEST(close(folded->layer<0>().weight(i, j), d.weight(i, j) * s, 1e-6, 1e-7));
    }
    for (std::size_t i = 0; i < 17; ++i) // copied as it is
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(folded->layer<1>().weight(i, j) == net->layer<2>().weight(i, j));

    tensor<float, shape<9, 5>> x;
    const auto values = ctnn::test::random_values(9 * 5, 3, -2.0f, 2.0f);
    for (std::size_t k = 0; k < values.size(); ++k)
        x[k] = values[k];
    const auto expected = net->predict(x), got = folded->predict(x);
    for (std::size_t r = 0; r < 9; ++r)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(close(got(r, j), expected(r, j), 1e-5, 1e-6));
}

BOOST_AUTO_TEST_CASE(folds_every_pair_and_keeps_the_other_layers) {
    using net_t = network<input<4, 5>, flatten, dense<130, kernel_initializer<he_uniform>>,
                          batch_normalization<ctnn::tanh, std::ratio<9, 10>>, dropout<half>,
                          dense<9>, batch_normalization<>, dense<2>>;
    auto net = std::make_unique<net_t>(5);
    randomize_bias(net->layer<1>(), 6);
    randomize_normalization(net->layer<2>(), 7);
    randomize_bias(net->layer<4>(), 8);
    randomize_normalization(net->layer<5>(), 9);
    randomize_bias(net->layer<6>(), 10);
    const auto folded = fold_batch_normalization(*net);
    static_assert(std::decay_t<decltype(*folded)>::layer_count == 5);

    for (std::uint64_t seed : {11, 12, 13}) {
        tensor<float, shape<4, 5>> one;
        const auto values = ctnn::test::random_values(20, seed, -1.5f, 1.5f);
        for (std::size_t k = 0; k < 20; ++k)
            one[k] = values[k];
        const auto expected = net->predict(one), got = folded->predict(one);
        for (std::size_t j = 0; j < 2; ++j)
            BOOST_TEST(close(got[j], expected[j], 1e-5, 1e-5));
    }
}

BOOST_AUTO_TEST_CASE(leaves_the_original_network_alone) {
    using net_t = network<input<3>, dense<6>, batch_normalization<sigmoid>, dense<1>>;
    net_t net(2);
    randomize_normalization(net.layer<1>(), 20);
    const net_t copy = net;
    const auto folded = fold_batch_normalization(net);
    bool same = true;
    net.visit_parameters([&](std::size_t layer, auto array) {
        copy.visit_parameters([&](std::size_t other, auto original) {
            if (layer == other && array.name == original.name)
                for (std::size_t k = 0; k < array.columns; ++k)
                    for (std::size_t r = 0; r < array.rows; ++r)
                        same &= array(r, k) == original(r, k);
        });
    });
    BOOST_TEST(same);
    BOOST_TEST(folded->summary().find("dense<6, sigmoid>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
