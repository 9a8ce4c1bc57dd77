// ctnn/layers/batch_normalization.hpp - `batch_normalization<Activation, Momentum, Epsilon>`:
// each feature normalized over the batch, scaled and shifted, then an activation.
//
//   network<input<784>, dense<128>, batch_normalization<relu>, dense<10, softmax>>
//
// Keras's Dense(128) -> BatchNormalization() -> Activation("relu") as one layer pair; defaults
// are Keras's (momentum 0.99, epsilon 1e-3, gamma 1, beta 0, moving mean 0, moving variance 1).
// Training normalizes with the batch's mean and biased variance and moves the moving statistics
// towards them (moving = momentum * moving + (1 - momentum) * batch, as Keras 3 does); inference
// uses the moving statistics: y = act(gamma * (x - moving_mean) / sqrt(moving_variance + eps) +
// beta), one SIMD pass. Rank-1 inputs only. ctnn/network/fold_batch_normalization.hpp folds the
// layer into the linear dense layer before it for inference.
//
// param_count is 4N as Keras's summary counts it (gamma, beta, and the two non-trainable moving
// statistics); trainable_param_count is 2N.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/layers/parameter_array.hpp"
#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>

namespace ctnn {

namespace detail {

// Every per-feature array has stride floats (whole vectors); padding lanes are zero and stay
// zero (the tails of inputs and gradients are read as partial vectors), so the padding lanes of
// gamma, beta and the moving statistics never take part in anything.
template <std::size_t N, activation Act, class Momentum, class Epsilon>
class batch_normalization_layer {
    using V = simd::batch_t<float>;
    static constexpr std::size_t W = simd::width_v<float>;
    static constexpr std::size_t full = N / W * W; // features in whole vectors
    static constexpr std::size_t tail = N - full;  // features in the last, partial vector

public:
    using input_shape = shape<N>;
    using output_shape = shape<N>;
    using activation_type = Act;
    static constexpr std::size_t size = N;
    // Floats between rows of x_hat, y, pre-activations and dy, and in gamma, beta, inv_std.
    static constexpr std::size_t stride = simd::padded_size<float>(N);
    static constexpr std::size_t param_count = 4 * N; // Keras counts the moving statistics too
    static constexpr std::size_t trainable_param_count = 2 * N;
    static constexpr bool is_view = false;
    static constexpr float momentum = ratio_value_v<Momentum>;
    static constexpr float epsilon = ratio_value_v<Epsilon>;
    // Training keeps the pre-activations only when the activation's derivative reads them.
    static constexpr bool keeps_preactivation = backward_reads_input_v<Act>;

    // "batch_normalization<relu>"; momentum and epsilon are named when not Keras's defaults,
    // so that weight files' architecture signatures tell such layers apart.
    static std::string name() {
        std::string text = "batch_normalization<" + std::string(Act::name);
        if (momentum != 0.99f || epsilon != 0.001f) {
            char numbers[64];
            std::snprintf(numbers, sizeof numbers, ", momentum=%g, epsilon=%g",
                          static_cast<double>(momentum), static_cast<double>(epsilon));
            text += numbers;
        }
        return text + ">";
    }

    [[nodiscard]] float& gamma(std::size_t j) noexcept { return gamma_[j]; }
    [[nodiscard]] float gamma(std::size_t j) const noexcept { return gamma_[j]; }
    [[nodiscard]] float& beta(std::size_t j) noexcept { return beta_[j]; }
    [[nodiscard]] float beta(std::size_t j) const noexcept { return beta_[j]; }
    [[nodiscard]] float& moving_mean(std::size_t j) noexcept { return moving_mean_[j]; }
    [[nodiscard]] float moving_mean(std::size_t j) const noexcept { return moving_mean_[j]; }
    [[nodiscard]] float& moving_variance(std::size_t j) noexcept { return moving_variance_[j]; }
    [[nodiscard]] float moving_variance(std::size_t j) const noexcept {
        return moving_variance_[j];
    }

    // The padded arrays (stride floats, aligned) for the optimizer, like a dense bias.
    [[nodiscard]] float* gamma_data() noexcept { return gamma_.data(); }
    [[nodiscard]] float* beta_data() noexcept { return beta_.data(); }
    [[nodiscard]] const float* gamma_data() const noexcept { return gamma_.data(); }
    [[nodiscard]] const float* beta_data() const noexcept { return beta_.data(); }

