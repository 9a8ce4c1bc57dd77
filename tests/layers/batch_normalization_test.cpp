// Tests ctnn/layers/batch_normalization.hpp: the training forward (batch statistics, x_hat,
// outputs, moving statistics) and the inference forward against double-precision hand
// computations; the backward pass (dx, dgamma, dbeta) against central differences of
// L = Σ c_ij y_ij through a double-precision training forward; degenerate batches (one row,
// zero variance) and padding lanes; the layer inside a network's predict.
#include "ctnn/ctnn.hpp"
#include "ctnn/layers/batch_normalization.hpp"

#include "support/finite_difference.hpp"
#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

using namespace ctnn;
using ctnn::test::close;

namespace {

// rows × stride floats on a simd::alignment boundary, as the trainer's workspace holds them.
class aligned_floats {
public:
    explicit aligned_floats(std::size_t n, float fill = 0.0f)
        : n_(n), p_(static_cast<float*>(
                     ::operator new[](n * sizeof(float), std::align_val_t{simd::alignment}))) {
        std::fill_n(p_, n_, fill);
    }
    aligned_floats(aligned_floats&& other) noexcept : n_(other.n_), p_(other.p_) {
        other.p_ = nullptr;
    }
    aligned_floats(const aligned_floats&) = delete;
    aligned_floats& operator=(const aligned_floats&) = delete;
    aligned_floats& operator=(aligned_floats&&) = delete;
    ~aligned_floats() { ::operator delete[](p_, std::align_val_t{simd::alignment}); }
    float* data() noexcept { return p_; }
    float& operator[](std::size_t i) noexcept { return p_[i]; }

private:
    std::size_t n_;
    float* p_;
};

constexpr double eps = 1e-3;

// g(z) in double for elementwise activations (their formulas are templates over the type).
template <class Act>
double act(double z) {
    return Act::f(z);
}

struct reference {
    std::vector<double> mean, variance, inv_std, x_hat, z, y; // rows × n, no padding
};

// The training forward in double: batch mean, biased variance, x_hat, z = gamma x_hat + beta,
// y = g(z) (softmax by rows).
template <class Act>
reference training_reference(const std::vector<double>& x, const std::vector<double>& gamma,
                             const std::vector<double>& beta, std::size_t rows, std::size_t n) {
    reference ref;
    ref.mean.assign(n, 0.0);
    ref.variance.assign(n, 0.0);
    ref.inv_std.assign(n, 0.0);
    ref.x_hat.assign(rows * n, 0.0);
    ref.z.assign(rows * n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t r = 0; r < rows; ++r)
            ref.mean[j] += x[r * n + j] / static_cast<double>(rows);
        for (std::size_t r = 0; r < rows; ++r) {
            const double d = x[r * n + j] - ref.mean[j];
            ref.variance[j] += d * d / static_cast<double>(rows);
        }
        ref.inv_std[j] = 1.0 / std::sqrt(ref.variance[j] + eps);
        for (std::size_t r = 0; r < rows; ++r) {
            ref.x_hat[r * n + j] = (x[r * n + j] - ref.mean[j]) * ref.inv_std[j];
            ref.z[r * n + j] = gamma[j] * ref.x_hat[r * n + j] + beta[j];
        }
    }
    ref.y = ref.z;
    if constexpr (rowwise_activation<Act>)
        ctnn::test::naive_softmax(ref.y, rows, n);
    else
        for (double& v : ref.y)
            v = act<Act>(v);
    return ref;
}

std::vector<double> to_double(const std::vector<float>& v) {
    return {v.begin(), v.end()};
}

// Inputs with a different mean and spread per feature.
std::vector<float> sample_inputs(std::size_t rows, std::size_t n, std::uint64_t seed) {
    std::vector<float> x = ctnn::test::random_values(rows * n, seed, -1.0f, 1.0f);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j)
            x[r * n + j] = x[r * n + j] * (1.0f + 0.1f * static_cast<float>(j % 5)) +
                           0.3f * static_cast<float>(j % 7) - 0.8f;
    return x;
}

