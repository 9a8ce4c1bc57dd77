// The trainer end to end against PyTorch float64 (tests/reference/): the reference 3 → 2 sigmoid
// → 1 linear network with given weights, MSE on 4 samples. Backpropagation must reproduce the
// initial gradients, and three full-batch steps of each optimizer at Keras defaults through the
// trainer must follow the reference trajectories ("keras_formula": the Keras update rules run in
// float64; for plain and momentum SGD identical to torch.optim).
#include "ctnn/ctnn.hpp"

#include "support/reference.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

using namespace ctnn;

namespace {

using reference_net = network<input<3>, dense<2, sigmoid>, dense<1>>;

void load_parameters(reference_net& net, const nlohmann::json& params) {
    const auto w1 = test::flat_floats(params.at("W1")), b1 = test::flat_floats(params.at("b1"));
    const auto w2 = test::flat_floats(params.at("W2")), b2 = test::flat_floats(params.at("b2"));
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            net.layer<0>().weight(i, j) = w1[i * 2 + j];
    for (std::size_t j = 0; j < 2; ++j) {
        net.layer<0>().bias(j) = b1[j];
        net.layer<1>().weight(j, 0) = w2[j];
    }
    net.layer<1>().bias(0) = b2[0];
}

void check_parameters(const reference_net& net, const nlohmann::json& params, double tolerance,
                      const std::string& where) {
    const auto w1 = test::flat_floats(params.at("W1")), b1 = test::flat_floats(params.at("b1"));
    const auto w2 = test::flat_floats(params.at("W2")), b2 = test::flat_floats(params.at("b2"));
    const auto near = [&](double got, double expected, const char* name) {
        BOOST_TEST(std::abs(got - expected) <= tolerance * (1e-3 + std::abs(expected)),
                   where << " " << name << ": " << got << " vs reference " << expected);
    };
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            near(net.layer<0>().weight(i, j), w1[i * 2 + j], "W1");
    for (std::size_t j = 0; j < 2; ++j) {
        near(net.layer<0>().bias(j), b1[j], "b1");
        near(net.layer<1>().weight(j, 0), w2[j], "W2");
    }
    near(net.layer<1>().bias(0), b2[0], "b2");
}

template <class Optimizer>
void check_trajectory(const std::string& entry, Optimizer opt, const std::string& source) {
    const auto& ref = test::reference();
    reference_net net;
    load_parameters(net, ref.at("network"));
    auto t = make_trainer<4>(net, mean_squared_error{}, opt);
    const auto x = test::flat_floats(ref.at("network").at("X"));
    const auto y = test::flat_floats(ref.at("network").at("Y"));
    for (const auto& step : ref.at("optimizers").at(entry).at(source).at("trajectory")) {
        const float loss = t->train_step(x.data(), y.data(), 4);
        BOOST_TEST(loss == step.at("loss_before_step").get<double>(),
                   boost::test_tools::tolerance(1e-5));
        check_parameters(net, step.at("params"), 2e-5,
                         entry + " step " + std::to_string(step.at("step").get<int>()));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(reference_test)

BOOST_AUTO_TEST_CASE(backpropagation_reproduces_the_initial_gradients) {
    const auto& ref = test::reference().at("network");
    reference_net net;
    load_parameters(net, ref);
    auto t = make_trainer<4>(net, mean_squared_error{}, sgd<>{});
    const auto x = test::flat_floats(ref.at("X")), y = test::flat_floats(ref.at("Y"));
    t->zero_gradients();
    const float loss = t->accumulate(x.data(), y.data(), 4, 0.25f).loss;
    BOOST_TEST(loss == ref.at("initial_loss").get<double>(), boost::test_tools::tolerance(1e-6));
    const auto& g = ref.at("initial_grads");
    const auto w1 = test::flat_floats(g.at("W1")), b1 = test::flat_floats(g.at("b1"));
    const auto w2 = test::flat_floats(g.at("W2")), b2 = test::flat_floats(g.at("b2"));
    constexpr std::size_t stride0 = reference_net::layer_type<0>::layout::padded_outputs;
    constexpr std::size_t stride1 = reference_net::layer_type<1>::layout::padded_outputs;
    const auto tol = boost::test_tools::tolerance(1e-5f);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            BOOST_TEST(t->gradient<0>(0)[i * stride0 + j] == w1[i * 2 + j], tol);
    for (std::size_t j = 0; j < 2; ++j) {
        BOOST_TEST(t->gradient<0>(1)[j] == b1[j], tol);
        BOOST_TEST(t->gradient<1>(0)[j * stride1] == w2[j], tol);
    }
    BOOST_TEST(t->gradient<1>(1)[0] == b2[0], tol);
}

BOOST_AUTO_TEST_CASE(optimizer_trajectories_through_the_trainer) {
    check_trajectory("sgd", sgd<>{.learning_rate = 0.1f}, "torch");
    check_trajectory("sgd_momentum", sgd<>{.learning_rate = 0.1f, .momentum = 0.9f}, "torch");
    check_trajectory("rmsprop_keras_defaults", rmsprop<>{}, "keras_formula");
    check_trajectory("adam_keras_defaults", adam<>{}, "keras_formula");
    check_trajectory("nadam_keras_defaults", nadam<>{}, "keras_formula");
}

BOOST_AUTO_TEST_SUITE_END()
