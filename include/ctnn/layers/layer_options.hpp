// ctnn/layers/layer_options.hpp - named layer options, spelled as Keras's keyword arguments, so
// that a layer takes any subset of them in any order:
//
//   dense<64, relu, kernel_regularizer<l2<std::ratio<1, 1000>>>>
//   dense<64, relu, activity_regularizer<l1<std::ratio<1, 10000>>>, kernel_initializer<he_normal>>
//
// Each option wraps one policy: kernel_initializer<I> and bias_initializer<I> an initializer
// (policies/init), kernel_regularizer<R>, bias_regularizer<R> and activity_regularizer<R> a
// regularizer (policies/regularizer). A wrapper around something else is a compile error that
// says what it takes. A layer reads its options with detail::option_or_t (the policy given, or
// the layer's default) and refuses unknown and repeated ones with static_asserts of its own on
// detail::options_known_v and detail::options_distinct_v.
#pragma once

#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/regularizer/regularizer.hpp"

#include <cstddef>
#include <type_traits>

namespace ctnn {

namespace detail {

enum class layer_option {
    kernel_initializer,
    bias_initializer,
    kernel_regularizer,
    bias_regularizer,
    activity_regularizer,
};

// What every option carries: its kind and the policy it wraps.
template <layer_option Kind, class Policy>
struct named_option {
    static constexpr layer_option option = Kind;
    using type = Policy;
};

} // namespace detail

// The initializer of a layer's kernel (Keras's kernel_initializer=).
template <class Initializer>
struct kernel_initializer
    : detail::named_option<detail::layer_option::kernel_initializer, Initializer> {
    static constexpr bool valid = initializer<Initializer>;
    static_assert(valid,
                  "kernel_initializer<Initializer>: Initializer must be an initializer policy such "
                  "as ctnn::he_normal, ctnn::glorot_uniform or ctnn::zeros");
};

// The initializer of a layer's bias (Keras's bias_initializer=).
template <class Initializer>
struct bias_initializer
    : detail::named_option<detail::layer_option::bias_initializer, Initializer> {
    static constexpr bool valid = initializer<Initializer>;
    static_assert(valid,
                  "bias_initializer<Initializer>: Initializer must be an initializer policy such "
                  "as ctnn::zeros, ctnn::ones or ctnn::constant_with<std::ratio<1, 10>>");
};

// A penalty on a layer's kernel (Keras's kernel_regularizer=).
template <class Regularizer>
struct kernel_regularizer
    : detail::named_option<detail::layer_option::kernel_regularizer, Regularizer> {
    static constexpr bool valid = regularizer<Regularizer>;
    static_assert(valid,
                  "kernel_regularizer<Regularizer>: Regularizer must be a regularizer policy such "
                  "as ctnn::l2<std::ratio<1, 1000>>, ctnn::l1<...> or ctnn::l1_l2<...>");
};

// A penalty on a layer's bias (Keras's bias_regularizer=).
template <class Regularizer>
struct bias_regularizer
    : detail::named_option<detail::layer_option::bias_regularizer, Regularizer> {
    static constexpr bool valid = regularizer<Regularizer>;
    static_assert(valid,
                  "bias_regularizer<Regularizer>: Regularizer must be a regularizer policy such "
                  "as ctnn::l2<std::ratio<1, 1000>>, ctnn::l1<...> or ctnn::l1_l2<...>");
};

// A penalty on a layer's outputs, averaged over the batch (Keras's activity_regularizer=).
template <class Regularizer>
struct activity_regularizer
    : detail::named_option<detail::layer_option::activity_regularizer, Regularizer> {
    static constexpr bool valid = regularizer<Regularizer>;
    static_assert(valid,
                  "activity_regularizer<Regularizer>: Regularizer must be a regularizer policy "
                  "such as ctnn::l1<std::ratio<1, 10000>>, ctnn::l2<...> or ctnn::l1_l2<...>");
};

namespace detail {

// Whether T is one of the wrappers above (told from its template alone: the wrapper is not
// instantiated, so its own message comes only where its contents are read).
template <class T>
inline constexpr bool is_layer_option_v = false;
template <class I>
inline constexpr bool is_layer_option_v<kernel_initializer<I>> = true;
template <class I>
inline constexpr bool is_layer_option_v<bias_initializer<I>> = true;
template <class R>
inline constexpr bool is_layer_option_v<kernel_regularizer<R>> = true;
template <class R>
inline constexpr bool is_layer_option_v<bias_regularizer<R>> = true;
template <class R>
inline constexpr bool is_layer_option_v<activity_regularizer<R>> = true;

// Whether T is the option of kind K (false for anything that is no option).
template <layer_option K, class T>
constexpr bool is_option_of_kind() {
    if constexpr (is_layer_option_v<T>)
        return T::option == K;
    else
        return false;
}

// The policy of the option of kind K among Options, or Default when there is none (or when
// what it wraps is not a policy of its kind: its wrapper has said so, and the layer builds on
// with the default rather than adding errors of its own).
template <layer_option K, class Default, class... Options>
struct option_or {
    using type = Default;
};
template <layer_option K, class Default, class First, class... Rest>
struct option_or<K, Default, First, Rest...> : option_or<K, Default, Rest...> {};
template <layer_option K, class Default, class First, class... Rest>
requires(is_option_of_kind<K, First>()) struct option_or<K, Default, First, Rest...> {
    using type = std::conditional_t<First::valid, typename First::type, Default>;
};
template <layer_option K, class Default, class... Options>
using option_or_t = typename option_or<K, Default, Options...>::type;

// How many of Options are of kind K.
template <layer_option K, class... Options>
inline constexpr std::size_t option_count_v = (std::size_t{0} + ... +
                                               (is_option_of_kind<K, Options>() ? 1 : 0));

// Every one of Options is a named option; none is given twice.
template <class... Options>
inline constexpr bool options_known_v = (is_layer_option_v<Options> && ...);

template <class... Options>
inline constexpr bool options_distinct_v =
    option_count_v<layer_option::kernel_initializer, Options...> <= 1 &&
    option_count_v<layer_option::bias_initializer, Options...> <= 1 &&
    option_count_v<layer_option::kernel_regularizer, Options...> <= 1 &&
    option_count_v<layer_option::bias_regularizer, Options...> <= 1 &&
    option_count_v<layer_option::activity_regularizer, Options...> <= 1;

} // namespace detail

} // namespace ctnn
