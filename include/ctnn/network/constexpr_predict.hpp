// ctnn/network/constexpr_predict.hpp - inference in a constant expression, from weights held in
// constant arrays (the form ctnn::export_header writes).
//
//   using net_t = ctnn::network<ctnn::input<2>, ctnn::dense<2, ctnn::relu>,
//                               ctnn::dense<1, ctnn::linear>>;
//   inline constexpr std::array<float, 4> k0{1, 1, 1, 1};  // [In][Units], Keras's layout
//   inline constexpr std::array<float, 2> b0{0, -1};
//   inline constexpr std::array<float, 2> k1{1, -2};
//   inline constexpr std::array<float, 1> b1{0};
//   inline constexpr ctnn::constant_parameters<net_t> xor_weights{
//       ctnn::layer_constants_t<net_t, 0>{k0, b0}, ctnn::layer_constants_t<net_t, 1>{k1, b1}};
//   static_assert(ctnn::constexpr_predict<net_t>(xor_weights, {1, 0})[0] == 1);
//   ctnn::load_constants(net, xor_weights); // the same weights in a (SIMD) network object
//
// The network object cannot run in a constant expression (its kernels are SIMD), so this is a
// plain scalar loop over the arrays. It follows the batch-1 kernel's arithmetic
// (kernels/dense_forward.hpp): z = b + sum_i x_i W_ij with the same interleaved partial sums,
// each step one multiply-add, so that a prediction agrees bit for bit with network::predict
// wherever both round the multiply-add the same way:
//   multiply_add::fused (default) - one rounding, as std::fma: the scalar build and FMA3 targets
//   multiply_add::unfused         - product and sum rounded apart: SIMD targets without FMA
//                                   (x86-64-v2)
// With xsimd 8 on AVX-512 the kernel's multiply-add is a multiply and an add that GCC contracts
// into one FMA and clang does not, so which mode matches depends on the compiler there.
// linear, relu, leaky_relu, threshold are exact. sigmoid, tanh, elu, softplus, swish and softmax
// use constexpr exponentials in double (within an ulp or two of xsimd's, not bit-identical); gelu
// has no constant-expression version (constexpr_predictable_v is false). A program that needs
// run-time results identical to the trained network uses the network object loaded from the
// same arrays (load_constants), which runs the same kernel on the same weights.
//
// Budget: a constant expression of 784 x 128 multiply-adds is about 10^5 fused steps, within
// GCC's default limit but beyond clang's -fconstexpr-steps default (1048576 evaluation steps):
// static_assert on small networks; evaluate big ones at run time (it is still a plain loop).
#pragma once

#include "ctnn/kernels/dense_tile.hpp"
#include "ctnn/util/static_for.hpp"
#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/dropout.hpp"
#include "ctnn/layers/flatten.hpp"
#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/simd/batch.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

