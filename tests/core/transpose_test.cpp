// Tests ctnn/core/transpose.hpp: t(j, i) == m(i, j) for square and non-square matrices,
// expressions, and in constant expressions; (A B)^T == B^T A^T through dot.
#include "ctnn/core/transpose.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/dot.hpp"
#include "ctnn/core/operators.hpp"
#include "ctnn/core/tensor.hpp"

#include <boost/test/unit_test.hpp>

#include <type_traits>

using namespace ctnn;

namespace {
constexpr tensor_of<float, 2, 3> seed{1, 2, 3, 4, 5, 6};
constexpr auto seed_t = transpose(seed);
static_assert(std::is_same_v<std::remove_const_t<decltype(seed_t)>, tensor_of<float, 3, 2>>);
static_assert(seed_t == tensor_of<float, 3, 2>{1, 4, 2, 5, 3, 6});
static_assert(transpose(transpose(seed)) == seed);
} // namespace

BOOST_AUTO_TEST_SUITE(transpose_test)

BOOST_AUTO_TEST_CASE(elements_swap_indices) {
    const auto m = test::random_tensor<shape<17, 3>>(81);
    const auto t = transpose(m);
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(t(j, i) == m(i, j));
    BOOST_TEST(test::padding_is_zero(t));
    const auto e = transpose(m * 2.0f);
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(e(j, i) == 2.0f * m(i, j));
    const auto one = transpose(test::random_tensor<shape<1, 784>>(82));
    static_assert(std::is_same_v<std::remove_const_t<decltype(one)>, tensor_of<float, 784, 1>>);
}

BOOST_AUTO_TEST_CASE(transpose_of_a_product_is_the_reversed_product_of_transposes) {
    const auto a = test::random_tensor<shape<3, 17>>(83);
    const auto b = test::random_tensor<shape<17, 5>>(84);
    const auto left = transpose(dot(a, b));
    const auto right = dot(transpose(b), transpose(a));
    for (std::size_t i = 0; i < left.size(); ++i)
        BOOST_TEST(test::close(left[i], right[i], 1e-5));
}

BOOST_AUTO_TEST_SUITE_END()
