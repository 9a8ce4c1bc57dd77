// ctnn/network/forward_layers.hpp - inference through a range of a network's layers: what
// network::predict runs, and what a view of part of a network (network/subnetwork.hpp) runs.
//
//   detail::forward_layers<Begin, End, Rows>(net.layers(), x, y, y_stride, rows);
//   auto y = detail::predict_tensor<InputShape, OutputShape>(x, runner);  // sample or batch
//
// Layers [Begin, End) run in order on rows (<= Rows) samples, ping-ponging between two aligned
// buffers on the stack (Rows × the widest padded output each); views (flatten, dropout and
// noise at inference) run no code. No allocation, noexcept.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>

namespace ctnn::detail {

// Named in the error when predict gets a tensor of another shape: both shapes appear in the
// instantiation line above the message.
template <class NetworkInputShape, class GivenTensor>
struct predict_input_check {
    static_assert(std::is_same_v<GivenTensor, void>,
                  "predict: the tensor's shape is neither the network's input shape (one sample) "
                  "nor shape<B, input shape...> (a batch of B samples)");
};

template <class X, class SampleShape>
struct batch_of : std::false_type {};
template <std::size_t B, std::size_t... Dims, std::size_t... Sample>
requires(std::is_same_v<shape<Dims...>, shape<Sample...>>) struct batch_of<
    tensor<float, shape<B, Dims...>>, shape<Sample...>> : std::true_type {
    static constexpr std::size_t size = B;
};


// The widest padded output of layers [Begin, End): the size of each ping-pong buffer per row.
template <class Layers, std::size_t Begin, std::size_t End>
inline constexpr std::size_t widest_output_v = [] {
    std::size_t widest = 0;
    static_for<End - Begin>([&](auto i) {
        using L = std::tuple_element_t<Begin + i, Layers>;
        widest = std::max(widest, simd::padded_size<float>(L::output_shape::size));
    });
    return widest;
}();

// Runs rows (<= Rows) samples of x (rows of the first layer's input size, unpadded) through
// layers [Begin, End); `out` receives rows of the last layer's output size, out_stride apart.
// OutIsTensor: out is a tensor's storage (aligned, padded to whole vectors); otherwise it is the
// caller's memory, of any alignment, holding exactly rows × out_stride floats.
template <std::size_t Begin, std::size_t End, std::size_t Rows, bool OutIsTensor = false,
          class Layers>
void forward_layers(const Layers& layers, const float* x, float* out, std::size_t out_stride,
                    std::size_t rows) noexcept {
    using first_layer = std::tuple_element_t<Begin, Layers>;
    using last_layer = std::tuple_element_t<End - 1, Layers>;
    constexpr std::size_t out_size = last_layer::output_shape::size;
    constexpr std::size_t widest = widest_output_v<Layers, Begin, End>;
    // The last layer can write straight into `out` when its aligned, padded rows fit there: a
    // tensor's storage (one sample, or rows whole vectors apart), or the caller's memory when it
    // is aligned and each row is whole vectors (the kernels store padded rows with aligned
    // stores). Otherwise it writes a padded staging buffer that is copied.
    constexpr std::size_t lanes = simd::width_v<float>;
    bool direct = false;
    if constexpr (OutIsTensor)
        direct = Rows == 1 || out_stride % lanes == 0;
    else if constexpr (out_size % lanes == 0)
        direct = out_stride % lanes == 0 &&
                 reinterpret_cast<std::uintptr_t>(out) % simd::alignment == 0;
    alignas(simd::alignment) std::array<float, Rows * widest> ping, pong;
    const float* current = x;
    std::size_t current_stride = first_layer::input_shape::size;
    static_for<End - Begin>([&](auto step) {
        constexpr std::size_t i = Begin + step;
        using L = std::tuple_element_t<i, Layers>;
        if constexpr (!L::is_view) {
            float* target = current == ping.data() ? pong.data() : ping.data();
            std::size_t target_stride = simd::padded_size<float>(L::output_shape::size);
            if (i == End - 1 && direct) {
                target = out;
                target_stride = out_stride == out_size ? simd::padded_size<float>(out_size)
                                                       : out_stride;
            }
            std::get<i>(layers).template forward<Rows>(current, current_stride, target,
                                                       target_stride, rows);
            current = target;
            current_stride = target_stride;
        }
    });
    if (current != out) {
        for (std::size_t r = 0; r < rows; ++r)
            std::copy_n(current + r * current_stride, out_size, out + r * out_stride);
    }
}

// predict(x) for anything with `forward<Rows, OutIsTensor>(x, out, out_stride, rows)`: x is one
// sample (a tensor of InputShape) or a batch (shape<B, InputShape...>).
template <class InputShape, class OutputShape, class X, class Runner>
[[nodiscard]] auto predict_tensor(const X& x, const Runner& runner) noexcept {
    if constexpr (std::is_same_v<X, tensor<float, InputShape>>) {
        tensor<float, OutputShape> y;
        runner.template forward<1, true>(x.data(), y.data(), OutputShape::size, 1);
        return y;
    } else if constexpr (batch_of<X, InputShape>::value) {
        constexpr std::size_t batch = batch_of<X, InputShape>::size;
        tensor<float, batch_shape_t<batch, OutputShape>> y;
        runner.template forward<batch, true>(x.data(), y.data(), OutputShape::size, batch);
        return y;
    } else {
        return predict_input_check<InputShape, X>{};
    }
}

// predict_rows: rows known only at run time, Chunk at a time.
template <std::size_t Chunk, class InputShape, class OutputShape, class Runner>
void predict_chunks(const float* x, float* y, std::size_t rows, const Runner& runner) noexcept {
    static_assert(Chunk > 0, "predict_rows<Chunk>: the chunk must hold at least one row");
    for (std::size_t start = 0; start < rows; start += Chunk)
        runner.template forward<Chunk>(x + start * InputShape::size, y + start * OutputShape::size,
                                       OutputShape::size, std::min(Chunk, rows - start));
}

} // namespace ctnn::detail
