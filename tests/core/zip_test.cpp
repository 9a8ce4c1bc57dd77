// Tests ctnn/core/zip.hpp and broadcast.hpp: zip(a, b, f) against plain loops for every test
// shape, numbers broadcasting on either side, and in constant expressions. (Different shapes do
// not compile: "element-wise operation on tensors of different shapes".)
#include "ctnn/core/zip.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/broadcast.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/simd/math.hpp"

#include <boost/test/unit_test.hpp>

#include <type_traits>

using namespace ctnn;

namespace {
constexpr tensor_of<float, 3> seed{1, 2, 3};
constexpr tensor_of<float, 3> zipped =
    zip(seed, seed, [](auto x, auto y) { return x * 10.0f + y; });
static_assert(zipped[2] == 33.0f);
constexpr tensor_of<float, 3> left_number = zip(1.0f, seed, [](auto x, auto y) { return x - y; });
static_assert(left_number[2] == -2.0f);
static_assert(scalar_broadcast<float, shape<4>>(2.0f).scalar(3) == 2.0f);
static_assert(tensor_expression<scalar_broadcast<float, shape<2, 2>>>);

// zip needs at least one ctnn expression.
template <class A, class B>
concept zippable = requires(A a, B b) {
    zip(a, b, [](auto x, auto) { return x; });
};
static_assert(zippable<tensor_of<float, 3>&, float>);
static_assert(zippable<int, const tensor_of<float, 3>&>);
static_assert(!zippable<float, float>);
} // namespace

BOOST_AUTO_TEST_SUITE(zip_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(two_tensors_match_a_plain_loop, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(51);
    const auto b = test::random_tensor<S>(52);
    const tensor<float, S> r = zip(a, b, [](auto x, auto y) { return simd::max(x, y) - y; });
    for (std::size_t i = 0; i < S::size; ++i)
        BOOST_TEST(r[i] == (a[i] > b[i] ? a[i] : b[i]) - b[i]);
    BOOST_TEST(test::padding_is_zero(r));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(a_number_broadcasts_on_either_side, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(53);
    const auto minus = [](auto x, auto y) { return x - y; };
    const tensor<float, S> right = zip(a, 0.75f, minus);
    const tensor<float, S> left = zip(0.75f, a, minus);
    const tensor<float, S> integer = zip(a, 2, minus); // converted to the element type
    for (std::size_t i = 0; i < S::size; ++i) {
        BOOST_TEST(right[i] == a[i] - 0.75f);
        BOOST_TEST(left[i] == 0.75f - a[i]);
        BOOST_TEST(integer[i] == a[i] - 2.0f);
    }
}

BOOST_AUTO_TEST_CASE(zips_of_zips_and_rvalues) {
    const auto a = test::random_tensor<shape<3, 17>>(54);
    const auto b = test::random_tensor<shape<3, 17>>(55);
    const auto plus = [](auto x, auto y) { return x + y; };
    const tensor_of<float, 3, 17> r = zip(zip(a, b, plus), test::random_tensor<shape<3, 17>>(55),
                                          [](auto x, auto y) { return x * y; });
    for (std::size_t i = 0; i < r.size(); ++i)
        BOOST_TEST(test::close(r[i], (double(a[i]) + b[i]) * b[i], 1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
