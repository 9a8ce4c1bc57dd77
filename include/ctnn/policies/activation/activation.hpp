// ctnn/policies/activation/activation.hpp - what an activation is, and how to apply one to a row.
//
// An activation is a small policy struct (`relu`, `sigmoid`, `softmax`, ...) used as a template
// argument: `dense<128, relu>`. It comes in two kinds, each checked by a concept:
//
// elementwise_activation<A>: y = g(x) lane by lane.
//     static constexpr std::string_view name;        // the Keras name ("relu", "sigmoid", ...)
//     static constexpr bool elementwise = true;
//     static constexpr bool derivative_from_output;  // g'(x) is a function of y = g(x) alone
//     template <class V> static V f(V x) noexcept;   // V = float or simd::batch_t<float>
//     template <class V> static V df(V x, V y) noexcept;  // g'(x), given y = f(x)
//   When derivative_from_output is true, df must not read x: callers that kept only the outputs
//   pass y for x, and the backward pass then never needs the pre-activations.
//
// rowwise_activation<A>: y = g(z) for a whole row of N values (softmax).
//     static constexpr std::string_view name;
//     static constexpr bool elementwise = false;
//     template <std::size_t N> static void apply(const float* z, float* y) noexcept;
//     template <std::size_t N> static void backward(const float* y, const float* dy,
//                                                   float* dz) noexcept;
//   `backward` is the vector-Jacobian product dz = J(z)^T dy computed from the outputs y alone.
//   Pointers need not be aligned; y may be z and dz may be dy or y (same pointer, no partial
//   overlap).
//
// Either kind may also give, for inference in constant expressions and for export (a user's own
// activation gets constexpr_predict and export_header by providing them, no library edit):
//     static constexpr float constant_f(float x) noexcept;           // elementwise: g(x)
//     template <std::size_t N>
//     static constexpr void constant_apply(const float* z, float* y) noexcept;  // rowwise
//     static std::string spelling();  // the type in C++: "ctnn::relu",
//                                     // "ctnn::leaky_relu_with<std::ratio<1, 10>>"
//   The constant form follows f's arithmetic as closely as a constant expression can: bit for
//   bit where f has no transcendental function (relu, leaky_relu, linear, threshold), so that
//   constexpr_predict equals network::predict; otherwise through simd/constant_math.hpp (e^x,
//   ln x, ... in double), within an ulp or two. gelu has none (it needs erfc), nor have
//   fast_tanh and fast_sigmoid (their approximations are not reproduced). constant_activation<A>
//   and spelled_activation<A> say whether A has them; constant_apply_activation<A, N>(z, y)
//   applies the constant form to a row of N values.
//
// activation<A> is either kind. Code that does not care which calls the row helpers below:
//     apply_activation<A, N>(z, y);                 // y = g(z)
//     activation_backward<A, N>(z, y, dy, dz);      // dz = dy * g'(z), or J^T dy for rowwise
// Both run SIMD over whole vectors with a partial vector for the tail, need no alignment and
// work in place (y == z; dz == dy). `backward_reads_input_v<A>` says whether activation_backward
// reads z at all; when false, z may be nullptr and the caller need not keep pre-activations.
#pragma once

#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/simd/vector_loop.hpp"

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

