// Tests ctnn/policies/activation/fast_tanh.hpp and fast_sigmoid.hpp: the policies satisfy the
// activation concept under their own names; f is the textbook function in double within the
// bounds simd/fast_math.hpp states, on scalars and batches; df is the derivative (central
// differences of the double formula and of the float f itself); the row helpers handle rows of
// 1, 3, 17 and 784 values; small networks with them train; a network with fast_tanh saves,
// loads and exports under the name "fast_tanh".
#include "ctnn/layers/dense.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/policies/loss/binary_crossentropy.hpp"
#include "ctnn/policies/optimizer/adam.hpp"
#include "ctnn/serialize/architecture.hpp"
#include "ctnn/serialize/export_header.hpp"
#include "ctnn/serialize/weights_file.hpp"
#include "ctnn/simd/fast_math.hpp"
#include "ctnn/training/trainer.hpp"

#include "policies/activation/activation_oracles.hpp"
#include "support/finite_difference.hpp"
#include "support/separable_points.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

using ctnn::test::close;
using batch = ctnn::simd::batch_t<float>;
constexpr std::size_t W = ctnn::simd::width_v<float>;

using fast_activations = std::tuple<ctnn::fast_tanh, ctnn::fast_sigmoid>;

// The textbook function in double, and the bounds its fast version promises.
template <class A>
struct oracle;
template <>
struct oracle<ctnn::fast_tanh> {
    static double f(double x) { return std::tanh(x); }
    static constexpr double absolute = ctnn::simd::fast_tanh_max_absolute_error;
    static constexpr double relative = ctnn::simd::fast_tanh_max_relative_error;
};
template <>
struct oracle<ctnn::fast_sigmoid> {
    static double f(double x) {
        const double e = std::exp(-std::abs(x));
        return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }
    static constexpr double absolute = ctnn::simd::fast_sigmoid_max_absolute_error;
    static constexpr double relative = ctnn::simd::fast_sigmoid_max_relative_error;
};

std::vector<float> grid() {
    return ctnn::test::activation_grid(400, 0.025f);
}

std::array<float, W> to_lanes(const batch& v) {
    alignas(ctnn::simd::alignment) std::array<float, W> out{};
    ctnn::simd::store_aligned(out.data(), v);
    return out;
}

// Scalar and batch code agree bit for bit with a hardware FMA (both use one rounding), within
// the bound without (x86-64-v2: xsimd's fma is a multiply and an add).
bool same(float a, float b, double bound) {
#if defined(FP_FAST_FMAF) || defined(CTNN_SIMD_SCALAR)
    (void)bound;
    return a == b;
#else
    return close(a, b, 2.0 * bound, 1e-37);
#endif
}

} // namespace

BOOST_AUTO_TEST_SUITE(fast_activations_test)

static_assert(ctnn::elementwise_activation<ctnn::fast_tanh> &&
              ctnn::elementwise_activation<ctnn::fast_sigmoid>);
static_assert(!ctnn::rowwise_activation<ctnn::fast_tanh> &&
              !ctnn::rowwise_activation<ctnn::fast_sigmoid>);
static_assert(ctnn::fast_tanh::name == "fast_tanh" && ctnn::fast_sigmoid::name == "fast_sigmoid");
static_assert(!ctnn::backward_reads_input_v<ctnn::fast_tanh> &&
                  !ctnn::backward_reads_input_v<ctnn::fast_sigmoid>,
              "both differentiate from the output, as tanh and sigmoid do");