namespace ctnn {

// The constant parameters of one dense layer: kernel [In][Units] row-major (Keras), bias [Units].
template <std::size_t In, std::size_t Units>
struct dense_constants {
    std::span<const float, In * Units> kernel;
    std::span<const float, Units> bias;
};

// A layer without parameters (flatten; dropout, the identity at inference).
struct no_constants {};

// How each multiply-add of a dense layer is rounded (see the header comment).
enum class multiply_add { fused, unfused };

namespace detail {

template <class Layer>
inline constexpr bool no_constant_form_v = false;

template <class Layer>
struct layer_constants {
    static_assert(no_constant_form_v<Layer>,
                  "constant parameters and constexpr_predict know dense, flatten and dropout "
                  "layers only; this network has a layer of another kind");
};
template <std::size_t In, std::size_t Units, class Act, class KernelInit, class BiasInit,
          class KernelReg, class BiasReg, class ActivityReg>
struct layer_constants<
    dense_layer<In, Units, Act, KernelInit, BiasInit, KernelReg, BiasReg, ActivityReg>> {
    using type = dense_constants<In, Units>;
};
template <class In>
struct layer_constants<flatten_layer<In>> {
    using type = no_constants;
};
template <class In, class Rate>
struct layer_constants<dropout_layer<In, Rate>> {
    using type = no_constants;
};

template <class Net, class Indices>
struct constant_parameters_of;
template <class Net, std::size_t... I>
struct constant_parameters_of<Net, std::index_sequence<I...>> {
    using type =
        std::tuple<typename layer_constants<typename Net::template layer_type<I>>::type...>;
};

} // namespace detail

// dense_constants<In, Units> or no_constants for layer I (0-based, after the input) of Net.
template <class Net, std::size_t I>
using layer_constants_t =
    typename detail::layer_constants<typename Net::template layer_type<I>>::type;

// One entry per layer of Net, in order.
template <class Net>
using constant_parameters =
    typename detail::constant_parameters_of<Net, std::make_index_sequence<Net::layer_count>>::type;

namespace detail::constant_math {

// Multiply-adds with the rounding of the kernel's fma. a * b is exact in double (24 + 24 bits);
// the sum p + c is rounded to odd at double precision, after which one rounding to float is
// the correctly rounded fma (Boldo and Melquiond: 53 >= 24 + 2 bits).
constexpr float fused_multiply_add(float a, float b, float c) noexcept {
    const double p = static_cast<double>(a) * static_cast<double>(b);
    const double cd = c;
    const double s = p + cd;
    if (s - s != 0.0) // inf or nan: nothing to correct
        return static_cast<float>(s);
    const double bp = s - cd; // Knuth's two-sum: s + e == p + c exactly
    const double e = (p - bp) + (cd - (s - bp));
    auto bits = std::bit_cast<std::uint64_t>(s);
    if (e != 0.0 && (bits & 1u) == 0u) // inexact and even: step to the odd neighbour towards p + c
        bits = (e > 0.0) == (s > 0.0) ? bits + 1u : bits - 1u;
    return static_cast<float>(std::bit_cast<double>(bits));
}
constexpr float unfused_multiply_add(float a, float b, float c) noexcept {
    // The product is rounded to float through a conversion, which no compiler contracts.
    const auto p = static_cast<float>(static_cast<double>(a) * static_cast<double>(b));
    return p + c;
}

inline constexpr double ln2_hi = 6.93147180369123816490e-01;
inline constexpr double ln2_lo = 1.90821492927058770002e-10;

// e^x in double: x = k ln2 + r with |r| <= ln2 / 2, a Taylor polynomial for e^r, then 2^k.
constexpr double exp(double x) noexcept {
    if (x != x)
        return x;
    if (x > 709.78)
        return std::numeric_limits<double>::infinity();
    if (x < -745.2)
        return 0.0;
    const double kd = x * 1.4426950408889634 + (x < 0 ? -0.5 : 0.5);
    const auto k = static_cast<int>(kd);
    const double r = (x - k * ln2_hi) - k * ln2_lo;
    double term = 1.0, sum = 1.0;
    for (int n = 1; n <= 14; ++n) {
        term *= r / n;
        sum += term;
    }
    // 2^k in two factors, so that k down to -1075 stays within the normal exponents.
    const int k1 = k / 2, k2 = k - k1;
    const double s1 = std::bit_cast<double>(static_cast<std::uint64_t>(k1 + 1023) << 52);
    const double s2 = std::bit_cast<double>(static_cast<std::uint64_t>(k2 + 1023) << 52);
    return sum * s1 * s2;
}

// e^x - 1 without the cancellation near 0.
constexpr double expm1(double x) noexcept {
    if (x > -1e-5 && x < 1e-5)
        return x + x * x / 2 + x * x * x / 6;
    return exp(x) - 1.0;
}

// ln x for x > 0: x = m 2^k with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)).
constexpr double log(double x) noexcept {
    if (!(x > 0.0))
        return x == 0.0 ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::quiet_NaN();
    if (x == std::numeric_limits<double>::infinity())
        return x;
    int k = 0;
    while (x < 0x1p-900) { // subnormal and tiny: scale into the normal range first
        x *= 0x1p+900;
        k -= 900;
    }
    const auto bits = std::bit_cast<std::uint64_t>(x);
    k += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    double m = std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > 1.4142135623730951) {
        m /= 2;
        ++k;
    }
    const double s = (m - 1) / (m + 1), s2 = s * s;
    double term = s, sum = 0.0;
    for (int n = 1; n <= 41; n += 2) {
        sum += term / n;
        term *= s2;
    }
    return 2 * sum + k * ln2_hi + k * ln2_lo;
}

// ln(1 + x) for x > -1, accurate for tiny x: u = 1 + x rounded, then ln(u) x / (u - 1).
constexpr double log1p(double x) noexcept {
    const double u = 1.0 + x;
    if (u == 1.0)
        return x;
    return log(u) * x / (u - 1.0);
}

constexpr double sigmoid(double x) noexcept {
    const double e = exp(x < 0 ? x : -x);
    return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

constexpr double tanh(double x) noexcept {
    const double a = x < 0 ? -x : x;
    const double t = a > 20 ? 1.0 : expm1(2 * a) / (expm1(2 * a) + 2);
    return x < 0 ? -t : t;
}

} // namespace detail::constant_math

namespace detail {

// The constant-expression version of each activation: `f(float)` for elementwise ones,
// `apply<N>(z, y)` for softmax.
template <class Act>
struct constant_activation {
    static constexpr bool supported = false;
};
template <>
struct constant_activation<linear> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept { return x; }
};
template <>
struct constant_activation<relu> {
    static constexpr bool supported = true;
    // As simd::max(x, 0): the scalar build's `x < 0 ? 0 : x`, or the SIMD max instruction's
    // `x > 0 ? x : 0` (they differ for -0 and NaN only).
    static constexpr float f(float x) noexcept {
        if constexpr (simd::width_v<float> == 1)
            return x < 0.0f ? 0.0f : x;
        else
            return x > 0.0f ? x : 0.0f;
    }
};
template <>
struct constant_activation<threshold> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept { return x >= 0.0f ? 1.0f : 0.0f; }
};
template <class Slope>
struct constant_activation<leaky_relu_with<Slope>> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept {
        return x > 0.0f ? x : leaky_relu_with<Slope>::negative_slope * x;
    }
};
template <class Alpha>
struct constant_activation<elu_with<Alpha>> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept {
        return x > 0.0f ? x
                        : elu_with<Alpha>::alpha *
                              static_cast<float>(constant_math::expm1(x < 0.0f ? x : 0.0f));
    }
};
template <>
struct constant_activation<sigmoid> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept {
        return static_cast<float>(constant_math::sigmoid(x));
    }
};
template <>
struct constant_activation<tanh> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept {
        return static_cast<float>(constant_math::tanh(x));
    }
};
template <>
struct constant_activation<softplus> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept {
        const double a = x < 0.0f ? -static_cast<double>(x) : x;
        return static_cast<float>((x > 0.0f ? static_cast<double>(x) : 0.0) +
                                  constant_math::log1p(constant_math::exp(-a)));
    }
};
template <>
struct constant_activation<swish> {
    static constexpr bool supported = true;
    static constexpr float f(float x) noexcept {
        return static_cast<float>(x * constant_math::sigmoid(x));
    }
};
template <>
struct constant_activation<softmax> {
    static constexpr bool supported = true;
    // As softmax::apply: the maximum subtracted, e^(z - m) summed, scaled by 1 / sum.
    template <std::size_t N>
    static constexpr void apply(const float* z, float* y) noexcept {
        float m = z[0];
        for (std::size_t i = 1; i < N; ++i)
            m = z[i] > m ? z[i] : m;
        float sum = 0.0f;
        for (std::size_t i = 0; i < N; ++i) {
            y[i] = static_cast<float>(constant_math::exp(z[i] - m));
            sum += y[i];
        }
        const float scale = 1.0f / sum;
        for (std::size_t i = 0; i < N; ++i)
            y[i] *= scale;
    }
};

