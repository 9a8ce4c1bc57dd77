// Tests the random initializers in ctnn/policies/init/*.hpp against their distributions' closed
// forms: on 784 x 128 draws the sample mean, variance and tail or bin frequencies must lie within
// 5 standard errors of the theoretical values (standard errors from the closed-form second and
// fourth moments), uniform draws stay inside their limits and reach both ends, and truncated
// normals stay within 2 standard deviations and have the variance Keras promises. The expected
// parameters are computed here from the Keras formulas, not taken from the library.
#include "ctnn/policies/init/initializers.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <ratio>
#include <span>
#include <utility>
#include <vector>

using namespace ctnn;

namespace {

constexpr std::size_t sample_size = 784 * 128;
constexpr double z_tolerance = 5.0; // standard errors

// Fan pairs the variance-scaling initializers are checked with; (0, 0) counts as (1, 1) in Keras.
constexpr std::array<std::pair<std::size_t, std::size_t>, 5> fans{
    {{784, 128}, {128, 10}, {3, 17}, {1, 1}, {0, 0}}};

double keras_fan(std::size_t fan) {
    return std::max(1.0, static_cast<double>(fan));
}
double keras_fan_avg(std::size_t fan_in, std::size_t fan_out) {
    return std::max(1.0, (static_cast<double>(fan_in) + static_cast<double>(fan_out)) / 2.0);
}

// Standard normal truncated to [-2, 2]: its mass and its second and fourth moments, from
// integrating z^k phi(z) by parts: M_k = -2 * 2^(k-1) phi(2) + (k - 1) M_(k-2).
const double phi2 = std::exp(-2.0) / std::sqrt(2.0 * std::numbers::pi);
const double mass2 = std::erf(2.0 / std::numbers::sqrt2);
const double trunc_m2 = 1.0 - 4.0 * phi2 / mass2;
const double trunc_m4 = 3.0 * trunc_m2 - 16.0 * phi2 / mass2;

struct sample_stats {
    double mean = 0, variance = 0;
    float min = 0, max = 0;
};

sample_stats stats_of(std::span<const float> v) {
    sample_stats s;
    double sum = 0;
    for (float x : v)
        sum += x;
    s.mean = sum / static_cast<double>(v.size());
    double sq = 0;
    for (float x : v)
        sq += (x - s.mean) * (x - s.mean);
    s.variance = sq / static_cast<double>(v.size() - 1);
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    s.min = *lo;
    s.max = *hi;
    return s;
}

template <class I>
std::vector<float> draw(std::size_t fan_in, std::size_t fan_out, random_engine::result_type seed) {
    std::vector<float> values(sample_size);
    random_engine gen{seed};
    I{}(values, fan_in, fan_out, gen);
    return values;
}

// Mean and variance within 5 standard errors, given the theoretical central moments.
void check_moments(const sample_stats& s, double mean, double variance, double fourth_moment,
                   const char* what) {
    const double n = static_cast<double>(sample_size);
    const double mean_se = std::sqrt(variance / n);
    const double variance_se = std::sqrt((fourth_moment - variance * variance) / n);
    BOOST_TEST(std::abs(s.mean - mean) <= z_tolerance * mean_se,
               what << ": mean " << s.mean << " expected " << mean << " +- " << mean_se);
    BOOST_TEST(std::abs(s.variance - variance) <= z_tolerance * variance_se,
               what << ": variance " << s.variance << " expected " << variance << " +- "
                    << variance_se);
}

// A frequency within 5 standard errors of its probability p.
void check_frequency(std::size_t count, double p, const char* what) {
    const double n = static_cast<double>(sample_size);
    const double se = std::sqrt(p * (1.0 - p) / n);
    BOOST_TEST(std::abs(static_cast<double>(count) / n - p) <= z_tolerance * se,
               what << ": frequency " << static_cast<double>(count) / n << " expected " << p
                    << " +- " << se);
}

// Uniform on [low, high]: moments, limits, both ends reached, and ten equal bins equally full.
void check_uniform(std::span<const float> v, double low, double high, const char* what) {
    const double w = high - low;
    const auto s = stats_of(v);
    check_moments(s, (low + high) / 2.0, w * w / 12.0, std::pow(w, 4) / 80.0, what);
    BOOST_TEST(s.min >= static_cast<float>(low), what << ": min " << s.min);
    BOOST_TEST(s.max <= static_cast<float>(high), what << ": max " << s.max);
    // No draw within 20 w / n of an end has probability (1 - 20 / n)^n ~ e^-20.
    const double margin = 20.0 * w / static_cast<double>(sample_size);
    BOOST_TEST(s.min <= low + margin, what << ": min " << s.min << " does not reach " << low);
    BOOST_TEST(s.max >= high - margin, what << ": max " << s.max << " does not reach " << high);
    std::array<std::size_t, 10> bins{};
    for (float x : v)
        ++bins[std::min<std::size_t>(9, static_cast<std::size_t>((x - low) / w * 10.0))];
    for (std::size_t count : bins)
        check_frequency(count, 0.1, what);
}

// Normal N(mean, stddev^2) truncated to mean +- 2 stddev (stddev before truncation).
void check_truncated_normal(std::span<const float> v, double mean, double stddev,
                            const char* what) {
    const double s2 = stddev * stddev;
    const auto s = stats_of(v);
    check_moments(s, mean, s2 * trunc_m2, s2 * s2 * trunc_m4, what);
    // float rounding is monotone, so the bounds hold exactly once rounded to float.
    BOOST_TEST(s.min >= static_cast<float>(mean - 2.0 * stddev), what << ": min " << s.min);
    BOOST_TEST(s.max <= static_cast<float>(mean + 2.0 * stddev), what << ": max " << s.max);
    // Draws within 0.01 stddev of either bound have probability ~1.1e-3 each, ~113 expected.
    BOOST_TEST(s.min <= mean - 1.99 * stddev, what << ": min " << s.min);
    BOOST_TEST(s.max >= mean + 1.99 * stddev, what << ": max " << s.max);
}

// Normal N(mean, stddev^2), untruncated: moments and the mass beyond 2 stddev.
void check_normal(std::span<const float> v, double mean, double stddev, const char* what) {
    const double s2 = stddev * stddev;
    check_moments(stats_of(v), mean, s2, 3.0 * s2 * s2, what);
    const auto beyond = static_cast<std::size_t>(std::count_if(
        v.begin(), v.end(), [&](float x) { return std::abs(x - mean) > 2.0 * stddev; }));
    check_frequency(beyond, std::erfc(std::numbers::sqrt2), what);
}

} // namespace

