// Laws every loss obeys, run over the one list in all_losses.hpp:
// - gradient == central differences of value (in double) on random inputs away from kinks and
//   clipping bounds, for N = 1, 3, 16, 17, 784 (tails, whole vectors, a long row);
// - the float path agrees with the double path;
// - value reads and gradient writes exactly N outputs (NaN sentinels past the row);
// - a fused gradient_wrt_logits == central differences of value(activation(z)) w.r.t. z;
// - saturated inputs (probabilities exactly 0 or 1, logits +-1e4 and +-88) give finite values
//   and gradients, fused or not.
#include "ctnn/policies/loss/losses.hpp"
#include "policies/loss/all_losses.hpp"
#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <ratio>
#include <vector>

using namespace ctnn;

namespace {

using rng_t = std::mt19937;

struct inputs {
    std::vector<double> pred;
    std::vector<double> target;
};

// Values exactly representable in float, so the float and double paths see the same inputs.
double uniform(rng_t& rng, double lo, double hi) {
    return static_cast<float>(std::uniform_real_distribution<double>(lo, hi)(rng));
}

std::vector<double> uniform_vector(rng_t& rng, std::size_t n, double lo, double hi) {
    std::vector<double> v(n);
    for (auto& x : v)
        x = uniform(rng, lo, hi);
    return v;
}

// A probability distribution over n classes, scaled to `mass`.
std::vector<double> distribution(rng_t& rng, std::size_t n, double mass = 1.0) {
    auto v = uniform_vector(rng, n, 0.01, 1.0);
    double sum = 0;
    for (double x : v)
        sum += x;
    for (auto& x : v)
        x = static_cast<float>(x * mass / sum);
    return v;
}

std::vector<double> class_label(rng_t& rng, std::size_t n) {
    return {static_cast<double>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng))};
}

// Regression inputs in [-3, 3] whose difference e = pred - target satisfies `keep(e)`.
template <class Keep>
inputs regression(rng_t& rng, std::size_t n, Keep keep) {
    inputs in{std::vector<double>(n), std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        do {
            in.pred[i] = uniform(rng, -3.0, 3.0);
            in.target[i] = uniform(rng, -3.0, 3.0);
        } while (!keep(in.pred[i] - in.target[i]));
    }
    return in;
}

// Hinge inputs: labels +-1 (written as {0, 1} half the time), margins away from the kink.
inputs hinge_inputs(rng_t& rng, std::size_t n) {
    const bool as_binary = std::bernoulli_distribution(0.5)(rng);
    inputs in{std::vector<double>(n), std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        const double t = std::bernoulli_distribution(0.5)(rng) ? 1.0 : -1.0;
        do
            in.pred[i] = uniform(rng, -2.0, 2.0);
        while (std::abs(1.0 - t * in.pred[i]) < 0.05);
        in.target[i] = as_binary ? (t + 1.0) / 2.0 : t;
    }
    return in;
}

// Random inputs in each loss's domain, away from its kinks and clipping bounds.
template <class L>
struct sampler;

template <>
struct sampler<mean_squared_error> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return regression(rng, n, [](double) { return true; });
    }
};
template <>
struct sampler<mean_absolute_error> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return regression(rng, n, [](double e) { return std::abs(e) > 0.05; });
    }
};
template <>
struct sampler<log_cosh> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return regression(rng, n, [](double) { return true; });
    }
};
template <class Delta>
struct sampler<huber_with<Delta>> {
    static inputs draw(rng_t& rng, std::size_t n) {
        const double delta = static_cast<double>(Delta::num) / Delta::den;
        return regression(rng, n, [=](double e) { return std::abs(std::abs(e) - delta) > 0.05; });
    }
};
template <>
struct sampler<mean_squared_logarithmic_error> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, 0.05, 3.0), uniform_vector(rng, n, 0.0, 3.0)};
    }
};
template <>
struct sampler<binary_crossentropy> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, 0.05, 0.95), uniform_vector(rng, n, 0.0, 1.0)};
    }
};
template <>
struct sampler<binary_crossentropy_from_logits> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, -4.0, 4.0), uniform_vector(rng, n, 0.0, 1.0)};
    }
};
template <>
struct sampler<hinge> {
    static inputs draw(rng_t& rng, std::size_t n) { return hinge_inputs(rng, n); }
};
template <>
struct sampler<squared_hinge> {
    static inputs draw(rng_t& rng, std::size_t n) { return hinge_inputs(rng, n); }
};
template <>
struct sampler<categorical_crossentropy> {
    // Rows that do not sum to 1, so the normalisation's share of the gradient is exercised.
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, 0.05, 1.0), distribution(rng, n)};
    }
};
template <>
struct sampler<categorical_crossentropy_from_logits> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, -4.0, 4.0), distribution(rng, n, uniform(rng, 0.5, 1.5))};
    }
};
template <>
struct sampler<sparse_categorical_crossentropy> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, 0.05, 0.95), class_label(rng, n)};
    }
};
template <>
struct sampler<sparse_categorical_crossentropy_from_logits> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, -4.0, 4.0), class_label(rng, n)};
    }
};
template <>
struct sampler<kl_divergence> {
    static inputs draw(rng_t& rng, std::size_t n) {
        return {uniform_vector(rng, n, 0.05, 0.95), distribution(rng, n)};
    }
};

