// ctnn/layers/dense.hpp - `dense<Units, Activation, Options...>`: y = activation(x · W + b).
//
//   network<input<784>, dense<128, relu>, dense<10, softmax>>
//   dense<64, relu, kernel_initializer<he_normal>, kernel_regularizer<l2<std::ratio<1, 1000>>>>
//   dense<8, activity_regularizer<l1<std::ratio<1, 10000>>>>        // linear, with an option
//
// The input size is inferred from the previous layer; the kernel W is [inputs][Units] as in
// Keras (stored with each row padded to whole SIMD vectors, padding held at zero) and the bias
// has Units values. The activation is the second parameter (linear when left out). After it come
// Keras's optional arguments as named options (layers/layer_options.hpp), any subset in any
// order, each at most once: kernel_initializer<I> and bias_initializer<I> (Keras's defaults
// unless given: Glorot-uniform kernel, zero bias), kernel_regularizer<R>, bias_regularizer<R>
// and activity_regularizer<R> (none unless given). The forward pass is one fused kernel
// (kernels/dense_forward.hpp).
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/kernels/dense_backward.hpp"
#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_weight_update.hpp"
#include "ctnn/layers/dense_constants.hpp"
#include "ctnn/layers/layer_options.hpp"
#include "ctnn/layers/parameter_array.hpp"
#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/init/glorot_uniform.hpp"
#include "ctnn/policies/init/initializer.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/init/zeros.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/policies/regularizer/regularizer.hpp"
#include "ctnn/simd/constant_math.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace ctnn {

namespace detail {

template <std::size_t In, std::size_t Units, activation Act, initializer KernelInit,
          initializer BiasInit, regularizer KernelReg = no_regularizer,
          regularizer BiasReg = no_regularizer, regularizer ActivityReg = no_regularizer>
class dense_layer {
public:
    using kernel_initializer_type = KernelInit;
    using bias_initializer_type = BiasInit;
    using kernel_regularizer_type = KernelReg;
    using bias_regularizer_type = BiasReg;
    using activity_regularizer_type = ActivityReg;
    using layout = kernels::dense_layout<In, Units>;
    using activation_type = Act;
    using input_shape = shape<In>;
    using output_shape = shape<Units>;
    static constexpr std::size_t param_count = In * Units + Units;
    static constexpr bool is_view = false;

    static std::string name() {
        return "dense<" + std::to_string(Units) + ", " + std::string(Act::name) + ">";
    }

    // Inference from constant arrays and export (layers/constant_layer.hpp, spelled_layer.hpp).
    using constants = dense_constants<In, Units>;
    static std::string spelling() requires spelled_activation<Act> {
        return "ctnn::dense<" + std::to_string(Units) + ", " + Act::spelling() + ">";
    }
    template <multiply_add Mode>
    static constexpr void constant_forward(const constants& p, const float* x,
                                           float* y) noexcept requires constant_activation<Act> {
        detail::dense_constant_preactivation<Mode>(p, x, y);
        constant_apply_activation<Act, Units>(y, y);
    }
    void load_constants(const constants& p) noexcept {
        for (std::size_t i = 0; i < In; ++i)
            for (std::size_t j = 0; j < Units; ++j)
                weight(i, j) = p.kernel[i * Units + j];
        for (std::size_t j = 0; j < Units; ++j)
            bias(j) = p.bias[j];
    }

    // Kernel element (input i, output j) and bias element j, in Keras's [in][out] indexing.
    [[nodiscard]] float& weight(std::size_t i, std::size_t j) noexcept {
        return kernel_[i * layout::padded_outputs + j];
    }
    [[nodiscard]] float weight(std::size_t i, std::size_t j) const noexcept {
        return kernel_[i * layout::padded_outputs + j];
    }
    [[nodiscard]] float& bias(std::size_t j) noexcept { return bias_[j]; }
    [[nodiscard]] float bias(std::size_t j) const noexcept { return bias_[j]; }

