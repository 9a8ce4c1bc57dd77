// Tests ctnn/layers/dense.hpp, the dense layer on its own: its shapes, name and parameter layout
// (the kernel [In][Units] with rows padded to whole vectors, padding held at zero through
// initialisation and training), the forward pass against a double-precision loop, the named
// options in any order, the initialisers it is given and the fans it gives them, and its training
// protocol members: parameter blocks, kept pre-activations, the backward pass against its closed
// form (dZ = dY ⊙ g'(Z), dW = Xᵀ dZ, db = Σ dZ, dX = dZ Wᵀ) and the regularizers' penalties.
#include "ctnn/ctnn.hpp"

#include "support/layer_probe.hpp"
#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <memory>
#include <random>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

using namespace ctnn;

namespace {

// An initializer of this file: every value is fan_in * 1000 + fan_out, so that a test sees what
// the layer passes it.
struct fan_marker {
    static constexpr std::string_view name = "fan_marker";
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float> values, std::size_t fan_in, std::size_t fan_out, G&) const {
        for (float& v : values)
            v = static_cast<float>(fan_in * 1000 + fan_out);
    }
};
static_assert(initializer<fan_marker>);

// g'(z) in double, for the elementwise activations.
template <class Act>
double derivative(double z) {
    if constexpr (std::is_same_v<Act, ctnn::tanh>)
        return 1 - std::tanh(z) * std::tanh(z);
    else if constexpr (std::is_same_v<Act, gelu>)
        return 0.5 * (1 + std::erf(z / std::sqrt(2.0))) +
               z * std::exp(-z * z / 2) / std::sqrt(2 * 3.141592653589793);
    else
        return 1; // linear
}

// A layer's kernel and bias from random values (kernel as [In][Units] without padding).
template <class L>
void set_parameters(L& layer, const std::vector<float>& w, const std::vector<float>& b) {
    constexpr std::size_t in = L::input_shape::size, units = L::output_shape::size;
    for (std::size_t i = 0; i < in; ++i)
        for (std::size_t j = 0; j < units; ++j)
            layer.weight(i, j) = w[i * units + j];
    for (std::size_t j = 0; j < units; ++j)
        layer.bias(j) = b[j];
}

// Whether every padding float of the kernel rows and of the bias is zero.
template <class L>
bool padding_is_zero(const L& layer) {
    using layout = typename L::layout;
    for (std::size_t i = 0; i < layout::inputs; ++i)
        for (std::size_t j = layout::outputs; j < layout::padded_outputs; ++j)
            if (layer.kernel_data()[i * layout::padded_outputs + j] != 0.0f)
                return false;
    for (std::size_t j = layout::outputs; j < layout::bias_size; ++j)
        if (layer.bias_data()[j] != 0.0f)
            return false;
    return true;
}

template <class Act, std::size_t In, std::size_t Units, std::size_t Rows>
void check_forward(std::uint64_t seed) {
    using L = typename dense<static_cast<int>(Units), Act>::template bound<shape<In>>;
    constexpr std::size_t stride = simd::padded_size<float>(Units);
    struct buffers {
        alignas(simd::alignment) std::array<float, Rows * In> x;
        alignas(simd::alignment) std::array<float, Rows * stride> y;
    };
    const auto layer = std::make_unique<L>();
    const auto w = test::random_values(In * Units, seed, -0.5f, 0.5f);
    const auto b = test::random_values(Units, seed + 1, -0.5f, 0.5f);
    const auto x = test::random_values(Rows * In, seed + 2);
    set_parameters(*layer, w, b);
    auto buf = std::make_unique<buffers>();
    std::copy(x.begin(), x.end(), buf->x.begin());
    layer->forward(buf->x.data(), In, buf->y.data(), stride, Rows);

    std::vector<double> expected = test::naive_affine(x, w, b, Rows, In, Units);
    test::naive_activation<Act>(expected, Rows, Units);
    for (std::size_t r = 0; r < Rows; ++r)
        for (std::size_t j = 0; j < Units; ++j)
            BOOST_TEST(buf->y[r * stride + j] == expected[r * Units + j],
                       boost::test_tools::tolerance(2e-5));
}

