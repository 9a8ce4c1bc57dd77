// ctnn/network/bind_layers.hpp - compile-time shape inference over a network's layer list.
//
// Starting from the input shape, each layer description is bound to the shape the layer before
// it produces (`L::bound<Shape>`); the bound layer gives the next shape. The result is the
// std::tuple of bound layers a network stores. Boost.Hana does the list work (scan, zip).
#pragma once

#include "ctnn/core/shape.hpp"

#include <boost/hana/basic_tuple.hpp>
#include <boost/hana/drop_back.hpp>
#include <boost/hana/scan_left.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>
#include <boost/hana/unpack.hpp>
#include <boost/hana/zip_with.hpp>

#include <tuple>

namespace ctnn::detail {

namespace hana = boost::hana;

template <static_shape InputShape, class... Layers>
struct bind_layers {
    // shapes[i] is the input shape of layer i; the last one is the network's output shape.
    static constexpr auto shapes = hana::scan_left(
        hana::tuple_t<Layers...>, hana::type_c<InputShape>, [](auto in, auto layer) {
            using bound =
                typename decltype(layer)::type::template bound<typename decltype(in)::type>;
            return hana::type_c<typename bound::output_shape>;
        });

    static constexpr auto bound_layers = hana::zip_with(
        [](auto in, auto layer) {
            return hana::type_c<
                typename decltype(layer)::type::template bound<typename decltype(in)::type>>;
        },
        hana::drop_back(shapes), hana::tuple_t<Layers...>);

    using type = typename decltype(hana::unpack(bound_layers, hana::template_<std::tuple>))::type;
};

template <static_shape InputShape, class... Layers>
using bind_layers_t = typename bind_layers<InputShape, Layers...>::type;

} // namespace ctnn::detail
