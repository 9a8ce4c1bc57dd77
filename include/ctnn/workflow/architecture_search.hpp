// ctnn/workflow/architecture_search.hpp - a grid over compile-time variants (network types) and
// run-time hyperparameters together, in one call, ranked in one table.
//
//   template <class Hidden, class Act>
//   using model = ctnn::network<ctnn::input<9>, ctnn::dense<Hidden::value, Act>,
//                               ctnn::dense<1, ctnn::sigmoid>>;
//   constexpr auto models = ctnn::variants<model>(hana::tuple_c<std::size_t, 16, 32, 64>,
//                                                 hana::tuple_t<ctnn::relu, ctnn::tanh>); // 6
//   const auto result = ctnn::architecture_search(
//       models, ctnn::grid{{"learning_rate", {1e-3, 1e-2}}}, ctnn::kfold_splits(n, 5, 1),
//       [&](auto variant, const ctnn::trial& t) {
//           using net_t = typename decltype(variant)::type;
//           auto net = std::make_unique<net_t>(t.seed);
//           ...   // as for grid_search
//       });
//   result.print();   // the variant column names each network's layers
//
// Layer sizes, activations, dropout rates, regularization factors and the batch size are
// template arguments, so they are searched as a list of types: any hana::tuple of hana::types
// (hana::tuple_t<net_a, net_b>), or `variants<Template>(lists...)`, the Cartesian product of
// the lists (hana::cartesian_product) with Template applied to each combination. A list holds
// types (hana::tuple_t<...>) or integral constants (hana::tuple_c<std::size_t, 16, 32>, passed
// to Template as hana::integral_constant, whose ::value is the number). To search a batch size,
// make Template a struct naming the network and the batch size, with a static name():
//
//   template <class Hidden, class Batch> struct candidate {
//       using network = model<Hidden, ctnn::relu>;
//       static constexpr std::size_t batch_size = Batch::value;
//       static std::string name() { return "hidden " + std::to_string(Hidden::value) + ...; }
//   };
//
// The objective is a generic callable objective(hana::type_c<V>, trial) returning the score.
// The table names each variant by V::name() if V has one, else by its network's layers
// ("dense<16, relu> -> dense<1, sigmoid>", with l1/l2 factors of regularized layers).
#pragma once

#include "ctnn/workflow/grid_search.hpp"
#include "ctnn/workflow/search_space.hpp"
#include "ctnn/workflow/split.hpp"

#include <boost/hana/cartesian_product.hpp>
#include <boost/hana/core/tag_of.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/transform.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>
#include <boost/hana/unpack.hpp>

#include <concepts>
#include <cstddef>
#include <cstdio>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn {

namespace detail {

// What an element of a variants<> list stands for: T for hana::type_c<T>, else the element's
// own type (hana::size_c<16> is hana::integral_constant<std::size_t, 16>).
template <class X, bool = std::is_same_v<boost::hana::tag_of_t<X>, boost::hana::type_tag>>
struct variant_argument {
    using type = X;
};
template <class X>
struct variant_argument<X, true> {
    using type = typename X::type;
};

template <class X>
using variant_argument_t = typename variant_argument<std::remove_cvref_t<X>>::type;

// Template<Args...> through a class template: GCC refuses a function parameter pack expanded
// into an alias template's fixed parameters (CWG 1430), which a user's `model` usually is.
template <template <class...> class Template, class... Args>
struct apply_template {
    using type = Template<Args...>;
};

template <class T>
inline constexpr bool is_hana_tuple_v =
    std::is_same_v<boost::hana::tag_of_t<T>, boost::hana::tuple_tag>;

template <class Net>
concept layer_list = requires {
    Net::layer_count;
    typename Net::template layer_type<0>;
};

// A layer's name, with the factors of its weight penalties, which dense's name leaves out.
template <class L>
std::string layer_label() {
    std::string name = L::name();
    if constexpr (requires {
                      L::kernel_regularizer_type::l1;
                      L::kernel_regularizer_type::l2;
                  }) {
        using R = typename L::kernel_regularizer_type;
        char text[64];
        if (R::l1 != 0.0f && R::l2 != 0.0f)
            std::snprintf(text, sizeof text, " l1_l2(%g, %g)", static_cast<double>(R::l1),
                          static_cast<double>(R::l2));
        else if (R::l1 != 0.0f)
            std::snprintf(text, sizeof text, " l1(%g)", static_cast<double>(R::l1));
        else
            std::snprintf(text, sizeof text, " l2(%g)", static_cast<double>(R::l2));
        name += text;
    }
    return name;
}

template <layer_list Net>
std::string layers_name() {
    std::string text;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((text += (I == 0 ? "" : " -> ") + layer_label<typename Net::template layer_type<I>>()),
         ...);
    }
    (std::make_index_sequence<Net::layer_count>{});
    return text;
}

