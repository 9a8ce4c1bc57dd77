// Tests ctnn/network/constexpr_predict.hpp: static_asserts on constant-expression predictions of
// hand-set networks against closed forms (XOR with relu, a linear layer, the perceptron's AND,
// flatten / dropout / leaky relu / softmax, a sigmoid unit within an ulp, softmax rows that sum
// to 1, an activation and a layer written outside the library), which networks are predictable,
// and the constant path at run time against network::predict on the same weights
// (load_constants): bit for bit for relu / linear / leaky relu / threshold networks, within 1e-6
// for exponential activations.
#include "ctnn/network/constexpr_predict.hpp"

#include "ctnn/layers/layers.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/activations.hpp"

#include "support/user_policies.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <ratio>
#include <span>
#include <type_traits>
#include <vector>

using namespace ctnn;

namespace {

// Distance in floats between two finite floats of the same sign.
constexpr std::int64_t ulps(float a, float b) {
    const auto d = std::int64_t{std::bit_cast<std::int32_t>(a)} - std::bit_cast<std::int32_t>(b);
    return d < 0 ? -d : d;
}

// --- XOR with two relu units: h1 = relu(a + b), h2 = relu(a + b - 1), y = h1 - 2 h2 ----------
using xor_net = network<input<2>, dense<2, relu>, dense<1, linear>>;
inline constexpr std::array<float, 4> xor_k0{1, 1, 1, 1};
inline constexpr std::array<float, 2> xor_b0{0, -1};
inline constexpr std::array<float, 2> xor_k1{1, -2};
inline constexpr std::array<float, 1> xor_b1{0};
inline constexpr constant_parameters<xor_net> xor_weights{
    layer_constants_t<xor_net, 0>{xor_k0, xor_b0}, layer_constants_t<xor_net, 1>{xor_k1, xor_b1}};

static_assert(constexpr_predict<xor_net>(xor_weights, {0, 0})[0] == 0);
static_assert(constexpr_predict<xor_net>(xor_weights, {1, 0})[0] == 1);
static_assert(constexpr_predict<xor_net>(xor_weights, {0, 1})[0] == 1);
static_assert(constexpr_predict<xor_net>(xor_weights, {1, 1})[0] == 0);
static_assert(constexpr_predict<xor_net, multiply_add::unfused>(xor_weights, {1, 1})[0] == 0);

// --- A linear layer: y = b + x K with small integers, exact -----------------------------------
// x = (1, -1, 2): y0 = 0.5 + 1 - 3 + 10 = 8.5, y1 = -1 + 2 - 4 + 12 = 9.
using affine_net = network<input<3>, dense<2, linear>>;
inline constexpr std::array<float, 6> affine_k{1, 2, 3, 4, 5, 6}; // [3][2]
inline constexpr std::array<float, 2> affine_b{0.5f, -1};
inline constexpr constant_parameters<affine_net> affine_weights{
    layer_constants_t<affine_net, 0>{affine_k, affine_b}};
static_assert(constexpr_predict<affine_net>(affine_weights, {1, -1, 2}) ==
              std::array<float, 2>{8.5f, 9});

// --- The perceptron's AND: fires when a + b >= 1.5 --------------------------------------------
using and_net = network<input<2>, dense<1, threshold>>;
inline constexpr std::array<float, 2> and_k{1, 1};
inline constexpr std::array<float, 1> and_b{-1.5f};
inline constexpr constant_parameters<and_net> and_weights{
    layer_constants_t<and_net, 0>{and_k, and_b}};
static_assert(constexpr_predict<and_net>(and_weights, {1, 1})[0] == 1);
static_assert(constexpr_predict<and_net>(and_weights, {1, 0})[0] == 0);
static_assert(constexpr_predict<and_net>(and_weights, {0, 0})[0] == 0);

// --- A 2x2 image, flattened, a dropout (identity at inference), leaky relu (slope 1/4) then a
// softmax over two equal logits: closed forms with dyadic numbers only, so exact ---------------
using image_net = network<input<2, 2>, flatten, dense<3, leaky_relu_with<std::ratio<1, 4>>>,
                          dropout<std::ratio<1, 2>>, dense<2, softmax>>;
inline constexpr std::array<float, 12> image_k0{0.5f, 0,  -1, // pixel 0
                                                0.5f, 0,  0,  // pixel 1
                                                0,    1,  0,  // pixel 2
                                                0,    -1, 0}; // pixel 3
inline constexpr std::array<float, 3> image_b0{0.25f, 0, 0};
inline constexpr std::array<float, 6> image_k1{0, 0, 0, 0, 0, 0};
inline constexpr std::array<float, 2> image_b1{3, 3};
inline constexpr constant_parameters<image_net> image_weights{
    layer_constants_t<image_net, 0>{}, layer_constants_t<image_net, 1>{image_k0, image_b0},
    layer_constants_t<image_net, 2>{}, layer_constants_t<image_net, 3>{image_k1, image_b1}};
static_assert(constexpr_predict<image_net>(image_weights, {1, 1, 0, 0})[0] == 0.5f);

// The hidden layer alone, through a linear output that reads it: y = h0 + 2 h1 + 4 h2 with
// h = leaky_relu(x K + b); x = (1, 3, 2, 6): h0 = 2.25, h1 = leaky(-4) = -1, h2 = leaky(-1) =
// -0.25.
using hidden_net =
    network<input<2, 2>, flatten, dense<3, leaky_relu_with<std::ratio<1, 4>>>, dense<1, linear>>;
inline constexpr std::array<float, 3> hidden_k1{1, 2, 4};
inline constexpr std::array<float, 1> hidden_b1{0};
inline constexpr constant_parameters<hidden_net> hidden_weights{
    layer_constants_t<hidden_net, 0>{}, layer_constants_t<hidden_net, 1>{image_k0, image_b0},
    layer_constants_t<hidden_net, 2>{hidden_k1, hidden_b1}};
static_assert(constexpr_predict<hidden_net>(hidden_weights, {1, 3, 2, 6})[0] ==
              2.25f + 2 * -1.0f + 4 * -0.25f);

// --- A sigmoid unit, z = x: within an ulp of 1 / (1 + e^-x) (values from Python's math) -------
using sigmoid_net = network<input<1>, dense<1, sigmoid>>;
inline constexpr std::array<float, 1> one{1};
inline constexpr std::array<float, 1> zero{0};
inline constexpr constant_parameters<sigmoid_net> sigmoid_weights{
    layer_constants_t<sigmoid_net, 0>{one, zero}};
static_assert(constexpr_predict<sigmoid_net>(sigmoid_weights, {0})[0] == 0.5f);
static_assert(ulps(constexpr_predict<sigmoid_net>(sigmoid_weights, {1})[0],
                   static_cast<float>(0.7310585786300049)) <= 1);
static_assert(ulps(constexpr_predict<sigmoid_net>(sigmoid_weights, {-3})[0],
                   static_cast<float>(0.04742587317756678)) <= 1);
static_assert(ulps(constexpr_predict<sigmoid_net>(sigmoid_weights, {5})[0],
                   static_cast<float>(0.9933071490757153)) <= 1);

// --- Softmax over logits (1, 2, 3, 4) and (0, 0, 0, 0) ----------------------------------------
using softmax_net = network<input<1>, dense<4, softmax>>;
inline constexpr std::array<float, 4> softmax_k{1, 2, 3, 4};
inline constexpr std::array<float, 4> softmax_b{0, 0, 0, 0};
inline constexpr constant_parameters<softmax_net> softmax_weights{
    layer_constants_t<softmax_net, 0>{softmax_k, softmax_b}};
inline constexpr auto softmax_p = constexpr_predict<softmax_net>(softmax_weights, {1});
inline constexpr std::array<double, 4> softmax_closed{0.03205860328008499, 0.08714431874203257,
                                                      0.23688281808991013, 0.6439142598879722};
constexpr bool softmax_row_is_right() {
    float sum = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const double error = softmax_p[i] - softmax_closed[i];
        if (error > 1e-7 || error < -1e-7)
            return false;
        sum += softmax_p[i];
    }
    return sum - 1.0f <= 0x1p-21f && 1.0f - sum <= 0x1p-21f;
}
static_assert(softmax_row_is_right());
static_assert(constexpr_predict<softmax_net>(softmax_weights, {0}) ==
              std::array<float, 4>{0.25f, 0.25f, 0.25f, 0.25f});

