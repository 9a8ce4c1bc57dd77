// ctnn/network/network.hpp - a network is a type: a flat list of layers after an input shape.
//
//   using classifier = ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>,
//                                    ctnn::dense<10, ctnn::softmax>>;
//   auto net = std::make_unique<classifier>(/*seed=*/42); // 400 KB of weights: keep off the stack
//   ctnn::tensor<float, ctnn::shape<10>> p = net->predict(image);       // one sample
//   auto probabilities = net->predict(batch);   // tensor<float, shape<B, 784>> -> shape<B, 10>
//
// Every shape is inferred and checked at compile time; the parameters live inside the object
// (sizeof(classifier) is the whole model); predict allocates nothing and cannot throw.
// `std::cout << *net` prints its Keras-style summary (network/summary.hpp).
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/layers/input.hpp"
#include "ctnn/layers/layer.hpp"
#include "ctnn/network/bind_layers.hpp"
#include "ctnn/network/forward_layers.hpp"
#include "ctnn/network/summary.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>
#include <type_traits>

namespace ctnn {

namespace detail {

// The checks on a layer list, in the order a reader would make them; `valid` gates everything
// else so that a mistake produces one message rather than a cascade.
template <class... Layers>
struct network_check {
    static constexpr bool long_enough = sizeof...(Layers) >= 2;
    static_assert(long_enough, "a network needs an input<...> followed by at least one layer, e.g. "
                               "network<input<784>, dense<10, softmax>>");
    static constexpr bool starts_with_input = [] {
        if constexpr (sizeof...(Layers) == 0)
            return false;
        else
            return is_input_v<std::tuple_element_t<0, std::tuple<Layers...>>>;
    }();
    static_assert(!long_enough || starts_with_input,
                  "the first layer of a network must be ctnn::input<...>, the shape of one sample");
    static constexpr std::size_t input_count = (std::size_t{is_input_v<Layers>} + ... + 0);
    static_assert(!starts_with_input || input_count == 1,
                  "ctnn::input<...> may only appear once, as the first layer of a network");
    static constexpr bool all_layers = ((is_input_v<Layers> || layer_description<Layers>)&&...);
    static_assert(all_layers, "every layer of a network must be a layer type such as "
                              "ctnn::dense<Units, Activation> or ctnn::flatten");
    static constexpr bool valid =
        long_enough && starts_with_input && input_count == 1 && all_layers;
};

template <class Input, class... Layers>
struct network_traits {
    using input_shape = typename Input::shape_type;
    using layers_type = bind_layers_t<input_shape, Layers...>;
    static constexpr std::size_t layer_count = sizeof...(Layers);
    template <std::size_t I>
    using layer_type = std::tuple_element_t<I, layers_type>;
    using output_shape = typename layer_type<layer_count - 1>::output_shape;
};

template <bool Valid, class... Layers>
struct select_traits {
    using type = network_traits<input<1>, input<1>>; // never used: network_check has failed
};
template <class Input, class... Layers>
struct select_traits<true, Input, Layers...> {
    using type = network_traits<Input, Layers...>;
};

} // namespace detail

template <class... Layers>
class network {
    using check = detail::network_check<Layers...>;
    using traits = typename detail::select_traits<check::valid, Layers...>::type;

public:
    using input_shape = typename traits::input_shape;
    using output_shape = typename traits::output_shape;
    using layers_type = typename traits::layers_type;
    template <std::size_t I>
    using layer_type = typename traits::template layer_type<I>;

    // Layers after the input.
    static constexpr std::size_t layer_count = traits::layer_count;
    static constexpr std::size_t param_count = [] {
        std::size_t total = 0;
        static_for<layer_count>([&](auto i) { total += layer_type<i>::param_count; });
        return total;
    }();
    static constexpr std::uint64_t default_seed = 42;

    // Keras's model.summary(): one line per layer with its output shape and parameter count.
    [[nodiscard]] static std::string summary() { return summary_of<network>(); }

    // `std::cout << net` prints its summary().
    friend std::ostream& operator<<(std::ostream& os, const network&) { return os << summary(); }

    // Parameters drawn from each layer's initialisers with a generator seeded by `seed`.
    explicit network(std::uint64_t seed = default_seed) { initialize(seed); }

    void initialize(std::uint64_t seed) {
        random_engine gen(seed);
        static_for<layer_count>([&](auto i) {
            auto& l = std::get<i>(layers_);
            if constexpr (requires { l.initialize(gen); })
                l.initialize(gen);
        });
    }

    // The I-th layer after the input (0-based), e.g. to read or set weights.
    template <std::size_t I>
    [[nodiscard]] layer_type<I>& layer() noexcept {
        return std::get<I>(layers_);
    }
    template <std::size_t I>
    [[nodiscard]] const layer_type<I>& layer() const noexcept {
        return std::get<I>(layers_);
    }

    // Every parameter and state array, layer by layer in order: f(layer_index, array) with a
    // parameter_array<float> (or <const float> on a const network). For save, load and export.
    template <class F>
    void visit_parameters(F&& f) {
        visit_parameters_of(*this, f);
    }
    template <class F>
    void visit_parameters(F&& f) const {
        visit_parameters_of(*this, f);
    }

    // One sample (a tensor of input_shape) or a batch (shape<B, input_shape...>).
    template <class X>
    [[nodiscard]] auto predict(const X& x) const noexcept {
        return detail::predict_tensor<input_shape, output_shape>(x, *this);
    }

    // Any number of samples known only at run time: x holds rows × input_shape::size floats,
    // y receives rows × output_shape::size (any alignment, e.g. a std::vector; nothing past them
    // is written), computed Chunk rows at a time (the batch kernels' speed, with Chunk × the
    // widest layer × 2 floats on the stack). noexcept, no allocation.
    template <std::size_t Chunk = 64>
    void predict_rows(const float* x, float* y, std::size_t rows) const noexcept {
        detail::predict_chunks<Chunk, input_shape, output_shape>(x, y, rows, *this);
    }

    // Every layer, in order (for views of a part of the network: network/subnetwork.hpp).
    [[nodiscard]] const layers_type& layers() const noexcept { return layers_; }

    // Runs rows (<= Rows) samples through every layer; `out` receives rows of output_shape::size
    // floats, out_stride apart, in memory of any alignment (OutIsTensor: a tensor's aligned,
    // padded storage, which the last layer may write directly). What predict and predict_rows
    // call.
    template <std::size_t Rows, bool OutIsTensor = false>
    void forward(const float* x, float* out, std::size_t out_stride,
                 std::size_t rows) const noexcept {
        detail::forward_layers<0, layer_count, Rows, OutIsTensor>(layers_, x, out, out_stride, rows);
    }

private:
    template <class Self, class F>
    static void visit_parameters_of(Self& self, F& f) {
        static_for<layer_count>([&](auto i) {
            auto& l = std::get<i>(self.layers_);
            if constexpr (requires { l.visit_parameters([](auto) {}); })
                l.visit_parameters([&](auto array) { f(std::size_t{i}, array); });
        });
    }

    layers_type layers_;
};

} // namespace ctnn
