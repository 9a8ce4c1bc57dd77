// Tests ctnn/core/map.hpp: map(expression, f) against f applied in a plain loop, with generic
// lambdas built on simd:: functions, nested maps, and in constant expressions.
#include "ctnn/core/map.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/simd/math.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace ctnn;

namespace {
constexpr tensor_of<float, 2, 2> seed{1, 2, 3, 4};
constexpr tensor_of<float, 2, 2> cubes = map(seed, [](auto x) { return x * x * x; });
static_assert(cubes(1, 1) == 64.0f && cubes(0, 1) == 8.0f);
} // namespace

BOOST_AUTO_TEST_SUITE(map_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(square_matches_a_plain_loop, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(41);
    const tensor<float, S> r = map(a, [](auto x) { return x * x; });
    for (std::size_t i = 0; i < S::size; ++i)
        BOOST_TEST(r[i] == a[i] * a[i]);
    BOOST_TEST(test::padding_is_zero(r));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(simd_math_functions_match_the_standard_library, S,
                              test::core_test_shapes) {
    const auto a = test::random_tensor<S>(42);
    const tensor<float, S> e = map(a, [](auto x) { return simd::exp(x); });
    const tensor<float, S> relu = map(a, [](auto x) { return simd::max(x, decltype(x)(0.0f)); });
    for (std::size_t i = 0; i < S::size; ++i) {
        BOOST_TEST(test::close(e[i], std::exp(double(a[i])), 1e-6));
        BOOST_TEST(relu[i] == (a[i] > 0.0f ? a[i] : 0.0f));
    }
}

BOOST_AUTO_TEST_CASE(nested_maps_compose) {
    const auto a = test::random_tensor<shape<17>>(43);
    const auto twice =
        map(map(a, [](auto x) { return x + 1.0f; }), [](auto x) { return x * 3.0f; });
    const tensor_of<float, 17> r = twice;
    for (std::size_t i = 0; i < 17; ++i)
        BOOST_TEST(test::close(r[i], (double(a[i]) + 1.0) * 3.0, 1e-6));
}

BOOST_AUTO_TEST_CASE(a_stateful_callable_is_kept_in_the_node) {
    const auto a = test::random_tensor<shape<784>>(44);
    const float scale = 0.25f;
    const tensor_of<float, 784> r = map(a, [scale](auto x) { return x * scale; });
    for (std::size_t i = 0; i < 784; ++i)
        BOOST_TEST(r[i] == a[i] * 0.25f);
}

BOOST_AUTO_TEST_SUITE_END()
