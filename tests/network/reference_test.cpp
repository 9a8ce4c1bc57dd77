// Checks the network's forward pass against PyTorch: the reference "network" (3 → 2 sigmoid →
// 1 linear, given weights, 4 samples) must reproduce the reference MSE loss computed in float64.
#include "ctnn/ctnn.hpp"

#include "support/reference.hpp"

#include <boost/test/unit_test.hpp>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(reference_test)

BOOST_AUTO_TEST_CASE(forward_pass_reproduces_the_pytorch_loss) {
    const auto& ref = test::reference().at("network");
    network<input<3>, dense<2, sigmoid>, dense<1>> net;
    const auto w1 = test::flat_floats(ref.at("W1")), b1 = test::flat_floats(ref.at("b1"));
    const auto w2 = test::flat_floats(ref.at("W2")), b2 = test::flat_floats(ref.at("b2"));
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            net.layer<0>().weight(i, j) = w1[i * 2 + j]; // Keras layout [in][out], as ctnn's
    for (std::size_t j = 0; j < 2; ++j) {
        net.layer<0>().bias(j) = b1[j];
        net.layer<1>().weight(j, 0) = w2[j];
    }
    net.layer<1>().bias(0) = b2[0];

    tensor<float, shape<4, 3>> x;
    const auto xs = test::flat_floats(ref.at("X")), ys = test::flat_floats(ref.at("Y"));
    std::copy(xs.begin(), xs.end(), x.data());
    const auto y_hat = net.predict(x);
    double loss = 0;
    for (std::size_t r = 0; r < 4; ++r) {
        const double e = y_hat[r] - static_cast<double>(ys[r]);
        loss += e * e / 4;
        tensor<float, shape<3>> sample{xs[3 * r], xs[3 * r + 1], xs[3 * r + 2]};
        BOOST_TEST(net.predict(sample)[0] == y_hat[r], boost::test_tools::tolerance(1e-6f));
    }
    const double expected = ref.at("initial_loss").get<double>();
    BOOST_TEST(loss == expected, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
