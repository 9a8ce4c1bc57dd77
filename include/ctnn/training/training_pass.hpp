// ctnn/training/training_pass.hpp - the forward and backward passes of a training step, over the
// layer training protocol (layers/training_protocol.hpp): no layer kind is named here.
//
// A pass covers rows [first, first + rows) of a batch, so that the rows of one batch can be
// split between threads: every layer writes its part's rows at their place in its workspace,
// and the backward pass keeps its part's gradients in rows first.. of two ping-pong buffers.
// The loss's gradient enters between the two (output_gradient), fused with the output layer's
// activation where the loss allows it (softmax + cross-entropy: dL/dz = p - y).
// Internal to the trainer.
#pragma once

#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/loss/accuracy.hpp"
#include "ctnn/policies/loss/loss.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/training/parameter_blocks.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

// Named in the error when a network has a layer that cannot be trained: its type appears in
// the instantiation line above the message.
template <class Layer, bool Trainable = trainable_layer<Layer>>
struct training_protocol_check {
    static_assert(Trainable, "trainer: this layer does not implement the training protocol "
                             "(layers/training_protocol.hpp: train_forward, train_backward and its "
                             "parameter blocks), so a network with it cannot be trained");
    static constexpr bool value = Trainable;
};

// Loss and accuracy summed over some rows, and whether every output was finite.
struct row_sums {
    float loss = 0;
    float accuracy = 0;
    bool finite = true;

    row_sums& operator+=(const row_sums& other) noexcept {
        loss += other.loss;
        accuracy += other.accuracy;
        finite &= other.finite;
        return *this;
    }
};

template <std::size_t N>
bool all_finite(const float* values) noexcept {
    bool finite = true;
    for (std::size_t j = 0; j < N; ++j)
        finite &= std::isfinite(values[j]);
    return finite;
}

template <class Net, loss_function Loss, optimizer O, std::size_t BatchSize>
class training_pass {
public:
    static constexpr std::size_t layer_count = Net::layer_count;
    template <std::size_t I>
    using layer_t = typename Net::template layer_type<I>;
    using last_layer = layer_t<layer_count - 1>;
    static constexpr std::size_t sample_size = Net::input_shape::size;
    static constexpr std::size_t outputs = Net::output_shape::size;
    static constexpr std::size_t target_size = Loss::target_size(outputs);
    using blocks_type = parameter_blocks<Net, O>;

    // Every layer trains through the protocol (one message for the first that does not).
    static constexpr bool protocol_kept = [] {
        bool all = true;
        static_for<layer_count>([&](auto i) {
            if (all)
                all = training_protocol_check<layer_t<i>>::value;
        });
        return all;
    }();
    static_assert(!protocol_kept || parameter_block_count_v<last_layer> > 0,
                  "trainer: the last layer of a trained network must have parameters (e.g. a "
                  "dense layer), not flatten, dropout or gaussian_noise");

    // The loss takes dL/dz of the output layer directly (p - y) when it fuses with its activation.
    static constexpr bool fused_output = [] {
        if constexpr (takes_preactivation_gradient_v<last_layer>)
            return fuses_with_activation<Loss, typename last_layer::activation_type>;
        else
            return false;
    }();
    // Weight regularization (penalties and their gradients once per update) and activity
    // regularization (penalties on outputs, per row).
    static constexpr bool regularized = [] {
        bool any = false;
        static_for<layer_count>([&](auto i) { any |= has_penalty_v<layer_t<i>>; });
        return any;
    }();
    static constexpr bool activity_regularized = [] {
        bool any = false;
        static_for<layer_count>([&](auto i) { any |= has_activity_penalty_v<layer_t<i>>; });
        return any;
    }();
    // Whether a batch's rows may be split between threads in training.
    static constexpr bool rows_independent = [] {
        bool all = true;
        static_for<layer_count>([&](auto i) { all &= rows_independent_v<layer_t<i>>; });
        return all;
    }();

    // The output rows of each layer of one part (index 0: the part's input).
    using views = std::array<rows_view, layer_count + 1>;

    // Rows [first, first + rows) of the batch at x (sample_size floats per row) through every
    // layer; `training` false computes what predict computes. noise_seed: this batch's.
    void forward(Net& net, const float* x, std::size_t first, std::size_t rows, bool training,
                 std::uint64_t noise_seed, views& v) noexcept {
        v[0] = {x + first * sample_size, sample_size};
        static_for<layer_count>([&](auto i) {
            v[i + 1] =
                train_forward<BatchSize>(net.template layer<i>(), v[i], std::get<i>(workspace_),
                                         context(i, first, rows, training, noise_seed));
        });
        if (first == 0)
            output_ = v[layer_count];
    }

    // The loss and accuracy sums of the part's rows after its forward pass, and dL/d(output) ×
    // scale into the part's gradient rows. y points to the batch's first target; weights, when
    // not null, to the batch's first sample weight: each row's loss and gradient are multiplied
    // by its weight (Keras's sample_weight; accuracy is not weighted, as Keras's metrics).
    row_sums output_gradient(const views& v, const float* y, const float* weights,
                             std::size_t first, std::size_t rows, float scale) noexcept {
        constexpr std::size_t stride = simd::padded_size<float>(outputs);
        row_sums sums;
        float* delta = delta_rows(delta_, first);
        for (std::size_t r = 0; r < rows; ++r) {
            const float* pred = v[layer_count].row(r);
            const float* target = y + (first + r) * target_size;
            sums.finite &= all_finite<outputs>(pred);
            if constexpr (has_accuracy_v<Loss>)
                sums.accuracy += sample_accuracy<Loss, outputs>(pred, target);
            float* grad = delta + r * stride;
            const float weight = weights == nullptr ? 1.0f : weights[first + r];
            if (weight == 0.0f) { // removed from the batch (0 × an infinite loss is no NaN)
                std::fill_n(grad, outputs, 0.0f);
                continue;
            }
            sums.loss += weight * Loss::template value<outputs>(pred, target);
            if constexpr (fused_output)
                Loss::template gradient_wrt_logits<outputs>(pred, target, grad);
            else
                Loss::template gradient<outputs>(pred, target, grad);
            const float row_scale = scale * weight;
            for (std::size_t j = 0; j < outputs; ++j)
                grad[j] *= row_scale;
        }
        return sums;
    }

