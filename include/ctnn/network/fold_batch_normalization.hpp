// ctnn/network/fold_batch_normalization.hpp - an inference network with every batch
// normalization folded into the dense layer before it.
//
//   using net_t = network<input<784>, dense<128>, batch_normalization<relu>, dense<10, softmax>>;
//   std::unique_ptr<folded_network_t<net_t>> fast = fold_batch_normalization(*net);
//   // folded_network_t<net_t> is network<input<784>, dense<128, relu>, dense<10, softmax>>
//
// At inference batch normalization is an affine map per feature, so a linear dense layer
// followed by batch_normalization<Act> is one dense<Units, Act> with
//   W'(i, j) = W(i, j) s_j,  b'_j = (b_j - moving_mean_j) s_j + beta_j,
//   s_j = gamma_j / sqrt(moving_variance_j + epsilon),
// and predict saves a pass over the activations. Every other layer is copied as it is. Only a
// dense layer with a linear activation can absorb a batch normalization; anything else before one
// is a compile error. The result is on the heap: a network holds its weights inline.
#pragma once

#include "ctnn/layers/batch_normalization.hpp"
#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/util/static_for.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <memory>
#include <tuple>
#include <type_traits>

namespace ctnn {

namespace detail {

template <class... Layers>
struct description_list {};

template <class T>
inline constexpr bool is_batch_normalization_v = false;
template <class A, class M, class E>
inline constexpr bool is_batch_normalization_v<batch_normalization<A, M, E>> = true;

template <class T>
inline constexpr bool is_linear_dense_v = false;
template <int U, class A, class... Options>
inline constexpr bool is_linear_dense_v<dense<U, A, Options...>> =
    std::is_same_v<typename dense<U, A, Options...>::activation_type, linear>;

template <class T>
inline constexpr bool fold_misplaced_v = false; // always false; delays the static_assert

// fold_layers<description_list<done...>, rest...>::type: the folded network of done... then
// rest....
template <class Done, class... Rest>
struct fold_layers;

template <class... Done>
struct fold_layers<description_list<Done...>> {
    using type = network<Done...>;
};

template <class... Done, class Layer, class... Rest>
struct fold_layers<description_list<Done...>, Layer, Rest...>
    : fold_layers<description_list<Done..., Layer>, Rest...> {};

// A linear dense layer and the batch normalization after it: one dense layer with the
// normalization's activation and the dense layer's options.
template <class... Done, int U, class DA, class... Options, class A, class M, class E,
          class... Rest>
requires(is_linear_dense_v<dense<U, DA, Options...>>) struct fold_layers<
    description_list<Done...>, dense<U, DA, Options...>, batch_normalization<A, M, E>, Rest...>
    : fold_layers<
          description_list<Done..., typename dense<U, DA, Options...>::template with_activation<A>>,
          Rest...> {
};

// A batch normalization not consumed by the rule above: nothing it could fold into.
template <class... Done, class A, class M, class E, class... Rest>
struct fold_layers<description_list<Done...>, batch_normalization<A, M, E>, Rest...>
    : fold_layers<description_list<Done..., batch_normalization<A, M, E>>, Rest...> {
    static_assert(fold_misplaced_v<A>,
                  "fold_batch_normalization: a batch_normalization layer can only be folded into a "
                  "dense layer with a linear activation right before it (dense<Units> or "
                  "dense<Units, linear>, then batch_normalization<Activation>)");
};

template <class Net>
struct folded_network;
template <class... Layers>
struct folded_network<network<Layers...>> {
    using type = typename fold_layers<description_list<>, Layers...>::type;

    // Descriptions after the input, and what becomes of each: copied, folded into (a linear
    // dense layer followed by a batch normalization) or absorbed (that batch normalization).
    using descriptions = std::tuple<Layers...>;
    static constexpr std::size_t count = sizeof...(Layers) - 1;
    enum class role { copied, folded_into, absorbed };
    static constexpr std::array<role, count> roles = [] {
        constexpr std::array<bool, count + 1> linear_dense{is_linear_dense_v<Layers>...};
        constexpr std::array<bool, count + 1> normalization{is_batch_normalization_v<Layers>...};
        std::array<role, count> r{};
        for (std::size_t i = 0; i < count; ++i) {
            if (i > 0 && r[i - 1] == role::folded_into)
                r[i] = role::absorbed;
            else if (i + 1 < count && linear_dense[i + 1] && normalization[i + 2])
                r[i] = role::folded_into;
            else
                r[i] = role::copied;
        }
        return r;
    }();
    // Index in the folded network of the layer that old layer i becomes (or is absorbed into).
    static constexpr std::array<std::size_t, count> new_index = [] {
        std::array<std::size_t, count> n{};
        std::size_t next = 0;
        for (std::size_t i = 0; i < count; ++i)
            n[i] = roles[i] == role::absorbed ? next - 1 : next++;
        return n;
    }();
};

// out = dense layer d followed by batch normalization b, as one dense layer (double arithmetic).
template <class Dense, class Normalization, class Out>
void fold_into(const Dense& d, const Normalization& b, Out& out) noexcept {
    constexpr std::size_t inputs = Dense::input_shape::size;
    constexpr std::size_t units = Dense::output_shape::size;
    for (std::size_t j = 0; j < units; ++j) {
        const double s =
            static_cast<double>(b.gamma(j)) /
            std::sqrt(static_cast<double>(b.moving_variance(j)) + double{Normalization::epsilon});
        for (std::size_t i = 0; i < inputs; ++i)
            out.weight(i, j) = static_cast<float>(static_cast<double>(d.weight(i, j)) * s);
        out.bias(j) = static_cast<float>(
            (static_cast<double>(d.bias(j)) - static_cast<double>(b.moving_mean(j))) * s +
            static_cast<double>(b.beta(j)));
    }
}

} // namespace detail

// The network type fold_batch_normalization returns.
template <class Net>
using folded_network_t = typename detail::folded_network<Net>::type;

// A new network computing net's inference predictions with every linear dense layer and the
// batch_normalization after it merged into one dense layer, as a
// std::unique_ptr<folded_network_t<Net>>; net is unchanged. (The return type is deduced so that a
// misplaced batch normalization fails in the body, with one message, not in overload resolution.)
template <class... Layers>
[[nodiscard]] auto fold_batch_normalization(const network<Layers...>& net) {
    using info = detail::folded_network<network<Layers...>>;
    using role = typename info::role;
    auto folded = std::make_unique<folded_network_t<network<Layers...>>>();
    static_for<info::count>([&](auto i) {
        constexpr std::size_t to = info::new_index[i];
        if constexpr (info::roles[i] == role::copied)
            folded->template layer<to>() = net.template layer<i>();
        else if constexpr (info::roles[i] == role::folded_into)
            detail::fold_into(net.template layer<i>(), net.template layer<i + 1>(),
                              folded->template layer<to>());
    });
    return folded;
}

template <class T>
void fold_batch_normalization(const T&) {
    static_assert(detail::fold_misplaced_v<T>,
                  "fold_batch_normalization takes a ctnn::network<...>");
}

} // namespace ctnn
