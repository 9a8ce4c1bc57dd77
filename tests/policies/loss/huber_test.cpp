// Tests ctnn/policies/loss/huber.hpp against its closed form: 0.5 e^2 for |e| <= delta,
// delta |e| - 0.5 delta^2 beyond, averaged over the outputs; gradient e or delta sign(e), / N.
#include "ctnn/policies/loss/huber.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <ratio>

using namespace ctnn;

namespace {

double huber_closed_form(double e, double delta) {
    const double a = std::abs(e);
    return a <= delta ? 0.5 * e * e : delta * a - 0.5 * delta * delta;
}
double huber_slope(double e, double delta) {
    return std::abs(e) <= delta ? e : (e > 0 ? delta : -delta);
}

template <class L, std::size_t N>
void check_closed_form(const std::array<float, N>& pred, const std::array<float, N>& target,
                       double delta) {
    double expected = 0;
    for (std::size_t i = 0; i < N; ++i)
        expected += huber_closed_form(double(pred[i]) - target[i], delta);
    expected /= N;
    BOOST_TEST(L::template value<N>(pred.data(), target.data()) == expected,
               boost::test_tools::tolerance(1e-6));
    std::array<float, N> g{};
    L::template gradient<N>(pred.data(), target.data(), g.data());
    for (std::size_t i = 0; i < N; ++i)
        BOOST_TEST(g[i] == huber_slope(double(pred[i]) - target[i], delta) / N,
                   boost::test_tools::tolerance(1e-6));
}

} // namespace

BOOST_AUTO_TEST_SUITE(huber_test)

BOOST_AUTO_TEST_CASE(single_values) {
    const std::array<float, 1> zero{0.0f};
    const std::array<float, 1> half{0.5f}, two{2.0f}, minus_three{-3.0f};
    BOOST_TEST(huber::value<1>(half.data(), zero.data()) == 0.125f);
    BOOST_TEST(huber::value<1>(two.data(), zero.data()) == 1.5f);
    BOOST_TEST(huber::value<1>(minus_three.data(), zero.data()) == 2.5f);
    using half_delta = huber_with<std::ratio<1, 2>>;
    BOOST_TEST(half_delta::value<1>(two.data(), zero.data()) == 0.875f);
    BOOST_TEST(half_delta::value<1>(half.data(), zero.data()) == 0.125f); // on the boundary
    std::array<float, 1> g{};
    huber::gradient<1>(minus_three.data(), zero.data(), g.data());
    BOOST_TEST(g[0] == -1.0f);
    half_delta::gradient<1>(two.data(), zero.data(), g.data());
    BOOST_TEST(g[0] == 0.5f);
}

BOOST_AUTO_TEST_CASE(rows_of_3_and_17) {
    const std::array<float, 3> p3{0.3f, -2.5f, 4.0f}, t3{0.0f, 0.5f, 1.0f};
    check_closed_form<huber, 3>(p3, t3, 1.0);
    check_closed_form<huber_with<std::ratio<3, 2>>, 3>(p3, t3, 1.5);
    std::array<float, 17> p17{}, t17{};
    for (std::size_t i = 0; i < 17; ++i) {
        p17[i] = 0.37f * static_cast<float>(i) - 3.0f;
        t17[i] = 0.5f * std::sin(static_cast<float>(i));
    }
    check_closed_form<huber, 17>(p17, t17, 1.0);
    check_closed_form<huber_with<std::ratio<1, 4>>, 17>(p17, t17, 0.25);
}

BOOST_AUTO_TEST_SUITE_END()