    // The activity penalties of the part's rows (after its forward pass), summed.
    float activity_penalty(const Net& net, std::size_t first, std::size_t rows) const noexcept {
        float total = 0.0f;
        static_for<layer_count>([&](auto i) {
            total += detail::activity_penalty<BatchSize>(
                net.template layer<i>(), std::get<i>(workspace_), context(i, first, rows, true, 0));
        });
        return total;
    }

    // From the part's dL/d(output) back to the first layer that has parameters below it,
    // adding every layer's parameter gradients (× the scale output_gradient applied) to
    // `gradients`, a buffer of blocks_type's layout.
    void backward(Net& net, const views& v, std::size_t first, std::size_t rows, float scale,
                  float* gradients, const blocks_type& blocks) noexcept {
        backward_layers(
            net, v, first, rows, scale,
            [&](auto i, auto preactivation) {
                return blocks.template accumulating<i, preactivation, false>(gradients);
            },
            [](auto, auto&) {});
    }

    // The same for the whole batch with the optimizer's step fused into the pass (may_fuse):
    // each layer updates its parameters as their gradients are formed (dX is formed before
    // they change); blocks a layer does not update itself are updated right after its pass.
    void backward_updating(Net& net, const views& v, std::size_t rows, float scale,
                           blocks_type& blocks, const O& opt, std::size_t step) noexcept {
        backward_layers(
            net, v, 0, rows, scale,
            [&](auto i, auto preactivation) {
                return blocks.template fusing<i, preactivation>(opt, step);
            },
            [&](auto i, auto& g) {
                constexpr std::size_t k0 = blocks_type::layout::template first_block<i>;
                for (std::size_t b = 0; b < parameter_block_count_v<layer_t<i>>; ++b)
                    if (g.used(b))
                        blocks.update(opt, k0 + b, step);
            });
    }

    // Row r of the outputs of the last forward pass.
    [[nodiscard]] const float* output_row(std::size_t r) const noexcept { return output_.row(r); }

private:
    [[nodiscard]] static pass_context context(std::size_t layer, std::size_t first,
                                              std::size_t rows, bool training,
                                              std::uint64_t noise_seed,
                                              float scale = 1.0f) noexcept {
        return {first, rows, training, counter_random(noise_seed, layer, 0), scale};
    }

    template <class MakeGradients, class AfterLayer>
    void backward_layers(Net& net, const views& v, std::size_t first, std::size_t rows, float scale,
                         const MakeGradients& make_gradients,
                         const AfterLayer& after_layer) noexcept {
        float* dy = delta_rows(delta_, first);
        float* spare = delta_rows(delta_spare_, first);
        bool done = false;
        static_for<layer_count>([&](auto step) {
            constexpr std::size_t i = layer_count - 1 - step;
            if (done)
                return;
            constexpr bool preactivation = fused_output && i == layer_count - 1;
            auto g = make_gradients(std::integral_constant<std::size_t, i>{},
                                    std::bool_constant<preactivation>{});
            float* dx = gradient_needed_below(i) ? spare : nullptr;
            float* result =
                train_backward<BatchSize>(net.template layer<i>(), v[i], std::get<i>(workspace_),
                                          dy, dx, g, context(i, first, rows, true, 0, scale));
            after_layer(std::integral_constant<std::size_t, i>{}, g);
            if (result == nullptr)
                done = true;
            else if (result == spare)
                std::swap(dy, spare);
        });
    }

    // Whether some layer below layer i has parameters (else dL/d(input) of layer i is unused).
    static constexpr bool gradient_needed_below(std::size_t i) {
        bool needed = false;
        static_for<layer_count>([&](auto j) {
            if (j < i && parameter_block_count_v < layer_t < j >>> 0)
                needed = true;
        });
        return needed;
    }

    static constexpr std::size_t widest = [] {
        std::size_t w = 0;
        static_for<layer_count>([&](auto i) {
            w = std::max(w, simd::padded_size<float>(layer_t<i>::output_shape::size));
            w = std::max(w, simd::padded_size<float>(layer_t<i>::input_shape::size));
        });
        return w;
    }();
    using delta_buffer = std::array<float, BatchSize * widest>;

    // Where the gradient rows of a part start: each layer packs its rows at its own stride (at
    // most `widest`), so a part that starts at row `first` owns the floats from first × widest.
    static float* delta_rows(delta_buffer& buffer, std::size_t first) noexcept {
        return buffer.data() + first * widest;
    }

    template <class Indices>
    struct workspace_tuple;
    template <std::size_t... I>
    struct workspace_tuple<std::index_sequence<I...>> {
        using type = std::tuple<layer_workspace_t<layer_t<I>, BatchSize>...>;
    };

    typename workspace_tuple<std::make_index_sequence<layer_count>>::type workspace_;
    alignas(simd::alignment) delta_buffer delta_{};
    alignas(simd::alignment) delta_buffer delta_spare_{};
    rows_view output_{};
};

} // namespace ctnn::detail