// Non-trivial gamma, beta and moving statistics.
template <class Layer>
void set_parameters(Layer& layer, std::uint64_t seed) {
    constexpr std::size_t n = Layer::size;
    const auto g = ctnn::test::random_values(n, seed, 0.5f, 1.5f);
    const auto b = ctnn::test::random_values(n, seed + 1, -0.5f, 0.5f);
    const auto m = ctnn::test::random_values(n, seed + 2, -1.0f, 1.0f);
    const auto v = ctnn::test::random_values(n, seed + 3, 0.2f, 2.0f);
    for (std::size_t j = 0; j < n; ++j) {
        layer.gamma(j) = g[j];
        layer.beta(j) = b[j];
        layer.moving_mean(j) = m[j];
        layer.moving_variance(j) = v[j];
    }
}

// x as the layer reads it: rows x_stride apart (unpadded user rows or padded workspace rows).
aligned_floats strided(const std::vector<float>& x, std::size_t rows, std::size_t n,
                       std::size_t x_stride) {
    aligned_floats out(rows * x_stride + 1, 0.0f);
    for (std::size_t r = 0; r < rows; ++r)
        std::copy_n(x.data() + r * n, n, out.data() + r * x_stride);
    return out;
}

template <class Act, std::size_t N>
void check_training_forward(std::size_t rows, bool padded_input) {
    using layer_t = typename batch_normalization<Act>::template bound<shape<N>>;
    constexpr std::size_t S = layer_t::stride;
    layer_t layer;
    set_parameters(layer, 10 + N);
    const float mm0 = layer.moving_mean(0), mv0 = layer.moving_variance(0);
    const auto x = sample_inputs(rows, N, 100 + N + rows);
    const std::size_t x_stride = padded_input ? S : N;
    auto xs = strided(x, rows, N, x_stride);
    aligned_floats x_hat(rows * S), y(rows * S), z(rows * S), inv_std(S);

    std::vector<double> gamma(N), beta(N), mm(N), mv(N);
    for (std::size_t j = 0; j < N; ++j) {
        gamma[j] = layer.gamma(j);
        beta[j] = layer.beta(j);
        mm[j] = layer.moving_mean(j);
        mv[j] = layer.moving_variance(j);
    }
    layer.forward_train(xs.data(), x_stride, x_hat.data(), y.data(), rows, inv_std.data(),
                        layer_t::keeps_preactivation ? z.data() : nullptr);
    const reference ref = training_reference<Act>(to_double(x), gamma, beta, rows, N);

    bool ok = true;
    for (std::size_t j = 0; j < N; ++j) {
        ok &= close(inv_std[j], ref.inv_std[j], 1e-5, 0);
        ok &= close(layer.moving_mean(j), 0.99 * mm[j] + 0.01 * ref.mean[j], 1e-5, 1e-6);
        ok &= close(layer.moving_variance(j), 0.99 * mv[j] + 0.01 * ref.variance[j], 1e-5, 1e-6);
        for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t k = r * N + j, p = r * S + j;
            ok &= close(x_hat[p], ref.x_hat[k], 1e-4, 1e-5);
            ok &= close(y[p], ref.y[k], 1e-4, 1e-5);
            if constexpr (layer_t::keeps_preactivation)
                ok &= close(z[p], ref.z[k], 1e-4, 1e-5);
        }
    }
    // Padding lanes of the parameters and statistics stay zero.
    for (std::size_t j = N; j < S; ++j)
        ok &= layer.gamma(j) == 0.0f && layer.beta(j) == 0.0f && layer.moving_mean(j) == 0.0f &&
              layer.moving_variance(j) == 0.0f;
    BOOST_TEST(ok, Act::name << " N=" << N << " rows=" << rows << " padded=" << padded_input
                             << " (moving mean was " << mm0 << ", variance " << mv0 << ")");
}

