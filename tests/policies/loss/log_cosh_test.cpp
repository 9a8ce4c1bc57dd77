// Tests ctnn/policies/loss/log_cosh.hpp against log(cosh(x)) computed directly in double where
// cosh does not overflow, against |x| - log 2 where it would, and x^2/2 for tiny x; the gradient
// against tanh(x) / N.
#include "ctnn/policies/loss/log_cosh.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <numbers>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(log_cosh_test)

BOOST_AUTO_TEST_CASE(matches_log_of_cosh) {
    std::array<float, 17> p{}, t{};
    for (std::size_t i = 0; i < 17; ++i) {
        p[i] = 0.61f * static_cast<float>(i) - 5.0f;
        t[i] = 0.25f * std::cos(static_cast<float>(i));
    }
    double expected = 0;
    for (std::size_t i = 0; i < 17; ++i)
        expected += std::log(std::cosh(double(p[i]) - t[i]));
    expected /= 17;
    BOOST_TEST(log_cosh::value<17>(p.data(), t.data()) == expected,
               boost::test_tools::tolerance(1e-6));
    std::array<float, 17> g{};
    log_cosh::gradient<17>(p.data(), t.data(), g.data());
    for (std::size_t i = 0; i < 17; ++i)
        BOOST_TEST(g[i] == std::tanh(double(p[i]) - t[i]) / 17, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(large_and_tiny_differences) {
    const std::array<float, 3> p{1e4f, -1e4f, 200.0f}, zero{0.0f, 0.0f, 0.0f};
    const double ln2 = std::numbers::ln2;
    BOOST_TEST(log_cosh::value<3>(p.data(), zero.data()) == (2e4 + 200.0 - 3 * ln2) / 3,
               boost::test_tools::tolerance(1e-6));
    std::array<float, 3> g{};
    log_cosh::gradient<3>(p.data(), zero.data(), g.data());
    BOOST_TEST(g[0] == 1.0f / 3.0f, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(g[1] == -1.0f / 3.0f, boost::test_tools::tolerance(1e-6f));

    // log cosh x = x^2/2 - x^4/12 + ...: the stable form keeps the relative accuracy (in double;
    // float's log1p near 1 would not).
    const std::array<double, 1> tiny{1e-3}, origin{0.0};
    BOOST_TEST(log_cosh::value<1>(tiny.data(), origin.data()) == 0.5e-6 - 1e-12 / 12,
               boost::test_tools::tolerance(1e-6));
    BOOST_TEST(log_cosh::value<1>(origin.data(), origin.data()) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
