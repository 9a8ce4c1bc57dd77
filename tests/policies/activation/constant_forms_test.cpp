// Tests the constant forms and spellings of the activations (policies/activation/activation.hpp:
// constant_f, constant_apply, spelling()): which activations have them, values in constant
// expressions at exact points, every constant form within two float ulps of the double-precision
// oracle over the activation grid, the piecewise-linear ones bit for bit equal to the SIMD row
// (so that constexpr_predict equals network::predict), softmax's constant row against apply, and
// the spelled C++ types. An activation written outside the library (support/user_policies.hpp)
// takes part through the same members.
#include "ctnn/policies/activation/activations.hpp"

#include "policies/activation/activation_oracles.hpp"
#include "support/user_policies.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ratio>
#include <string>
#include <tuple>
#include <vector>

using namespace ctnn;

// Which activations have a constant form: all but gelu (erfc) and the fast approximations.
static_assert(constant_activation<linear> && constant_activation<threshold> &&
              constant_activation<sigmoid> && constant_activation<ctnn::tanh> &&
              constant_activation<relu> && constant_activation<leaky_relu> &&
              constant_activation<elu> && constant_activation<softplus> &&
              constant_activation<swish> && constant_activation<softmax>);
static_assert(!constant_activation<gelu> && !constant_activation<fast_tanh> &&
              !constant_activation<fast_sigmoid>);
static_assert(spelled_activation<linear> && spelled_activation<gelu> &&
              spelled_activation<softmax> && spelled_activation<fast_tanh> &&
              spelled_activation<elu_with<std::ratio<3, 2>>> &&
              spelled_activation<user::hard_tanh>);
static_assert(constant_activation<user::hard_tanh>);

// Values at exact points, evaluated by the compiler.
static_assert(sigmoid::constant_f(0.0f) == 0.5f && ctnn::tanh::constant_f(0.0f) == 0.0f);
static_assert(elu::constant_f(0.0f) == 0.0f && elu::constant_f(2.0f) == 2.0f);
static_assert(relu::constant_f(-1.0f) == 0.0f && relu::constant_f(3.0f) == 3.0f);
static_assert(leaky_relu_with<std::ratio<1, 4>>::constant_f(-2.0f) == -0.5f);
static_assert(threshold::constant_f(0.0f) == 1.0f && threshold::constant_f(-0x1p-149f) == 0.0f);
static_assert(swish::constant_f(0.0f) == 0.0f && softplus::constant_f(-200.0f) == 0.0f);
static_assert(user::hard_tanh::constant_f(-3.0f) == -1.0f &&
              user::hard_tanh::constant_f(0.25f) == 0.25f);
static_assert([] {
    std::array<float, 3> y{};
    constant_apply_activation<softmax, 3>(std::array<float, 3>{2, 2, 2}.data(), y.data());
    return y[0] == y[2] && y[1] * 3 > 0.99999f && y[1] * 3 < 1.00001f;
}());
static_assert([] {
    std::array<float, 2> y{};
    constant_apply_activation<relu, 2>(std::array<float, 2>{-1, 2}.data(), y.data());
    return y == std::array<float, 2>{0, 2};
}());