namespace ctnn {

// clang-format 14 garbles `{ e } noexcept -> C;` and `requires {} && requires {}`.
// clang-format off
template <class A>
concept elementwise_activation =
    requires {
        { A::name } -> std::convertible_to<std::string_view>;
        { A::elementwise } -> std::convertible_to<bool>;
        { A::derivative_from_output } -> std::convertible_to<bool>;
        // Compile-time constants, not merely static members.
        typename std::integral_constant<std::size_t, std::string_view(A::name).size()>;
        typename std::bool_constant<A::derivative_from_output>;
        requires A::elementwise;
    } &&
    requires(float x, simd::batch_t<float> v) {
        { A::f(x) } noexcept -> std::same_as<float>;
        { A::f(v) } noexcept -> std::same_as<simd::batch_t<float>>;
        { A::df(x, x) } noexcept -> std::same_as<float>;
        { A::df(v, v) } noexcept -> std::same_as<simd::batch_t<float>>;
    };

template <class A>
concept rowwise_activation =
    requires {
        { A::name } -> std::convertible_to<std::string_view>;
        { A::elementwise } -> std::convertible_to<bool>;
        typename std::integral_constant<std::size_t, std::string_view(A::name).size()>;
        requires !A::elementwise;
    } &&
    requires(const float* in, float* out) {
        // Checked for a single value and for a row that is not a whole number of vectors.
        { A::template apply<1>(in, out) } noexcept;
        { A::template apply<17>(in, out) } noexcept;
        { A::template backward<1>(in, in, out) } noexcept;
        { A::template backward<17>(in, in, out) } noexcept;
    };
// clang-format on

template <class A>
concept activation = elementwise_activation<A> || rowwise_activation<A>;

// clang-format off
// Whether A has its constant-expression form (constant_f evaluated in a constant expression
// once here, so that a constant_f that is not constexpr counts as none).
template <class A>
concept constant_activation =
    (elementwise_activation<A> && requires(float x) {
        { A::constant_f(x) } noexcept -> std::same_as<float>;
        typename std::bool_constant<(static_cast<void>(A::constant_f(1.0f)), true)>;
    }) ||
    (rowwise_activation<A> && requires(const float* z, float* y) {
        { A::template constant_apply<1>(z, y) } noexcept;
        { A::template constant_apply<17>(z, y) } noexcept;
    });

// Whether A can be written as C++ (export_header).
template <class A>
concept spelled_activation = activation<A> && requires {
    { A::spelling() } -> std::convertible_to<std::string>;
};
// clang-format on

// y = g(z) for a row of N values in a constant expression. y may equal z.
template <constant_activation A, std::size_t N>
constexpr void constant_apply_activation(const float* z, float* y) noexcept {
    if constexpr (rowwise_activation<A>) {
        A::template constant_apply<N>(z, y);
    } else {
        for (std::size_t i = 0; i < N; ++i)
            y[i] = A::constant_f(z[i]);
    }
}

// Whether activation_backward<A, N> reads its `z` argument. Rowwise activations (softmax) and
// elementwise ones with derivative_from_output differentiate from the outputs alone.
template <activation A>
inline constexpr bool backward_reads_input_v = [] {
    if constexpr (elementwise_activation<A>)
        return !A::derivative_from_output;
    else
        return false;
}();

namespace detail {

// std::ratio or anything alike: the compile-time parameters of leaky_relu_with and elu_with.
template <class R>
concept ratio_like = requires {
    { R::num } -> std::convertible_to<long long>;
    { R::den } -> std::convertible_to<long long>;
};

template <class R>
inline constexpr float ratio_value_v = static_cast<float>(static_cast<double>(R::num) /
                                                          static_cast<double>(R::den));

} // namespace detail

// y[i] = g(z[i]) for i < N, or y = g(z) for a rowwise activation. y may equal z.
template <activation A, std::size_t N>
inline void apply_activation(const float* z, float* y) noexcept {
    if constexpr (rowwise_activation<A>) {
        A::template apply<N>(z, y);
    } else {
        simd::for_each_vector_then_partial<N>([&](std::size_t i, auto lanes) {
            simd::store_lanes(y + i, A::f(simd::load_lanes(z + i, lanes)), lanes);
        });
    }
}

// dz[i] = dy[i] * g'(z[i]) given y = g(z), or the vector-Jacobian product for a rowwise
// activation. z is not read when backward_reads_input_v<A> is false (it may then be nullptr).
// dz may equal dy (or y, or z).
template <activation A, std::size_t N>
inline void activation_backward(const float* z, const float* y, const float* dy,
                                float* dz) noexcept {
    if constexpr (rowwise_activation<A>) {
        A::template backward<N>(y, dy, dz);
    } else {
        using V = simd::batch_t<float>;
        // Pass y for x when the derivative is a function of the output: z stays untouched.
        const float* x = A::derivative_from_output ? y : z;
        simd::for_each_vector_then_partial<N>([&](std::size_t i, auto lanes) {
            const V yv = simd::load_lanes(y + i, lanes);
            const V xv = A::derivative_from_output ? yv : simd::load_lanes(x + i, lanes);
            simd::store_lanes(dz + i, simd::load_lanes(dy + i, lanes) * A::df(xv, yv), lanes);
        });
    }
}

} // namespace ctnn
