// Tests ctnn/serialize/export_header.hpp: the header's text (type spelling from the layers'
// and activations' spelling(), also of an activation and a layer written outside the library,
// identifier checks), weights round-tripped bit for bit through the text (parsed back with
// strtof, an independent reader) and atomic writing. Constant-expression prediction is tested in
// tests/network/constexpr_predict_test.cpp; the export consumer (export/) compiles generated
// headers.
#include "ctnn/serialize/export_header.hpp"

#include "ctnn/layers/layers.hpp"
#include "ctnn/network/constexpr_predict.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/activations.hpp"

#include "support/user_policies.hpp"

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
#include <utility>
#include <vector>

using namespace ctnn;

namespace {

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

// Parsed arrays, one std::vector per parameter array, and constant_parameters that point at them
// (the form a generated header has).
using array_storage = std::vector<std::vector<float>>;

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

} // namespace

BOOST_AUTO_TEST_SUITE(export_header_test)

BOOST_AUTO_TEST_CASE(header_spells_the_network_and_its_api) {
    using net_t = network<input<3>, dense<2, relu>, dropout<std::ratio<1, 2>>,
                          dense<17, leaky_relu_with<std::ratio<3, 10>>>, dense<1, sigmoid>>;
    auto net = std::make_unique<net_t>();
    const std::string text = export_header_text(*net, "tiny_model");
    for (const char* expected :
         {"#pragma once",
          "#include <ctnn/layers/layers.hpp>",
          "#include <ctnn/network/constexpr_predict.hpp>",
          "#include <ctnn/network/network.hpp>",
          "#include <ctnn/policies/activation/activations.hpp>",
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

BOOST_AUTO_TEST_CASE(every_library_activation_is_spelled_as_its_type) {
    // The text each activation gives, written into dense<1, ...> of a generated header; the
    // export consumer compiles such a header, so the spellings are also checked as C++ there.
    const auto spelled = [](auto activation) {
        using A = decltype(activation);
        const network<input<1>, dense<1, A>> net;
        return export_header_text(net, "m");
    };
    const auto check = [](const std::string& text, const std::string& type) {
        BOOST_TEST(text.find("ctnn::dense<1, " + type + ">>;") != std::string::npos, type);
    };
    check(spelled(linear{}), "ctnn::linear");
    check(spelled(threshold{}), "ctnn::threshold");
    check(spelled(sigmoid{}), "ctnn::sigmoid");
    check(spelled(ctnn::tanh{}), "ctnn::tanh");
    check(spelled(relu{}), "ctnn::relu");
    check(spelled(leaky_relu{}), "ctnn::leaky_relu_with<std::ratio<1, 5>>");
    check(spelled(elu{}), "ctnn::elu_with<std::ratio<1, 1>>");
    check(spelled(softplus{}), "ctnn::softplus");
    check(spelled(gelu{}), "ctnn::gelu");
    check(spelled(swish{}), "ctnn::swish");
    check(spelled(softmax{}), "ctnn::softmax");
    check(spelled(fast_tanh{}), "ctnn::fast_tanh");
    check(spelled(fast_sigmoid{}), "ctnn::fast_sigmoid");
}

BOOST_AUTO_TEST_CASE(a_users_activation_and_layer_are_exported) {
    // support/user_policies.hpp: user::hard_tanh and user::scale give spelling(), constants and
    // constant forms; nothing in ctnn names them.
    using net_t = network<input<2>, dense<3, user::hard_tanh>, user::scale, dense<1, linear>>;
    auto net = std::make_unique<net_t>();
    randomize(*net, 8);
    const std::string text = export_header_text(*net, "user_model");
    for (const char* expected :
         {"using network_type = ctnn::network<ctnn::input<2>,", "ctnn::dense<3, user::hard_tanh>,",
          "user::scale,", "ctnn::dense<1, ctnn::linear>>;",
          "inline constexpr std::array<float, 3> layer1_factor = {",
          "ctnn::layer_constants_t<network_type, 1>{layer1_factor}",
          "predict(const std::array<float, input_size>& x) noexcept"})
        BOOST_TEST(text.find(expected) != std::string::npos, "missing: " << expected);
    const auto factor = parse_array(text, "layer1_factor");
    BOOST_TEST_REQUIRE(factor.size() == 3u);
    std::as_const(*net).visit_parameters([&](std::size_t layer, parameter_array<const float> a) {
        if (layer == 1)
            for (std::size_t j = 0; j < 3; ++j)
                BOOST_TEST(bits(factor[j]) == bits(a(0, j)));
    });
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

BOOST_AUTO_TEST_SUITE_END()