// --- An activation and a layer written outside the library (support/user_policies.hpp) -------
// h = hard_tanh(x K + b) = clamp((a - b, a + b, 2a - 1), -1, 1), scaled by (2, 0.5, 3), summed.
// x = (0.25, 2): h = (-1, 1, -0.5), scaled (-2, 0.5, -1.5): -3. x = (0.5, 0): h = (0.5, 0.5, 0),
// scaled (1, 0.25, 0): 1.25.
using user_net = network<input<2>, dense<3, user::hard_tanh>, user::scale, dense<1, linear>>;
inline constexpr std::array<float, 6> user_k0{1, 1, 2, -1, 1, 0};
inline constexpr std::array<float, 3> user_b0{0, 0, -1};
inline constexpr std::array<float, 3> user_factor{2, 0.5f, 3};
inline constexpr std::array<float, 3> user_k2{1, 1, 1};
inline constexpr std::array<float, 1> user_b2{0};
inline constexpr constant_parameters<user_net> user_weights{
    layer_constants_t<user_net, 0>{user_k0, user_b0}, layer_constants_t<user_net, 1>{user_factor},
    layer_constants_t<user_net, 2>{user_k2, user_b2}};
static_assert(std::is_same_v<layer_constants_t<user_net, 1>, user::scale_constants<3>>);
static_assert(constexpr_predict<user_net>(user_weights, {0.25f, 2})[0] == -3.0f);
static_assert(constexpr_predict<user_net>(user_weights, {0.5f, 0})[0] == 1.25f);

