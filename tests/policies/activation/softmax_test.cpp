// Tests ctnn/policies/activation/softmax.hpp: probabilities that sum to 1 and match softmax in
// double, stability for huge logits of either sign, rows that are not whole vectors, in-place
// use, and the backward pass against a finite-difference vector-Jacobian product in double.
#include "ctnn/policies/activation/softmax.hpp"

#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace {

static_assert(ctnn::rowwise_activation<ctnn::softmax>);
static_assert(!ctnn::backward_reads_input_v<ctnn::softmax>);

constexpr std::size_t W = ctnn::simd::width_v<float>;

// The same computation done twice: equal up to an ulp (GCC folds calls with constant arguments
// to the correctly rounded value, which libm need not return).
bool same(float a, float b) {
    return ctnn::test::close(a, b, 2.5e-7, 1e-37);
}

// The oracle: softmax in double, by the textbook formula shifted by the maximum.
std::vector<double> softmax_double(const std::vector<double>& z) {
    const double m = *std::max_element(z.begin(), z.end());
    std::vector<double> y(z.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < z.size(); ++i)
        sum += y[i] = std::exp(z[i] - m);
    for (double& v : y)
        v /= sum;
    return y;
}

std::vector<float> logits(std::size_t n, float offset) {
    std::vector<float> z(n);
    for (std::size_t i = 0; i < n; ++i)
        z[i] = offset + 4.0f * std::sin(1.3f * static_cast<float>(i) + 0.4f);
    return z;
}

// Runs softmax on z (through A::apply and through apply_activation, unaligned) and checks the
// result against the oracle; returns y.
template <std::size_t N>
std::vector<float> forward_and_check(const std::vector<float>& z) {
    alignas(ctnn::simd::alignment) float in[N + 1 + W], out[N + 1 + W];
    std::fill(std::begin(out), std::end(out), -1.0f);
    std::copy(z.begin(), z.end(), in + 1);
    ctnn::softmax::apply<N>(in + 1, out + 1);

    const std::vector<double> expected = softmax_double(std::vector<double>(z.begin(), z.end()));
    double sum = 0.0;
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST(std::isfinite(out[1 + i]));
        BOOST_TEST(ctnn::test::close(out[1 + i], expected[i], 1e-5, 1e-12),
                   "N=" << N << " y[" << i << "] = " << out[1 + i] << ", expected " << expected[i]);
        sum += out[1 + i];
    }
    BOOST_TEST(std::abs(sum - 1.0) <= 1e-5, "N=" << N << ": probabilities sum to " << sum);
    BOOST_TEST(out[0] == -1.0f);
    for (std::size_t i = N + 1; i < N + 1 + W; ++i)
        BOOST_TEST(out[i] == -1.0f, "N=" << N << ": wrote past the end of the row");

    // The generic helper, and in place.
    std::vector<float> generic(N), inplace(z);
    ctnn::apply_activation<ctnn::softmax, N>(z.data(), generic.data());
    ctnn::apply_activation<ctnn::softmax, N>(inplace.data(), inplace.data());
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST(same(generic[i], out[1 + i]));
        BOOST_TEST(same(inplace[i], out[1 + i]));
    }
    return {out + 1, out + 1 + N};
}

template <std::size_t N>
void check_row() {
    for (const float offset : {0.0f, 1000.0f, -1000.0f, -1e4f}) {
        const std::vector<float> z = logits(N, offset);
        forward_and_check<N>(z);
    }
}