// The backward pass of a dense<Units, Act, Options...> layer against its closed form, with the
// activity regularizer's gradient 2 λ y · scale added to dY when the layer has one (l2<λ>).
template <class Dense, std::size_t In, std::size_t Rows>
void check_backward(std::uint64_t seed, double activity_l2 = 0) {
    using L = typename Dense::template bound<shape<In>>;
    using Act = typename L::activation_type;
    constexpr std::size_t units = L::output_shape::size;
    constexpr std::size_t stride = L::stride, dx_stride = simd::padded_size<float>(In);
    constexpr float scale = 0.25f; // what the trainer passes as 1 / rows, here any factor
    const auto layer = std::make_unique<L>();
    const auto w = test::random_values(In * units, seed, -0.5f, 0.5f);
    const auto b = test::random_values(units, seed + 1, -0.5f, 0.5f);
    const auto x = test::random_values(Rows * In, seed + 2);
    const auto dy_values = test::random_values(Rows * units, seed + 3);
    set_parameters(*layer, w, b);

    auto ws = std::make_unique<typename L::template workspace<Rows>>();
    const pass_context p{.first = 0, .rows = Rows, .gradient_scale = scale};
    const rows_view y = layer->template train_forward<Rows>({x.data(), In}, *ws, p);
    BOOST_TEST(y.stride == stride);
    test::aligned_floats dy(Rows * stride), dx(Rows * dx_stride);
    for (std::size_t r = 0; r < Rows; ++r)
        std::copy_n(dy_values.data() + r * units, units, dy.data() + r * stride);
    test::gradient_probe g;
    g.blocks.emplace_back(L::parameter_sizes[0]);
    g.blocks.emplace_back(L::parameter_sizes[1]);
    float* const result =
        layer->template train_backward<Rows>({x.data(), In}, *ws, dy.data(), dx.data(), g, p);
    BOOST_TEST(result == dx.data());

    // The closed form in double, from the same inputs.
    std::vector<double> z = test::naive_affine(x, w, b, Rows, In, units), out = z;
    test::naive_activation<Act>(out, Rows, units);
    std::vector<double> dz(Rows * units);
    for (std::size_t k = 0; k < dz.size(); ++k)
        dz[k] = (dy_values[k] + 2 * activity_l2 * scale * out[k]) * derivative<Act>(z[k]);
    const auto tolerance = boost::test_tools::tolerance(1e-4);
    for (std::size_t i = 0; i < In; ++i)
        for (std::size_t j = 0; j < units; ++j) {
            double dw = 0;
            for (std::size_t r = 0; r < Rows; ++r)
                dw += x[r * In + i] * dz[r * units + j];
            BOOST_TEST(g.blocks[0][i * L::layout::padded_outputs + j] == dw, tolerance);
        }
    for (std::size_t j = 0; j < units; ++j) {
        double db = 0;
        for (std::size_t r = 0; r < Rows; ++r)
            db += dz[r * units + j];
        BOOST_TEST(g.blocks[1][j] == db, tolerance);
    }
    for (std::size_t r = 0; r < Rows; ++r)
        for (std::size_t i = 0; i < In; ++i) {
            double expected = 0;
            for (std::size_t j = 0; j < units; ++j)
                expected += dz[r * units + j] * w[i * units + j];
            BOOST_TEST(dx[r * dx_stride + i] == expected, tolerance);
        }
    // The padding of the gradients stays zero too: the optimizer adds it to the padding.
    for (std::size_t i = 0; i < In; ++i)
        for (std::size_t j = units; j < L::layout::padded_outputs; ++j)
            BOOST_TEST(g.blocks[0][i * L::layout::padded_outputs + j] == 0.0f);
}

} // namespace

BOOST_AUTO_TEST_SUITE(dense_test)

BOOST_AUTO_TEST_CASE(shapes_name_and_parameter_layout) {
    using L = dense<13, relu>::bound<shape<7>>;
    static_assert(std::is_same_v<L::input_shape, shape<7>>);
    static_assert(std::is_same_v<L::output_shape, shape<13>>);
    static_assert(L::param_count == 7 * 13 + 13);
    static_assert(!L::is_view);
    static_assert(L::layout::padded_outputs % simd::width_v<float> == 0);
    static_assert(L::layout::padded_outputs >= 13 &&
                  L::layout::padded_outputs < 13 + simd::width_v<float>);
    BOOST_TEST(L::name() == "dense<13, relu>");

    auto layer = std::make_unique<L>();
    layer->weight(2, 5) = 1.5f;
    layer->bias(12) = -2.0f;
    // Element (i, j) of the kernel lives at row i of the padded array, column j.
    BOOST_TEST(layer->kernel_data()[2 * L::layout::padded_outputs + 5] == 1.5f);
    BOOST_TEST(layer->bias_data()[12] == -2.0f);
    std::size_t arrays = 0;
    layer->visit_parameters([&](auto array) {
        if (arrays++ == 0) {
            BOOST_TEST(array.name == "kernel");
            BOOST_TEST(array.rows == 7u);
            BOOST_TEST(array.columns == 13u);
            BOOST_TEST(array(2, 5) == 1.5f);
        } else {
            BOOST_TEST(array.name == "bias");
            BOOST_TEST(array.rows == 1u);
            BOOST_TEST(array.columns == 13u);
            BOOST_TEST(array(0, 12) == -2.0f);
        }
    });
    BOOST_TEST(arrays == 2u);
}