    // gamma, beta (trainable), moving_mean, moving_variance (state), each 1 × N, Keras's order.
    template <class F>
    void visit_parameters(F&& f) {
        f(parameter_array<float>{"gamma", 1, N, N, gamma_.data()});
        f(parameter_array<float>{"beta", 1, N, N, beta_.data()});
        f(parameter_array<float>{"moving_mean", 1, N, N, moving_mean_.data(), false});
        f(parameter_array<float>{"moving_variance", 1, N, N, moving_variance_.data(), false});
    }
    template <class F>
    void visit_parameters(F&& f) const {
        f(parameter_array<const float>{"gamma", 1, N, N, gamma_.data()});
        f(parameter_array<const float>{"beta", 1, N, N, beta_.data()});
        f(parameter_array<const float>{"moving_mean", 1, N, N, moving_mean_.data(), false});
        f(parameter_array<const float>{"moving_variance", 1, N, N, moving_variance_.data(), false});
    }

    // --- Training (layers/training_protocol.hpp) ---
    static constexpr std::array<std::size_t, 2> parameter_sizes{stride, stride}; // gamma, beta
    [[nodiscard]] std::array<float*, 2> parameter_blocks() noexcept {
        return {gamma_.data(), beta_.data()};
    }
    static constexpr bool rows_independent = false; // the batch's statistics span its rows
    static constexpr bool takes_preactivation_gradient = true;

    template <std::size_t Rows>
    struct workspace {
        alignas(simd::alignment) std::array<float, Rows * stride> x_hat;
        alignas(simd::alignment) std::array<float, Rows * stride> y;
        alignas(simd::alignment) std::array<float, keeps_preactivation ? Rows * stride : 0> z;
        alignas(simd::alignment) std::array<float, stride> inv_std;
    };

    // Training: the batch's statistics (the whole batch: p.first is 0) and a step of the moving
    // ones; evaluation: the moving statistics, as predict.
    template <std::size_t Rows>
    rows_view train_forward(rows_view x, workspace<Rows>& ws, const pass_context& p) noexcept {
        if (p.training) {
            forward_train(x.data, x.stride, ws.x_hat.data(), ws.y.data(), p.rows, ws.inv_std.data(),
                          keeps_preactivation ? ws.z.data() : nullptr);
            return {ws.y.data(), stride};
        }
        float* y = ws.y.data() + p.first * stride;
        forward<Rows>(x.data, x.stride, y, stride, p.rows);
        return {y, stride};
    }

    template <std::size_t Rows, class Gradients>
    float* train_backward(rows_view, workspace<Rows>& ws, float* dy, float* dx, Gradients& g,
                          const pass_context& p) const noexcept {
        backward<Gradients::dy_is_preactivation>(
            ws.x_hat.data(), keeps_preactivation ? ws.z.data() : nullptr, ws.y.data(), dy, g[0],
            g[1], dx, stride, p.rows, ws.inv_std.data());
        return dx;
    }

    // Keras's initial values (nothing random: the generator is not drawn from).
    void initialize(random_engine&) noexcept { reset(); }

    // Inference: rows (<= MaxRows) samples, x rows x_stride floats apart (any alignment), y rows
    // y_stride apart (aligned, a multiple of the SIMD width, stride floats written per row).
    // Scale and shift are formed once per vector of features, then applied to every row.
    template <std::size_t MaxRows = static_cast<std::size_t>(-1)>
    void forward(const float* x, std::size_t x_stride, float* y, std::size_t y_stride,
                 std::size_t rows) const noexcept {
        const auto block = [&](std::size_t j, auto load) {
            const V scale =
                simd::load_aligned(gamma_.data() + j) /
                simd::sqrt(simd::load_aligned(moving_variance_.data() + j) + V(epsilon));
            const V shift = simd::load_aligned(beta_.data() + j) -
                            simd::load_aligned(moving_mean_.data() + j) * scale;
            for (std::size_t r = 0; r < rows; ++r) {
                const V z = simd::fma(load(x + r * x_stride + j), scale, shift);
                simd::store_aligned(y + r * y_stride + j, elementwise_f(z));
            }
        };
        for (std::size_t j = 0; j < full; j += W)
            block(j, load_whole);
        if constexpr (tail != 0) {
            // A whole vector may be read when the rows are padded; otherwise only the tail.
            if (x_stride >= stride)
                block(full, load_whole);
            else
                block(full, load_tail);
        }
        apply_rowwise(y, y_stride, rows);
    }