    // The padded arrays the kernels read (dense_layout<In, Units>).
    [[nodiscard]] const float* kernel_data() const noexcept { return kernel_.data(); }
    [[nodiscard]] const float* bias_data() const noexcept { return bias_.data(); }
    [[nodiscard]] float* kernel_data() noexcept { return kernel_.data(); }
    [[nodiscard]] float* bias_data() noexcept { return bias_.data(); }

    // The kernel ([In][Units], rows padded) and the bias, for saving, loading and export.
    template <class F>
    void visit_parameters(F&& f) {
        f(parameter_array<float>{"kernel", In, Units, layout::padded_outputs, kernel_.data()});
        f(parameter_array<float>{"bias", 1, Units, Units, bias_.data()});
    }
    template <class F>
    void visit_parameters(F&& f) const {
        f(parameter_array<const float>{"kernel", In, Units, layout::padded_outputs,
                                       kernel_.data()});
        f(parameter_array<const float>{"bias", 1, Units, Units, bias_.data()});
    }

    // Fills kernel and bias with the initialisers; padding stays zero.
    void initialize(random_engine& gen) {
        for (std::size_t i = 0; i < In; ++i)
            KernelInit{}(std::span<float>(kernel_.data() + i * layout::padded_outputs, Units), In,
                         Units, gen);
        BiasInit{}(std::span<float>(bias_.data(), Units), In, Units, gen);
    }

    // rows <= MaxRows samples (MaxRows known at compile time lets the kernel drop dead paths).
    template <std::size_t MaxRows = static_cast<std::size_t>(-1)>
    void forward(const float* x, std::size_t x_stride, float* y, std::size_t y_stride,
                 std::size_t rows) const noexcept {
        kernels::dense_forward<Act, In, Units, MaxRows>(x, x_stride, kernel_.data(), bias_.data(),
                                                        y, y_stride, rows);
    }

    // Training keeps the pre-activations z only when the activation's derivative needs them.
    static constexpr bool keeps_preactivation = backward_reads_input_v<Act>;

    // --- Training (layers/training_protocol.hpp) ---
    static constexpr std::size_t stride = simd::padded_size<float>(Units); // floats per row
    static constexpr std::array<std::size_t, 2> parameter_sizes{layout::kernel_size,
                                                                layout::bias_size};
    [[nodiscard]] std::array<float*, 2> parameter_blocks() noexcept {
        return {kernel_.data(), bias_.data()};
    }
    // dL/dz from a loss fused with the activation skips g'; not with an activity regularizer,
    // whose gradient is with respect to the outputs y.
    static constexpr bool takes_preactivation_gradient = !ActivityReg::active;

    template <std::size_t Rows>
    struct workspace {
        alignas(simd::alignment) std::array<float, Rows * stride> y;
        alignas(simd::alignment) std::array<float, keeps_preactivation ? Rows * stride : 0> z;
    };

    template <std::size_t Rows>
    rows_view train_forward(rows_view x, workspace<Rows>& ws,
                            const pass_context& p) const noexcept {
        float* y = ws.y.data() + p.first * stride;
        if constexpr (keeps_preactivation) {
            if (p.training) {
                forward_train(x.data, x.stride, ws.z.data() + p.first * stride, y, stride, p.rows);
                return {y, stride};
            }
        }
        forward<Rows>(x.data, x.stride, y, stride, p.rows);
        return {y, stride};
    }

    template <std::size_t Rows, class Gradients>
    float* train_backward(rows_view x, workspace<Rows>& ws, float* dy, float* dx, Gradients& g,
                          const pass_context& p) noexcept {
        const float* y = ws.y.data() + p.first * stride;
        const float* z = keeps_preactivation ? ws.z.data() + p.first * stride : nullptr;
        if constexpr (ActivityReg::active) {
            for (std::size_t r = 0; r < p.rows; ++r)
                ActivityReg::add_gradient(y + r * stride, dy + r * stride, Units, p.gradient_scale);
        }
        constexpr bool preactivation = Gradients::dy_is_preactivation;
        constexpr std::size_t dx_stride = simd::padded_size<float>(In);
        if constexpr (Gradients::may_fuse) {
            if (g.fused()) {
                backward_update<preactivation>(x.data, x.stride, z, y, dy, g[1], dx, dx_stride,
                                               p.rows, g.optimizer(), g.state(0), g.step());
                return dx;
            }
        }
        backward<preactivation>(x.data, x.stride, z, y, dy, g[0], g[1], dx, dx_stride, p.rows);
        return dx;
    }

