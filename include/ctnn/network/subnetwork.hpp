// ctnn/network/subnetwork.hpp - a view of consecutive layers of a network, with their own
// predict: an autoencoder's encoder and decoder, a classifier's features.
//
//   using autoencoder = ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>,
//       ctnn::dense<32, ctnn::relu>, ctnn::dense<128, ctnn::relu>, ctnn::dense<784, ctnn::sigmoid>>;
//   const auto encode = ctnn::encoder<2>(*net);   // layers 0 and 1: 784 -> 32
//   const auto decode = ctnn::decoder<2>(*net);   // layers 2 and 3: 32 -> 784
//   ctnn::tensor<float, ctnn::shape<32>> code = encode.predict(image);
//   auto images = decode.predict(codes);          // a batch: shape<B, 32> -> shape<B, 784>
//
// A subnetwork holds a pointer to the network, not a copy of its weights: it predicts with the
// network's current parameters (train the whole, use the parts), exactly what the whole network
// computes at that layer, with the same kernels, noexcept and without allocation. Its shapes are
// checked at compile time like a network's: input_shape is layer Begin's input, output_shape
// layer End - 1's output. The network must outlive the view.
#pragma once

#include "ctnn/network/forward_layers.hpp"

#include <cstddef>
#include <string>

namespace ctnn {

template <class Net, std::size_t Begin, std::size_t End>
class subnetwork {
    static_assert(Begin < End && End <= Net::layer_count,
                  "subnetwork<Begin, End>: the layers are [Begin, End) of the network's layers "
                  "after its input, so Begin < End <= layer_count");

public:
    using network_type = Net;
    using input_shape = typename Net::template layer_type<Begin>::input_shape;
    using output_shape = typename Net::template layer_type<End - 1>::output_shape;
    static constexpr std::size_t layer_count = End - Begin;
    template <std::size_t I>
    using layer_type = typename Net::template layer_type<Begin + I>;

    explicit subnetwork(const Net& net) noexcept : net_(&net) {}

    // One sample (a tensor of input_shape) or a batch (shape<B, input_shape...>), as
    // network::predict.
    template <class X>
    [[nodiscard]] auto predict(const X& x) const noexcept {
        return detail::predict_tensor<input_shape, output_shape>(x, *this);
    }

    // Rows known only at run time, as network::predict_rows.
    template <std::size_t Chunk = 64>
    void predict_rows(const float* x, float* y, std::size_t rows) const noexcept {
        detail::predict_chunks<Chunk, input_shape, output_shape>(x, y, rows, *this);
    }

    template <std::size_t Rows, bool OutIsTensor = false>
    void forward(const float* x, float* out, std::size_t out_stride,
                 std::size_t rows) const noexcept {
        detail::forward_layers<Begin, End, Rows, OutIsTensor>(net_->layers(), x, out, out_stride, rows);
    }

    [[nodiscard]] const Net& network() const noexcept { return *net_; }

private:
    const Net* net_;
};

// Layers [Begin, End) of `net` (after its input, 0-based).
template <std::size_t Begin, std::size_t End, class Net>
[[nodiscard]] subnetwork<Net, Begin, End> layers_of(const Net& net) noexcept {
    return subnetwork<Net, Begin, End>(net);
}

// The first Layers layers of `net`: an autoencoder's encoder.
template <std::size_t Layers, class Net>
[[nodiscard]] subnetwork<Net, 0, Layers> encoder(const Net& net) noexcept {
    return subnetwork<Net, 0, Layers>(net);
}

// The layers of `net` from layer First on: an autoencoder's decoder.
template <std::size_t First, class Net>
[[nodiscard]] subnetwork<Net, First, Net::layer_count> decoder(const Net& net) noexcept {
    return subnetwork<Net, First, Net::layer_count>(net);
}

} // namespace ctnn
