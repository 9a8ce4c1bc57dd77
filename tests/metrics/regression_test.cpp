// Tests ctnn/metrics/regression.hpp: MAE, MSE and RMSE on a hand-computed case and against
// closed forms of sums of integers and squares, NaN propagation, and the errors.
#include "ctnn/metrics/regression.hpp"

#include "metrics_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace tt = boost::test_tools;
using namespace ctnn::metrics;
using ctnn::test::error_of;

BOOST_AUTO_TEST_SUITE(regression_test)

BOOST_AUTO_TEST_CASE(hand_computed) {
    // Differences (1-2, 2-2, 3-5) = (-1, 0, -2): MAE = 3/3 = 1, MSE = (1 + 0 + 4)/3 = 5/3.
    const std::vector<float> p{1, 2, 3}, t{2, 2, 5};
    BOOST_TEST(mean_absolute_error(p, t) == 1.0);
    BOOST_TEST(mean_squared_error(p, t) == 5.0 / 3.0);
    BOOST_TEST(root_mean_squared_error(p, t) == std::sqrt(5.0 / 3.0));
    BOOST_TEST(mae(p, t) == 1.0);
    BOOST_TEST(mse(p, t) == 5.0 / 3.0);
    BOOST_TEST(mean_squared_error(p, p) == 0.0);
    // Symmetric in its arguments.
    BOOST_TEST(mean_absolute_error(t, p) == 1.0);
}

BOOST_AUTO_TEST_CASE(closed_forms) {
    // Predictions 0, 1, ..., n-1 against 0 (or shifted by c on both sides):
    //   MAE = (n-1)/2, MSE = (n-1)(2n-1)/6.
    for (std::size_t n : {1u, 3u, 17u, 784u, 100000u}) {
        std::vector<float> p(n), t(n, 0.0f), p_shifted(n), t_shifted(n, 7.0f);
        for (std::size_t i = 0; i < n; ++i) {
            p[i] = static_cast<float>(i);
            p_shifted[i] = static_cast<float>(i) + 7.0f;
        }
        const double d = static_cast<double>(n);
        const auto tol = tt::tolerance(1e-12);
        BOOST_TEST(mean_absolute_error(p, t) == (d - 1) / 2, tol);
        BOOST_TEST(mean_squared_error(p, t) == (d - 1) * (2 * d - 1) / 6, tol);
        BOOST_TEST(root_mean_squared_error(p, t) == std::sqrt((d - 1) * (2 * d - 1) / 6), tol);
        BOOST_TEST(mean_squared_error(p_shifted, t_shifted) == (d - 1) * (2 * d - 1) / 6, tol);
    }
}

BOOST_AUTO_TEST_CASE(nan_shows_and_errors) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    BOOST_TEST(
        std::isnan(mean_squared_error(std::vector<float>{1, nan}, std::vector<float>{1, 1})));
    const std::string sizes = error_of([] {
        (void)mean_squared_error(std::vector<float>{1, 2, 3}, std::vector<float>{1, 2});
    });
    BOOST_TEST(sizes.find("mean_squared_error: 3 predictions but 2 targets") != std::string::npos,
               sizes);
    const std::string empty = error_of([] { (void)mean_absolute_error({}, {}); });
    BOOST_TEST(empty.find("mean_absolute_error: no samples") != std::string::npos, empty);
}

BOOST_AUTO_TEST_SUITE_END()
