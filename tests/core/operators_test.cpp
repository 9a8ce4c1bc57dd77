// Tests ctnn/core/operators.hpp: + - * / and unary minus against plain loops for every test
// shape, numbers on either side, long fused chains, aliasing, and that the operators apply to
// ctnn expressions only.
#include "ctnn/core/operators.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/tensor.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <complex>
#include <vector>

using namespace ctnn;

namespace {
template <class A, class B>
concept addable = requires(A a, B b) {
    a + b;
};
template <class A, class B>
concept dividable = requires(A a, B b) {
    a / b;
};
template <class A>
concept negatable = requires(A a) {
    -a;
};

static_assert(addable<tensor_of<float, 3>&, tensor_of<float, 3>&>);
static_assert(addable<float, const tensor_of<float, 3>&>);
static_assert(addable<const tensor_of<float, 3>&, int>);
static_assert(dividable<double, tensor_of<float, 2, 2>>);
static_assert(negatable<tensor_of<float>&>);
// Never for other types, even inside `using namespace ctnn`.
static_assert(!addable<std::array<float, 3>, float>);
static_assert(!addable<std::vector<float>, std::vector<float>>);
static_assert(!negatable<std::array<float, 3>>);
static_assert(addable<std::complex<float>, float>); // the standard's own operator still works

constexpr tensor_of<float, 2, 2> seed{1, 2, 3, 4};
constexpr tensor_of<float, 2, 2> chained = 2.0f * seed - seed / 2.0f + (-seed) * 1.0f;
static_assert(chained[3] == 2.0f); // 8 - 2 - 4
} // namespace

BOOST_AUTO_TEST_SUITE(operators_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(each_operator_matches_a_plain_loop, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(61);
    const auto b = test::random_tensor<S>(62, 0.5f, 2.0f); // divisors away from zero
    const tensor<float, S> sum = a + b, difference = a - b, product = a * b, quotient = a / b,
                           negated = -a;
    for (std::size_t i = 0; i < S::size; ++i) {
        BOOST_TEST(sum[i] == a[i] + b[i]);
        BOOST_TEST(difference[i] == a[i] - b[i]);
        BOOST_TEST(product[i] == a[i] * b[i]);
        BOOST_TEST(quotient[i] == a[i] / b[i]);
        BOOST_TEST(negated[i] == -a[i]);
    }
    BOOST_TEST(test::padding_is_zero(sum));
    BOOST_TEST(test::padding_is_zero(negated));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(numbers_broadcast_on_either_side, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(63, 0.5f, 2.0f);
    const tensor<float, S> r1 = a + 1.5f, r2 = 1.5f + a, r3 = a - 1.5f, r4 = 1.5f - a,
                           r5 = a * 3.0f, r6 = 3.0f * a, r7 = a / 4.0f, r8 = 4.0f / a, r9 = 2 * a;
    for (std::size_t i = 0; i < S::size; ++i) {
        BOOST_TEST(r1[i] == a[i] + 1.5f);
        BOOST_TEST(r2[i] == 1.5f + a[i]);
        BOOST_TEST(r3[i] == a[i] - 1.5f);
        BOOST_TEST(r4[i] == 1.5f - a[i]);
        BOOST_TEST(r5[i] == a[i] * 3.0f);
        BOOST_TEST(r6[i] == 3.0f * a[i]);
        BOOST_TEST(r7[i] == a[i] / 4.0f);
        BOOST_TEST(r8[i] == 4.0f / a[i]);
        BOOST_TEST(r9[i] == 2.0f * a[i]);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(a_fused_chain_matches_a_double_loop, S, test::core_test_shapes) {
    const auto a = test::random_tensor<S>(64);
    const auto b = test::random_tensor<S>(65);
    const auto c = test::random_tensor<S>(66, 0.5f, 2.0f);
    const tensor<float, S> r = 2.0f * a * b - c / 3.0f + -(a - 1.0f) * c;
    for (std::size_t i = 0; i < S::size; ++i) {
        const double expected =
            2.0 * a[i] * b[i] - double(c[i]) / 3.0 + -(double(a[i]) - 1.0) * c[i];
        BOOST_TEST(test::close(r[i], expected, 1e-5), "i = " << i);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(compound_updates_through_aliasing, S, test::core_test_shapes) {
    // The optimizer idiom: w = w - lr * g, in place.
    auto w = test::random_tensor<S>(67);
    const auto g = test::random_tensor<S>(68);
    const auto w0 = w;
    // Compared within a few ulps of the operands, not exactly: a compiler may contract the
    // scalar reference's w0 - 0.1f * g into one FMA (clang does by default) while the vector
    // code rounds twice, and the subtraction can cancel most significant digits.
    w = w - 0.1f * g;
    for (std::size_t i = 0; i < S::size; ++i) {
        const float scale = std::abs(w0[i]) + std::abs(0.1f * g[i]);
        BOOST_TEST(std::abs(w[i] - (w0[i] - 0.1f * g[i])) <= 4e-7f * scale);
    }
    w = w * w;
    for (std::size_t i = 0; i < S::size; ++i) {
        const float scale = std::abs(w0[i]) + std::abs(0.1f * g[i]);
        const float expected = (w0[i] - 0.1f * g[i]) * (w0[i] - 0.1f * g[i]);
        BOOST_TEST(std::abs(w[i] - expected) <= 2e-6f * scale * scale);
    }
}

BOOST_AUTO_TEST_SUITE_END()