    // Weight regularization (only when a kernel or bias regularizer is set).
    [[nodiscard]] float penalty() const noexcept requires(KernelReg::active || BiasReg::active) {
        return KernelReg::penalty(kernel_.data(), layout::kernel_size) +
               BiasReg::penalty(bias_.data(), layout::bias_size);
    }
    template <class Gradients>
    void add_penalty_gradient(Gradients& g) const noexcept
        requires(KernelReg::active || BiasReg::active) {
        KernelReg::add_gradient(kernel_.data(), g[0], layout::kernel_size);
        BiasReg::add_gradient(bias_.data(), g[1], layout::bias_size);
    }
    // The activity regularizer's penalty over the part's outputs.
    template <std::size_t Rows>
    [[nodiscard]] float activity_penalty(const workspace<Rows>& ws,
                                         const pass_context& p) const noexcept
        requires(ActivityReg::active) {
        float total = 0.0f;
        for (std::size_t r = 0; r < p.rows; ++r)
            total += ActivityReg::penalty(ws.y.data() + (p.first + r) * stride, Units);
        return total;
    }

    // --- The kernels behind training, for tests and benchmarks ---

    // Forward pass that keeps what backward needs: y always, z when keeps_preactivation.
    void forward_train(const float* x, std::size_t x_stride, float* z, float* y,
                       std::size_t y_stride, std::size_t rows) const noexcept {
        if constexpr (keeps_preactivation) {
            kernels::dense_forward<linear, In, Units>(x, x_stride, kernel_.data(), bias_.data(), z,
                                                      y_stride, rows);
            for (std::size_t r = 0; r < rows; ++r)
                apply_activation<Act, Units>(z + r * y_stride, y + r * y_stride);
        } else {
            forward(x, x_stride, y, y_stride, rows);
        }
    }

    // Accumulates dW and db and writes dX (unless dx is null) from dL/dy. When the loss already
    // gave dL/dz (a fused softmax or sigmoid output), GradientIsPreactivation skips g'.
    // dy is overwritten with dL/dz. Rows of z, y and dy are padded(Units) floats apart.
    template <bool GradientIsPreactivation>
    void backward(const float* x, std::size_t x_stride, const float* z, const float* y, float* dy,
                  float* dw, float* db, float* dx, std::size_t dx_stride,
                  std::size_t rows) const noexcept {
        using backward_activation = std::conditional_t<GradientIsPreactivation, linear, Act>;
        kernels::dense_backward<backward_activation, In, Units>(
            x, x_stride, z, y, dy, dy, kernel_.data(), dw, db, dx, dx_stride, rows);
    }