    // Training forward for 1 <= rows samples: x rows x_stride floats apart (any alignment);
    // x_hat, y and z (the pre-activations gamma * x_hat + beta, written only when
    // keeps_preactivation, else z may be null) rows `stride` floats apart, aligned; inv_std
    // receives stride floats, 1 / sqrt(batch variance + epsilon) per feature, for backward.
    // Moves the moving statistics one step towards the batch's mean and biased variance.
    void forward_train(const float* x, std::size_t x_stride, float* x_hat, float* y,
                       std::size_t rows, float* inv_std, float* z) noexcept {
        const V count(static_cast<float>(rows));
        const auto block = [&](std::size_t j, auto load) {
            // The mean is summed relative to the first row: exact for a batch of equal rows
            // (x_hat exactly 0) and less rounding when the features sit far from zero.
            const V shift = load(x + j);
            V sum(0.0f);
            for (std::size_t r = 1; r < rows; ++r)
                sum += load(x + r * x_stride + j) - shift;
            const V mean = shift + sum / count;
            V squares(0.0f); // two passes: no cancellation when the mean is large
            for (std::size_t r = 0; r < rows; ++r) {
                const V d = load(x + r * x_stride + j) - mean;
                squares = simd::fma(d, d, squares);
            }
            const V variance = squares / count;
            const V inv = V(1.0f) / simd::sqrt(variance + V(epsilon));
            simd::store_aligned(inv_std + j, inv);
            const V g = simd::load_aligned(gamma_.data() + j);
            const V b = simd::load_aligned(beta_.data() + j);
            for (std::size_t r = 0; r < rows; ++r) {
                const V xh = (load(x + r * x_stride + j) - mean) * inv;
                simd::store_aligned(x_hat + r * stride + j, xh);
                const V pre = simd::fma(g, xh, b);
                if constexpr (keeps_preactivation)
                    simd::store_aligned(z + r * stride + j, pre);
                simd::store_aligned(y + r * stride + j, elementwise_f(pre));
            }
            const V m(momentum), rest(1.0f - momentum);
            float* mm = moving_mean_.data() + j;
            float* mv = moving_variance_.data() + j;
            simd::store_aligned(mm, simd::fma(simd::load_aligned(mm), m, mean * rest));
            simd::store_aligned(mv, simd::fma(simd::load_aligned(mv), m, variance * rest));
        };
        for (std::size_t j = 0; j < full; j += W)
            block(j, load_whole);
        if constexpr (tail != 0)
            block(full, load_tail); // padding lanes read as 0: the statistics' padding stays 0
        apply_rowwise(y, stride, rows);
    }

    // Backward for the rows of the last forward_train. dy (rows `stride` apart, aligned) holds
    // dL/dy and is overwritten with dL/dz (z = gamma * x_hat + beta); with
    // GradientIsPreactivation it already holds dL/dz (a loss fused with the activation).
    // z and y are forward_train's pre-activations (null unless keeps_preactivation) and outputs.
    // Accumulates dgamma += Σ dz x_hat and dbeta += Σ dz (stride floats each) and, unless dx is
    // null, writes dx = gamma inv_std (dz - mean(dz) - x_hat mean(dz x_hat)) into rows dx_stride
    // apart (aligned, a multiple of the SIMD width, >= stride; dx may be dy when equal strides).
    template <bool GradientIsPreactivation = false>
    void backward(const float* x_hat, const float* z, const float* y, float* dy, float* dgamma,
                  float* dbeta, float* dx, std::size_t dx_stride, std::size_t rows,
                  const float* inv_std) const noexcept {
        constexpr bool through_activation =
            !GradientIsPreactivation && !std::is_same_v<Act, linear>;
        if constexpr (through_activation && rowwise_activation<Act>) {
            for (std::size_t r = 0; r < rows; ++r)
                activation_backward<Act, N>(z, y + r * stride, dy + r * stride, dy + r * stride);
        }
        const V count(static_cast<float>(rows));
        const auto block = [&](std::size_t j, auto load) {
            V sum_dz(0.0f), sum_dz_xh(0.0f);
            for (std::size_t r = 0; r < rows; ++r) {
                float* d_row = dy + r * stride + j;
                V dz = load(d_row);
                if constexpr (through_activation && elementwise_activation<Act>) {
                    const V yv = simd::load_aligned(y + r * stride + j);
                    const V zv =
                        Act::derivative_from_output ? yv : simd::load_aligned(z + r * stride + j);
                    dz *= Act::df(zv, yv);
                }
                simd::store_aligned(d_row, dz);
                sum_dz += dz;
                sum_dz_xh = simd::fma(dz, simd::load_aligned(x_hat + r * stride + j), sum_dz_xh);
            }
            simd::store_aligned(dgamma + j, simd::load_aligned(dgamma + j) + sum_dz_xh);
            simd::store_aligned(dbeta + j, simd::load_aligned(dbeta + j) + sum_dz);
            if (dx == nullptr)
                return;
            const V a = simd::load_aligned(gamma_.data() + j) * simd::load_aligned(inv_std + j);
            const V mean_dz = sum_dz / count, mean_dz_xh = sum_dz_xh / count;
            for (std::size_t r = 0; r < rows; ++r) {
                const V dz = simd::load_aligned(dy + r * stride + j);
                const V xh = simd::load_aligned(x_hat + r * stride + j);
                simd::store_aligned(dx + r * dx_stride + j,
                                    a * (dz - simd::fma(xh, mean_dz_xh, mean_dz)));
            }
        };
        for (std::size_t j = 0; j < full; j += W)
            block(j, load_whole);
        if constexpr (tail != 0)
            block(full, load_tail); // dy's padding lanes (whatever they hold) read as 0
    }

private:
    static V load_whole(const float* p) noexcept { return simd::load_unaligned(p); }
    static V load_tail(const float* p) noexcept { return simd::load_partial(p, tail); }

