// Tests ctnn/serialize/export_header.hpp and ctnn/network/constexpr_predict.hpp: the header's
// text (type spelling, identifier checks), weights round-tripped bit for bit through the text
// (parsed back with strtof, an independent reader), atomic writing, static_asserts on constant
// predictions of hand-set networks against closed forms, and the constant path against
// network::predict (bit for bit for exact activations, closely for exponential ones).
#include "ctnn/network/constexpr_predict.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/serialize/export_header.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <ratio>
#include <sstream>
#include <string>
#include <vector>

using namespace ctnn;

namespace {

// --- Constant expressions: hand-set weights, closed forms -----------------------------------

// XOR with two relu units: h1 = relu(a + b), h2 = relu(a + b - 1), y = h1 - 2 h2.
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

// The perceptron's AND: fires when a + b >= 1.5.
using and_net = network<input<2>, dense<1, threshold>>;
inline constexpr std::array<float, 2> and_k{1, 1};
inline constexpr std::array<float, 1> and_b{-1.5f};
inline constexpr constant_parameters<and_net> and_weights{
    layer_constants_t<and_net, 0>{and_k, and_b}};
static_assert(constexpr_predict<and_net>(and_weights, {1, 1})[0] == 1);
static_assert(constexpr_predict<and_net>(and_weights, {1, 0})[0] == 0);
static_assert(constexpr_predict<and_net>(and_weights, {0, 0})[0] == 0);

// A 2x2 image, flattened, a dropout (identity at inference), leaky relu (slope 1/4) then a
// softmax over two equal logits: closed forms with dyadic numbers only, so exact.
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

// Constant activations at points with exact values.
static_assert(detail::constant_activation<sigmoid>::f(0.0f) == 0.5f);
static_assert(detail::constant_activation<ctnn::tanh>::f(0.0f) == 0.0f);
static_assert(detail::constant_activation<elu>::f(0.0f) == 0.0f);
static_assert(detail::constant_activation<elu>::f(2.0f) == 2.0f);
static_assert(constexpr_predictable_v<xor_net> && constexpr_predictable_v<image_net>);
static_assert(!constexpr_predictable_v<network<input<2>, dense<2, gelu>>>);

// The fused multiply-add is the correctly rounded one: (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 once
// rounded, 2^-11 when the product is rounded first (its 2^-24 is a tie, to even).
static_assert(detail::constant_math::fused_multiply_add(1 + 0x1p-12f, 1 + 0x1p-12f, -1.0f) ==
              0x1p-11f + 0x1p-24f);
static_assert(detail::constant_math::unfused_multiply_add(1 + 0x1p-12f, 1 + 0x1p-12f, -1.0f) ==
              0x1p-11f);

// --- Helpers ----------------------------------------------------------------------------------

std::uint32_t bits(float v) {
    return std::bit_cast<std::uint32_t>(v);
}

// The floats of `inline constexpr std::array<float, N> <id> = { ... };` in a header's text,
// parsed by strtof (which reads hexadecimal floats independently of std::to_chars).
std::vector<float> parse_array(const std::string& text, const std::string& id) {
    const std::string opening = "> " + id + " = {";
    const auto start = text.find(opening);
    BOOST_TEST_REQUIRE(start != std::string::npos, "no array " << id);
    const auto end = text.find("};", start);
    const std::string body = text.substr(start + opening.size(), end - start - opening.size());
    std::vector<float> values;
    const char* p = body.c_str();
    while (true) {
        char* after = nullptr;
        const float v = std::strtof(p, &after);
        if (after == p)
            break;
        BOOST_TEST_REQUIRE(*after == 'f'); // a float literal
        values.push_back(v);
        p = after + 1;
        while (*p == ',' || *p == ' ' || *p == '\n')
            ++p;
    }
    return values;
}

std::filesystem::path scratch_dir() {
    auto dir = std::filesystem::temp_directory_path() / "ctnn_export_header_test";
    std::filesystem::create_directories(dir);
    return dir;
}

template <class Net>
void randomize(Net& net, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    net.visit_parameters([&](std::size_t, parameter_array<float> a) {
        for (std::size_t r = 0; r < a.rows; ++r)
            for (std::size_t c = 0; c < a.columns; ++c)
                a(r, c) = normal(gen);
    });
}

// How the dense kernel rounds its multiply-adds in this build: one input, one unit, chosen so
// that the two roundings differ (see the static_asserts above).
multiply_add kernel_rounding() {
    // Two outputs: the vector kernel (a single output takes the dot path, always fused).
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

// The network's weights as a std::vector per parameter array, and constant_parameters that
// point at them (the form a generated header has).
using array_storage = std::vector<std::vector<float>>;

template <class Net>
array_storage copy_arrays(const Net& net) {
    array_storage storage;
    net.visit_parameters([&](std::size_t, parameter_array<const float> a) {
        std::vector<float> values;
        for (std::size_t r = 0; r < a.rows; ++r)
            for (std::size_t c = 0; c < a.columns; ++c)
                values.push_back(a(r, c));
        storage.push_back(std::move(values));
    });
    return storage;
}

// Index in the visit order of layer I's first array (dense layers have two: kernel, bias).
template <class Net, std::size_t I>
constexpr std::size_t first_array() {
    std::size_t n = 0;
    static_for<I>([&](auto k) {
        if constexpr (!std::is_same_v<layer_constants_t<Net, k>, no_constants>)
            n += 2;
    });
    return n;
}

template <class Net, std::size_t I>
layer_constants_t<Net, I> constants_of(const array_storage& s) {
    using C = layer_constants_t<Net, I>;
    if constexpr (std::is_same_v<C, no_constants>) {
        return {};
    } else {
        constexpr std::size_t k = first_array<Net, I>();
        return C{decltype(C::kernel)(s[k].data(), s[k].size()),
                 decltype(C::bias)(s[k + 1].data(), s[k + 1].size())};
    }
}

template <class Net, std::size_t... I>
constant_parameters<Net> make_parameters(const array_storage& s, std::index_sequence<I...>) {
    return {constants_of<Net, I>(s)...};
}

template <class Net>
struct held_constants {
    array_storage storage;
    constant_parameters<Net> parameters;

    explicit held_constants(const Net& net)
        : storage(copy_arrays(net)),
          parameters(make_parameters<Net>(storage, std::make_index_sequence<Net::layer_count>{})) {}
};

template <class Net>
std::array<float, Net::input_shape::size> random_input(unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::array<float, Net::input_shape::size> x{};
    for (auto& v : x)
        v = uniform(gen);
    return x;
}

template <class Net>
tensor<float, typename Net::input_shape>
as_tensor(const std::array<float, Net::input_shape::size>& x) {
    tensor<float, typename Net::input_shape> t;
    for (std::size_t i = 0; i < x.size(); ++i)
        t.data()[i] = x[i];
    return t;
}

// The constant path evaluated at run time against network::predict for a few inputs.
// `exact`: bit for bit; otherwise within `tolerance` (relative to the largest output).
template <class Net>
void check_against_network(bool exact, float tolerance = 0.0f) {
    auto net = std::make_unique<Net>();
    randomize(*net, 11);
    const held_constants<Net> held(*net);
    const multiply_add mode = kernel_rounding();
    for (unsigned sample = 0; sample < 4; ++sample) {
        const auto x = random_input<Net>(100 + sample);
        const auto expected = net->predict(as_tensor<Net>(x));
        const auto got = mode == multiply_add::fused
                             ? constexpr_predict<Net>(held.parameters, x)
                             : constexpr_predict<Net, multiply_add::unfused>(held.parameters, x);
        float scale = 0.0f;
        for (std::size_t j = 0; j < got.size(); ++j)
            scale = std::max(scale, std::abs(expected[j]));
        for (std::size_t j = 0; j < got.size(); ++j) {
            if (exact)
                BOOST_TEST(bits(got[j]) == bits(expected[j]), "output " << j << ": "
                                                                        << std::hexfloat << got[j]
                                                                        << " vs " << expected[j]);
            else
                BOOST_TEST(std::abs(got[j] - expected[j]) <= tolerance * scale,
                           "output " << j << ": " << std::hexfloat << got[j] << " vs "
                                     << expected[j]);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(export_header_test)

BOOST_AUTO_TEST_CASE(header_spells_the_network_and_its_api) {
    using net_t = network<input<3>, dense<2, relu>, dropout<std::ratio<1, 2>>,
                          dense<17, leaky_relu_with<std::ratio<3, 10>>>, dense<1, sigmoid>>;
    auto net = std::make_unique<net_t>();
    const std::string text = export_header_text(*net, "tiny_model");
    for (const char* expected :
         {"#pragma once",
          "#include <ctnn/network/constexpr_predict.hpp>",
          "#include <ctnn/network/network.hpp>",
          "namespace tiny_model {",
          "using network_type = ctnn::network<ctnn::input<3>,",
          "ctnn::dense<2, ctnn::relu>,",
          "ctnn::dropout<std::ratio<1, 2>>,",
          "ctnn::dense<17, ctnn::leaky_relu_with<std::ratio<3, 10>>>,",
          "ctnn::dense<1, ctnn::sigmoid>>;",
          "inline constexpr std::size_t input_size = 3;",
          "inline constexpr std::size_t output_size = 1;",
          "inline constexpr std::array<float, 6> layer0_kernel = {",
          "inline constexpr std::array<float, 2> layer0_bias = {",
          "inline constexpr std::array<float, 34> layer2_kernel = {",
          "inline constexpr std::array<float, 17> layer3_kernel = {",
          "ctnn::layer_constants_t<network_type, 1>{}",
          "ctnn::layer_constants_t<network_type, 2>{layer2_kernel, layer2_bias}",
          "inline void load(network_type& net) noexcept",
          "inline std::unique_ptr<network_type> make_network()",
          "predict(const std::array<float, input_size>& x) noexcept",
          "} // namespace tiny_model"})
        BOOST_TEST(text.find(expected) != std::string::npos, "missing: " << expected);
    // No array for the dropout layer, and the parameter count guards the spelling.
    BOOST_TEST(text.find("layer1_") == std::string::npos);
    BOOST_TEST(text.find("network_type::param_count == " + std::to_string(net_t::param_count)) !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(images_flatten_and_unsupported_constant_activations) {
    using net_t =
        network<input<28, 28>, flatten, dense<3, elu_with<std::ratio<3, 2>>>, dense<2, gelu>>;
    auto net = std::make_unique<net_t>();
    const std::string text = export_header_text(*net, "m");
    BOOST_TEST(text.find("ctnn::network<ctnn::input<28, 28>,") != std::string::npos);
    BOOST_TEST(text.find("ctnn::flatten,") != std::string::npos);
    BOOST_TEST(text.find("ctnn::dense<3, ctnn::elu_with<std::ratio<3, 2>>>,") != std::string::npos);
    BOOST_TEST(text.find("ctnn::dense<2, ctnn::gelu>>;") != std::string::npos);
    BOOST_TEST(text.find("inline constexpr std::array<float, 2352> layer1_kernel") !=
               std::string::npos);
    // gelu has no constant version: no constexpr predict, the rest is there.
    BOOST_TEST(text.find("predict(const std::array") == std::string::npos);
    BOOST_TEST(text.find("make_network()") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(names_must_be_identifiers) {
    using net_t = network<input<1>, dense<1>>;
    const net_t net;
    for (const char* good : {"model", "_x1", "digits_v2", "M", "std2", "ctnn_model"})
        BOOST_CHECK_NO_THROW((void)export_header_text(net, good));
    for (const char* bad : {"", "1model", "my-model", "a::b", "a b", "namespace", "int", "float",
                            "constexpr", "__x", "a__b", "_Model", "std", "ctnn", "caf\xc3\xa9"}) {
        try {
            (void)export_header_text(net, bad);
            BOOST_ERROR("accepted \"" << bad << "\"");
        } catch (const std::invalid_argument& e) {
            const std::string message = e.what();
            BOOST_TEST(message.find("\"" + std::string(bad) + "\"") != std::string::npos, message);
            BOOST_TEST(message.find("cannot name the header's namespace") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(weights_round_trip_bit_for_bit) {
    // Sizes that are not multiples of any SIMD width (17, 3, 1), and edge values.
    using net_t = network<input<17>, dense<3, relu>, dense<1, linear>>;
    auto net = std::make_unique<net_t>();
    randomize(*net, 5);
    auto& l0 = net->layer<0>();
    l0.weight(0, 0) = -0.0f;
    l0.weight(1, 0) = std::numeric_limits<float>::denorm_min();
    l0.weight(2, 0) = -std::numeric_limits<float>::denorm_min() * 12345;
    l0.weight(3, 0) = std::numeric_limits<float>::max();
    l0.weight(4, 0) = std::numeric_limits<float>::lowest();
    l0.weight(5, 0) = std::numeric_limits<float>::min();
    l0.weight(16, 2) = 0.1f;
    l0.bias(2) = 1.0f / 3.0f;
    net->layer<1>().bias(0) = -1e-30f;

    const std::string text = export_header_text(*net, "round_trip");
    const auto k0 = parse_array(text, "layer0_kernel");
    const auto b0 = parse_array(text, "layer0_bias");
    const auto k1 = parse_array(text, "layer1_kernel");
    const auto b1 = parse_array(text, "layer1_bias");
    BOOST_TEST_REQUIRE(k0.size() == 17u * 3u);
    BOOST_TEST_REQUIRE(b0.size() == 3u);
    BOOST_TEST_REQUIRE(k1.size() == 3u);
    BOOST_TEST_REQUIRE(b1.size() == 1u);
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(bits(k0[i * 3 + j]) == bits(l0.weight(i, j)), i << "," << j);
    for (std::size_t j = 0; j < 3; ++j) {
        BOOST_TEST(bits(b0[j]) == bits(l0.bias(j)));
        BOOST_TEST(bits(k1[j]) == bits(net->layer<1>().weight(j, 0)));
    }
    BOOST_TEST(bits(b1[0]) == bits(-1e-30f));
    BOOST_TEST(text.find("-0x0p+0f") != std::string::npos); // the sign of zero is kept

    // The parsed arrays loaded into a fresh network predict exactly as the original.
    const array_storage parsed{k0, b0, k1, b1};
    const auto p = make_parameters<net_t>(parsed, std::make_index_sequence<2>{});
    auto loaded = std::make_unique<net_t>(/*seed=*/99);
    load_constants(*loaded, p);
    l0.weight(3, 0) = 1.0f; // finite products for the comparison
    l0.weight(4, 0) = -1.0f;
    loaded->layer<0>().weight(3, 0) = 1.0f;
    loaded->layer<0>().weight(4, 0) = -1.0f;
    for (unsigned s = 0; s < 5; ++s) {
        const auto x = as_tensor<net_t>(random_input<net_t>(s));
        BOOST_TEST(bits(loaded->predict(x)[0]) == bits(net->predict(x)[0]));
    }
}

BOOST_AUTO_TEST_CASE(non_finite_weights_are_refused_and_nothing_is_written) {
    using net_t = network<input<3>, dense<2, relu>>;
    auto net = std::make_unique<net_t>();
    net->layer<0>().weight(2, 1) = std::numeric_limits<float>::quiet_NaN();
    const auto file = scratch_dir() / "nan_model.hpp";
    std::filesystem::remove(file);
    BOOST_CHECK_THROW(export_header(*net, file, "nan_model"), std::invalid_argument);
    BOOST_TEST(!std::filesystem::exists(file));
    BOOST_TEST(!std::filesystem::exists(file.string() + ".partial"));
    try {
        (void)export_header_text(*net, "nan_model");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("layer 0 kernel (2, 1) is not finite") !=
                       std::string::npos,
                   e.what());
    }
}

BOOST_AUTO_TEST_CASE(writes_the_text_atomically) {
    using net_t = network<input<3>, dense<2, relu>>;
    auto net = std::make_unique<net_t>();
    const auto file = scratch_dir() / "atomic_model.hpp";
    {
        std::ofstream old(file);
        old << "old contents";
    }
    export_header(*net, file, "atomic_model");
    std::ifstream in(file, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    BOOST_TEST(contents.str() == export_header_text(*net, "atomic_model"));
    BOOST_TEST(!std::filesystem::exists(file.string() + ".partial"));

    // A directory that does not exist: io_error naming the file, nothing left behind.
    const auto missing = scratch_dir() / "no_such_dir" / "m.hpp";
    try {
        export_header(*net, missing, "m");
        BOOST_ERROR("wrote into a missing directory");
    } catch (const io_error& e) {
        BOOST_TEST(e.file() == missing);
    }
    BOOST_TEST(!std::filesystem::exists(missing.parent_path()));
    // A bad name: the existing header is untouched.
    BOOST_CHECK_THROW(export_header(*net, file, "bad name"), std::invalid_argument);
    std::ifstream again(file, std::ios::binary);
    std::stringstream after;
    after << again.rdbuf();
    BOOST_TEST(after.str() == contents.str());
    std::filesystem::remove(file);
}

BOOST_AUTO_TEST_CASE(constant_path_matches_network_bit_for_bit_for_exact_activations) {
    check_against_network<network<input<1>, dense<1, relu>>>(true);
    check_against_network<network<input<3>, dense<17, relu>, dense<3, linear>>>(true);
    check_against_network<network<input<17>, dense<5, leaky_relu>, dense<1, threshold>>>(true);
    check_against_network<network<input<784>, dense<128, relu>, dense<10, linear>>>(true);
    check_against_network<network<input<2, 3>, flatten, dense<33, relu>, dropout<std::ratio<1, 3>>,
                                  dense<2, linear>>>(true);
}

BOOST_AUTO_TEST_CASE(constant_path_is_close_for_exponential_activations) {
    check_against_network<network<input<784>, dense<128, relu>, dense<10, softmax>>>(false, 1e-6f);
    check_against_network<network<input<5>, dense<7, sigmoid>, dense<3, ctnn::tanh>>>(false, 1e-6f);
    check_against_network<network<input<4>, dense<9, elu>, dense<6, softplus>, dense<2, swish>>>(
        false, 1e-6f);
}

BOOST_AUTO_TEST_CASE(constant_math_against_the_standard_library) {
    // Within 1 ulp of float over a wide range (the float rounding of a double result).
    const auto ulps = [](float a, double reference) {
        const auto r = static_cast<float>(reference);
        return std::abs(static_cast<double>(bits(a)) - static_cast<double>(bits(r)));
    };
    for (double x = -100.0; x <= 80.0; x += 0.37) {
        const float xf = static_cast<float>(x);
        BOOST_TEST(ulps(static_cast<float>(detail::constant_math::exp(xf)), std::exp(double{xf})) <=
                       1.0,
                   x);
        BOOST_TEST(ulps(detail::constant_activation<sigmoid>::f(xf),
                        1.0 / (1.0 + std::exp(-double{xf}))) <= 1.0,
                   x);
        BOOST_TEST(std::abs(detail::constant_activation<ctnn::tanh>::f(xf) -
                            static_cast<float>(std::tanh(double{xf}))) <= 1.2e-7f,
                   x);
        BOOST_TEST(ulps(detail::constant_activation<softplus>::f(xf),
                        std::log1p(std::exp(-std::abs(double{xf}))) + std::max(double{xf}, 0.0)) <=
                       1.0,
                   x);
    }
    for (double x : {1e-300, 1e-30, 0.5, 1.0, 2.0, 3.0, 1e10, 1e300})
        BOOST_TEST(std::abs(detail::constant_math::log(x) - std::log(x)) <=
                       1e-15 * std::max(1.0, std::abs(std::log(x))),
                   x);
    for (double x : {1e-20, 1e-9, 1e-6, 1e-3, 0.5, 1.0})
        BOOST_TEST(std::abs(detail::constant_math::log1p(x) - std::log1p(x)) <= 1e-15 * x, x);
    for (double x : {-1e-20, -1e-7, 1e-6, -0.3, 0.7, -20.0})
        BOOST_TEST(std::abs(detail::constant_math::expm1(x) - std::expm1(x)) <=
                       1e-14 * std::abs(std::expm1(x)),
                   x);
    BOOST_TEST(detail::constant_math::exp(-746.0) == 0.0);
    BOOST_TEST(std::isinf(detail::constant_math::exp(710.0)));
}

BOOST_AUTO_TEST_CASE(fused_multiply_add_is_correctly_rounded) {
    // Against std::fma on random operands, including cancellations and tiny addends.
    std::mt19937 gen(3);
    std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
    std::uniform_int_distribution<int> exponent(-40, 40);
    for (int n = 0; n < 200000; ++n) {
        const float a = std::ldexp(uniform(gen), exponent(gen));
        const float b = std::ldexp(uniform(gen), exponent(gen));
        float c = std::ldexp(uniform(gen), exponent(gen));
        if (n % 3 == 0)
            c = -a * b; // near-total cancellation
        BOOST_TEST_REQUIRE(bits(detail::constant_math::fused_multiply_add(a, b, c)) ==
                               bits(std::fma(a, b, c)),
                           a << " * " << b << " + " << c);
    }
}

BOOST_AUTO_TEST_SUITE_END()
