// Tests ctnn/kernels/dense_backward.hpp and the step kernels it fuses
// (dense_preactivation_gradient, dense_bias_gradient, dense_weight_gradient,
// dense_input_gradient).
//
// The loss is L = Σ_r Σ_j c[r][j] · y[r][j] for fixed random c, so dL/dy = c. Two oracles, both in
// double: the exact backward pass written as plain loops (every entry), and central differences
// of a double-precision forward pass L(W, b, x) (all entries for small layers, an evenly spread
// sample for big ones), which also checks the first oracle. Inputs rows are neither aligned nor
// padded, dy's padding lanes hold NaN, and pre-activations are kept away from relu's kink.
#include "ctnn/kernels/dense_backward.hpp"
#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/policies/activation/gelu.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/activation/relu.hpp"
#include "ctnn/policies/activation/sigmoid.hpp"
#include "ctnn/policies/activation/softmax.hpp"
#include "ctnn/policies/activation/tanh.hpp"

#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

using namespace ctnn;

namespace {

// A float buffer whose data() is aligned to simd::alignment (std::vector only guarantees
// alignof(float)), optionally shifted by `shift` floats to make it unaligned on purpose.
struct buffer {
    explicit buffer(std::size_t n, float fill = 0.0f, std::size_t shift = 0)
        : storage(n + shift + simd::alignment / sizeof(float), fill) {
        const auto address = reinterpret_cast<std::uintptr_t>(storage.data());
        offset =
            (simd::alignment - address % simd::alignment) % simd::alignment / sizeof(float) + shift;
    }
    float* data() { return storage.data() + offset; }
    float& operator[](std::size_t i) { return data()[i]; }
    std::vector<float> storage;
    std::size_t offset = 0;
};

// g and g' in double, textbook formulas with the C library.
template <class A>
struct exact;
template <>
struct exact<linear> {
    static double f(double z) { return z; }
    static double df(double) { return 1.0; }
};
template <>
struct exact<relu> {
    static double f(double z) { return z > 0.0 ? z : 0.0; }
    static double df(double z) { return z > 0.0 ? 1.0 : 0.0; }
};
template <>
struct exact<sigmoid> {
    static double f(double z) { return 1.0 / (1.0 + std::exp(-z)); }
    static double df(double z) { return f(z) * (1.0 - f(z)); }
};
template <>
struct exact<ctnn::tanh> {
    static double f(double z) { return std::tanh(z); }
    static double df(double z) { return 1.0 - std::tanh(z) * std::tanh(z); }
};
template <>
struct exact<gelu> {
    static double f(double z) { return 0.5 * z * std::erfc(-z / std::sqrt(2.0)); }
    static double df(double z) {
        const double pi = 3.14159265358979323846;
        return 0.5 * std::erfc(-z / std::sqrt(2.0)) +
               z * std::exp(-0.5 * z * z) / std::sqrt(2 * pi);
    }
};

// A dense layer's inputs and the loss weights c, all float values held as doubles;
// x is [rows][in], w [in][out], c [rows][out] without padding.
struct problem {
    std::size_t rows, in, out;
    std::vector<double> x, w, b, c;
};

// The pre-activations of row r.
std::vector<double> affine_row(const problem& p, const std::vector<double>& x,
                               const std::vector<double>& w, const std::vector<double>& b,
                               std::size_t r) {
    std::vector<double> z(b);
    for (std::size_t k = 0; k < p.in; ++k)
        for (std::size_t j = 0; j < p.out; ++j)
            z[j] += x[r * p.in + k] * w[k * p.out + j];
    return z;
}

void softmax_in_place(std::vector<double>& z) {
    double m = z[0];
    for (double v : z)
        m = std::max(m, v);
    double sum = 0;
    for (double& v : z)
        sum += (v = std::exp(v - m));
    for (double& v : z)
        v /= sum;
}

// L(x, W, b) = Σ_r Σ_j c[r][j] · act(x[r] · W + b)[j], in double.
template <class Act>
double loss(const problem& p, const std::vector<double>& x, const std::vector<double>& w,
            const std::vector<double>& b) {
    double total = 0;
    for (std::size_t r = 0; r < p.rows; ++r) {
        auto y = affine_row(p, x, w, b, r);
        if constexpr (std::is_same_v<Act, softmax>)
            softmax_in_place(y);
        else
            for (double& v : y)
                v = exact<Act>::f(v);
        for (std::size_t j = 0; j < p.out; ++j)
            total += p.c[r * p.out + j] * y[j];
    }
    return total;
}

struct gradients {
    std::vector<double> dw, db, dx;
};

// The backward pass in double: dz = c ⊙ g'(z) (softmax: y ⊙ (c - <c, y>)), dW = xᵀ dz,
// db = Σ_r dz, dx = dz Wᵀ.
template <class Act>
gradients exact_backward(const problem& p) {
    gradients g{std::vector<double>(p.in * p.out), std::vector<double>(p.out),
                std::vector<double>(p.rows * p.in)};
    for (std::size_t r = 0; r < p.rows; ++r) {
        auto dz = affine_row(p, p.x, p.w, p.b, r);
        if constexpr (std::is_same_v<Act, softmax>) {
            softmax_in_place(dz);
            double dot = 0;
            for (std::size_t j = 0; j < p.out; ++j)
                dot += p.c[r * p.out + j] * dz[j];
            for (std::size_t j = 0; j < p.out; ++j)
                dz[j] *= p.c[r * p.out + j] - dot;
        } else {
            for (std::size_t j = 0; j < p.out; ++j)
                dz[j] = p.c[r * p.out + j] * exact<Act>::df(dz[j]);
        }
        for (std::size_t j = 0; j < p.out; ++j) {
            g.db[j] += dz[j];
            for (std::size_t k = 0; k < p.in; ++k) {
                g.dw[k * p.out + j] += p.x[r * p.in + k] * dz[j];
                g.dx[r * p.in + k] += dz[j] * p.w[k * p.out + j];
            }
        }
    }
    return g;
}

std::vector<double> random_doubles(std::mt19937_64& gen, std::size_t n, double scale) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<double> v(n);
    for (double& x : v)
        x = static_cast<float>(scale * dist(gen)); // representable in float
    return v;
}