// The activations a loss may fuse with, in double: the oracle for the fused gradients.
std::vector<double> sigmoid_of(const std::vector<double>& z) {
    std::vector<double> p(z.size());
    for (std::size_t i = 0; i < z.size(); ++i)
        p[i] = 1.0 / (1.0 + std::exp(-z[i]));
    return p;
}
std::vector<double> softmax_of(const std::vector<double>& z) {
    const double top = *std::max_element(z.begin(), z.end());
    std::vector<double> p(z.size());
    double sum = 0;
    for (std::size_t i = 0; i < z.size(); ++i)
        sum += p[i] = std::exp(z[i] - top);
    for (auto& x : p)
        x /= sum;
    return p;
}

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Absolute tolerance of a central difference of a loss over n outputs whose value is about
// `value`: rounding in the sums of f(x + h) and f(x - h) (up to ~sqrt(n) ulps of the value,
// more with the scalar path's sequential sums) divided by the step 2h, h = 1e-5.
double difference_tolerance(std::size_t n, double value) {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    return 1e-9 + 8.0 * eps * std::sqrt(double(n)) * std::max(1.0, std::abs(value)) / 2e-5;
}

// Copies into a buffer of T with NaN sentinels after the row: a loss that reads past its N
// outputs turns NaN.
template <class T>
std::vector<T> guarded(const std::vector<double>& v) {
    std::vector<T> out(v.begin(), v.end());
    out.resize(v.size() + 32, static_cast<T>(nan));
    return out;
}

template <class L, std::size_t N>
void check_gradient_against_differences(rng_t& rng) {
    BOOST_TEST_CONTEXT("N = " << N) {
        for (int draw = 0; draw < 4; ++draw) {
            const inputs in = sampler<L>::draw(rng, N);
            const auto pred = guarded<double>(in.pred);
            const auto target = guarded<double>(in.target);
            const double value = L::template value<N>(pred.data(), target.data());
            BOOST_TEST(std::isfinite(value));

            std::vector<double> grad(N + 32, 1234.0);
            L::template gradient<N>(pred.data(), target.data(), grad.data());
            BOOST_TEST(
                std::all_of(grad.begin() + N, grad.end(), [](double g) { return g == 1234.0; }),
                "gradient wrote past its N outputs");

            const auto numeric = test::central_gradient(
                [&](const std::vector<double>& x) {
                    return L::template value<N>(x.data(), target.data());
                },
                in.pred);
            for (std::size_t i = 0; i < N; ++i)
                BOOST_TEST(test::close(grad[i], numeric[i], 1e-6, difference_tolerance(N, value)),
                           "draw " << draw << ", output " << i << ": gradient " << grad[i]
                                   << ", central difference " << numeric[i]);

            // float path vs double path on the same inputs
            const auto pred_f = guarded<float>(in.pred);
            const auto target_f = guarded<float>(in.target);
            const float value_f = L::template value<N>(pred_f.data(), target_f.data());
            BOOST_TEST(test::close(value_f, value, 1e-5, 1e-6),
                       "draw " << draw << ": float value " << value_f << ", double " << value);
            std::vector<float> grad_f(N);
            L::template gradient<N>(pred_f.data(), target_f.data(), grad_f.data());
            double largest = 0;
            for (std::size_t i = 0; i < N; ++i)
                largest = std::max(largest, std::abs(grad[i]));
            for (std::size_t i = 0; i < N; ++i)
                BOOST_TEST(test::close(grad_f[i], grad[i], 1e-4, 1e-5 * largest),
                           "draw " << draw << ", output " << i << ": float gradient " << grad_f[i]
                                   << ", double " << grad[i]);
        }
    }
}