template <class Layer>
struct constant_layer_support : std::true_type {}; // views
template <std::size_t In, std::size_t Units, class Act, class KernelInit, class BiasInit,
          class KernelReg, class BiasReg, class ActivityReg>
struct constant_layer_support<
    dense_layer<In, Units, Act, KernelInit, BiasInit, KernelReg, BiasReg, ActivityReg>>
    : std::bool_constant<constant_activation<Act>::supported> {};

template <class Net, class Indices>
struct predictable;
template <class Net, std::size_t... I>
struct predictable<Net, std::index_sequence<I...>>
    : std::bool_constant<(constant_layer_support<typename Net::template layer_type<I>>::value &&
                          ...)> {};

// z[j] = b[j] + sum_i x[i] W[i][j] in the batch-1 kernel's order: output vectors in blocks of
// row_tile's width, each block's inputs split into k_split interleaved partial sums (partial
// sum 0 starts from the bias, the others from 0), the partial sums added in order at the end.
// A single output is the kernel's dot path (kernels/dense_forward.hpp, dense_forward_dot):
// min(In, fma_chains) interleaved chains from 0, each a correctly rounded fma (std::fma in every
// build), the remainder on the first chains, a pairwise sum of the chains, then the bias.
template <std::size_t In>
constexpr float dense_dot(const float* x, const float* w, float bias) noexcept {
    constexpr std::size_t chains = In < kernels::fma_chains ? In : kernels::fma_chains;
    constexpr std::size_t k_main = In / chains * chains;
    std::array<float, chains> acc{};
    for (std::size_t k = 0; k < k_main; ++k)
        acc[k % chains] = constant_math::fused_multiply_add(x[k], w[k], acc[k % chains]);
    for (std::size_t s = 0; s < In - k_main; ++s)
        acc[s] = constant_math::fused_multiply_add(x[k_main + s], w[k_main + s], acc[s]);
    for (std::size_t width = chains; width > 1; width = (width + 1) / 2)
        for (std::size_t i = 0; i < width / 2; ++i)
            acc[i] += acc[i + (width + 1) / 2];
    return acc[0] + bias;
}

