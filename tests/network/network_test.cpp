// Tests ctnn/network/network.hpp: shape inference and parameter counts at compile time, predict
// for one sample and for batches against a double-precision loop over the layers' own weights.
#include "ctnn/ctnn.hpp"

#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <sstream>
#include <string>

using namespace ctnn;

using classifier = network<input<784>, dense<128, relu>, dense<10, softmax>>;
using tiny = network<input<16>, dense<32, relu>, dense<32, relu>, dense<1>>;
using image_net = network<input<28, 28>, flatten, dense<17, ctnn::tanh>, dense<3, sigmoid>>;

static_assert(classifier::layer_count == 2);
static_assert(classifier::param_count == 784 * 128 + 128 + 128 * 10 + 10); // Keras: 101,770
static_assert(tiny::param_count == 16 * 32 + 32 + 32 * 32 + 32 + 32 + 1);
static_assert(std::is_same_v<classifier::input_shape, shape<784>>);
static_assert(std::is_same_v<classifier::output_shape, shape<10>>);
static_assert(std::is_same_v<image_net::layer_type<0>::output_shape, shape<784>>);
static_assert(std::is_same_v<image_net::output_shape, shape<3>>);
static_assert(image_net::param_count == 784 * 17 + 17 + 17 * 3 + 3);
// The parameters are the object: no pointers, no heap.
static_assert(sizeof(classifier) >= classifier::param_count * sizeof(float));
static_assert(sizeof(classifier) < classifier::param_count * sizeof(float) * 11 / 10);

namespace {

// Forward pass in double through the network's own weights, one sample at a time.
template <class Layer>
std::vector<double> layer_forward(const Layer& l, const std::vector<double>& x) {
    constexpr std::size_t in = Layer::input_shape::size, out = Layer::output_shape::size;
    std::vector<double> z(out);
    for (std::size_t j = 0; j < out; ++j) {
        double acc = l.bias(j);
        for (std::size_t k = 0; k < in; ++k)
            acc += x[k] * l.weight(k, j);
        z[j] = acc;
    }
    test::naive_activation<typename Layer::activation_type>(z, 1, out);
    return z;
}

template <class Net>
std::vector<double> reference_predict(const Net& net, const float* sample) {
    std::vector<double> x(sample, sample + Net::input_shape::size);
    static_for<Net::layer_count>([&](auto i) {
        if constexpr (!Net::template layer_type<i>::is_view)
            x = layer_forward(net.template layer<i>(), x);
    });
    return x;
}

template <class Net, std::size_t Batch>
void check_predictions(std::uint64_t seed) {
    const auto net = std::make_unique<Net>(seed);
    using x_type = tensor<float, batch_shape_t<Batch, typename Net::input_shape>>;
    auto x = std::make_unique<x_type>();
    const auto values = test::random_values(x_type::size(), seed, 0.0f, 1.0f);
    std::copy(values.begin(), values.end(), x->data());

    const auto batch = net->predict(*x);
    constexpr std::size_t in = Net::input_shape::size, out = Net::output_shape::size;
    for (std::size_t r = 0; r < Batch; ++r) {
        tensor<float, typename Net::input_shape> sample;
        std::copy_n(x->data() + r * in, in, sample.data());
        const auto single = net->predict(sample);
        const auto expected = reference_predict(*net, sample.data());
        for (std::size_t j = 0; j < out; ++j) {
            BOOST_TEST(std::abs(single[j] - expected[j]) <= 1e-5 * (1 + std::abs(expected[j])));
            BOOST_TEST(std::abs(batch[r * out + j] - expected[j]) <=
                       1e-5 * (1 + std::abs(expected[j])));
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(network_test)

BOOST_AUTO_TEST_CASE(single_and_batch_predictions_match_a_double_precision_forward_pass) {
    check_predictions<classifier, 1>(1);
    check_predictions<classifier, 64>(2);
    check_predictions<classifier, 7>(3);
    check_predictions<tiny, 1>(4);
    check_predictions<tiny, 13>(5);
    check_predictions<image_net, 1>(6);
    check_predictions<image_net, 9>(7);
}

BOOST_AUTO_TEST_CASE(softmax_outputs_are_probabilities) {
    const auto net = std::make_unique<classifier>();
    tensor<float, shape<784>> x = tensor<float, shape<784>>::filled(0.5f);
    const auto p = net->predict(x);
    float total = 0;
    for (float v : p) {
        BOOST_TEST(v >= 0.0f);
        total += v;
    }
    BOOST_TEST(std::abs(total - 1.0f) < 1e-5f);
}

BOOST_AUTO_TEST_CASE(initialisation_is_reproducible_and_follows_the_policies) {
    const auto a = std::make_unique<classifier>(7), b = std::make_unique<classifier>(7),
               c = std::make_unique<classifier>(8);
    const auto& la = a->layer<0>();
    bool all_equal = true, any_differs = false;
    const double limit = std::sqrt(6.0 / (784 + 128)); // Glorot uniform
    for (std::size_t i = 0; i < 784; ++i)
        for (std::size_t j = 0; j < 128; ++j) {
            all_equal &= la.weight(i, j) == b->layer<0>().weight(i, j);
            any_differs |= la.weight(i, j) != c->layer<0>().weight(i, j);
            BOOST_TEST(std::abs(la.weight(i, j)) <= limit);
        }
    BOOST_TEST(all_equal);
    BOOST_TEST(any_differs);
    for (std::size_t j = 0; j < 128; ++j)
        BOOST_TEST(la.bias(j) == 0.0f); // zeros bias initialiser
}

BOOST_AUTO_TEST_CASE(hand_set_weights_give_the_hand_computed_output) {
    // The lecture's neuron: 2 inputs, weights 0.5 and -1, bias 0.25, sigmoid.
    network<input<2>, dense<1, sigmoid>> neuron;
    neuron.layer<0>().weight(0, 0) = 0.5f;
    neuron.layer<0>().weight(1, 0) = -1.0f;
    neuron.layer<0>().bias(0) = 0.25f;
    const auto y = neuron.predict(tensor<float, shape<2>>{2.0f, 1.0f});
    BOOST_TEST(std::abs(y[0] - 1.0 / (1.0 + std::exp(-0.25))) < 1e-6);
}

BOOST_AUTO_TEST_CASE(prints_its_summary) {
    const auto net = std::make_unique<image_net>();
    std::ostringstream out;
    out << *net;
    BOOST_TEST(out.str() == image_net::summary());
    BOOST_TEST(out.str().find("dense<17, tanh>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