template <class L, std::size_t N, class Activation>
void check_fused_gradient(rng_t& rng, Activation activation) {
    BOOST_TEST_CONTEXT("N = " << N) {
        for (int draw = 0; draw < 4; ++draw) {
            const auto z = uniform_vector(rng, N, -3.0, 3.0);
            const auto target = guarded<double>(sampler<L>::draw(rng, N).target);
            const auto p = guarded<double>(activation(z));
            std::vector<double> grad(N + 32, 1234.0);
            L::template gradient_wrt_logits<N>(p.data(), target.data(), grad.data());
            BOOST_TEST(
                std::all_of(grad.begin() + N, grad.end(), [](double g) { return g == 1234.0; }),
                "gradient_wrt_logits wrote past its N outputs");
            const auto numeric = test::central_gradient(
                [&](const std::vector<double>& x) {
                    return L::template value<N>(activation(x).data(), target.data());
                },
                z);
            const double value = L::template value<N>(p.data(), target.data());
            for (std::size_t i = 0; i < N; ++i)
                BOOST_TEST(test::close(grad[i], numeric[i], 1e-6, difference_tolerance(N, value)),
                           "draw " << draw << ", logit " << i << ": fused gradient " << grad[i]
                                   << ", central difference " << numeric[i]);

            const auto p_f = guarded<float>(activation(z));
            const auto target_f = guarded<float>(sampler<L>::draw(rng, N).target);
            std::vector<float> grad_f(N);
            std::vector<double> grad_d(N);
            const std::vector<double> p_d(p_f.begin(), p_f.end());
            const std::vector<double> target_d(target_f.begin(), target_f.end());
            L::template gradient_wrt_logits<N>(p_f.data(), target_f.data(), grad_f.data());
            L::template gradient_wrt_logits<N>(p_d.data(), target_d.data(), grad_d.data());
            for (std::size_t i = 0; i < N; ++i)
                BOOST_TEST(test::close(grad_f[i], grad_d[i], 1e-5, 1e-7));
        }
    }
}

template <class L, std::size_t... Ns>
void check_all_sizes(rng_t& rng, std::index_sequence<Ns...>) {
    (check_gradient_against_differences<L, Ns>(rng), ...);
    if constexpr (fuses_with_activation<L, softmax>)
        (check_fused_gradient<L, Ns>(rng, softmax_of), ...);
    if constexpr (fuses_with_activation<L, sigmoid>)
        (check_fused_gradient<L, Ns>(rng, sigmoid_of), ...);
}

// A valid target for N outputs with a 1 at `hot`: one-hot, or the class index, or +-1 labels.
template <class L>
std::vector<float> saturation_target(std::size_t n, std::size_t hot) {
    if constexpr (L::target_size(2) == 1) {
        return {static_cast<float>(hot)};
    } else {
        std::vector<float> t(n, 0.0f);
        t[hot] = 1.0f;
        return t;
    }
}

template <class L, std::size_t N>
void check_saturation() {
    BOOST_TEST_CONTEXT("N = " << N) {
        const std::vector<float> extremes{0.0f, 1.0f, 1e4f, -1e4f, 88.0f, -88.0f};
        std::vector<std::vector<float>> preds;
        for (float a : extremes)
            for (float b : extremes) {
                std::vector<float> p(N, a);
                p[0] = b; // also one-hot-like rows: one value different from the rest
                preds.push_back(p);
            }
        for (const auto& p : preds)
            for (std::size_t hot : {std::size_t{0}, N - 1}) {
                const auto t = saturation_target<L>(N, hot);
                BOOST_TEST_CONTEXT("y_pred[0] = " << p[0] << ", others " << p[N - 1]
                                                  << ", target class " << hot) {
                    const float v = L::template value<N>(p.data(), t.data());
                    BOOST_TEST(std::isfinite(v), "value " << v);
                    std::vector<float> g(N);
                    L::template gradient<N>(p.data(), t.data(), g.data());
                    BOOST_TEST(
                        std::all_of(g.begin(), g.end(), [](float x) { return std::isfinite(x); }),
                        "gradient not finite");
                }
            }
    }
}