BOOST_AUTO_TEST_SUITE(closed_forms_test)

BOOST_AUTO_TEST_CASE(truncation_factor_is_the_stddev_of_a_normal_truncated_at_two_sigma) {
    BOOST_TEST(std::abs(std::sqrt(trunc_m2) - detail::truncated_normal_stddev_factor) <= 1e-15);
}

BOOST_AUTO_TEST_CASE(random_uniform_is_uniform_between_its_limits) {
    check_uniform(draw<random_uniform>(784, 128, 11), -0.05, 0.05, "random_uniform");
    check_uniform(draw<random_uniform_with<std::ratio<1, 3>, std::ratio<7, 2>>>(3, 17, 12),
                  1.0 / 3.0, 3.5, "random_uniform_with<1/3, 7/2>");
    check_uniform(draw<random_uniform_with<std::ratio<-2>, std::ratio<-1>>>(1, 1, 13), -2.0, -1.0,
                  "random_uniform_with<-2, -1>");
}

BOOST_AUTO_TEST_CASE(random_normal_is_normal_and_untruncated) {
    check_normal(draw<random_normal>(784, 128, 21), 0.0, 0.05, "random_normal");
    check_normal(draw<random_normal_with<std::ratio<-1, 2>, std::ratio<3>>>(17, 3, 22), -0.5, 3.0,
                 "random_normal_with<-1/2, 3>");
}