// Random x, W (scaled by 1/sqrt(in) so that z stays of order 1), b and c; rows of x are drawn
// again until every |z| >= 1e-3, far from relu's kink compared with the difference steps.
problem make_problem(std::size_t rows, std::size_t in, std::size_t out, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    problem p{rows,
              in,
              out,
              random_doubles(gen, rows * in, 1.0),
              random_doubles(gen, in * out, 1.0 / std::sqrt(static_cast<double>(in))),
              random_doubles(gen, out, 0.5),
              random_doubles(gen, rows * out, 1.0)};
    for (std::size_t r = 0; r < rows; ++r) {
        for (int attempt = 0;; ++attempt) {
            const auto z = affine_row(p, p.x, p.w, p.b, r);
            bool clear = true;
            for (double v : z)
                clear = clear && std::abs(v) >= 1e-3;
            if (clear)
                break;
            BOOST_REQUIRE_MESSAGE(attempt < 1000, "no input row keeps z away from 0");
            const auto row = random_doubles(gen, in, 1.0);
            std::copy(row.begin(), row.end(), p.x.begin() + static_cast<std::ptrdiff_t>(r * in));
        }
    }
    return p;
}

// Indices of all entries, or 48 spread evenly over them (first and last included).
std::vector<std::size_t> sample(std::size_t n) {
    constexpr std::size_t max_samples = 48;
    std::vector<std::size_t> picks;
    if (n <= max_samples) {
        for (std::size_t i = 0; i < n; ++i)
            picks.push_back(i);
    } else {
        for (std::size_t s = 0; s < max_samples; ++s)
            picks.push_back(s * (n - 1) / (max_samples - 1));
    }
    return picks;
}

// Counts entries where got is not within tol(i) of expected; reports the first few.
template <class Got, class Expected, class Tolerance>
void check_entries(const std::string& what, std::size_t n, Got got, Expected expected,
                   Tolerance tol) {
    std::size_t failures = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double g = got(i), e = expected(i);
        if (!(std::abs(g - e) <= tol(i) + 1e-4 * std::abs(e))) {
            if (++failures <= 5)
                BOOST_ERROR(what << " entry " << i << ": " << g << " vs " << e);
        }
    }
    BOOST_TEST(failures == 0u, what << ": " << failures << " of " << n << " entries differ");
}