template <class Act, std::size_t N>
void check_inference_forward(std::size_t rows, bool padded_input) {
    using layer_t = typename batch_normalization<Act>::template bound<shape<N>>;
    constexpr std::size_t S = layer_t::stride;
    layer_t layer;
    set_parameters(layer, 20 + N);
    const auto x = sample_inputs(rows, N, 200 + N + rows);
    const std::size_t x_stride = padded_input ? S : N;
    const std::size_t y_stride = S + simd::width_v<float>; // any whole number of vectors
    auto xs = strided(x, rows, N, x_stride);
    aligned_floats y(rows * y_stride, -7.0f);
    layer.template forward<5>(xs.data(), x_stride, y.data(), y_stride, rows);

    std::vector<double> expected(rows * N);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < N; ++j)
            expected[r * N + j] =
                static_cast<double>(layer.gamma(j)) *
                    (static_cast<double>(x[r * N + j]) - layer.moving_mean(j)) /
                    std::sqrt(static_cast<double>(layer.moving_variance(j)) + eps) +
                layer.beta(j);
    if constexpr (rowwise_activation<Act>)
        ctnn::test::naive_softmax(expected, rows, N);
    else
        for (double& v : expected)
            v = act<Act>(v);
    bool ok = true;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t j = 0; j < N; ++j)
            ok &= close(y[r * y_stride + j], expected[r * N + j], 1e-5, 1e-6);
        for (std::size_t j = S; j < y_stride; ++j) // nothing beyond the row's padded size
            ok &= y[r * y_stride + j] == -7.0f;
    }
    BOOST_TEST(ok, Act::name << " N=" << N << " rows=" << rows << " padded=" << padded_input);
}

