// Tests ctnn/core/reduce.hpp: sum, max_value, argmax and mean against plain loops (sums in
// double) for every test shape, on tensors and on expressions, with all-negative inputs, ties,
// maxima in the vector part and in the scalar tail, NaN, and in constant expressions.
#include "ctnn/core/reduce.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/operators.hpp"
#include "ctnn/core/tensor.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

using namespace ctnn;

namespace {
constexpr tensor_of<float, 3, 3> seed{1, 2, 3, 4, 9, 6, 7, 8, 9};
static_assert(sum(seed) == 49.0f);
static_assert(max_value(seed) == 9.0f);
static_assert(argmax(seed) == 4); // the first of the two nines
static_assert(mean(seed * 9.0f) == 49.0f);
static_assert(max_value(-seed) == -1.0f && argmax(-seed) == 0);

template <class T, class S>
double loop_sum(const tensor<T, S>& t) {
    double s = 0;
    for (std::size_t i = 0; i < S::size; ++i)
        s += t[i];
    return s;
}
template <class T, class S>
double loop_abs_sum(const tensor<T, S>& t) {
    double s = 0;
    for (std::size_t i = 0; i < S::size; ++i)
        s += std::abs(t[i]);
    return s;
}
template <class T, class S>
std::size_t loop_argmax(const tensor<T, S>& t) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < S::size; ++i)
        if (t[i] > t[best])
            best = i;
    return best;
}
} // namespace

BOOST_AUTO_TEST_SUITE(reduce_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(sum_and_mean_match_a_double_loop, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(71);
    const double tolerance = 1e-6 * loop_abs_sum(a) + 1e-7; // float rounding of the sum
    BOOST_TEST(std::abs(sum(a) - loop_sum(a)) <= tolerance);
    BOOST_TEST(std::abs(mean(a) - loop_sum(a) / S::size) <= tolerance / S::size);
    // On an expression, without materialising it.
    const tensor<float, S> squares = a * a;
    BOOST_TEST(std::abs(sum(a * a) - loop_sum(squares)) <= 1e-6 * loop_abs_sum(squares) + 1e-7);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(max_and_argmax_match_a_loop, S, test::core_test_shapes) {
    for (unsigned seed : {72u, 73u, 74u}) {
        const auto a = test::random_tensor<S>(seed);
        const std::size_t k = loop_argmax(a);
        BOOST_TEST(argmax(a) == k);
        BOOST_TEST(max_value(a) == a[k]);
        const tensor<float, S> shifted = a * 2.0f - 1.0f;
        BOOST_TEST(argmax(a * 2.0f - 1.0f) == loop_argmax(shifted));
        BOOST_TEST(max_value(a * 2.0f - 1.0f) == shifted[loop_argmax(shifted)]);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(all_negative_inputs_are_not_beaten_by_padding, S,
                              test::core_test_shapes) {
    // Padding lanes hold 0, greater than every element: they must never be read.
    const auto a = test::random_tensor<S>(75, -9.0f, -1.0f);
    const std::size_t k = loop_argmax(a);
    BOOST_TEST(max_value(a) == a[k]);
    BOOST_TEST(max_value(a) < 0.0f);
    BOOST_TEST(argmax(a) == k);
    BOOST_TEST(argmax(-a - 100.0f) == loop_argmax(tensor<float, S>(-a - 100.0f)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(argmax_returns_the_first_of_equal_maxima, S, test::core_test_shapes) {
    // Every position of the maximum and a later tie: lanes, vector part and scalar tail.
    for (std::size_t first = 0; first < S::size; first += (S::size > 40 ? 37 : 1)) {
        auto a = test::random_tensor<S>(76, -1.0f, 1.0f);
        a[first] = 5.0f;
        for (std::size_t later = first + 1; later < S::size; later += 5)
            a[later] = 5.0f;
        BOOST_TEST(argmax(a) == first);
        BOOST_TEST(max_value(a) == 5.0f);
    }
}

BOOST_AUTO_TEST_CASE(constant_inputs_and_infinities) {
    const auto zeros = tensor_of<float, 17>::filled(-0.0f);
    BOOST_TEST(argmax(zeros) == 0u);
    const auto low = tensor_of<float, 784>::filled(-std::numeric_limits<float>::infinity());
    BOOST_TEST(argmax(low) == 0u);
    BOOST_TEST(max_value(low) == -std::numeric_limits<float>::infinity());
    auto one_high = low;
    one_high[783] = std::numeric_limits<float>::infinity();
    BOOST_TEST(argmax(one_high) == 783u);
    BOOST_TEST(sum(tensor_of<float, 784>::filled(0.5f)) == 392.0f);
    BOOST_TEST(mean(tensor_of<float>::filled(3.0f)) == 3.0f); // rank 0
}

BOOST_AUTO_TEST_CASE(nan_elements_are_skipped_by_max_and_argmax) {
    auto a = test::random_tensor<shape<784>>(77, -1.0f, 1.0f);
    const std::size_t k = loop_argmax(a);
    for (std::size_t i = 0; i < 784; i += 3)
        if (i != k)
            a[i] = std::numeric_limits<float>::quiet_NaN();
    BOOST_TEST(argmax(a) == k);
    BOOST_TEST(max_value(a) == a[k]);
    const auto all_nan = tensor_of<float, 17>::filled(std::numeric_limits<float>::quiet_NaN());
    BOOST_TEST(argmax(all_nan) == 0u);
    BOOST_TEST(max_value(all_nan) == -std::numeric_limits<float>::infinity());
}

BOOST_AUTO_TEST_SUITE_END()