template <multiply_add Mode, std::size_t In, std::size_t Units>
constexpr void dense_preactivation(const dense_constants<In, Units>& p, const float* x,
                                   float* z) noexcept {
    if constexpr (Units == 1) {
        z[0] = dense_dot<In>(x, p.kernel.data(), p.bias[0]);
        return;
    }
    constexpr std::size_t width = simd::width_v<float>;
    constexpr std::size_t vectors = simd::padded_size<float>(Units) / width;
    constexpr std::size_t block = kernels::row_tile(vectors, In).vectors;
    constexpr std::size_t full_blocks = vectors / block;
    constexpr std::size_t full_split = kernels::row_tile(block, In).k_split;
    constexpr std::size_t rest_split =
        vectors % block == 0 ? 1 : kernels::row_tile(vectors % block, In).k_split;
    constexpr std::size_t max_split = std::max(full_split, rest_split);
    for (std::size_t j = 0; j < Units; ++j) {
        const std::size_t k_split = j / width / block < full_blocks ? full_split : rest_split;
        std::array<float, max_split> acc{};
        acc[0] = p.bias[j];
        const std::size_t k_main = In / k_split * k_split;
        for (std::size_t k = 0; k < In; ++k) {
            float& a = acc[k < k_main ? k % k_split : 0];
            if constexpr (Mode == multiply_add::fused)
                a = constant_math::fused_multiply_add(x[k], p.kernel[k * Units + j], a);
            else
                a = constant_math::unfused_multiply_add(x[k], p.kernel[k * Units + j], a);
        }
        float sum = acc[0];
        for (std::size_t s = 1; s < k_split; ++s)
            sum += acc[s];
        z[j] = sum;
    }
}

} // namespace detail

// Whether constexpr_predict supports every layer and activation of Net.
template <class Net>
inline constexpr bool constexpr_predictable_v =
    detail::predictable<Net, std::make_index_sequence<Net::layer_count>>::value;

// Net's prediction for one sample x (its input shape flattened, row-major), computed from the
// constant parameters p. Usable in constant expressions.
template <class Net, multiply_add Mode = multiply_add::fused>
[[nodiscard]] constexpr std::array<float, Net::output_shape::size>
constexpr_predict(const constant_parameters<Net>& p,
                  const std::array<float, Net::input_shape::size>& x) noexcept {
    static_assert(constexpr_predictable_v<Net>,
                  "constexpr_predict: an activation of this network has no constant-expression "
                  "version (gelu needs erfc); predict with the network object instead");
    constexpr std::size_t widest = [] {
        std::size_t w = Net::input_shape::size;
        static_for<Net::layer_count>(
            [&](auto i) { w = std::max(w, Net::template layer_type<i>::output_shape::size); });
        return w;
    }();
    std::array<float, widest> a{}, b{};
    std::copy(x.begin(), x.end(), a.begin());
    float* current = a.data();
    float* next = b.data();
    static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::template layer_type<i>;
        if constexpr (!std::is_same_v<layer_constants_t<Net, i>, no_constants>) {
            constexpr std::size_t units = L::output_shape::size;
            using act = detail::constant_activation<typename L::activation_type>;
            detail::dense_preactivation<Mode>(std::get<i>(p), current, next);
            if constexpr (L::activation_type::elementwise) {
                for (std::size_t j = 0; j < units; ++j)
                    next[j] = act::f(next[j]);
            } else {
                act::template apply<units>(next, next);
            }
            std::swap(current, next);
        }
    });
    std::array<float, Net::output_shape::size> y{};
    std::copy_n(current, y.size(), y.begin());
    return y;
}

// Copies the constant parameters into a network object (its padded SIMD storage).
template <class Net>
void load_constants(Net& net, const constant_parameters<Net>& p) noexcept {
    static_for<Net::layer_count>([&](auto i) {
        if constexpr (!std::is_same_v<layer_constants_t<Net, i>, no_constants>) {
            constexpr std::size_t in = Net::template layer_type<i>::input_shape::size;
            constexpr std::size_t units = Net::template layer_type<i>::output_shape::size;
            auto& layer = net.template layer<i>();
            const auto& c = std::get<i>(p);
            for (std::size_t r = 0; r < in; ++r)
                for (std::size_t j = 0; j < units; ++j)
                    layer.weight(r, j) = c.kernel[r * units + j];
            for (std::size_t j = 0; j < units; ++j)
                layer.bias(j) = c.bias[j];
        }
    });
}

} // namespace ctnn