namespace {

std::uint32_t bits(float v) {
    return std::bit_cast<std::uint32_t>(v);
}

// Distance in floats from a to the float rounding of a double reference (same sign assumed
// unless both are zero).
double ulps(float a, double reference) {
    const auto r = static_cast<float>(reference);
    if (a == 0.0f && r == 0.0f)
        return 0.0;
    return std::abs(static_cast<double>(bits(a)) - static_cast<double>(bits(r)));
}

template <class A>
void check_against_oracle() {
    for (const float x : ctnn::test::activation_grid(400, 0.0173f)) {
        const double expected = ctnn::test::oracle<A>::f(x);
        const float got = A::constant_f(x);
        // Tiny results: an absolute bound (the double's own float rounding can be subnormal).
        BOOST_TEST((ulps(got, expected) <= 2.0 || std::abs(got - expected) <= 1e-37),
                   A::name << "(" << x << "): " << got << " vs " << expected);
    }
}

// constant_f bit for bit against apply_activation (the SIMD row, whole vectors and a tail) over
// the grid and the special values.
template <class A>
void check_bit_for_bit() {
    std::vector<float> xs = ctnn::test::activation_grid(400, 0.0173f);
    for (float v : {-0.0f, 0.0f, std::numeric_limits<float>::denorm_min(),
                    -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                    std::numeric_limits<float>::lowest(), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()})
        xs.push_back(v);
    constexpr std::size_t row = 37;
    xs.resize((xs.size() + row - 1) / row * row, 0.5f);
    for (std::size_t start = 0; start < xs.size(); start += row) {
        std::array<float, row> y{};
        apply_activation<A, row>(xs.data() + start, y.data());
        for (std::size_t i = 0; i < row; ++i) {
            const float x = xs[start + i];
            BOOST_TEST(bits(A::constant_f(x)) == bits(y[i]), A::name << "(" << std::hexfloat << x
                                                                     << "): " << A::constant_f(x)
                                                                     << " vs " << y[i]);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(constant_forms_test)

BOOST_AUTO_TEST_CASE(within_two_ulps_of_the_oracle) {
    check_against_oracle<linear>();
    check_against_oracle<threshold>();
    check_against_oracle<sigmoid>();
    check_against_oracle<ctnn::tanh>();
    check_against_oracle<relu>();
    check_against_oracle<leaky_relu>();
    check_against_oracle<leaky_relu_with<std::ratio<1, 100>>>();
    check_against_oracle<elu>();
    check_against_oracle<elu_with<std::ratio<3, 2>>>();
    check_against_oracle<softplus>();
    check_against_oracle<swish>();
}

BOOST_AUTO_TEST_CASE(piecewise_linear_ones_equal_the_simd_row) {
    check_bit_for_bit<linear>();
    check_bit_for_bit<threshold>();
    check_bit_for_bit<relu>();
    check_bit_for_bit<leaky_relu>();
    check_bit_for_bit<leaky_relu_with<std::ratio<1, 100>>>();
    check_bit_for_bit<user::hard_tanh>();
    // relu's NaN: the SIMD max instruction gives 0, the scalar build's comparison keeps NaN;
    // constant_f follows the build.
    std::array<float, 1> nan{std::numeric_limits<float>::quiet_NaN()}, y{};
    apply_activation<relu, 1>(nan.data(), y.data());
    BOOST_TEST(bits(relu::constant_f(nan[0])) == bits(y[0]));
}

BOOST_AUTO_TEST_CASE(softmax_constant_row_matches_apply) {
    std::vector<float> z = ctnn::test::activation_grid(20, 0.37f);
    constexpr std::size_t n = 19;
    z.resize(n * (z.size() / n));
    for (std::size_t start = 0; start + n <= z.size(); start += n) {
        // Logits within 30 of each other, so that every probability is a normal float.
        std::array<float, n> logits{};
        for (std::size_t i = 0; i < n; ++i)
            logits[i] = std::fmod(z[start + i], 30.0f);
        std::array<float, n> expected{}, got{};
        softmax::apply<n>(logits.data(), expected.data());
        softmax::constant_apply<n>(logits.data(), got.data());
        float sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            BOOST_TEST(std::abs(got[i] - expected[i]) <= 4e-7f * expected[i] + 1e-30f,
                       i << ": " << got[i] << " vs " << expected[i]);
            sum += got[i];
        }
        BOOST_TEST(std::abs(sum - 1.0f) <= 4e-7f);
    }
}

BOOST_AUTO_TEST_CASE(spellings_are_the_cpp_types) {
    BOOST_TEST(relu::spelling() == "ctnn::relu");
    BOOST_TEST(ctnn::tanh::spelling() == "ctnn::tanh");
    BOOST_TEST(fast_sigmoid::spelling() == "ctnn::fast_sigmoid");
    BOOST_TEST(gelu::spelling() == "ctnn::gelu");
    BOOST_TEST(softmax::spelling() == "ctnn::softmax");
    BOOST_TEST(leaky_relu::spelling() == "ctnn::leaky_relu_with<std::ratio<1, 5>>");
    using leaky_tenth = leaky_relu_with<std::ratio<1, 10>>; // (a comma in a macro argument)
    using elu_three_halves = elu_with<std::ratio<3, 2>>;
    BOOST_TEST(leaky_tenth::spelling() == "ctnn::leaky_relu_with<std::ratio<1, 10>>");
    BOOST_TEST(elu_three_halves::spelling() == "ctnn::elu_with<std::ratio<3, 2>>");
    BOOST_TEST(user::hard_tanh::spelling() == "user::hard_tanh");
}

BOOST_AUTO_TEST_SUITE_END()