// The fused path is fed saturated activations: probabilities exactly 0 and 1 (what a float
// sigmoid or softmax gives for logits of +-1e4 or +-88).
template <class L, std::size_t N>
void check_fused_saturation() {
    BOOST_TEST_CONTEXT("N = " << N) {
        for (std::size_t hot : {std::size_t{0}, N - 1})
            for (std::size_t predicted : {std::size_t{0}, N - 1})
                for (float rest : {0.0f, 1.0f}) {
                    std::vector<float> p(N, rest);
                    p[predicted] = 1.0f - rest;
                    const auto t = saturation_target<L>(N, hot);
                    std::vector<float> g(N);
                    L::template gradient_wrt_logits<N>(p.data(), t.data(), g.data());
                    BOOST_TEST(std::all_of(
                                   g.begin(), g.end(),
                                   [](float x) { return std::isfinite(x) && std::abs(x) <= 1.0f; }),
                               "fused gradient not finite or not within [-1, 1]");
                }
    }
}

using sizes = std::index_sequence<1, 3, 16, 17, 784>;

} // namespace

BOOST_AUTO_TEST_SUITE(loss_laws_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(gradient_matches_central_differences, L, test::all_losses) {
    rng_t rng(20240611);
    check_all_sizes<L>(rng, sizes{});
}

BOOST_AUTO_TEST_CASE_TEMPLATE(saturated_inputs_stay_finite, L, test::all_losses) {
    check_saturation<L, 1>();
    check_saturation<L, 3>();
    check_saturation<L, 17>();
    if constexpr (fuses_with_activation<L, softmax> || fuses_with_activation<L, sigmoid>) {
        check_fused_saturation<L, 1>();
        check_fused_saturation<L, 3>();
        check_fused_saturation<L, 17>();
    }
}

// Known values at the extremes, where a naive formula overflows or loses everything.
BOOST_AUTO_TEST_CASE(saturated_logits_give_the_right_values) {
    const std::array<float, 3> z{1e4f, -1e4f, 88.0f};
    const std::array<float, 3> right{1.0f, 0.0f, 0.0f}, wrong{0.0f, 1.0f, 0.0f};
    const std::array<float, 1> right_label{0.0f}, wrong_label{1.0f};
    auto tol = boost::test_tools::tolerance(1e-6f);
    BOOST_TEST(categorical_crossentropy_from_logits::value<3>(z.data(), right.data()) == 0.0f);
    BOOST_TEST(categorical_crossentropy_from_logits::value<3>(z.data(), wrong.data()) == 2e4f, tol);
    BOOST_TEST(sparse_categorical_crossentropy_from_logits::value<3>(z.data(),
                                                                     right_label.data()) == 0.0f);
    BOOST_TEST(
        sparse_categorical_crossentropy_from_logits::value<3>(z.data(), wrong_label.data()) == 2e4f,
        tol);
    std::array<float, 3> g{};
    categorical_crossentropy_from_logits::gradient<3>(z.data(), wrong.data(), g.data());
    BOOST_TEST(g[0] == 1.0f);
    BOOST_TEST(g[1] == -1.0f);
    BOOST_TEST(g[2] == 0.0f);

    // BCE from logits: max(z, 0) - z y + log1p(exp(-|z|)) per output, then the mean.
    const std::array<float, 3> y{0.0f, 0.0f, 1.0f};
    BOOST_TEST(binary_crossentropy_from_logits::value<3>(z.data(), y.data()) == 1e4f / 3.0f, tol);
    binary_crossentropy_from_logits::gradient<3>(z.data(), y.data(), g.data());
    BOOST_TEST(g[0] == 1.0f / 3.0f, tol);
    BOOST_TEST(g[1] == 0.0f);
    BOOST_TEST(g[2] == 0.0f);

    // BCE on probabilities clips to [1e-7, 1 - 1e-7]: a certain wrong answer costs -log(1e-7).
    const std::array<float, 1> one{1.0f}, zero{0.0f};
    BOOST_TEST(binary_crossentropy::value<1>(zero.data(), one.data()) == -std::log(1e-7f),
               boost::test_tools::tolerance(1e-4f));
    BOOST_TEST(binary_crossentropy::value<1>(one.data(), one.data()) < 1e-6f);
}

BOOST_AUTO_TEST_SUITE_END()
