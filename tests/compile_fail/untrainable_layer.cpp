// expect: trainer: this layer does not implement the training protocol
#include <ctnn/ctnn.hpp>
#include <string>
// A layer that predicts but has no train_forward / train_backward (layers/training_protocol.hpp).
template <std::size_t N>
struct doubling_layer {
    using input_shape = ctnn::shape<N>;
    using output_shape = ctnn::shape<N>;
    static constexpr std::size_t param_count = 0;
    static constexpr bool is_view = false;
    static std::string name() { return "doubling"; }
    template <std::size_t MaxRows>
    void forward(const float* x, std::size_t xs, float* y, std::size_t ys, std::size_t rows) const noexcept {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < N; ++j)
                y[r * ys + j] = 2 * x[r * xs + j];
    }
};
struct doubling {
    static constexpr std::string_view kind = "doubling";
    template <ctnn::static_shape In>
    using bound = doubling_layer<In::size>;
};
using net_t = ctnn::network<ctnn::input<4>, doubling, ctnn::dense<2>>;
void train(net_t& net) {
    auto trainer = ctnn::make_trainer<8>(net, ctnn::mean_squared_error{}, ctnn::adam<>{});
    (void)trainer;
}
