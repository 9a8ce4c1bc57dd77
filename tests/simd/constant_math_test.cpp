// Tests ctnn/simd/constant_math.hpp: e^x, ln x, ln(1 + x), e^x - 1, sigmoid and tanh against the
// standard library (within an ulp of the float result), their values in constant expressions,
// and both multiply-adds against their definitions: fused as std::fma, unfused as a product
// rounded to float before the sum.
#include "ctnn/simd/constant_math.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>

using namespace ctnn;
namespace cm = ctnn::simd::constant_math;

namespace {

std::uint32_t bits(float v) {
    return std::bit_cast<std::uint32_t>(v);
}

// Distance in floats between a and the float rounding of a double reference.
double ulps(float a, double reference) {
    return std::abs(static_cast<double>(bits(a)) -
                    static_cast<double>(bits(static_cast<float>(reference))));
}

// The product rounded to float, then the sum: volatile so that no compiler contracts it.
float product_then_sum(float a, float b, float c) {
    volatile float p = a * b;
    return p + c;
}

} // namespace

// Exact values, evaluated by the compiler.
static_assert(cm::exp(0.0) == 1.0 && cm::log(1.0) == 0.0 && cm::expm1(0.0) == 0.0);
static_assert(cm::sigmoid(0.0) == 0.5 && cm::tanh(0.0) == 0.0 && cm::log1p(0.0) == 0.0);
static_assert(cm::log(0.0) == -std::numeric_limits<double>::infinity());
// The fused multiply-add is the correctly rounded one: (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 once
// rounded, 2^-11 when the product is rounded first (its 2^-24 is a tie, to even).
static_assert(cm::fused_multiply_add(1 + 0x1p-12f, 1 + 0x1p-12f, -1.0f) == 0x1p-11f + 0x1p-24f);
static_assert(cm::unfused_multiply_add(1 + 0x1p-12f, 1 + 0x1p-12f, -1.0f) == 0x1p-11f);
static_assert(cm::multiply_add_as<multiply_add::fused>(1 + 0x1p-12f, 1 + 0x1p-12f, -1.0f) ==
              0x1p-11f + 0x1p-24f);
static_assert(cm::multiply_add_as<multiply_add::unfused>(1 + 0x1p-12f, 1 + 0x1p-12f, -1.0f) ==
              0x1p-11f);

BOOST_AUTO_TEST_SUITE(constant_math_test)

BOOST_AUTO_TEST_CASE(against_the_standard_library) {
    for (double x = -100.0; x <= 80.0; x += 0.37) {
        const double xf = static_cast<float>(x);
        BOOST_TEST(ulps(static_cast<float>(cm::exp(xf)), std::exp(xf)) <= 1.0, x);
        BOOST_TEST(ulps(static_cast<float>(cm::sigmoid(xf)), 1.0 / (1.0 + std::exp(-xf))) <= 1.0,
                   x);
        BOOST_TEST(std::abs(static_cast<float>(cm::tanh(xf)) - static_cast<float>(std::tanh(xf))) <=
                       1.2e-7f,
                   x);
    }
    for (double x : {1e-300, 1e-30, 0.5, 1.0, 2.0, 3.0, 1e10, 1e300})
        BOOST_TEST(
            std::abs(cm::log(x) - std::log(x)) <= 1e-15 * std::max(1.0, std::abs(std::log(x))), x);
    BOOST_TEST(std::abs(cm::log(4e-320) - std::log(4e-320)) <= 1e-12); // subnormal
    for (double x : {1e-20, 1e-9, 1e-6, 1e-3, 0.5, 1.0})
        BOOST_TEST(std::abs(cm::log1p(x) - std::log1p(x)) <= 1e-15 * x, x);
    for (double x : {-1e-20, -1e-7, 1e-6, -0.3, 0.7, -20.0})
        BOOST_TEST(std::abs(cm::expm1(x) - std::expm1(x)) <= 1e-14 * std::abs(std::expm1(x)), x);
    BOOST_TEST(cm::exp(-746.0) == 0.0);
    BOOST_TEST(std::isinf(cm::exp(710.0)));
    BOOST_TEST(std::isnan(cm::exp(std::nan(""))));
    BOOST_TEST(std::isnan(cm::log(-1.0)));
}

BOOST_AUTO_TEST_CASE(multiply_adds_round_as_their_definitions) {
    // Against std::fma and a product rounded first, on random operands, including cancellations
    // and tiny addends.
    std::mt19937 gen(3);
    std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
    std::uniform_int_distribution<int> exponent(-40, 40);
    for (int n = 0; n < 200000; ++n) {
        const float a = std::ldexp(uniform(gen), exponent(gen));
        const float b = std::ldexp(uniform(gen), exponent(gen));
        float c = std::ldexp(uniform(gen), exponent(gen));
        if (n % 3 == 0)
            c = -a * b; // near-total cancellation
        BOOST_TEST_REQUIRE(bits(cm::fused_multiply_add(a, b, c)) == bits(std::fma(a, b, c)),
                           a << " * " << b << " + " << c);
        BOOST_TEST_REQUIRE(bits(cm::unfused_multiply_add(a, b, c)) ==
                               bits(product_then_sum(a, b, c)),
                           a << " * " << b << " + " << c);
    }
}

BOOST_AUTO_TEST_SUITE_END()