// dz from backward<N> against the gradient of L(z) = <dy, softmax(z)> by central differences in
// double; through the generic helper and in place too.
template <std::size_t N>
void check_backward() {
    const std::vector<float> z = logits(N, 0.5f);
    const std::vector<float> y = forward_and_check<N>(z);
    std::vector<float> dy(N);
    for (std::size_t i = 0; i < N; ++i)
        dy[i] = std::cos(0.7f * static_cast<float>(i)) + (i % 3 == 0 ? 1.0f : 0.0f);

    alignas(ctnn::simd::alignment) float dz[N + 1 + W];
    std::fill(std::begin(dz), std::end(dz), -7.0f);
    ctnn::softmax::backward<N>(y.data(), dy.data(), dz + 1);

    const std::vector<double> dyd(dy.begin(), dy.end());
    const auto loss = [&](const std::vector<double>& zd) {
        const std::vector<double> p = softmax_double(zd);
        double l = 0.0;
        for (std::size_t i = 0; i < N; ++i)
            l += dyd[i] * p[i];
        return l;
    };
    const std::vector<double> expected =
        ctnn::test::central_gradient(loss, std::vector<double>(z.begin(), z.end()), 1e-6);
    double scale = 0.0;
    for (const double g : expected)
        scale = std::max(scale, std::abs(g));
    for (std::size_t i = 0; i < N; ++i)
        BOOST_TEST(ctnn::test::close(dz[1 + i], expected[i], 1e-4, 1e-6 * scale + 1e-9),
                   "N=" << N << " dz[" << i << "] = " << dz[1 + i] << ", central difference "
                        << expected[i]);
    BOOST_TEST(dz[0] == -7.0f);
    for (std::size_t i = N + 1; i < N + 1 + W; ++i)
        BOOST_TEST(dz[i] == -7.0f, "N=" << N << ": wrote past the end of the row");

    // Through the generic helper (z unused: nullptr), in place over dy and over y.
    std::vector<float> over_dy(dy), over_y(y);
    ctnn::activation_backward<ctnn::softmax, N>(nullptr, y.data(), over_dy.data(), over_dy.data());
    ctnn::activation_backward<ctnn::softmax, N>(nullptr, over_y.data(), dy.data(), over_y.data());
    for (std::size_t i = 0; i < N; ++i) {
        BOOST_TEST(same(over_dy[i], dz[1 + i]));
        BOOST_TEST(same(over_y[i], dz[1 + i]));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(softmax_test)

BOOST_AUTO_TEST_CASE(one_value_gives_probability_one) {
    for (const float z : {0.0f, -1e30f, 1e30f, 3.0f}) {
        float y = -1.0f;
        ctnn::softmax::apply<1>(&z, &y);
        BOOST_TEST(y == 1.0f);
    }
}

BOOST_AUTO_TEST_CASE(huge_logits_give_the_same_result_as_small_ones) {
    const float big[3] = {1000.0f, 1001.0f, 1002.0f};
    const float neg[3] = {-1002.0f, -1001.0f, -1000.0f};
    float y[3], yn[3];
    ctnn::softmax::apply<3>(big, y);
    ctnn::softmax::apply<3>(neg, yn);
    // softmax{0, 1, 2}, exactly
    const double expected[3] = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(std::abs(y[i] - expected[i]) <= 1e-6 * expected[i]);
        BOOST_TEST(std::abs(yn[i] - expected[i]) <= 1e-6 * expected[i]);
    }
}

BOOST_AUTO_TEST_CASE(one_dominant_logit_underflows_the_others_to_zero) {
    std::vector<float> z(17, -1e30f);
    z[5] = 1e30f;
    std::vector<float> y(17);
    ctnn::softmax::apply<17>(z.data(), y.data());
    for (std::size_t i = 0; i < 17; ++i)
        BOOST_TEST(y[i] == (i == 5 ? 1.0f : 0.0f));
}

BOOST_AUTO_TEST_CASE(rows_of_every_length_match_double_precision) {
    check_row<1>();
    check_row<2>();
    check_row<3>();
    check_row<17>();
    check_row<784>();
}

BOOST_AUTO_TEST_CASE(backward_is_the_vector_jacobian_product) {
    check_backward<1>();
    check_backward<3>();
    check_backward<17>();
    check_backward<784>();
}

BOOST_AUTO_TEST_SUITE_END()