// --- Which networks are predictable -----------------------------------------------------------
static_assert(constexpr_predictable_v<xor_net> && constexpr_predictable_v<image_net> &&
              constexpr_predictable_v<user_net>);
static_assert(!constexpr_predictable_v<network<input<2>, dense<2, gelu>>>); // needs erfc
static_assert(!constexpr_predictable_v<network<input<2>, dense<2, relu>, dense<1, gelu>>>);
static_assert(!constexpr_predictable_v<network<input<2>, dense<2, fast_tanh>>>);
static_assert(!constexpr_predictable_v<network<input<2>, dense<2>, batch_normalization<>>>);
// gelu has no constant form, but its layer still has constants: a gelu network loads and exports.
static_assert(
    std::is_same_v<layer_constants_t<network<input<2>, dense<3, gelu>>, 0>, dense_constants<2, 3>>);

// --- Run time: random weights, loaded into a network object ----------------------------------

// Random values for every constant array of Net, held here, and constant_parameters that point
// at them: the form of a generated header's arrays, filled at run time.
template <class Net>
class random_constants {
public:
    explicit random_constants(unsigned seed)
        : gen_(seed), parameters_(make(std::make_index_sequence<Net::layer_count>{})) {}
    random_constants(const random_constants&) = delete;
    random_constants& operator=(const random_constants&) = delete;

    [[nodiscard]] const constant_parameters<Net>& parameters() const { return parameters_; }

private:
    template <std::size_t N>
    std::span<const float, N> fill() {
        std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
        auto& a = arrays_.emplace_back(N);
        for (auto& v : a)
            v = uniform(gen_);
        return std::span<const float, N>(a.data(), N);
    }
    template <class C>
    C make_one() {
        if constexpr (std::is_same_v<C, no_constants>)
            return {};
        else if constexpr (requires { C::factor; })
            return C{fill<decltype(C::factor)::extent>()};
        else
            return C{fill<decltype(C::kernel)::extent>(), fill<decltype(C::bias)::extent>()};
    }
    template <std::size_t... I>
    constant_parameters<Net> make(std::index_sequence<I...>) {
        return {make_one<layer_constants_t<Net, I>>()...};
    }

    std::mt19937 gen_;
    std::vector<std::vector<float>> arrays_; // moving a vector keeps its data: spans stay valid
    constant_parameters<Net> parameters_;
};

// How the dense kernel rounds its multiply-adds in this build: one input, two units (the vector
// kernel; a single unit takes the dot path, which always fuses), operands whose two roundings
// differ (simd/constant_math.hpp's tests).
multiply_add kernel_rounding() {
    using probe = network<input<1>, dense<2, linear>>;
    auto net = std::make_unique<probe>();
    net->layer<0>().weight(0, 0) = 1 + 0x1p-12f;
    net->layer<0>().bias(0) = -1.0f;
    tensor<float, shape<1>> x;
    x[0] = 1 + 0x1p-12f;
    const float y = net->predict(x)[0];
    BOOST_TEST_REQUIRE((y == 0x1p-11f + 0x1p-24f || y == 0x1p-11f));
    return y == 0x1p-11f ? multiply_add::unfused : multiply_add::fused;
}