BOOST_AUTO_TEST_CASE(forward_matches_a_double_precision_loop) {
    check_forward<linear, 1, 1, 1>(1);
    check_forward<relu, 3, 13, 7>(2);
    check_forward<sigmoid, 17, 5, 4>(3);
    check_forward<ctnn::tanh, 33, 40, 9>(4);
    check_forward<softmax, 20, 10, 3>(5);
    check_forward<gelu, 8, 16, 2>(6);
}

BOOST_AUTO_TEST_CASE(named_options_in_any_order) {
    using reg = l2<std::ratio<1, 1000>>;
    using act = l1<std::ratio<1, 100>>;
    using a = dense<4, relu, kernel_initializer<he_normal>, activity_regularizer<act>>;
    using b = dense<4, relu, activity_regularizer<act>, kernel_initializer<he_normal>>;
    static_assert(std::is_same_v<a::bound<shape<3>>, b::bound<shape<3>>>);
    static_assert(std::is_same_v<a::kernel_initializer_type, he_normal>);
    static_assert(std::is_same_v<a::bias_initializer_type, zeros>); // Keras's defaults
    static_assert(std::is_same_v<a::kernel_regularizer_type, no_regularizer>);
    static_assert(std::is_same_v<a::activity_regularizer_type, act>);

    using every =
        dense<4, sigmoid, bias_regularizer<reg>, bias_initializer<ones>, activity_regularizer<act>,
              kernel_regularizer<l1_l2<std::ratio<1, 100>, std::ratio<1, 1000>>>,
              kernel_initializer<lecun_uniform>>;
    static_assert(std::is_same_v<
                  every::bound<shape<3>>,
                  detail::dense_layer<3, 4, sigmoid, lecun_uniform, ones,
                                      l1_l2<std::ratio<1, 100>, std::ratio<1, 1000>>, reg, act>>);
    // The defaults given by name are the defaults.
    static_assert(std::is_same_v<dense<4, relu, kernel_initializer<glorot_uniform>,
                                       bias_initializer<zeros>>::bound<shape<3>>,
                                 dense<4, relu>::bound<shape<3>>>);
    // Without an activation the options start right after Units, and the layer is linear.
    using options_only = dense<4, kernel_regularizer<reg>>;
    static_assert(std::is_same_v<options_only::activation_type, linear>);
    static_assert(std::is_same_v<options_only::bound<shape<3>>,
                                 dense<4, linear, kernel_regularizer<reg>>::bound<shape<3>>>);
    static_assert(std::is_same_v<options_only::with_activation<relu>,
                                 dense<4, relu, kernel_regularizer<reg>>>);
    static_assert(std::is_same_v<dense<4>, dense<4, linear>>);

    // Options change neither the name nor the summary nor the weight file's signature.
    using plain = network<input<3>, dense<4, relu>, dense<2, softmax>>;
    using optioned =
        network<input<3>, dense<4, relu, kernel_regularizer<reg>, bias_initializer<ones>>,
                dense<2, softmax, activity_regularizer<act>>>;
    BOOST_TEST(optioned::summary() == plain::summary());
    BOOST_TEST(architecture_signature<optioned>() == architecture_signature<plain>());
}

