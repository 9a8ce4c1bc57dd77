// Tests ctnn/policies/regularizer/regularizer.hpp against closed forms (Keras: l1(a) adds
// a * sum|w|, l2(b) adds b * sum w^2) and its gradient against central differences.
#include "ctnn/policies/regularizer/regularizer.hpp"

#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

using namespace ctnn;

static_assert(regularizer<no_regularizer> && regularizer<l2<>> &&
              regularizer<l1<std::ratio<1, 3>>>);
static_assert(!no_regularizer::active && l2<>::active);
static_assert(l2<>::l2 == 0.01f && l2<>::l1 == 0.0f); // Keras's default factor

BOOST_AUTO_TEST_SUITE(regularizer_test)

BOOST_AUTO_TEST_CASE(penalties_are_the_keras_sums) {
    const std::vector<float> w{1.0f, -2.0f, 0.0f, 0.5f};
    using both = l1_l2<std::ratio<1, 10>, std::ratio<1, 1000>>;
    BOOST_TEST(both::penalty(w.data(), 4) == 0.1f * 3.5f + 0.001f * 5.25f,
               boost::test_tools::tolerance(1e-6f));
    using l2_keras = l2<std::ratio<1, 1000>>; // (aliases: template commas confuse BOOST_TEST)
    using l1_half = l1<std::ratio<1, 2>>;
    BOOST_TEST(l2_keras::penalty(w.data(), 4) == 0.00525f, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(l1_half::penalty(w.data(), 4) == 1.75f);
    BOOST_TEST(no_regularizer::penalty(w.data(), 4) == 0.0f);
}

BOOST_AUTO_TEST_CASE(gradients_match_central_differences) {
    using both = l1_l2<std::ratio<3, 100>, std::ratio<7, 100>>;
    for (std::size_t n : {1u, 3u, 17u}) {
        std::vector<float> w(n), g(n, 1.0f);
        for (std::size_t i = 0; i < n; ++i)
            w[i] = 0.3f * static_cast<float>(i) - 1.1f; // no element at the kink 0
        both::add_gradient(w.data(), g.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
            const double fd = test::central_difference(
                [&](double v) {
                    std::vector<float> c = w;
                    c[i] = static_cast<float>(v);
                    return static_cast<double>(both::penalty(c.data(), n));
                },
                w[i], 1e-3);
            // g started at 1: the gradient is added, not stored. The penalty is a float, so the
            // difference quotient carries ~1e-4 of rounding.
            BOOST_TEST(std::abs(static_cast<double>(g[i]) - 1.0 - fd) < 5e-4);
        }
    }
    float zero = 0.0f, g0 = 0.0f;
    l1<>::add_gradient(&zero, &g0, 1);
    BOOST_TEST(g0 == 0.0f); // sign(0) = 0, as TensorFlow
}

BOOST_AUTO_TEST_SUITE_END()