BOOST_AUTO_TEST_CASE_TEMPLATE(f_is_the_function_within_the_stated_bounds, A, fast_activations) {
    for (const float x : grid()) {
        const double expected = oracle<A>::f(x);
        const float y = A::f(x);
        BOOST_TEST(close(y, expected, 0.0, oracle<A>::absolute),
                   A::name << "(" << x << ") = " << y << ", expected " << expected);
        if (std::abs(expected) >= std::numeric_limits<float>::min())
            BOOST_TEST(close(y, expected, oracle<A>::relative, 0.0),
                       A::name << "(" << x << ") = " << y << ", expected " << expected);
        const auto lanes = to_lanes(A::f(batch(x)));
        for (std::size_t l = 0; l < W; ++l)
            BOOST_TEST(same(lanes[l], y, oracle<A>::relative), A::name << "(" << x << ") batch");
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(f_is_close_to_the_exact_activation, A, fast_activations) {
    // The exact policy the fast one replaces gives the same values up to both errors.
    using exact = std::conditional_t<std::is_same_v<A, ctnn::fast_tanh>, ctnn::tanh, ctnn::sigmoid>;
    for (const float x : grid())
        BOOST_TEST(close(A::f(x), exact::f(x), 0.0, oracle<A>::absolute + 1.2e-7),
                   A::name << "(" << x << ") = " << A::f(x) << ", " << exact::name << " "
                           << exact::f(x));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(df_matches_central_differences_of_the_formula, A, fast_activations) {
    std::vector<float> xs = grid();
    xs.push_back(1e30f);
    xs.push_back(-1e30f);
    for (const float x : xs) {
        const double expected = ctnn::test::central_difference(oracle<A>::f, x, 1e-6);
        const float y = A::f(x);
        const float got = A::df(x, y);
        // df is computed from the output: the error in y (<= the bound) enters 1 - y^2 and
        // y (1 - y) with a factor of at most 2.
        BOOST_TEST(close(got, expected, 1e-4, 2.0 * oracle<A>::absolute + 5e-7),
                   A::name << "'(" << x << ") = " << got << ", central difference " << expected);
        BOOST_TEST(A::df(std::numeric_limits<float>::quiet_NaN(), y) == got,
                   A::name << "'(" << x << ") read x");
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(df_is_the_derivative_of_the_float_f, A, fast_activations) {
    // Differences of the fast float function itself, with an allowance for its rounding and
    // its approximation error (each up to the bound, divided by the step).
    for (const float x : grid()) {
        const double h = 1e-3 * std::max(1.0, std::abs(static_cast<double>(x)));
        const float xp = static_cast<float>(x + h);
        const float xm = static_cast<float>(x - h);
        const double step = static_cast<double>(xp) - static_cast<double>(xm);
        const double fd = (static_cast<double>(A::f(xp)) - static_cast<double>(A::f(xm))) / step;
        const double allowance = 2.0 * oracle<A>::absolute / step;
        const float got = A::df(x, A::f(x));
        BOOST_TEST(close(got, fd, 2e-3, allowance + 1e-5),
                   A::name << "'(" << x << ") = " << got << ", float central difference " << fd);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(row_helpers_match_the_scalar_formulas, A, fast_activations) {
    auto check = []<std::size_t N>(std::integral_constant<std::size_t, N>) {
        // One float past an aligned start, so that no vector access is aligned; sentinels after
        // the row catch writes past its end.
        constexpr float sentinel = -12345.0f;
        alignas(ctnn::simd::alignment) float z[N + 1 + W], y[N + 1 + W], dy[N + 1 + W],
            dz[N + 1 + W];
        std::fill(y, y + N + 1 + W, sentinel);
        std::fill(dz, dz + N + 1 + W, sentinel);
        for (std::size_t i = 0; i < N; ++i) {
            z[1 + i] = 6.0f * std::sin(0.37f * static_cast<float>(i) + 0.2f);
            dy[1 + i] = std::cos(0.91f * static_cast<float>(i));
        }
        ctnn::apply_activation<A, N>(z + 1, y + 1);
        ctnn::activation_backward<A, N>(nullptr, y + 1, dy + 1, dz + 1);
        for (std::size_t i = 0; i < N; ++i) {
            const float expected = A::f(z[1 + i]);
            BOOST_TEST(same(y[1 + i], expected, oracle<A>::relative),
                       A::name << " N=" << N << " y[" << i << "]");
            // Absolute 1e-7: 1 - y^2 is one fma in the scalar code and, without FMA hardware,
            // a multiply and an add in xsimd's.
            BOOST_TEST(close(dz[1 + i], dy[1 + i] * A::df(z[1 + i], y[1 + i]), 1e-6, 1e-7),
                       A::name << " N=" << N << " dz[" << i << "]");
        }
        BOOST_TEST(y[0] == sentinel);
        for (std::size_t i = N + 1; i < N + 1 + W; ++i) {
            BOOST_TEST(y[i] == sentinel, A::name << " N=" << N << " wrote past the row");
            BOOST_TEST(dz[i] == sentinel, A::name << " N=" << N << " wrote past the row");
        }
    };
    check(std::integral_constant<std::size_t, 1>{});
    check(std::integral_constant<std::size_t, 3>{});
    check(std::integral_constant<std::size_t, 17>{});
    check(std::integral_constant<std::size_t, 784>{});
}

BOOST_AUTO_TEST_CASE_TEMPLATE(a_small_network_trains, A, fast_activations) {
    // Points on either side of a line: the loss falls and every point ends up classified.
    const auto data = ctnn::test::separable_points(200);
    ctnn::network<ctnn::input<2>, ctnn::dense<8, A>, ctnn::dense<1, ctnn::sigmoid>> net(4);
    auto t = ctnn::make_trainer<20>(net, ctnn::binary_crossentropy{},
                                    ctnn::adam<>{.learning_rate = 0.02f});
    const double before = t->evaluate(data).loss;
    const ctnn::history h = t->fit(data, {.epochs = 60, .seed = 3});
    const auto after = t->evaluate(data);
    BOOST_TEST(after.loss < 0.25 * before, A::name << ": loss " << before << " -> " << after.loss);
    BOOST_TEST(h["loss"].back() < h["loss"].front());
    BOOST_TEST(after.accuracy == 1.0, A::name << ": accuracy " << after.accuracy);
}

BOOST_AUTO_TEST_CASE(fast_tanh_trains_like_tanh) {
    // Same initial weights and shuffling: the two runs end close (the activations differ by
    // less than 1e-6 per value, far below what training is sensitive to here).
    const auto data = ctnn::test::separable_points(200);
    ctnn::network<ctnn::input<2>, ctnn::dense<8, ctnn::fast_tanh>, ctnn::dense<1, ctnn::sigmoid>>
        fast(9);
    ctnn::network<ctnn::input<2>, ctnn::dense<8, ctnn::tanh>, ctnn::dense<1, ctnn::sigmoid>> exact(
        9);
    const ctnn::adam<> opt{.learning_rate = 0.02f};
    auto tf = ctnn::make_trainer<20>(fast, ctnn::binary_crossentropy{}, opt);
    auto te = ctnn::make_trainer<20>(exact, ctnn::binary_crossentropy{}, opt);
    tf->fit(data, {.epochs = 20, .seed = 5});
    te->fit(data, {.epochs = 20, .seed = 5});
    const double lf = tf->evaluate(data).loss, le = te->evaluate(data).loss;
    BOOST_TEST(std::abs(lf - le) <= 1e-3 * le + 1e-5, "fast_tanh loss " << lf << ", tanh " << le);
}

BOOST_AUTO_TEST_CASE(a_network_with_fast_tanh_saves_loads_and_exports) {
    using fast_net = ctnn::network<ctnn::input<3>, ctnn::dense<5, ctnn::fast_tanh>,
                                   ctnn::dense<2, ctnn::fast_sigmoid>>;
    using exact_net =
        ctnn::network<ctnn::input<3>, ctnn::dense<5, ctnn::tanh>, ctnn::dense<2, ctnn::sigmoid>>;
    const fast_net saved(21);
    const std::string& signature = ctnn::architecture_signature<fast_net>();
    BOOST_TEST(signature.find("dense<5, fast_tanh>") != std::string::npos, signature);
    BOOST_TEST(signature.find("dense<2, fast_sigmoid>") != std::string::npos, signature);

    const std::vector<unsigned char> bytes = ctnn::weights_file_bytes(saved);
    fast_net loaded(99);
    ctnn::load_weights_from_bytes(loaded, bytes, "fast_tanh weights");
    const ctnn::tensor<float, ctnn::shape<3>> x({0.5f, -1.25f, 2.0f});
    const auto p = saved.predict(x), q = loaded.predict(x);
    for (std::size_t i = 0; i < 2; ++i)
        BOOST_TEST(p[i] == q[i]);
    // Another activation is another architecture: refused, naming both.
    exact_net other(1);
    BOOST_CHECK_THROW(ctnn::load_weights_from_bytes(other, bytes, "fast_tanh weights"),
                      ctnn::architecture_mismatch);

    // The exported header spells the type; no constant-expression predict (the fast
    // activations have no constexpr version), so it is not offered.
    const std::string text = ctnn::export_header_text(saved, "fast_model");
    BOOST_TEST(text.find("ctnn::dense<5, ctnn::fast_tanh>") != std::string::npos, text);
    BOOST_TEST(text.find("ctnn::dense<2, ctnn::fast_sigmoid>") != std::string::npos, text);
    BOOST_TEST(text.find("predict(const std::array") == std::string::npos);
    static_assert(!ctnn::constexpr_predictable_v<fast_net>);
}

BOOST_AUTO_TEST_SUITE_END()