BOOST_AUTO_TEST_CASE(uses_the_initialisers_it_is_given) {
    // The kernel's fans are (inputs, units), and so are the bias's (Keras passes the kernel's
    // shape to both).
    network<input<6>, dense<13, relu, kernel_initializer<fan_marker>>> marked(1);
    const auto& k = marked.layer<0>();
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 13; ++j)
            BOOST_TEST(k.weight(i, j) == 6013.0f);
    for (std::size_t j = 0; j < 13; ++j)
        BOOST_TEST(k.bias(j) == 0.0f); // the default zeros
    BOOST_TEST(padding_is_zero(k));

    network<input<6>, dense<13, relu, bias_initializer<fan_marker>>> bias_marked(1);
    const auto& kb = bias_marked.layer<0>();
    const double limit = std::sqrt(6.0 / (6 + 13)); // Glorot-uniform, the default kernel
    bool all_equal = true;
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 13; ++j) {
            BOOST_TEST(std::abs(kb.weight(i, j)) <= limit);
            all_equal &= kb.weight(i, j) == kb.weight(0, 0);
        }
    BOOST_TEST(!all_equal);
    for (std::size_t j = 0; j < 13; ++j)
        BOOST_TEST(kb.bias(j) == 6013.0f);
    BOOST_TEST(padding_is_zero(kb));

    network<input<2>,
            dense<3, kernel_initializer<ones>, bias_initializer<constant_with<std::ratio<1, 10>>>>>
        constant(1);
    BOOST_TEST(constant.layer<0>().weight(1, 2) == 1.0f);
    BOOST_TEST(constant.layer<0>().bias(0) == 0.1f);
    // The same seed gives the same weights.
    network<input<6>, dense<13, relu, kernel_initializer<he_normal>>> he_a(5), he_b(5);
    BOOST_TEST(he_a.layer<0>().weight(3, 7) == he_b.layer<0>().weight(3, 7));
}

BOOST_AUTO_TEST_CASE(training_protocol_members) {
    using L = dense<13, relu>::bound<shape<7>>;
    static_assert(trainable_layer<L>);
    static_assert(parameter_block_count_v<L> == 2);
    static_assert(L::parameter_sizes[0] == L::layout::kernel_size &&
                  L::parameter_sizes[1] == L::layout::bias_size);
    static_assert(L::stride == simd::padded_size<float>(13));
    static_assert(rows_independent_v<L>);
    // The loss may hand over dL/dz (p - y) unless an activity regularizer needs dL/dy.
    static_assert(takes_preactivation_gradient_v<dense<3, softmax>::bound<shape<7>>>);
    static_assert(!takes_preactivation_gradient_v<
                  dense<3, softmax, activity_regularizer<l2<>>>::bound<shape<7>>>);
    // Pre-activations are kept only where g' needs them.
    static_assert(!dense<3, relu>::bound<shape<7>>::keeps_preactivation);
    static_assert(!dense<3, sigmoid>::bound<shape<7>>::keeps_preactivation);
    static_assert(dense<3, gelu>::bound<shape<7>>::keeps_preactivation);
    // Penalties exist only with regularizers.
    static_assert(!detail::has_penalty_v<L>);
    static_assert(detail::has_penalty_v<dense<3, kernel_regularizer<l2<>>>::bound<shape<7>>>);
    static_assert(detail::has_penalty_v<dense<3, bias_regularizer<l1<>>>::bound<shape<7>>>);
    static_assert(!detail::has_activity_penalty_v<L>);
    static_assert(
        detail::has_activity_penalty_v<dense<3, activity_regularizer<l1<>>>::bound<shape<7>>>);

    auto layer = std::make_unique<L>();
    const auto blocks = layer->parameter_blocks();
    BOOST_TEST(blocks[0] == layer->kernel_data());
    BOOST_TEST(blocks[1] == layer->bias_data());

    // In training and in evaluation the forward pass computes what predict computes.
    const auto w = test::random_values(7 * 13, 1, -0.5f, 0.5f);
    set_parameters(*layer, w, test::random_values(13, 2));
    const auto x = test::random_values(3 * 7, 3);
    auto ws = std::make_unique<L::workspace<4>>();
    alignas(simd::alignment) std::array<float, 3 * L::stride> expected{};
    layer->forward<4>(x.data(), 7, expected.data(), L::stride, 3); // as for batches of 4
    for (const bool training : {true, false}) {
        // Rows 1..3 of a batch of 4: the part's rows land at their place in the workspace.
        const rows_view y = layer->train_forward<4>({x.data(), 7}, *ws,
                                                    {.first = 1, .rows = 3, .training = training});
        BOOST_TEST(y.data == ws->y.data() + L::stride);
        for (std::size_t r = 0; r < 3; ++r)
            for (std::size_t j = 0; j < 13; ++j)
                BOOST_TEST(y.row(r)[j] == expected[r * L::stride + j]);
    }
}

