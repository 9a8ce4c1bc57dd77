// ctnn/layers/flatten.hpp - `flatten`: a sample of any rank seen as one vector.
//
// Tensors are stored row-major, so flattening is free: the layer is a view of its input's
// memory and the network runs no code for it.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/layers/constant_layer.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace ctnn {

namespace detail {
template <static_shape In>
struct flatten_layer {
    using input_shape = In;
    using output_shape = flat_shape_t<In>;
    static constexpr std::size_t param_count = 0;
    static constexpr bool is_view = true;
    static std::string name() { return "flatten"; }
    // No parameters at inference, a view: constexpr_predict and export_header
    // (layers/constant_layer.hpp, spelled_layer.hpp).
    using constants = no_constants;
    static std::string spelling() { return "ctnn::flatten"; }
};
} // namespace detail

struct flatten {
    static constexpr std::string_view kind = "flatten";
    template <static_shape In>
    using bound = detail::flatten_layer<In>;
};

} // namespace ctnn