template <class V>
inline constexpr bool nameable_variant_v = requires {
    { V::name() } -> std::convertible_to<std::string>;
}
|| layer_list<V> || requires {
    requires layer_list<typename V::network>;
};

} // namespace detail

// The name of a variant in the table: V::name(), else the layers of V (a network) or of
// V::network.
template <class V>
std::string variant_name() {
    static_assert(detail::nameable_variant_v<V>,
                  "architecture_search: each variant must be a ctnn::network, or a type with a "
                  "`static std::string name()` or a `network` member type naming one");
    if constexpr (requires {
                      { V::name() } -> std::convertible_to<std::string>;
                  })
        return V::name();
    else if constexpr (detail::layer_list<V>)
        return detail::layers_name<V>();
    else if constexpr (detail::nameable_variant_v<V>)
        return detail::layers_name<typename V::network>();
    else
        return {};
}

// Template applied to every combination of one element from each list (the first list varying
// slowest): a hana::tuple of hana::type_c<Template<...>>.
template <template <class...> class Template, class... Lists>
constexpr auto variants(Lists... lists) {
    static_assert(sizeof...(Lists) > 0,
                  "variants<Template>(lists...): give at least one list, e.g. "
                  "hana::tuple_c<std::size_t, 16, 32> or hana::tuple_t<ctnn::relu, ctnn::tanh>");
    static_assert((detail::is_hana_tuple_v<Lists> && ...),
                  "variants<Template>(lists...): every list must be a hana::tuple, e.g. "
                  "hana::tuple_c<std::size_t, 16, 32> or hana::tuple_t<ctnn::relu, ctnn::tanh>");
    namespace hana = boost::hana;
    return hana::transform(
        hana::cartesian_product(hana::make_tuple(lists...)), [](auto combination) {
            return hana::unpack(combination, [](auto... xs) {
                return hana::type_c<typename detail::apply_template<
                    Template, detail::variant_argument_t<decltype(xs)>...>::type>;
            });
        });
}

namespace detail {

template <class Objective, class V>
inline constexpr bool variant_objective_v = [] {
    using tag = std::remove_cvref_t<decltype(boost::hana::type_c<V>)>;
    if constexpr (std::is_invocable_v<const Objective&, tag, const trial&>)
        return std::convertible_to<std::invoke_result_t<const Objective&, tag, const trial&>,
                                   double>;
    else
        return false;
}();

} // namespace detail

// Scores every variant with every configuration of `space` on every split, in one parallel run
// and one table; see the header comment.
template <class Variants, class Objective>
search_result architecture_search(Variants variants, const grid& space,
                                  const std::vector<split>& splits, const Objective& objective,
                                  const search_options& options = {}) {
    namespace hana = boost::hana;
    static_assert(detail::is_hana_tuple_v<Variants>,
                  "architecture_search: the variants must be a hana::tuple of types, e.g. "
                  "hana::tuple_t<net_a, net_b> or ctnn::variants<model>(...)");
    std::vector<std::string> names;
    std::vector<detail::trial_evaluator> evaluators;
    bool all_valid = true;
    hana::for_each(variants, [&](auto v) {
        static_assert(std::is_same_v<hana::tag_of_t<decltype(v)>, hana::type_tag>,
                      "architecture_search: every variant must be a type, hana::type_c<...>");
        using V = typename decltype(v)::type;
        constexpr bool ok = detail::variant_objective_v<Objective, V>;
        static_assert(ok, "architecture_search: the objective must be callable as "
                          "objective(hana::type_c<Variant>, trial) for every variant (and const: "
                          "it runs on several threads at once), returning the fit's score as a "
                          "number");
        if constexpr (ok) {
            names.push_back(variant_name<V>());
            evaluators.push_back(
                [&objective, v](const trial& t) { return static_cast<double>(objective(v, t)); });
        } else {
            all_valid = false;
        }
    });
    if (!all_valid)
        return {};
    std::vector<detail::search_candidate> candidates;
    candidates.reserve(names.size() * space.size());
    for (std::size_t v = 0; v < names.size(); ++v)
        for (std::size_t i = 0; i < space.size(); ++i)
            candidates.push_back({names[v], space[i], v});
    return detail::run_search("architecture search", candidates, evaluators, splits, options);
}

} // namespace ctnn