    static V elementwise_f(V z) noexcept {
        if constexpr (elementwise_activation<Act>)
            return Act::f(z);
        else
            return z; // rowwise: applied to whole rows afterwards
    }
    static void apply_rowwise(float* y, std::size_t y_stride, std::size_t rows) noexcept {
        if constexpr (rowwise_activation<Act>) {
            for (std::size_t r = 0; r < rows; ++r)
                apply_activation<Act, N>(y + r * y_stride, y + r * y_stride);
        }
    }

    static constexpr std::array<float, stride> filled(float value) noexcept {
        std::array<float, stride> a{};
        for (std::size_t j = 0; j < N; ++j)
            a[j] = value;
        return a;
    }
    void reset() noexcept {
        gamma_ = filled(1.0f);
        beta_ = filled(0.0f);
        moving_mean_ = filled(0.0f);
        moving_variance_ = filled(1.0f);
    }

    alignas(simd::alignment) std::array<float, stride> gamma_ = filled(1.0f);
    alignas(simd::alignment) std::array<float, stride> beta_ = filled(0.0f);
    alignas(simd::alignment) std::array<float, stride> moving_mean_ = filled(0.0f);
    alignas(simd::alignment) std::array<float, stride> moving_variance_ = filled(1.0f);
};

// Binding to the shape before it: the one place the input is checked.
template <class BatchNormalization, static_shape In>
struct bind_batch_normalization {
    static_assert(In::rank == 1,
                  "a batch_normalization layer normalizes the features of a flat (rank-1) input, "
                  "but the layer before it produces a tensor of higher rank: put ctnn::flatten "
                  "before it");
    using type = batch_normalization_layer<In::size, typename BatchNormalization::activation_type,
                                           typename BatchNormalization::momentum_type,
                                           typename BatchNormalization::epsilon_type>;
};

} // namespace detail

template <class Activation = linear, class Momentum = std::ratio<99, 100>,
          class Epsilon = std::ratio<1, 1000>>
struct batch_normalization {
    static_assert(activation<Activation>,
                  "batch_normalization<Activation>: Activation must be an activation policy such "
                  "as ctnn::relu or ctnn::linear");
    static_assert(detail::ratio_like<Momentum> && detail::ratio_like<Epsilon>,
                  "batch_normalization<Activation, Momentum, Epsilon>: Momentum and Epsilon are "
                  "std::ratio values, e.g. std::ratio<99, 100> and std::ratio<1, 1000>");
    static_assert(!detail::ratio_like<Momentum> || (detail::ratio_value_v<Momentum> >= 0.0f &&
                                                    detail::ratio_value_v<Momentum> <= 1.0f),
                  "batch_normalization<Activation, Momentum>: the momentum must be in [0, 1]");
    static_assert(!detail::ratio_like<Epsilon> || detail::ratio_value_v<Epsilon> > 0.0f,
                  "batch_normalization<Activation, Momentum, Epsilon>: epsilon must be positive");

    static constexpr std::string_view kind = "batch_normalization";
    using activation_type = Activation;
    using momentum_type = Momentum;
    using epsilon_type = Epsilon;

    template <static_shape In>
    using bound = typename detail::bind_batch_normalization<batch_normalization, In>::type;
};

} // namespace ctnn
