// ctnn/policies/init/initializer.hpp - the `initializer` concept every weight initialiser models.
//
// An initializer is a const, default-constructible policy type named like its Keras counterpart:
//
//     struct my_init {
//         static constexpr std::string_view name = "my_init";
//         template <std::uniform_random_bit_generator G>
//         void operator()(std::span<float> values, std::size_t fan_in, std::size_t fan_out,
//                         G& gen) const;
//     };
//
// It fills `values` (a layer's kernel of fan_in x fan_out values, or its bias) given the layer's
// fan-in and fan-out, drawing from `gen` (usually a ctnn::random_engine). Its parameters are
// std::ratio template parameters, because clang 14 has no floating-point template parameters.
#pragma once

#include "ctnn/policies/init/random.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>
#include <string_view>
#include <type_traits>

namespace ctnn {

template <class I>
concept initializer = std::default_initializable<I> &&
    std::same_as<std::remove_cv_t<decltype(I::name)>, std::string_view> &&
    requires(const I& init, std::span<float> values, std::size_t fan, random_engine& gen) {
    // The name must be a constant expression (it is used in summaries and weight files).
    typename std::integral_constant<std::size_t, I::name.size()>;
    init(values, fan, fan, gen);
};

namespace detail {

template <class T>
struct is_std_ratio : std::false_type {};
template <std::intmax_t Num, std::intmax_t Den>
struct is_std_ratio<std::ratio<Num, Den>> : std::true_type {};

// A std::ratio used as an initializer parameter, e.g. std::ratio<5, 100> for 0.05.
template <class T>
concept std_ratio = is_std_ratio<T>::value;

template <std_ratio R>
inline constexpr double ratio_value = static_cast<double>(R::num) / static_cast<double>(R::den);

} // namespace detail
} // namespace ctnn
