// Tests ctnn/training/predictions.hpp: rows × Outputs values with row access, as trainer::predict
// returns them, printed as NumPy prints a rows × Outputs array (expected texts from NumPy 1.24).
#include "ctnn/ctnn.hpp"

#include "support/printed.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <iterator>
#include <string>

using namespace ctnn;

using test::printed;

BOOST_AUTO_TEST_SUITE(predictions_test)

BOOST_AUTO_TEST_CASE(rows_of_outputs) {
    predictions<2> p(3);
    BOOST_TEST(p.rows() == 3u);
    BOOST_TEST(p.size() == 6u);
    p(1, 0) = 0.5f;
    p.row(2)[1] = 0.75f;
    BOOST_TEST(p.data()[2] == 0.5f);
    BOOST_TEST(p(2, 1) == 0.75f);
    BOOST_TEST(p.row(1).size() == 2u);
}

BOOST_AUTO_TEST_CASE(prints_as_numpy_does) {
    predictions<2> p(3);
    const float values[] = {0.1f, 0.9f, 0.5f, 0.5f, 0.25f, 0.75f};
    std::copy(std::begin(values), std::end(values), p.begin());
    BOOST_TEST(printed(p) == "[[0.1  0.9 ]\n [0.5  0.5 ]\n [0.25 0.75]]");
    BOOST_TEST(printed(predictions<2>{}) == "[]");
    // More than 1,000 values: the first and last three rows.
    predictions<2> many(2000);
    for (std::size_t i = 0; i < many.size(); ++i)
        many.data()[i] = static_cast<float>(i) / 4000.0f;
    BOOST_TEST(printed(many) == "[[0.0000e+00 2.5000e-04]\n [5.0000e-04 7.5000e-04]\n"
                                " [1.0000e-03 1.2500e-03]\n ...\n [9.9850e-01 9.9875e-01]\n"
                                " [9.9900e-01 9.9925e-01]\n [9.9950e-01 9.9975e-01]]");
}

BOOST_AUTO_TEST_SUITE_END()