BOOST_AUTO_TEST_CASE(truncated_normal_is_cut_at_two_stddev) {
    check_truncated_normal(draw<truncated_normal>(784, 128, 31), 0.0, 0.05, "truncated_normal");
    check_truncated_normal(draw<truncated_normal_with<std::ratio<1>, std::ratio<1, 10>>>(1, 1, 32),
                           1.0, 0.1, "truncated_normal_with<1, 1/10>");
}

BOOST_AUTO_TEST_CASE(uniform_variance_scaling_limits) {
    std::size_t seed = 100;
    for (auto [in, out] : fans) {
        BOOST_TEST_CONTEXT("fan_in = " << in << ", fan_out = " << out) {
            const double glorot = std::sqrt(6.0 / (2.0 * keras_fan_avg(in, out)));
            check_uniform(draw<glorot_uniform>(in, out, ++seed), -glorot, glorot, "glorot_uniform");
            const double he = std::sqrt(6.0 / keras_fan(in));
            check_uniform(draw<he_uniform>(in, out, ++seed), -he, he, "he_uniform");
            const double lecun = std::sqrt(3.0 / keras_fan(in));
            check_uniform(draw<lecun_uniform>(in, out, ++seed), -lecun, lecun, "lecun_uniform");
            const double fan_out_third = std::sqrt(3.0 * (1.0 / 3.0) / keras_fan(out));
            check_uniform(draw<variance_scaling<std::ratio<1, 3>, fan_mode::fan_out,
                                                scaling_distribution::uniform>>(in, out, ++seed),
                          -fan_out_third, fan_out_third, "variance_scaling<1/3, fan_out, uniform>");
        }
    }
}

BOOST_AUTO_TEST_CASE(normal_variance_scaling_has_the_keras_variance) {
    constexpr double keras_factor = 0.87962566103423978;
    std::size_t seed = 200;
    for (auto [in, out] : fans) {
        BOOST_TEST_CONTEXT("fan_in = " << in << ", fan_out = " << out) {
            // Keras: truncated at 2 sigma, sigma = sqrt(scale / n) / 0.8796..., so that the
            // truncated draw has variance scale / n (checked by check_truncated_normal's moments).
            const double glorot = std::sqrt(2.0 / (2.0 * keras_fan_avg(in, out))) / keras_factor;
            check_truncated_normal(draw<glorot_normal>(in, out, ++seed), 0.0, glorot,
                                   "glorot_normal");
            const double he = std::sqrt(2.0 / keras_fan(in)) / keras_factor;
            check_truncated_normal(draw<he_normal>(in, out, ++seed), 0.0, he, "he_normal");
            const double lecun = std::sqrt(1.0 / keras_fan(in)) / keras_factor;
            check_truncated_normal(draw<lecun_normal>(in, out, ++seed), 0.0, lecun, "lecun_normal");
            check_normal(
                draw<variance_scaling<std::ratio<5, 2>, fan_mode::fan_avg,
                                      scaling_distribution::untruncated_normal>>(in, out, ++seed),
                0.0, std::sqrt(2.5 / keras_fan_avg(in, out)),
                "variance_scaling<5/2, fan_avg, untruncated_normal>");
        }
    }
}

BOOST_AUTO_TEST_CASE(truncated_draws_have_the_target_variance) {
    // The promise in the Keras docs, stated directly: var(he_normal) = 2 / fan_in.
    const auto s = stats_of(draw<he_normal>(784, 128, 301));
    const double target = 2.0 / 784.0;
    const double se = std::sqrt(target * target * (trunc_m4 / (trunc_m2 * trunc_m2) - 1.0) /
                                static_cast<double>(sample_size));
    BOOST_TEST(std::abs(s.variance - target) <= z_tolerance * se,
               "variance " << s.variance << " expected " << target << " +- " << se);
}

BOOST_AUTO_TEST_SUITE_END()