    // The backward pass with the kernel's optimizer step fused into the weight-gradient pass
    // (kernels/dense_weight_update.hpp): dz and db += Σ dz, dX (before W changes), then W
    // updated tile by tile as dW is summed. The caller updates the bias from db.
    template <bool GradientIsPreactivation, optimizer O>
    void backward_update(const float* x, std::size_t x_stride, const float* z, const float* y,
                         float* dy, float* db, float* dx, std::size_t dx_stride, std::size_t rows,
                         const O& opt, std::span<float* const, O::state_slots> kernel_state,
                         std::size_t step) noexcept {
        using backward_activation = std::conditional_t<GradientIsPreactivation, linear, Act>;
        kernels::dense_preactivation_gradient<backward_activation, Units>(z, y, dy, dy, rows);
        kernels::dense_bias_gradient<Units>(dy, db, rows);
        if (dx != nullptr)
            kernels::dense_input_gradient<In, Units>(dy, kernel_.data(), dx, dx_stride, rows);
        kernels::dense_weight_update<In, Units>(x, x_stride, dy, kernel_.data(), kernel_state, rows,
                                                opt, step);
    }

private:
    alignas(simd::alignment) std::array<float, layout::kernel_size> kernel_{};
    alignas(simd::alignment) std::array<float, layout::bias_size> bias_{};
};

// Binding a dense layer to the shape before it: the one place its input is checked.
template <class Dense, static_shape In>
struct bind_dense {
    static_assert(In::rank == 1,
                  "a dense layer needs a flat (rank-1) input, but the layer before it produces a "
                  "tensor of higher rank: put ctnn::flatten between them");
    // A description whose activation is refused has said so; linear spares a second error.
    using activation_type = std::conditional_t<activation<typename Dense::activation_type>,
                                               typename Dense::activation_type, linear>;
    using type =
        dense_layer<In::size, Dense::units, activation_type,
                    typename Dense::kernel_initializer_type, typename Dense::bias_initializer_type,
                    typename Dense::kernel_regularizer_type, typename Dense::bias_regularizer_type,
                    typename Dense::activity_regularizer_type>;
};

} // namespace detail

// Activation is the second parameter; when it is a named option instead, the activation is
// linear and the options start there (dense<8, kernel_initializer<zeros>>).
template <int Units, class Activation = linear, class... Options>
struct dense {
    static_assert(Units > 0, "dense<Units, ...>: the number of units must be positive");

    static constexpr bool activation_given = !detail::is_layer_option_v<Activation>;
    using activation_type = std::conditional_t<activation_given, Activation, linear>;
    static_assert(activation<activation_type>,
                  "dense<Units, Activation>: Activation must be an activation policy such as "
                  "ctnn::relu, ctnn::sigmoid or ctnn::softmax");
    static_assert(!(activation<Options> || ...),
                  "dense<Units, Activation, Options...>: the activation is the second parameter, "
                  "right after Units (dense<64, ctnn::relu, ...>), not one of the options");
    static_assert(detail::options_known_v<Options...> || (activation<Options> || ...),
                  "dense<Units, Activation, Options...>: every parameter after the activation "
                  "must be a named option: kernel_initializer<...>, bias_initializer<...>, "
                  "kernel_regularizer<...>, bias_regularizer<...> or activity_regularizer<...>");
    static_assert(detail::options_distinct_v<Activation, Options...>,
                  "dense<Units, Activation, Options...>: an option is given twice; each of "
                  "kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer and "
                  "activity_regularizer may be given once");

    static constexpr std::string_view kind = "dense";
    static constexpr std::size_t units = static_cast<std::size_t>(Units);
    // The options, or Keras's defaults. (The activation, when given, is no option: skipped.)
    using kernel_initializer_type = detail::option_or_t<detail::layer_option::kernel_initializer,
                                                        glorot_uniform, Activation, Options...>;
    using bias_initializer_type =
        detail::option_or_t<detail::layer_option::bias_initializer, zeros, Activation, Options...>;
    using kernel_regularizer_type = detail::option_or_t<detail::layer_option::kernel_regularizer,
                                                        no_regularizer, Activation, Options...>;
    using bias_regularizer_type = detail::option_or_t<detail::layer_option::bias_regularizer,
                                                      no_regularizer, Activation, Options...>;
    using activity_regularizer_type =
        detail::option_or_t<detail::layer_option::activity_regularizer, no_regularizer, Activation,
                            Options...>;

    // The same layer with another activation and the same options, as written.
    template <class A>
    using with_activation = std::conditional_t<activation_given, dense<Units, A, Options...>,
                                               dense<Units, A, Activation, Options...>>;

    template <static_shape In>
    using bound = typename detail::bind_dense<dense, In>::type;
};

} // namespace ctnn
