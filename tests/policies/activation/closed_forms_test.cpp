// Tests ctnn/policies/activation/*.hpp against exact values known in closed form (computed to
// double precision independently of the library), on scalars and on every lane of a batch.
#include "ctnn/policies/activation/activations.hpp"

#include "policies/activation/activation_oracles.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <ratio>

namespace {

using ctnn::test::lanes;
using ctnn::test::to_lanes;
using ctnn::test::W;
using batch = ctnn::simd::batch_t<float>;

// g(x) == expected and g'(x) == expected_derivative to a few float ulps, scalar and batch.
template <class A>
void check(float x, double expected, double expected_derivative) {
    const double tol = 4.0 * std::numeric_limits<float>::epsilon();
    const float y = A::f(x);
    const float d = A::df(x, y);
    BOOST_TEST(std::abs(y - expected) <= tol * std::abs(expected) + 1e-38,
               A::name << "(" << x << ") = " << y << ", expected " << expected);
    BOOST_TEST(std::abs(d - expected_derivative) <= tol * std::abs(expected_derivative) + 1e-38,
               A::name << "'(" << x << ") = " << d << ", expected " << expected_derivative);
    const lanes yv = to_lanes(A::f(batch(x)));
    const lanes dv = to_lanes(A::df(batch(x), batch(y)));
    for (std::size_t l = 0; l < W; ++l) {
        BOOST_TEST(std::abs(yv[l] - expected) <= tol * std::abs(expected) + 1e-38,
                   A::name << "(" << x << ") batch = " << yv[l] << ", expected " << expected);
        BOOST_TEST(
            std::abs(dv[l] - expected_derivative) <= tol * std::abs(expected_derivative) + 1e-38,
            A::name << "'(" << x << ") batch = " << dv[l] << ", expected " << expected_derivative);
    }
}

constexpr double e_inv = 0.36787944117144233; // e^-1
constexpr double sig1 = 0.7310585786300049;   // 1 / (1 + e^-1)
constexpr double sigm1 = 0.2689414213699951;  // 1 / (1 + e)
constexpr double tanh1 = 0.7615941559557649;  // tanh(1)
constexpr double ln2 = 0.6931471805599453;    // ln 2
constexpr double cdf1 = 0.8413447460685429;   // Phi(1)
constexpr double pdf1 = 0.24197072451914337;  // phi(1) = e^-1/2 / sqrt(2 pi)

} // namespace

BOOST_AUTO_TEST_SUITE(closed_forms_test)

BOOST_AUTO_TEST_CASE(linear) {
    check<ctnn::linear>(0.0f, 0.0, 1.0);
    check<ctnn::linear>(-3.5f, -3.5, 1.0);
    check<ctnn::linear>(1e20f, 1e20, 1.0);
}

BOOST_AUTO_TEST_CASE(threshold_fires_at_zero_and_has_no_gradient) {
    check<ctnn::threshold>(0.0f, 1.0, 0.0);
    check<ctnn::threshold>(-0.0f, 1.0, 0.0);
    check<ctnn::threshold>(-1e-30f, 0.0, 0.0);
    check<ctnn::threshold>(1e-30f, 1.0, 0.0);
    check<ctnn::threshold>(-2.0f, 0.0, 0.0);
    check<ctnn::threshold>(7.0f, 1.0, 0.0);
}

BOOST_AUTO_TEST_CASE(sigmoid) {
    check<ctnn::sigmoid>(0.0f, 0.5, 0.25);
    check<ctnn::sigmoid>(1.0f, sig1, sig1 * sigm1);
    check<ctnn::sigmoid>(-1.0f, sigm1, sig1 * sigm1);
    check<ctnn::sigmoid>(std::log(3.0f), 0.75, 0.1875);
}

BOOST_AUTO_TEST_CASE(tanh) {
    check<ctnn::tanh>(0.0f, 0.0, 1.0);
    check<ctnn::tanh>(1.0f, tanh1, 1.0 - tanh1 * tanh1);
    check<ctnn::tanh>(-1.0f, -tanh1, 1.0 - tanh1 * tanh1);
}

BOOST_AUTO_TEST_CASE(relu_has_zero_slope_at_zero) {
    check<ctnn::relu>(0.0f, 0.0, 0.0);
    check<ctnn::relu>(-1.0f, 0.0, 0.0);
    check<ctnn::relu>(2.0f, 2.0, 1.0);
    check<ctnn::relu>(1e-30f, 1e-30, 1.0);
}

BOOST_AUTO_TEST_CASE(leaky_relu_default_slope_is_keras_0_2) {
    check<ctnn::leaky_relu>(-2.0f, -0.4, 0.2);
    check<ctnn::leaky_relu>(3.0f, 3.0, 1.0);
    check<ctnn::leaky_relu>(0.0f, 0.0, 0.2);
    check<ctnn::leaky_relu_with<std::ratio<3, 10>>>(-10.0f, -3.0, 0.3);
    check<ctnn::leaky_relu_with<std::ratio<0>>>(-10.0f, 0.0, 0.0);
}

BOOST_AUTO_TEST_CASE(elu) {
    check<ctnn::elu>(-1.0f, e_inv - 1.0, e_inv);
    check<ctnn::elu>(2.0f, 2.0, 1.0);
    check<ctnn::elu>(0.0f, 0.0, 1.0);
    check<ctnn::elu_with<std::ratio<1, 2>>>(-1.0f, 0.5 * (e_inv - 1.0), 0.5 * e_inv);
    check<ctnn::elu_with<std::ratio<1, 2>>>(0.0f, 0.0, 0.5); // left derivative at the kink
    check<ctnn::elu_with<std::ratio<1, 2>>>(3.0f, 3.0, 1.0);
}

BOOST_AUTO_TEST_CASE(softplus) {
    check<ctnn::softplus>(0.0f, ln2, 0.5);
    check<ctnn::softplus>(1.0f, 1.3132616875182228, sig1);
    check<ctnn::softplus>(-1.0f, 0.31326168751822286, sigm1);
    check<ctnn::softplus>(-30.0f, 9.357622968840175e-14, 9.357622968839299e-14);
}

BOOST_AUTO_TEST_CASE(gelu_exact_erf_form) {
    check<ctnn::gelu>(0.0f, 0.0, 0.5);
    check<ctnn::gelu>(1.0f, cdf1, cdf1 + pdf1);
    check<ctnn::gelu>(-1.0f, -(1.0 - cdf1), (1.0 - cdf1) - pdf1);
}

BOOST_AUTO_TEST_CASE(swish) {
    check<ctnn::swish>(0.0f, 0.0, 0.5);
    check<ctnn::swish>(1.0f, sig1, sig1 + sig1 * sigm1);
    check<ctnn::swish>(-1.0f, -sigm1, sigm1 - sigm1 * sig1);
}

BOOST_AUTO_TEST_SUITE_END()
