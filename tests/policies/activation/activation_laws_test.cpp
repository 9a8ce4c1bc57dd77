// Tests the laws every elementwise activation in ctnn/policies/activation/ must obey, written once
// and run over every activation type: scalar and SIMD code agree, df is the derivative of f (by
// central differences), nothing overflows into inf/NaN, derivative_from_output is honest, and
// the row helpers apply_activation / activation_backward match the per-element formulas for row
// lengths that are not multiples of the SIMD width, in place and at unaligned addresses.
#include "ctnn/policies/activation/activations.hpp"

#include "policies/activation/activation_oracles.hpp"
#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

using ctnn::test::close;
using ctnn::test::elementwise_activations;
using ctnn::test::from_lanes;
using ctnn::test::lanes;
using ctnn::test::oracle;
using ctnn::test::to_lanes;
using ctnn::test::W;
using batch = ctnn::simd::batch_t<float>;

// ---- compile time: each type satisfies exactly its concept ----

template <class... A>
constexpr bool all_elementwise(std::type_identity<std::tuple<A...>>) {
    return ((ctnn::elementwise_activation<A> && ctnn::activation<A> &&
             !ctnn::rowwise_activation<A>)&&...);
}
static_assert(all_elementwise(std::type_identity<elementwise_activations>{}),
              "every elementwise activation satisfies elementwise_activation only");
static_assert(ctnn::rowwise_activation<ctnn::softmax> && ctnn::activation<ctnn::softmax> &&
              !ctnn::elementwise_activation<ctnn::softmax>);

// Things that are not activations.
struct no_derivative {
    static constexpr std::string_view name = "no_derivative";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = false;
    template <class V>
    static V f(V x) noexcept {
        return x;
    }
};
struct throwing {
    static constexpr std::string_view name = "throwing";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;
    template <class V>
    static V f(V x) {
        return x;
    }
    template <class V>
    static V df(V, V) {
        return V(1.0f);
    }
};
struct runtime_flag {
    static constexpr std::string_view name = "runtime_flag";
    static constexpr bool elementwise = true;
    static inline bool derivative_from_output = true; // not a constant
    template <class V>
    static V f(V x) noexcept {
        return x;
    }
    template <class V>
    static V df(V, V) noexcept {
        return V(1.0f);
    }
};
static_assert(!ctnn::activation<int>);
static_assert(!ctnn::activation<no_derivative>);
static_assert(!ctnn::activation<throwing>, "f and df must be noexcept");
static_assert(!ctnn::activation<runtime_flag>, "the flags must be compile-time constants");

static_assert(ctnn::linear::name == "linear" && ctnn::threshold::name == "threshold" &&
              ctnn::sigmoid::name == "sigmoid" && ctnn::tanh::name == "tanh" &&
              ctnn::relu::name == "relu" && ctnn::leaky_relu::name == "leaky_relu" &&
              ctnn::elu::name == "elu" && ctnn::softplus::name == "softplus" &&
              ctnn::gelu::name == "gelu" && ctnn::swish::name == "swish" &&
              ctnn::softmax::name == "softmax");
static_assert(!ctnn::backward_reads_input_v<ctnn::relu> &&
              !ctnn::backward_reads_input_v<ctnn::sigmoid> &&
              !ctnn::backward_reads_input_v<ctnn::softmax> &&
              ctnn::backward_reads_input_v<ctnn::gelu> &&
              ctnn::backward_reads_input_v<ctnn::swish>);
static_assert(ctnn::leaky_relu::negative_slope == 0.2f && ctnn::elu::alpha == 1.0f);

// ---- the points every law is checked at ----

std::vector<float> grid() {
    return ctnn::test::activation_grid(40, 0.25f);
}

// x, padded with copies of its last value to a whole number of vectors.
std::vector<float> padded(std::vector<float> x) {
    while (x.size() % W != 0)
        x.push_back(x.back());
    return x;
}

// Relative difference allowed between the SIMD and the scalar code (a few ulps: xsimd's
// transcendentals are not the C library's) and the absolute one (denormals may be flushed).
constexpr double simd_rel = 4e-6;
constexpr double simd_abs = 1e-30;

// The same computation done twice: equal up to an ulp (GCC folds calls with constant arguments
// to the correctly rounded value, which libm need not return).
bool same(float a, float b) {
    return close(a, b, 2.5e-7, 1e-37);
}

} // namespace

