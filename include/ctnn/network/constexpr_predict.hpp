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
// The network object cannot run in a constant expression (its kernels are SIMD), so this runs
// each layer's constant form (layers/constant_layer.hpp): its `constants` (dense_constants<In,
// Units>, or no_constants for flatten and dropout) and `constant_forward`, which for a dense
// layer follows the batch-1 kernel's arithmetic (layers/dense_constants.hpp) and then its
// activation's constant form (`constant_f`, policies/activation/activation.hpp). A prediction
// agrees bit for bit with network::predict wherever both round the multiply-add the same way:
//   multiply_add::fused (default) - one rounding, as std::fma: the scalar build and FMA3 targets
//   multiply_add::unfused         - product and sum rounded apart: SIMD targets without FMA
//                                   (x86-64-v2)
// With xsimd 8 on AVX-512 the kernel's multiply-add is a multiply and an add that GCC contracts
// into one FMA and clang does not, so which mode matches depends on the compiler there.
// linear, relu, leaky_relu, threshold are exact. sigmoid, tanh, elu, softplus, swish and softmax
// use constexpr exponentials in double (simd/constant_math.hpp: within an ulp or two of xsimd's,
// not bit-identical); gelu, fast_tanh and fast_sigmoid have no constant form, and
// batch_normalization no constants (fold it first): constexpr_predictable_v is then false. A
// user's own layer or activation takes part by giving the same members. A program that needs
// run-time results identical to the trained network uses the network object loaded from the
// same arrays (load_constants), which runs the same kernel on the same weights.
//
// Budget: a constant expression of 784 x 128 multiply-adds is about 10^5 fused steps, within
// GCC's default limit but beyond clang's -fconstexpr-steps default (1048576 evaluation steps):
// static_assert on small networks; evaluate big ones at run time (it is still a plain loop).
#pragma once

#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <tuple>
#include <utility>

namespace ctnn {

namespace detail {

// Named in the error when a layer states no constants: the layer type appears in the
// instantiation line above the message.
template <class Layer>
struct layer_constants {
    static_assert(layer_with_constants<Layer>,
                  "constant parameters (constexpr_predict, export_header): this layer states no "
                  "`constants` (layers/constant_layer.hpp); for batch_normalization, export after "
                  "fold_batch_normalization");
    using type = no_constants;
};
template <layer_with_constants Layer>
struct layer_constants<Layer> {
    using type = typename Layer::constants;
};

template <class Net, class Indices>
struct constant_parameters_of;
template <class Net, std::size_t... I>
struct constant_parameters_of<Net, std::index_sequence<I...>> {
    using type =
        std::tuple<typename layer_constants<typename Net::template layer_type<I>>::type...>;
};

template <class Net, class Indices>
struct predictable;
template <class Net, std::size_t... I>
struct predictable<Net, std::index_sequence<I...>>
    : std::bool_constant<(constant_layer<typename Net::template layer_type<I>> && ...)> {};

} // namespace detail

// The constants of layer I (0-based, after the input) of Net: dense_constants<In, Units>,
// no_constants, or what a user's layer states.
template <class Net, std::size_t I>
using layer_constants_t =
    typename detail::layer_constants<typename Net::template layer_type<I>>::type;

// One entry per layer of Net, in order.
template <class Net>
using constant_parameters =
    typename detail::constant_parameters_of<Net, std::make_index_sequence<Net::layer_count>>::type;

// Whether constexpr_predict can run every layer (with its activation) of Net.
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
                  "constexpr_predict: a layer or activation of this network has no constant-"
                  "expression form (gelu needs erfc; an activation needs constexpr constant_f, a "
                  "layer constant_forward); predict with the network object instead");
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
        // A view without constant_forward is the identity at inference (constant_layer).
        if constexpr (constant_forward_layer<L>) {
            L::template constant_forward<Mode>(std::get<i>(p), current, next);
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
        if constexpr (!std::same_as<layer_constants_t<Net, i>, no_constants>)
            net.template layer<i>().load_constants(std::get<i>(p));
    });
}

} // namespace ctnn