BOOST_AUTO_TEST_CASE(backward_pass_matches_its_closed_form) {
    check_backward<dense<13, ctnn::tanh>, 7, 5>(10); // g' from the output
    check_backward<dense<9, gelu>, 4, 3>(11);        // g' from the kept pre-activation
    check_backward<dense<1, linear>, 1, 1>(12);      // the degenerate sizes
    check_backward<dense<6, ctnn::tanh, activity_regularizer<l2<std::ratio<1, 10>>>>, 5, 4>(
        13, 0.1); // plus the activity penalty's gradient
}

BOOST_AUTO_TEST_CASE(regularizers_penalise_weights_and_outputs) {
    using L = dense<5, ctnn::tanh, kernel_regularizer<l2<std::ratio<1, 10>>>,
                    bias_regularizer<l1<std::ratio<1, 4>>>,
                    activity_regularizer<l1<std::ratio<1, 100>>>>::bound<shape<3>>;
    auto layer = std::make_unique<L>();
    const auto w = test::random_values(3 * 5, 20), b = test::random_values(5, 21);
    set_parameters(*layer, w, b);
    double squares = 0, absolute = 0;
    for (float v : w)
        squares += static_cast<double>(v) * v;
    for (float v : b)
        absolute += std::abs(v);
    BOOST_TEST(layer->penalty() == 0.1 * squares + 0.25 * absolute,
               boost::test_tools::tolerance(1e-5));
    test::gradient_probe g;
    g.blocks.emplace_back(L::parameter_sizes[0]);
    g.blocks.emplace_back(L::parameter_sizes[1]);
    layer->add_penalty_gradient(g);
    BOOST_TEST(g.blocks[0][2 * L::layout::padded_outputs + 4] == 0.2f * w[2 * 5 + 4],
               boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(g.blocks[1][3] == (b[3] > 0 ? 0.25f : -0.25f));

    // The activity penalty: 0.01 Σ |y| over the part's rows.
    const auto x = test::random_values(2 * 3, 22);
    auto ws = std::make_unique<L::workspace<2>>();
    const pass_context p{.rows = 2};
    const rows_view y = layer->train_forward<2>({x.data(), 3}, *ws, p);
    double outputs = 0;
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t j = 0; j < 5; ++j)
            outputs += std::abs(y.row(r)[j]);
    BOOST_TEST(layer->activity_penalty<2>(*ws, p) == 0.01 * outputs,
               boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(padding_stays_zero_through_training) {
    // The fused update (no regularizer: SGD with momentum, then Adam) and the separate one (a
    // kernel regularizer's gradient joins first).
    using plain_t = network<input<6>, dense<13, relu>, dense<3, softmax>>;
    using regularized_t =
        network<input<6>, dense<13, relu, kernel_regularizer<l2<>>>, dense<3, softmax>>;
    auto plain = std::make_unique<plain_t>(4);
    auto regularized = std::make_unique<regularized_t>(4);
    BOOST_TEST(padding_is_zero(plain->layer<0>()));
    BOOST_TEST(padding_is_zero(plain->layer<1>()));
    const auto x = test::random_values(16 * 6, 30);
    std::vector<float> y(16);
    for (std::size_t r = 0; r < 16; ++r)
        y[r] = static_cast<float>(r % 3);
    const dataset<shape<6>, shape<1>> data(x, y);
    make_trainer<8>(*plain, sparse_categorical_crossentropy{},
                    sgd<>{.learning_rate = 0.1f, .momentum = 0.9f})
        ->fit(data, {.epochs = 5, .seed = 1});
    make_trainer<8>(*plain, sparse_categorical_crossentropy{}, adam<>{.learning_rate = 0.05f})
        ->fit(data, {.epochs = 5, .seed = 2});
    make_trainer<8>(*regularized, sparse_categorical_crossentropy{}, adam<>{.learning_rate = 0.05f})
        ->fit(data, {.epochs = 5, .seed = 3});
    BOOST_TEST(padding_is_zero(plain->layer<0>()));
    BOOST_TEST(padding_is_zero(plain->layer<1>()));
    BOOST_TEST(padding_is_zero(regularized->layer<0>()));
    BOOST_TEST(padding_is_zero(regularized->layer<1>()));
}

BOOST_AUTO_TEST_SUITE_END()