// dx, dgamma, dbeta of L = Σ c_ij y_ij against central differences through the double forward.
template <class Act, std::size_t N>
void check_backward(std::size_t rows) {
    using layer_t = typename batch_normalization<Act>::template bound<shape<N>>;
    constexpr std::size_t S = layer_t::stride;
    layer_t layer;
    set_parameters(layer, 30 + N);
    const auto x = sample_inputs(rows, N, 300 + N + rows);
    const auto c = ctnn::test::random_values(rows * N, 400 + N + rows, -1.0f, 1.0f);
    auto xs = strided(x, rows, N, N);
    aligned_floats x_hat(rows * S), y(rows * S), z(rows * S), inv_std(S), dy(rows * S),
        dgamma(S, 0.25f), dbeta(S, -0.5f), dx(rows * S, 99.0f);
    for (std::size_t j = N; j < S; ++j)
        dgamma[j] = dbeta[j] = 0.0f;
    float* z_data = layer_t::keeps_preactivation ? z.data() : nullptr;
    layer.forward_train(xs.data(), N, x_hat.data(), y.data(), rows, inv_std.data(), z_data);
    for (std::size_t r = 0; r < rows; ++r) {
        std::copy_n(c.data() + r * N, N, dy.data() + r * S);
        for (std::size_t j = N; j < S; ++j) // the caller's padding lanes may hold anything
            dy[r * S + j] = std::numeric_limits<float>::quiet_NaN();
    }
    layer.backward(x_hat.data(), z_data, y.data(), dy.data(), dgamma.data(), dbeta.data(),
                   dx.data(), S, rows, inv_std.data());

    std::vector<double> gamma(N), beta(N);
    for (std::size_t j = 0; j < N; ++j) {
        gamma[j] = layer.gamma(j);
        beta[j] = layer.beta(j);
    }
    const std::vector<double> xd = to_double(x);
    const auto loss = [&](const std::vector<double>& xv, const std::vector<double>& g,
                          const std::vector<double>& b) {
        const reference ref = training_reference<Act>(xv, g, b, rows, N);
        double l = 0;
        for (std::size_t k = 0; k < rows * N; ++k)
            l += static_cast<double>(c[k]) * ref.y[k];
        return l;
    };
    const auto fd_x =
        ctnn::test::central_gradient([&](const auto& v) { return loss(v, gamma, beta); }, xd);
    const auto fd_gamma =
        ctnn::test::central_gradient([&](const auto& v) { return loss(xd, v, beta); }, gamma);
    const auto fd_beta =
        ctnn::test::central_gradient([&](const auto& v) { return loss(xd, gamma, v); }, beta);

    double scale = 1e-3; // absolute tolerance relative to the gradients' size
    for (double g : fd_x)
        scale = std::max(scale, 1e-4 * std::abs(g));
    bool ok = true;
    for (std::size_t j = 0; j < N; ++j) {
        ok &= close(dgamma[j], 0.25 + fd_gamma[j], 1e-3, 1e-4);
        ok &= close(dbeta[j], -0.5 + fd_beta[j], 1e-3, 1e-4);
        for (std::size_t r = 0; r < rows; ++r)
            ok &= close(dx[r * S + j], fd_x[r * N + j], 2e-3, scale);
    }
    for (std::size_t j = N; j < S; ++j) // NaN in dy's padding reaches nothing
        ok &= dgamma[j] == 0.0f && dbeta[j] == 0.0f;
    BOOST_TEST(ok, Act::name << " N=" << N << " rows=" << rows);
    if (rows == 1) { // x_hat is 0 whatever x is: no gradient reaches x
        bool zero = true;
        for (std::size_t j = 0; j < N; ++j)
            zero &= dx[j] == 0.0f;
        BOOST_TEST(zero);
    }

    // Without dx (a first layer) the parameter gradients are the same.
    aligned_floats dgamma2(S), dbeta2(S);
    for (std::size_t r = 0; r < rows; ++r)
        std::copy_n(c.data() + r * N, N, dy.data() + r * S);
    layer.backward(x_hat.data(), z_data, y.data(), dy.data(), dgamma2.data(), dbeta2.data(),
                   nullptr, S, rows, inv_std.data());
    bool same = true;
    for (std::size_t j = 0; j < N; ++j)
        same &= close(dgamma2[j] + 0.25, dgamma[j], 1e-6, 1e-6) &&
                close(dbeta2[j] - 0.5, dbeta[j], 1e-6, 1e-6);
    BOOST_TEST(same);

    // dx may be dy itself (the same stride): the same result, in place.
    for (std::size_t r = 0; r < rows; ++r)
        std::copy_n(c.data() + r * N, N, dy.data() + r * S);
    layer.backward(x_hat.data(), z_data, y.data(), dy.data(), dgamma2.data(), dbeta2.data(),
                   dy.data(), S, rows, inv_std.data());
    bool in_place = true;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < N; ++j)
            in_place &= dy[r * S + j] == dx[r * S + j];
    BOOST_TEST(in_place);
}

template <class Act>
void for_sizes_and_rows() {
    for (std::size_t rows : {1, 2, 5})
        for (bool padded : {false, true}) {
            check_training_forward<Act, 1>(rows, padded);
            check_training_forward<Act, 3>(rows, padded);
            check_training_forward<Act, 17>(rows, padded);
            check_training_forward<Act, 130>(rows, padded);
            check_inference_forward<Act, 1>(rows, padded);
            check_inference_forward<Act, 3>(rows, padded);
            check_inference_forward<Act, 17>(rows, padded);
            check_inference_forward<Act, 130>(rows, padded);
        }
}

