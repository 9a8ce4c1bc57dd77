// Tests ctnn/simd/fast_math.hpp against std::exp / std::tanh in double: the error bounds the
// header states (its named constants, not numbers repeated here) over a sweep of every 2^-7
// step in [-100, 100], 2^-16 steps near 0, 200000 random floats of every magnitude and the
// special values (+-0, denormals, +-FLT_MAX, +-inf, NaN); the saturation the header promises;
// and the batch code agreeing with the scalar code lane by lane, whole vectors and partial
// (tail) vectors, with special values mixed into the lanes.
#include "ctnn/simd/fast_math.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

using namespace ctnn;

namespace {

constexpr std::size_t W = simd::width_v<float>;
using batch = simd::batch_t<float>;
constexpr float inf = std::numeric_limits<float>::infinity();
constexpr float qnan = std::numeric_limits<float>::quiet_NaN();
constexpr float denormal = std::numeric_limits<float>::denorm_min();

// The points every bound is checked at.
std::vector<float> sweep_points() {
    std::vector<float> xs;
    for (int i = -100 * 128; i <= 100 * 128; ++i) // every 2^-7 in [-100, 100]
        xs.push_back(static_cast<float>(i) / 128.0f);
    for (int i = -4096; i <= 4096; ++i) // every 2^-16 in [-1/16, 1/16]
        xs.push_back(static_cast<float>(i) / 65536.0f);
    std::mt19937 gen(6);
    std::uniform_real_distribution<float> uniform(-100.0f, 100.0f);
    std::uniform_int_distribution<std::uint32_t> bits;
    for (int i = 0; i < 100000; ++i) {
        xs.push_back(uniform(gen));
        const float any = std::bit_cast<float>(bits(gen)); // any magnitude, any sign
        if (std::isfinite(any))
            xs.push_back(any);
    }
    for (float x : {0.0f,   -0.0f,    denormal, -denormal, 1e-40f,  -1e-40f,    FLT_MIN,   -FLT_MIN,
                    1e-30f, -1e-30f,  9.0f,     -9.0f,     17.0f,   -87.33654f, -87.3365f, -87.68f,
                    -88.0f, 88.3762f, 1e30f,    -1e30f,    FLT_MAX, -FLT_MAX,   inf,       -inf})
        xs.push_back(x);
    return xs;
}

// The float's value in double; NaN compares false, so callers check it first.
double d(float x) {
    return static_cast<double>(x);
}

// Lanes of a batch.
std::array<float, W> to_lanes(const batch& v) {
    alignas(simd::alignment) std::array<float, W> out{};
    simd::store_aligned(out.data(), v);
    return out;
}

// Every scalar result agrees with the batch lane computing the same input. With a hardware
// FMA both use the same correctly rounded fma and agree bit for bit; without (x86-64-v2),
// xsimd's fma is a multiply and an add, and the results may differ within the stated bound.
bool same_result(float batch_value, float scalar_value, double bound) {
    if (std::isnan(batch_value) || std::isnan(scalar_value))
        return std::isnan(batch_value) && std::isnan(scalar_value);
#if defined(FP_FAST_FMAF) || defined(CTNN_SIMD_SCALAR)
    (void)bound;
    return std::bit_cast<std::uint32_t>(batch_value) == std::bit_cast<std::uint32_t>(scalar_value);
#else
    if (std::isinf(batch_value) || std::isinf(scalar_value) || batch_value == 0.0f ||
        scalar_value == 0.0f)
        return std::bit_cast<std::uint32_t>(batch_value) ==
               std::bit_cast<std::uint32_t>(scalar_value);
    return std::abs(d(batch_value) - d(scalar_value)) <= 2.0 * bound * std::abs(d(scalar_value));
#endif
}

template <class F>
void check_batch_against_scalar(F f, double bound, const char* name) {
    std::vector<float> xs = sweep_points();
    // Special values in the middle of vectors, next to ordinary ones.
    for (float x : {qnan, -qnan, inf, -inf, -0.0f, denormal, 0.3f, -50.0f, FLT_MAX, 2.0f})
        xs.insert(xs.begin() + 5, x);
    while (xs.size() % W != 0)
        xs.push_back(0.75f);
    int failures = 0;
    for (std::size_t i = 0; i < xs.size(); i += W) {
        const auto y = to_lanes(f(simd::load_unaligned(xs.data() + i)));
        for (std::size_t l = 0; l < W; ++l)
            if (!same_result(y[l], f(xs[i + l]), bound) && ++failures <= 5)
                BOOST_ERROR(name << "(" << xs[i + l] << "): batch " << y[l] << ", scalar "
                                 << f(xs[i + l]));
    }
    // Partial vectors: the first n lanes of a tail load compute what the scalar code does.
    alignas(simd::alignment) std::array<float, W> in{}, out{};
    for (std::size_t n = 1; n <= W; ++n) {
        for (std::size_t l = 0; l < W; ++l)
            in[l] = -3.0f + 0.37f * static_cast<float>(l) * (l % 2 == 0 ? 1.0f : -1.0f);
        out.fill(-7.0f);
        simd::store_partial(out.data(), f(simd::load_partial(in.data(), n)), n);
        for (std::size_t l = 0; l < W; ++l) {
            if (l < n)
                BOOST_TEST(same_result(out[l], f(in[l]), bound),
                           name << " tail n=" << n << " lane " << l);
            else
                BOOST_TEST(out[l] == -7.0f, name << " tail n=" << n << " wrote lane " << l);
        }
    }
    BOOST_TEST(failures == 0, name << ": " << failures << " lanes differ from the scalar code");
}

// Reports the worst error seen, so that a failure shows by how much the bound was missed.
struct worst {
    double error = 0;
    float at = 0;
    void see(double e, float x) {
        if (e > error) {
            error = e;
            at = x;
        }
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(fast_math_test)

BOOST_AUTO_TEST_CASE(fast_exp_is_within_its_stated_relative_error) {
    worst rel;
    for (const float x : sweep_points())
        for (const float y : {simd::fast_exp(x), to_lanes(simd::fast_exp(batch(x)))[0]}) {
            const double e = std::exp(d(x));
            BOOST_TEST_REQUIRE(!std::isnan(y), "fast_exp(" << x << ") is NaN");
            if (x >= simd::fast_exp_accurate_min && x <= simd::fast_exp_accurate_max) {
                rel.see(std::abs(d(y) - e) / e, x);
            } else if (x < simd::fast_exp_accurate_min) {
                // Below FLT_MIN: the denormal, or +0 from x = -87.68 on; never negative.
                BOOST_TEST((y >= 0.0f && d(y) < FLT_MIN), "fast_exp(" << x << ") = " << y);
                if (x <= -88.0f)
                    BOOST_TEST(std::bit_cast<std::uint32_t>(y) == 0u, "fast_exp(" << x << ")");
            } else if (x >= 88.3763f) {
                BOOST_TEST(y == inf, "fast_exp(" << x << ") = " << y << ", not +inf");
            }
        }
    BOOST_TEST(rel.error <= simd::fast_exp_max_relative_error,
               "worst relative error " << rel.error << " at x = " << rel.at);
    BOOST_TEST(rel.error > 0.25 * simd::fast_exp_max_relative_error); // the bound is not slack
}

BOOST_AUTO_TEST_CASE(fast_tanh_is_within_its_stated_absolute_and_relative_errors) {
    worst abs, rel;
    for (const float x : sweep_points())
        for (const float y : {simd::fast_tanh(x), to_lanes(simd::fast_tanh(batch(x)))[0]}) {
            const double t = std::tanh(d(x));
            BOOST_TEST_REQUIRE(!std::isnan(y), "fast_tanh(" << x << ") is NaN");
            BOOST_TEST((y >= -1.0f && y <= 1.0f), "fast_tanh(" << x << ") = " << y);
            abs.see(std::abs(d(y) - t), x);
            if (t != 0.0)
                rel.see(std::abs(d(y) - t) / std::abs(t), x);
            else
                BOOST_TEST(std::bit_cast<std::uint32_t>(y) == std::bit_cast<std::uint32_t>(x),
                           "fast_tanh(" << x << ") = " << y << " keeps the sign of zero");
        }
    BOOST_TEST(abs.error <= simd::fast_tanh_max_absolute_error,
               "worst absolute error " << abs.error << " at x = " << abs.at);
    BOOST_TEST(rel.error <= simd::fast_tanh_max_relative_error,
               "worst relative error " << rel.error << " at x = " << rel.at);
    BOOST_TEST(abs.error > 0.25 * simd::fast_tanh_max_absolute_error);
}

BOOST_AUTO_TEST_CASE(fast_sigmoid_is_within_its_stated_absolute_and_relative_errors) {
    worst abs, rel;
    for (const float x : sweep_points())
        for (const float y : {simd::fast_sigmoid(x), to_lanes(simd::fast_sigmoid(batch(x)))[0]}) {
            // 1 / (1 + e^-x) in double, arranged not to overflow.
            const double e = std::exp(-std::abs(d(x)));
            const double s = x >= 0.0f ? 1.0 / (1.0 + e) : e / (1.0 + e);
            BOOST_TEST_REQUIRE(!std::isnan(y), "fast_sigmoid(" << x << ") is NaN");
            BOOST_TEST((y >= 0.0f && y <= 1.0f), "fast_sigmoid(" << x << ") = " << y);
            abs.see(std::abs(d(y) - s), x);
            if (s >= FLT_MIN)
                rel.see(std::abs(d(y) - s) / s, x);
            else
                BOOST_TEST(d(y) < FLT_MIN, "fast_sigmoid(" << x << ") = " << y);
        }
    BOOST_TEST(abs.error <= simd::fast_sigmoid_max_absolute_error,
               "worst absolute error " << abs.error << " at x = " << abs.at);
    BOOST_TEST(rel.error <= simd::fast_sigmoid_max_relative_error,
               "worst relative error " << rel.error << " at x = " << rel.at);
    BOOST_TEST(rel.error > 0.25 * simd::fast_sigmoid_max_relative_error);
}

BOOST_AUTO_TEST_CASE(special_values_saturate_and_nan_stays_nan) {
    for (const float x : {qnan, -qnan, std::bit_cast<float>(0x7fc00123u)}) { // payloads too
        BOOST_TEST(std::isnan(simd::fast_exp(x)));
        BOOST_TEST(std::isnan(simd::fast_tanh(x)));
        BOOST_TEST(std::isnan(simd::fast_sigmoid(x)));
        BOOST_TEST(std::isnan(to_lanes(simd::fast_exp(batch(x)))[0]));
        BOOST_TEST(std::isnan(to_lanes(simd::fast_tanh(batch(x)))[0]));
        BOOST_TEST(std::isnan(to_lanes(simd::fast_sigmoid(batch(x)))[0]));
    }
    auto both = [](auto f, float x, float expected) {
        BOOST_TEST(f(x) == expected, "f(" << x << ") = " << f(x));
        BOOST_TEST(to_lanes(f(batch(x)))[W - 1] == expected, "batch f(" << x << ")");
    };
    const auto e = [](auto v) { return simd::fast_exp(v); };
    const auto t = [](auto v) { return simd::fast_tanh(v); };
    const auto s = [](auto v) { return simd::fast_sigmoid(v); };
    both(e, inf, inf);
    both(e, FLT_MAX, inf);
    both(e, 88.5f, inf);
    both(e, -inf, 0.0f);
    both(e, -FLT_MAX, 0.0f);
    both(e, -100.0f, 0.0f);
    both(e, 0.0f, 1.0f);
    both(e, -0.0f, 1.0f);
    for (const float x : {8.0f, 9.5f, 20.0f, 1e30f, FLT_MAX, inf}) {
        both(t, x, 1.0f);
        both(t, -x, -1.0f);
    }
    for (const float x : {17.0f, 50.0f, 1e30f, FLT_MAX, inf})
        both(s, x, 1.0f);
    for (const float x : {-88.0f, -100.0f, -1e30f, -FLT_MAX, -inf})
        both(s, x, 0.0f);
    both(s, 0.0f, 0.5f);
    both(s, -0.0f, 0.5f);
    // tanh is odd and keeps the sign of zero; tiny inputs come back unchanged.
    BOOST_TEST(std::signbit(simd::fast_tanh(-0.0f)));
    BOOST_TEST(std::signbit(to_lanes(simd::fast_tanh(batch(-0.0f)))[0]));
    for (const float x : {denormal, 1e-30f, 1e-10f, FLT_MIN}) {
        BOOST_TEST(simd::fast_tanh(x) == x);
        BOOST_TEST(simd::fast_tanh(-x) == -x);
    }
    for (float x = -12.0f; x <= 12.0f; x += 0.0625f)
        BOOST_TEST(simd::fast_tanh(-x) == -simd::fast_tanh(x));
}

BOOST_AUTO_TEST_CASE(the_functions_never_turn_back_by_more_than_their_error) {
    // Sampled every 2^-8 where each curves. Rounding makes the approximations wobble by an ulp
    // or two (tanh near 1 in particular), never by more than their bounds allow.
    float previous_e = 0.0f, previous_t = -1.0f, previous_s = 0.0f;
    for (int i = -100 * 256; i <= 100 * 256; ++i) {
        const float x = static_cast<float>(i) / 256.0f;
        const float e = simd::fast_exp(x), t = simd::fast_tanh(x), s = simd::fast_sigmoid(x);
        BOOST_TEST(d(e) >= d(previous_e) * (1.0 - 2.0 * simd::fast_exp_max_relative_error),
                   "fast_exp decreases at " << x);
        BOOST_TEST(d(t) >= d(previous_t) - 2.0 * simd::fast_tanh_max_absolute_error,
                   "fast_tanh decreases at " << x);
        BOOST_TEST(d(s) >= d(previous_s) - 2.0 * simd::fast_sigmoid_max_absolute_error,
                   "fast_sigmoid decreases at " << x);
        previous_e = e;
        previous_t = t;
        previous_s = s;
    }
}

BOOST_AUTO_TEST_CASE(batches_compute_what_the_scalar_code_computes) {
    check_batch_against_scalar([](auto v) { return simd::fast_exp(v); },
                               simd::fast_exp_max_relative_error, "fast_exp");
    check_batch_against_scalar([](auto v) { return simd::fast_tanh(v); },
                               simd::fast_tanh_max_relative_error, "fast_tanh");
    check_batch_against_scalar([](auto v) { return simd::fast_sigmoid(v); },
                               simd::fast_sigmoid_max_relative_error, "fast_sigmoid");
}

BOOST_AUTO_TEST_SUITE_END()