// constexpr_predict at run time against network::predict of a network loaded from the same
// constants, for a few random inputs. `exact`: bit for bit; otherwise within `tolerance`
// (relative to the largest output).
template <class Net>
void check_against_network(bool exact, float tolerance = 0.0f) {
    const random_constants<Net> constants(11);
    auto net = std::make_unique<Net>(/*seed=*/3); // other weights, all overwritten
    load_constants(*net, constants.parameters());
    const multiply_add mode = kernel_rounding();
    std::mt19937 gen(100);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (unsigned sample = 0; sample < 4; ++sample) {
        std::array<float, Net::input_shape::size> x{};
        tensor<float, typename Net::input_shape> t;
        for (std::size_t i = 0; i < x.size(); ++i)
            t.data()[i] = x[i] = uniform(gen);
        const auto expected = net->predict(t);
        const auto got =
            mode == multiply_add::fused
                ? constexpr_predict<Net>(constants.parameters(), x)
                : constexpr_predict<Net, multiply_add::unfused>(constants.parameters(), x);
        float scale = 0.0f;
        for (std::size_t j = 0; j < got.size(); ++j)
            scale = std::max(scale, std::abs(expected[j]));
        for (std::size_t j = 0; j < got.size(); ++j) {
            if (exact)
                BOOST_TEST(std::bit_cast<std::uint32_t>(got[j]) ==
                               std::bit_cast<std::uint32_t>(expected[j]),
                           "output " << j << ": " << std::hexfloat << got[j] << " vs "
                                     << expected[j]);
            else
                BOOST_TEST(std::abs(got[j] - expected[j]) <= tolerance * scale,
                           "output " << j << ": " << std::hexfloat << got[j] << " vs "
                                     << expected[j]);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(constexpr_predict_test)

BOOST_AUTO_TEST_CASE(load_constants_puts_every_value_in_place) {
    using net_t = network<input<3>, dense<17, relu>, dense<3, linear>>;
    const random_constants<net_t> constants(5);
    auto net = std::make_unique<net_t>();
    load_constants(*net, constants.parameters());
    const auto& c0 = std::get<0>(constants.parameters());
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 17; ++j)
            BOOST_TEST(net->layer<0>().weight(i, j) == c0.kernel[i * 17 + j]);
    for (std::size_t j = 0; j < 3; ++j)
        BOOST_TEST(net->layer<1>().bias(j) == std::get<1>(constants.parameters()).bias[j]);

    // The hand-set XOR network, loaded: network::predict gives the truth table too.
    auto xor_object = std::make_unique<xor_net>();
    load_constants(*xor_object, xor_weights);
    for (const auto& [a, b, y] : {std::array<float, 3>{0, 0, 0}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}}) {
        tensor<float, shape<2>> x;
        x[0] = a;
        x[1] = b;
        BOOST_TEST(xor_object->predict(x)[0] == y);
    }
}

BOOST_AUTO_TEST_CASE(matches_network_bit_for_bit_for_exact_activations) {
    check_against_network<network<input<1>, dense<1, relu>>>(true);
    check_against_network<network<input<3>, dense<17, relu>, dense<3, linear>>>(true);
    check_against_network<network<input<17>, dense<5, leaky_relu>, dense<1, threshold>>>(true);
    check_against_network<network<input<784>, dense<128, relu>, dense<10, linear>>>(true);
    check_against_network<network<input<2, 3>, flatten, dense<33, relu>, dropout<std::ratio<1, 3>>,
                                  dense<2, linear>>>(true);
    check_against_network<network<input<5>, dense<9, user::hard_tanh>, user::scale, dense<4>>>(
        true);
}

BOOST_AUTO_TEST_CASE(is_close_for_exponential_activations) {
    check_against_network<network<input<784>, dense<128, relu>, dense<10, softmax>>>(false, 1e-6f);
    check_against_network<network<input<5>, dense<7, sigmoid>, dense<3, ctnn::tanh>>>(false, 1e-6f);
    check_against_network<network<input<4>, dense<9, elu>, dense<6, softplus>, dense<2, swish>>>(
        false, 1e-6f);
}

BOOST_AUTO_TEST_SUITE_END()