BOOST_AUTO_TEST_SUITE(activation_laws_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(f_matches_the_double_precision_formula, A, elementwise_activations) {
    for (const float x : grid()) {
        const double expected = oracle<A>::f(x);
        // A float result cannot be better than the rounding of x allows: |x g'(x)| eps.
        const double slope = ctnn::test::central_difference(oracle<A>::f, x, 1e-6);
        const double allowed = 8.0 * std::numeric_limits<float>::epsilon() *
                               (std::abs(expected) + std::abs(x * slope));
        BOOST_TEST(close(A::f(x), expected, 0.0, allowed + 1e-37),
                   A::name << "(" << x << ") = " << A::f(x) << ", expected " << expected);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(simd_f_matches_scalar_f, A, elementwise_activations) {
    const std::vector<float> xs = padded(grid());
    for (std::size_t i = 0; i < xs.size(); i += W) {
        const lanes y = to_lanes(A::f(ctnn::simd::load_unaligned(xs.data() + i)));
        for (std::size_t l = 0; l < W; ++l) {
            const float scalar = A::f(xs[i + l]);
            BOOST_TEST(close(y[l], scalar, simd_rel, simd_abs),
                       A::name << "(" << xs[i + l] << "): batch " << y[l] << ", scalar " << scalar);
        }
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(df_matches_central_differences_of_the_formula, A,
                              elementwise_activations) {
    std::vector<float> xs = grid();
    xs.push_back(1e30f);
    xs.push_back(-1e30f);
    for (const float x : xs) {
        const double h = 1e-6 * std::max(1.0, std::abs(static_cast<double>(x)));
        if (oracle<A>::kink && std::abs(x) < 2.0 * h)
            continue;
        const double expected = ctnn::test::central_difference(oracle<A>::f, x, 1e-6);
        const float got = A::df(x, A::f(x));
        // Relative error from the formulas; absolute from cancellations such as 1 - y^2.
        BOOST_TEST(close(got, expected, 1e-4, 5e-7),
                   A::name << "'(" << x << ") = " << got << ", central difference " << expected);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(df_is_the_derivative_of_the_float_f, A, elementwise_activations) {
    // Differences of the float function itself, with an allowance for its rounding: df must
    // describe the f that is computed, not only the textbook one.
    constexpr double eps = std::numeric_limits<float>::epsilon();
    for (const float x : grid()) {
        const double h = 1e-3 * std::max(1.0, std::abs(static_cast<double>(x)));
        if (oracle<A>::kink && std::abs(x) < 2.0 * h)
            continue;
        const float xp = static_cast<float>(x + h);
        const float xm = static_cast<float>(x - h);
        const double fp = A::f(xp);
        const double fm = A::f(xm);
        const double step = static_cast<double>(xp) - static_cast<double>(xm);
        const double fd = (fp - fm) / step;
        const double rounding = 2.0 * eps * (std::abs(fp) + std::abs(fm)) / step;
        const float got = A::df(x, A::f(x));
        BOOST_TEST(close(got, fd, 2e-3, rounding + 1e-5),
                   A::name << "'(" << x << ") = " << got << ", float central difference " << fd);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(simd_df_matches_scalar_df, A, elementwise_activations) {
    const std::vector<float> xs = padded(grid());
    std::vector<float> ys(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i)
        ys[i] = A::f(xs[i]);
    for (std::size_t i = 0; i < xs.size(); i += W) {
        const lanes d = to_lanes(A::df(ctnn::simd::load_unaligned(xs.data() + i),
                                       ctnn::simd::load_unaligned(ys.data() + i)));
        for (std::size_t l = 0; l < W; ++l) {
            const float scalar = A::df(xs[i + l], ys[i + l]);
            BOOST_TEST(close(d[l], scalar, simd_rel, 1e-7), A::name << "'(" << xs[i + l]
                                                                    << "): batch " << d[l]
                                                                    << ", scalar " << scalar);
        }
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(derivative_from_output_does_not_read_x, A, elementwise_activations) {
    if constexpr (A::derivative_from_output) {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        for (const float x : grid()) {
            const float y = A::f(x);
            BOOST_TEST(A::df(nan, y) == A::df(x, y), A::name << "'(" << x << ") read x");
            BOOST_TEST(A::df(y, y) == A::df(x, y), A::name << "'(" << x << ") read x");
            const lanes d = to_lanes(A::df(batch(nan), batch(y)));
            const lanes expected = to_lanes(A::df(batch(x), batch(y)));
            for (std::size_t l = 0; l < W; ++l)
                BOOST_TEST(d[l] == expected[l], A::name << "'(" << x << ") batch read x");
        }
    } else {
        BOOST_TEST(ctnn::backward_reads_input_v<A>);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(no_inf_or_nan_for_huge_or_infinite_inputs, A,
                              elementwise_activations) {
    constexpr float inf = std::numeric_limits<float>::infinity();
    constexpr float big = std::numeric_limits<float>::max();
    for (const float x : {1e30f, -1e30f, big, -big, 1e38f, -1e38f}) {
        const float y = A::f(x);
        const float d = A::df(x, y);
        BOOST_TEST(std::isfinite(y), A::name << "(" << x << ") = " << y);
        BOOST_TEST(std::isfinite(d), A::name << "'(" << x << ") = " << d);
        const lanes yv = to_lanes(A::f(batch(x)));
        const lanes dv = to_lanes(A::df(batch(x), batch(y)));
        for (std::size_t l = 0; l < W; ++l) {
            BOOST_TEST(close(yv[l], y, simd_rel, simd_abs), A::name << "(" << x << ") batch");
            BOOST_TEST(close(dv[l], d, simd_rel, 1e-7), A::name << "'(" << x << ") batch");
        }
    }
    // At +-inf the value may be infinite (relu(inf) = inf) but never NaN, and the derivative is
    // its finite limit.
    for (const float x : {inf, -inf}) {
        const float y = A::f(x);
        const float d = A::df(x, y);
        BOOST_TEST(!std::isnan(y), A::name << "(" << x << ") = " << y);
        BOOST_TEST(std::isfinite(d), A::name << "'(" << x << ") = " << d);
        BOOST_TEST(std::abs(d - A::df(std::copysign(1e30f, x), A::f(std::copysign(1e30f, x)))) <=
                       1e-6f,
                   A::name << "'(" << x << ") = " << d << " is not the limit");
        const lanes yv = to_lanes(A::f(batch(x)));
        const lanes dv = to_lanes(A::df(batch(x), batch(y)));
        for (std::size_t l = 0; l < W; ++l) {
            BOOST_TEST((yv[l] == y), A::name << "(" << x << ") batch " << yv[l]);
            BOOST_TEST(close(dv[l], d, simd_rel, 1e-7), A::name << "'(" << x << ") batch");
        }
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(row_helpers_match_the_scalar_formulas, A, elementwise_activations) {
    auto check = []<std::size_t N>(std::integral_constant<std::size_t, N>) {
        // One float past an aligned start, so that no vector access is aligned; sentinels after
        // the row catch writes past its end.
        constexpr float sentinel = -12345.0f;
        alignas(ctnn::simd::alignment) float z[N + 1 + W], y[N + 1 + W], dy[N + 1 + W],
            dz[N + 1 + W];
        for (auto* buffer : {y, dz})
            for (std::size_t i = 0; i < N + 1 + W; ++i)
                buffer[i] = sentinel;
        std::vector<float> y_expected(N), dz_expected(N);
        for (std::size_t i = 0; i < N; ++i) {
            z[1 + i] = 6.0f * std::sin(0.37f * static_cast<float>(i) + 0.2f);
            dy[1 + i] = std::cos(0.91f * static_cast<float>(i));
            y_expected[i] = A::f(z[1 + i]);
            dz_expected[i] = dy[1 + i] * A::df(z[1 + i], y_expected[i]);
        }

        ctnn::apply_activation<A, N>(z + 1, y + 1);
        ctnn::activation_backward<A, N>(z + 1, y + 1, dy + 1, dz + 1);
        for (std::size_t i = 0; i < N; ++i) {
            BOOST_TEST(close(y[1 + i], y_expected[i], simd_rel, simd_abs),
                       A::name << " N=" << N << " y[" << i << "]");
            BOOST_TEST(close(dz[1 + i], dz_expected[i], simd_rel, 1e-7),
                       A::name << " N=" << N << " dz[" << i << "]");
        }
        BOOST_TEST(y[0] == sentinel);
        BOOST_TEST(dz[0] == sentinel);
        for (std::size_t i = N + 1; i < N + 1 + W; ++i) {
            BOOST_TEST(y[i] == sentinel, A::name << " N=" << N << " wrote past the row");
            BOOST_TEST(dz[i] == sentinel, A::name << " N=" << N << " wrote past the row");
        }

        // Without the pre-activations, when the derivative comes from the output.
        if constexpr (!ctnn::backward_reads_input_v<A>) {
            std::vector<float> dz2(N);
            ctnn::activation_backward<A, N>(nullptr, y + 1, dy + 1, dz2.data());
            for (std::size_t i = 0; i < N; ++i)
                BOOST_TEST(same(dz2[i], dz[1 + i]));
        }

        // In place: y over z, dz over dy.
        std::vector<float> zy(z + 1, z + 1 + N), dydz(dy + 1, dy + 1 + N);
        ctnn::activation_backward<A, N>(z + 1, y + 1, dydz.data(), dydz.data());
        ctnn::apply_activation<A, N>(zy.data(), zy.data());
        for (std::size_t i = 0; i < N; ++i) {
            BOOST_TEST(same(zy[i], y[1 + i]), A::name << " N=" << N << " in place y[" << i << "]");
            BOOST_TEST(same(dydz[i], dz[1 + i]),
                       A::name << " N=" << N << " in place dz[" << i << "]");
        }
    };
    check(std::integral_constant<std::size_t, 1>{});
    check(std::integral_constant<std::size_t, 3>{});
    check(std::integral_constant<std::size_t, 17>{});
    check(std::integral_constant<std::size_t, 784>{});
}

BOOST_AUTO_TEST_SUITE_END()
