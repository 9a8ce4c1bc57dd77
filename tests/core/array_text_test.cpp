// Tests ctnn/core/array_text.hpp: arrays print as NumPy prints them. Every expected text below is
// what str() of the same float32 (or int) array gives in NumPy 1.24: fixed and scientific
// notation, columns aligned on the point, nan and inf, rank 0 to 3, lines wrapped at 75 columns
// and arrays of more than 1,000 values summarised around "...".
#include "ctnn/core/array_text.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace {

// Whether the text of `values` with these extents is `expected` (both shown when not).
template <class T>
void check(const std::vector<T>& values, const std::vector<std::size_t>& extents,
           const std::string& expected) {
    const std::string text =
        ctnn::detail::array_text(values.data(), std::span<const std::size_t>(extents));
    BOOST_TEST(text == expected);
}

// 0, 1, 2, ... times `scale`, or divided by `divisor` (not the same in float).
std::vector<float> iota(std::size_t n, float scale = 1.0f, float divisor = 1.0f) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<float>(i) * scale / divisor;
    return v;
}

constexpr float not_a_number = std::numeric_limits<float>::quiet_NaN();
constexpr float infinity = std::numeric_limits<float>::infinity();

} // namespace

BOOST_AUTO_TEST_SUITE(array_text_test)

BOOST_AUTO_TEST_CASE(fixed_notation_aligns_the_points) {
    check<float>({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3}, "[[1. 2. 3.]\n [4. 5. 6.]\n [7. 8. 9.]]");
    check<float>({0.5f, 1.25f, 3}, {3}, "[0.5  1.25 3.  ]");
    check<float>({-1.5f, 2, 3, -4.25f}, {2, 2}, "[[-1.5   2.  ]\n [ 3.   -4.25]]");
    check<float>({1.0f / 3, 2.0f / 3, 1}, {3}, "[0.33333334 0.6666667  1.        ]");
    check<float>({-0.0f, 2.5f}, {2}, "[-0.   2.5]");
}

BOOST_AUTO_TEST_CASE(every_value_in_its_shortest_form_up_to_eight_digits) {
    const float pi = 3.14159265f;
    check<float>({pi, 2 * pi, 3 * pi}, {3}, "[3.1415927 6.2831855 9.424778 ]");
}

BOOST_AUTO_TEST_CASE(scientific_notation_for_wide_ranges) {
    check<float>({1e-5f, 1.5e10f}, {2}, "[1.0e-05 1.5e+10]");
    check<float>({1e-5f, 1e10f}, {2}, "[1.e-05 1.e+10]");
    check<float>({1e8f, 1}, {2}, "[1.e+08 1.e+00]");
    check<float>({0.0001234f, 0.5f}, {2}, "[1.234e-04 5.000e-01]");
}

BOOST_AUTO_TEST_CASE(nan_and_infinity) {
    check<float>({0.1f, -0.3f, not_a_number}, {3}, "[ 0.1 -0.3  nan]");
    check<float>({1.0f / 3, -infinity}, {2}, "[0.33333334       -inf]");
}

BOOST_AUTO_TEST_CASE(integers) {
    std::vector<std::int32_t> v(12);
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<std::int32_t>(i) - 3;
    check<std::int32_t>(v, {3, 4}, "[[-3 -2 -1  0]\n [ 1  2  3  4]\n [ 5  6  7  8]]");
}

BOOST_AUTO_TEST_CASE(rank_zero_and_rank_three) {
    check<float>({4.5f}, {}, "4.5");
    // A blank line between the blocks of rank 2.
    check<float>(iota(12), {2, 2, 3},
                 "[[[ 0.  1.  2.]\n  [ 3.  4.  5.]]\n\n [[ 6.  7.  8.]\n  [ 9. 10. 11.]]]");
}

BOOST_AUTO_TEST_CASE(long_rows_wrap_at_75_columns) {
    check<float>(iota(30, 0.37f), {30},
                 "[ 0.         0.37       0.74       1.11       1.48       1.85\n"
                 "  2.22       2.5900002  2.96       3.33       3.7        4.07\n"
                 "  4.44       4.81       5.1800003  5.55       5.92       6.29\n"
                 "  6.66       7.03       7.4        7.77       8.14       8.51\n"
                 "  8.88       9.25       9.62       9.99      10.360001  10.7300005]");
}

BOOST_AUTO_TEST_CASE(more_than_a_thousand_values_are_summarised) {
    check<float>(std::vector<float>(2000, 0.0f), {2000}, "[0. 0. 0. ... 0. 0. 0.]");
    // The notation is chosen from the printed values alone.
    check<float>(iota(1600), {40, 40},
                 "[[0.000e+00 1.000e+00 2.000e+00 ... 3.700e+01 3.800e+01 3.900e+01]\n"
                 " [4.000e+01 4.100e+01 4.200e+01 ... 7.700e+01 7.800e+01 7.900e+01]\n"
                 " [8.000e+01 8.100e+01 8.200e+01 ... 1.170e+02 1.180e+02 1.190e+02]\n"
                 " ...\n"
                 " [1.480e+03 1.481e+03 1.482e+03 ... 1.517e+03 1.518e+03 1.519e+03]\n"
                 " [1.520e+03 1.521e+03 1.522e+03 ... 1.557e+03 1.558e+03 1.559e+03]\n"
                 " [1.560e+03 1.561e+03 1.562e+03 ... 1.597e+03 1.598e+03 1.599e+03]]");
    check<float>(iota(1200, 0.001f), {1200, 1},
                 "[[0.0000000e+00]\n [1.0000000e-03]\n [2.0000001e-03]\n ...\n"
                 " [1.1970000e+00]\n [1.1980001e+00]\n [1.1990000e+00]]");
    // An axis of 2 x 3 blocks is short: only the rows of 200 are cut.
    check<float>(iota(1200, 1.0f, 100.0f), {2, 3, 200},
                 "[[[0.000e+00 1.000e-02 2.000e-02 ... 1.970e+00 1.980e+00 1.990e+00]\n"
                 "  [2.000e+00 2.010e+00 2.020e+00 ... 3.970e+00 3.980e+00 3.990e+00]\n"
                 "  [4.000e+00 4.010e+00 4.020e+00 ... 5.970e+00 5.980e+00 5.990e+00]]\n"
                 "\n"
                 " [[6.000e+00 6.010e+00 6.020e+00 ... 7.970e+00 7.980e+00 7.990e+00]\n"
                 "  [8.000e+00 8.010e+00 8.020e+00 ... 9.970e+00 9.980e+00 9.990e+00]\n"
                 "  [1.000e+01 1.001e+01 1.002e+01 ... 1.197e+01 1.198e+01 1.199e+01]]]");
}

BOOST_AUTO_TEST_SUITE_END()