template <class Act>
void backward_for_sizes_and_rows() {
    for (std::size_t rows : {1, 2, 5}) {
        check_backward<Act, 1>(rows);
        check_backward<Act, 3>(rows);
        check_backward<Act, 17>(rows);
        check_backward<Act, 130>(rows);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(batch_normalization_test)

BOOST_AUTO_TEST_CASE(describes_itself_like_keras) {
    using bn = batch_normalization<relu>;
    using layer_t = bn::bound<shape<17>>;
    static_assert(bn::kind == "batch_normalization");
    static_assert(std::is_same_v<layer_t::output_shape, shape<17>>);
    static_assert(layer_t::param_count == 4 * 17 && layer_t::trainable_param_count == 2 * 17);
    static_assert(!rows_independent_v<layer_t> && !layer_t::is_view);
    static_assert(layer_t::momentum == 0.99f && layer_t::epsilon == 0.001f);
    static_assert(!layer_t::keeps_preactivation);
    static_assert(batch_normalization<swish>::bound<shape<3>>::keeps_preactivation);
    static_assert(layer_t::stride == simd::padded_size<float>(17));
    BOOST_TEST(layer_t::name() == "batch_normalization<relu>");
    BOOST_TEST(batch_normalization<>::bound<shape<4>>::name() == "batch_normalization<linear>");
    BOOST_TEST((batch_normalization<relu, std::ratio<9, 10>,
                                    std::ratio<1, 100000>>::bound<shape<4>>::name() ==
                "batch_normalization<relu, momentum=0.9, epsilon=1e-05>"));

    using net = network<input<5>, dense<17>, batch_normalization<relu>, dense<3, softmax>>;
    static_assert(net::param_count == (5 * 17 + 17) + 4 * 17 + (17 * 3 + 3));
    const std::string summary = net::summary();
    BOOST_TEST(summary.find("batch_normalization<relu>") != std::string::npos);
    BOOST_TEST(summary.find("68") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(starts_from_keras_initial_values_and_visits_its_arrays) {
    using net = network<input<3>, dense<5>, batch_normalization<relu>, dense<1, sigmoid>>;
    net n(7);
    const auto& bn = n.layer<1>();
    for (std::size_t j = 0; j < 5; ++j) {
        BOOST_TEST(bn.gamma(j) == 1.0f);
        BOOST_TEST(bn.beta(j) == 0.0f);
        BOOST_TEST(bn.moving_mean(j) == 0.0f);
        BOOST_TEST(bn.moving_variance(j) == 1.0f);
    }
    std::vector<std::string> names;
    std::vector<bool> trainable;
    n.visit_parameters([&](std::size_t layer, auto array) {
        if (layer != 1)
            return;
        names.emplace_back(array.name);
        trainable.push_back(array.trainable);
        BOOST_TEST(array.rows == 1u);
        BOOST_TEST(array.columns == 5u);
        for (std::size_t j = 0; j < 5; ++j)
            array(0, j) = static_cast<float>(names.size() * 10 + j);
    });
    BOOST_TEST(
        (names == std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"}));
    BOOST_TEST((trainable == std::vector<bool>{true, true, false, false}));
    BOOST_TEST(bn.gamma(2) == 12.0f);
    BOOST_TEST(bn.beta(4) == 24.0f);
    BOOST_TEST(bn.moving_mean(0) == 30.0f);
    BOOST_TEST(bn.moving_variance(3) == 43.0f);
    BOOST_TEST(bn.gamma_data()[2] == 12.0f);
    BOOST_TEST(n.layer<1>().beta_data()[4] == 24.0f);
}

BOOST_AUTO_TEST_CASE(training_and_inference_forward_match_double_precision) {
    for_sizes_and_rows<linear>();
    for_sizes_and_rows<relu>();
    for_sizes_and_rows<sigmoid>();
    for_sizes_and_rows<swish>();   // keeps pre-activations
    for_sizes_and_rows<softmax>(); // row-wise
}

BOOST_AUTO_TEST_CASE(moving_statistics_after_k_steps_follow_the_closed_form) {
    // The same batch k times: moving = m^k moving_0 + (1 - m^k) batch statistic.
    using layer_t = batch_normalization<relu, std::ratio<9, 10>>::bound<shape<17>>;
    constexpr std::size_t N = 17, S = layer_t::stride, rows = 5;
    layer_t layer;
    set_parameters(layer, 5);
    std::vector<double> mm0(N), mv0(N);
    for (std::size_t j = 0; j < N; ++j) {
        mm0[j] = layer.moving_mean(j);
        mv0[j] = layer.moving_variance(j);
    }
    const auto x = sample_inputs(rows, N, 6);
    aligned_floats x_hat(rows * S), y(rows * S), inv_std(S);
    constexpr int k = 25;
    for (int step = 0; step < k; ++step)
        layer.forward_train(x.data(), N, x_hat.data(), y.data(), rows, inv_std.data(), nullptr);
    const reference ref = training_reference<relu>(to_double(x), std::vector<double>(N, 1.0),
                                                   std::vector<double>(N, 0.0), rows, N);
    const double mk = std::pow(0.9, k);
    for (std::size_t j = 0; j < N; ++j) {
        BOOST_TEST(close(layer.moving_mean(j), mk * mm0[j] + (1 - mk) * ref.mean[j], 1e-5, 1e-6));
        BOOST_TEST(
            close(layer.moving_variance(j), mk * mv0[j] + (1 - mk) * ref.variance[j], 1e-5, 1e-6));
    }
}

BOOST_AUTO_TEST_CASE(backward_matches_central_differences) {
    backward_for_sizes_and_rows<linear>();
    backward_for_sizes_and_rows<relu>();
    backward_for_sizes_and_rows<ctnn::tanh>();
    backward_for_sizes_and_rows<swish>(); // derivative from the pre-activations
    backward_for_sizes_and_rows<softmax>();
}

BOOST_AUTO_TEST_CASE(a_gradient_given_before_the_activation_skips_it) {
    // backward<true> on batch_normalization<softmax> with dL/dz is backward on the linear layer.
    using with_softmax = batch_normalization<softmax>::bound<shape<17>>;
    using without = batch_normalization<linear>::bound<shape<17>>;
    constexpr std::size_t N = 17, S = with_softmax::stride, rows = 5;
    with_softmax a;
    without b;
    set_parameters(a, 8);
    set_parameters(b, 8);
    const auto x = sample_inputs(rows, N, 9);
    const auto c = ctnn::test::random_values(rows * S, 10);
    aligned_floats xa(rows * S), ya(rows * S), ia(S), xb(rows * S), yb(rows * S), ib(S);
    a.forward_train(x.data(), N, xa.data(), ya.data(), rows, ia.data(), nullptr);
    b.forward_train(x.data(), N, xb.data(), yb.data(), rows, ib.data(), nullptr);
    aligned_floats da(rows * S), db(rows * S), ga(S), gb(S), ba(S), bb(S), dxa(rows * S),
        dxb(rows * S);
    for (std::size_t k = 0; k < rows * S; ++k)
        da[k] = db[k] = c[k];
    a.backward<true>(xa.data(), nullptr, ya.data(), da.data(), ga.data(), ba.data(), dxa.data(), S,
                     rows, ia.data());
    b.backward(xb.data(), nullptr, yb.data(), db.data(), gb.data(), bb.data(), dxb.data(), S, rows,
               ib.data());
    for (std::size_t j = 0; j < N; ++j) {
        BOOST_TEST(ga[j] == gb[j]);
        BOOST_TEST(ba[j] == bb[j]);
        for (std::size_t r = 0; r < rows; ++r)
            BOOST_TEST(dxa[r * S + j] == dxb[r * S + j]);
    }
}

BOOST_AUTO_TEST_CASE(a_batch_without_variance_stays_finite) {
    using layer_t = batch_normalization<sigmoid>::bound<shape<17>>;
    constexpr std::size_t N = 17, S = layer_t::stride;
    for (std::size_t rows : {1, 5}) {
        layer_t layer;
        set_parameters(layer, 11);
        std::vector<float> mv0(N);
        for (std::size_t j = 0; j < N; ++j)
            mv0[j] = layer.moving_variance(j);
        const auto one = sample_inputs(1, N, 12);
        std::vector<float> x;
        for (std::size_t r = 0; r < rows; ++r) // every row the same sample
            x.insert(x.end(), one.begin(), one.end());
        aligned_floats x_hat(rows * S), y(rows * S), inv_std(S), dy(rows * S), dg(S), dbeta(S),
            dx(rows * S);
        layer.forward_train(x.data(), N, x_hat.data(), y.data(), rows, inv_std.data(), nullptr);
        const auto c = ctnn::test::random_values(rows * N, 13);
        for (std::size_t r = 0; r < rows; ++r)
            std::copy_n(c.data() + r * N, N, dy.data() + r * S);
        layer.backward(x_hat.data(), nullptr, y.data(), dy.data(), dg.data(), dbeta.data(),
                       dx.data(), S, rows, inv_std.data());
        for (std::size_t j = 0; j < N; ++j) {
            BOOST_TEST(close(inv_std[j], 1.0 / std::sqrt(eps), 1e-6, 0));
            BOOST_TEST(close(layer.moving_variance(j), 0.99 * mv0[j], 1e-6, 0)); // batch variance 0
            // dz = c σ'(beta); dx = gamma inv_std (dz - mean dz) since x_hat = 0.
            const double s = 1.0 / (1.0 + std::exp(-static_cast<double>(layer.beta(j))));
            double mean_dz = 0;
            for (std::size_t r = 0; r < rows; ++r)
                mean_dz += c[r * N + j] * s * (1 - s) / static_cast<double>(rows);
            for (std::size_t r = 0; r < rows; ++r) {
                BOOST_TEST(x_hat[r * S + j] == 0.0f);
                BOOST_TEST(close(y[r * S + j], s, 1e-6, 1e-7));
                const double dz = c[r * N + j] * s * (1 - s);
                BOOST_TEST(std::isfinite(dx[r * S + j]));
                BOOST_TEST(close(dx[r * S + j], layer.gamma(j) / std::sqrt(eps) * (dz - mean_dz),
                                 1e-4, 1e-5));
            }
            BOOST_TEST(dg[j] == 0.0f);
        }
    }
}

BOOST_AUTO_TEST_CASE(predicts_inside_a_network) {
    using net = network<input<5>, dense<17>, batch_normalization<relu>, dense<3, softmax>>;
    net n(3);
    auto& bn = n.layer<1>();
    set_parameters(bn, 14);
    constexpr std::size_t batch = 4;
    const auto xv = sample_inputs(batch, 5, 15);
    tensor<float, shape<batch, 5>> xs;
    for (std::size_t k = 0; k < batch * 5; ++k)
        xs[k] = xv[k];

    std::vector<float> w1(5 * 17), b1(17), w2(17 * 3), b2(3);
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 17; ++j)
            w1[i * 17 + j] = n.layer<0>().weight(i, j);
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            w2[i * 3 + j] = n.layer<2>().weight(i, j);
    for (std::size_t j = 0; j < 3; ++j)
        b2[j] = n.layer<2>().bias(j);
    auto h = ctnn::test::naive_affine(xv, w1, b1, batch, 5, 17);
    std::vector<float> hf(h.size());
    for (std::size_t r = 0; r < batch; ++r)
        for (std::size_t j = 0; j < 17; ++j) {
            const double v = bn.gamma(j) * (h[r * 17 + j] - bn.moving_mean(j)) /
                                 std::sqrt(static_cast<double>(bn.moving_variance(j)) + eps) +
                             bn.beta(j);
            hf[r * 17 + j] = static_cast<float>(std::max(v, 0.0));
        }
    auto p = ctnn::test::naive_affine(hf, w2, b2, batch, 17, 3);
    ctnn::test::naive_softmax(p, batch, 3);

    const auto all = n.predict(xs);
    for (std::size_t r = 0; r < batch; ++r) {
        tensor<float, shape<5>> one;
        for (std::size_t i = 0; i < 5; ++i)
            one[i] = xv[r * 5 + i];
        const auto single = n.predict(one);
        for (std::size_t j = 0; j < 3; ++j) {
            BOOST_TEST(close(all(r, j), p[r * 3 + j], 1e-5, 1e-6));
            BOOST_TEST(close(single[j], p[r * 3 + j], 1e-5, 1e-6));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