template <class Act, std::size_t In, std::size_t Out>
void check_backward(std::size_t rows) {
    using layout = kernels::dense_layout<In, Out>;
    constexpr std::size_t P = layout::padded_outputs;
    constexpr bool needs_z = backward_reads_input_v<Act>;
    std::ostringstream name;
    name << Act::name << " In " << In << " Out " << Out << " rows " << rows;
    const std::string where = name.str();
    BOOST_TEST_CONTEXT(where) {
        const problem p = make_problem(rows, In, Out, 1000 * In + 10 * Out + rows);
        const gradients expected = exact_backward<Act>(p);

        // The kernels' buffers: x and dx rows unaligned and longer than In, dy's padding NaN.
        const std::size_t x_stride = In + 3, dx_stride = In + 2;
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float sentinel = 12345.0f;
        buffer x(rows * x_stride, 0.0f, 1), w(layout::kernel_size), b(layout::bias_size);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t k = 0; k < In; ++k)
                x[r * x_stride + k] = static_cast<float>(p.x[r * In + k]);
        for (std::size_t k = 0; k < In; ++k)
            for (std::size_t j = 0; j < Out; ++j)
                w[k * P + j] = static_cast<float>(p.w[k * Out + j]);
        for (std::size_t j = 0; j < Out; ++j)
            b[j] = static_cast<float>(p.b[j]);
        buffer y(rows * P), z(rows * P), dy(rows * P, nan), dz(rows * P, nan);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < Out; ++j)
                dy[r * P + j] = static_cast<float>(p.c[r * Out + j]);
        kernels::dense_forward<Act, In, Out>(x.data(), x_stride, w.data(), b.data(), y.data(), P,
                                             rows);
        if constexpr (needs_z)
            kernels::dense_forward<linear, In, Out>(x.data(), x_stride, w.data(), b.data(),
                                                    z.data(), P, rows);
        const float* z_arg = needs_z ? z.data() : nullptr; // z must not be read otherwise
        buffer dw(layout::kernel_size), db(layout::bias_size);
        buffer dx(rows * dx_stride, sentinel, 1);

        kernels::dense_backward<Act, In, Out>(x.data(), x_stride, z_arg, y.data(), dy.data(),
                                              dz.data(), w.data(), dw.data(), db.data(), dx.data(),
                                              dx_stride, rows);

        // Tolerances: float rounding relative to the sizes of the summed terms (|dz| <= 2).
        std::vector<double> x_abs_sum(In, 0.0), w_abs_sum(In, 0.0);
        for (std::size_t k = 0; k < In; ++k) {
            for (std::size_t r = 0; r < rows; ++r)
                x_abs_sum[k] += std::abs(p.x[r * In + k]);
            for (std::size_t j = 0; j < Out; ++j)
                w_abs_sum[k] += std::abs(p.w[k * Out + j]);
        }
        const auto dw_tol = [&](std::size_t i) { return 2e-5 * (1 + x_abs_sum[i / Out]); };
        const auto db_tol = [&](std::size_t) { return 2e-5 * (1 + static_cast<double>(rows)); };
        const auto dx_tol = [&](std::size_t i) { return 2e-5 * (1 + w_abs_sum[i % In]); };
        const auto dw_at = [&](std::size_t i) { return dw[i / Out * P + i % Out]; };
        const auto db_at = [&](std::size_t i) { return db[i]; };
        const auto dx_at = [&](std::size_t i) { return dx[i / In * dx_stride + i % In]; };
        const auto times = [](const std::vector<double>& v, double s) {
            return [&v, s](std::size_t i) { return s * v[i]; };
        };

        // 1. Every entry against the exact backward pass.
        check_entries("dW", In * Out, dw_at, times(expected.dw, 1), dw_tol);
        check_entries("db", Out, db_at, times(expected.db, 1), db_tol);
        check_entries("dX", rows * In, dx_at, times(expected.dx, 1), dx_tol);

        // 2. Padding: dz lanes past Out, dw columns past Out and db past Out exactly zero;
        // dx written only in its first In values per row.
        std::size_t padding_errors = 0;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = Out; j < P; ++j)
                padding_errors += dz[r * P + j] != 0.0f;
        for (std::size_t k = 0; k < In; ++k)
            for (std::size_t j = Out; j < P; ++j)
                padding_errors += dw[k * P + j] != 0.0f;
        for (std::size_t j = Out; j < P; ++j)
            padding_errors += db[j] != 0.0f;
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t k = In; k < dx_stride; ++k)
                padding_errors += dx[r * dx_stride + k] != sentinel;
        BOOST_TEST(padding_errors == 0u);

        // 3. Central differences of the double forward pass on (a sample of) every parameter,
        // against the exact oracle (tightly) and the kernel.
        const auto difference = [&](auto loss_of, const std::vector<double>& at, std::size_t i) {
            return test::central_difference(
                [&](double v) {
                    auto moved = at;
                    moved[i] = v;
                    return loss_of(moved);
                },
                at[i]);
        };
        const auto l_of_w = [&](const std::vector<double>& v) { return loss<Act>(p, p.x, v, p.b); };
        const auto l_of_b = [&](const std::vector<double>& v) { return loss<Act>(p, p.x, p.w, v); };
        const auto l_of_x = [&](const std::vector<double>& v) { return loss<Act>(p, v, p.w, p.b); };
        std::size_t fd_oracle_errors = 0;
        const auto fd_check = [&](const char* what, auto loss_of, const std::vector<double>& at,
                                  const std::vector<double>& exact_gradient, auto got, auto tol) {
            const auto picks = sample(at.size());
            std::vector<double> fd(at.size());
            for (std::size_t i : picks) {
                fd[i] = difference(loss_of, at, i);
                if (!test::close(fd[i], exact_gradient[i], 1e-6, 1e-6) && ++fd_oracle_errors <= 5)
                    BOOST_ERROR(what << " entry " << i << ": difference " << fd[i] << " vs exact "
                                     << exact_gradient[i]);
            }
            check_entries(
                std::string(what) + " vs differences", picks.size(),
                [&](std::size_t s) { return got(picks[s]); },
                [&](std::size_t s) { return fd[picks[s]]; },
                [&](std::size_t s) { return tol(picks[s]); });
        };
        fd_check("dW", l_of_w, p.w, expected.dw, dw_at, dw_tol);
        fd_check("db", l_of_b, p.b, expected.db, db_at, db_tol);
        fd_check("dX", l_of_x, p.x, expected.dx, dx_at, dx_tol);
        BOOST_TEST(fd_oracle_errors == 0u);

        // 4. A second call accumulates into dw and db: twice the gradient. This one works in
        // place (dz = dy) and without dx, which must then stay as the first call left it.
        const std::vector<float> dx_first(dx.storage);
        buffer dy_again(rows * P, nan);
        for (std::size_t i = 0; i < rows * P; ++i)
            dy_again[i] = dy[i];
        kernels::dense_backward<Act, In, Out>(x.data(), x_stride, z_arg, y.data(), dy_again.data(),
                                              dy_again.data(), w.data(), dw.data(), db.data(),
                                              nullptr, 0, rows);
        check_entries("dW twice", In * Out, dw_at, times(expected.dw, 2),
                      [&](std::size_t i) { return 2 * dw_tol(i); });
        check_entries("db twice", Out, db_at, times(expected.db, 2),
                      [&](std::size_t i) { return 2 * db_tol(i); });
        BOOST_TEST((dx.storage == dx_first));
        std::size_t padding_after = 0;
        for (std::size_t k = 0; k < In; ++k)
            for (std::size_t j = Out; j < P; ++j)
                padding_after += dw[k * P + j] != 0.0f;
        for (std::size_t j = Out; j < P; ++j)
            padding_after += db[j] != 0.0f;
        BOOST_TEST(padding_after == 0u);

        // 5. The four step kernels one after the other give what the fused call gave.
        buffer dz2(rows * P, nan), dw2(layout::kernel_size), db2(layout::bias_size);
        buffer dx2(rows * dx_stride, sentinel, 1);
        kernels::dense_preactivation_gradient<Act, Out>(z_arg, y.data(), dy.data(), dz2.data(),
                                                        rows);
        kernels::dense_bias_gradient<Out>(dz2.data(), db2.data(), rows);
        kernels::dense_weight_gradient<In, Out>(x.data(), x_stride, dz2.data(), dw2.data(), rows);
        kernels::dense_input_gradient<In, Out>(dz2.data(), w.data(), dx2.data(), dx_stride, rows);
        const auto tiny = [](std::size_t) { return 1e-6; };
        check_entries(
            "unfused dZ", rows * P, [&](std::size_t i) { return dz2[i]; },
            [&](std::size_t i) { return dz[i]; }, tiny);
        check_entries(
            "unfused dW", layout::kernel_size, [&](std::size_t i) { return 2 * dw2[i]; },
            [&](std::size_t i) { return dw[i]; }, tiny);
        check_entries(
            "unfused db", layout::bias_size, [&](std::size_t i) { return 2 * db2[i]; },
            [&](std::size_t i) { return db[i]; }, tiny);
        check_entries(
            "unfused dX", rows * dx_stride, [&](std::size_t i) { return dx2[i]; },
            [&](std::size_t i) { return dx[i]; }, tiny);
    }
}

template <class Act>
void check_all_shapes() {
    for (std::size_t rows : {1, 3, 7, 64}) {
        check_backward<Act, 1, 1>(rows);
        check_backward<Act, 3, 3>(rows);
        check_backward<Act, 17, 17>(rows);
        check_backward<Act, 1, 17>(rows);
        check_backward<Act, 17, 1>(rows);
        check_backward<Act, 784, 10>(rows);
        check_backward<Act, 3, 130>(rows);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(dense_backward_test)

BOOST_AUTO_TEST_CASE(linear_layers) {
    check_all_shapes<linear>();
}
BOOST_AUTO_TEST_CASE(relu_layers) {
    check_all_shapes<relu>();
}
BOOST_AUTO_TEST_CASE(sigmoid_layers) {
    check_all_shapes<sigmoid>();
}
BOOST_AUTO_TEST_CASE(tanh_layers) {
    check_all_shapes<ctnn::tanh>();
}
BOOST_AUTO_TEST_CASE(gelu_layers_read_z) {
    check_all_shapes<gelu>();
}
BOOST_AUTO_TEST_CASE(softmax_layers) {
    check_all_shapes<softmax>();
}

BOOST_AUTO_TEST_SUITE_END()
