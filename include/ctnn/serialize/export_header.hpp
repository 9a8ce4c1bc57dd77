// ctnn/serialize/export_header.hpp - a trained network written out as a C++ header: its type,
// its weights as constant arrays, and inference usable in constant expressions.
//
//   ctnn::export_header(*net, "model.hpp", "digits");   // after training
//
// and in another program, with no file to read at start-up:
//   #include "model.hpp"
//   auto net = digits::make_network();                 // the SIMD network, these weights
//   auto p = net->predict(image);                      // bit-identical to the trained network
//   constexpr auto q = digits::predict({...});         // in a constant expression (small nets)
//
// The header holds, in `namespace <name>`: `network_type` (the network spelled in C++ by each
// layer's and activation's spelling(): input, dense<Units, Activation>, flatten,
// dropout<std::ratio<..>>; initialisers and regularisers are left out, they play no part in
// inference), one `inline constexpr std::array<float, N>` per
// parameter array (`layer0_kernel` [In][Units] row-major as Keras, `layer0_bias`, ...) written as
// hexadecimal float literals, which are exact, `parameters` (ctnn::constant_parameters),
// `load(network_type&)`, `make_network()` and, when every activation has a constant-expression
// version, a constexpr `predict(const std::array<float, In>&)`
// (ctnn/network/constexpr_predict.hpp). It includes ctnn's layers and activations; a network
// with a user's own layer or activation (which give spelling() and `constants`, see
// layers/spelled_layer.hpp and layers/constant_layer.hpp) is exported too, and the program that
// includes the header includes their definitions first.
//
// `name` must be a C++ identifier (not a keyword, not reserved, not `std` or `ctnn`): otherwise
// std::invalid_argument. Non-finite weights are refused the same way. The header is written
// atomically (io/atomic_file.hpp: a unique temporary file, fsync, rename), so a failed export
// (ctnn::io_error) never leaves a half-written header behind and two exports never collide.
#pragma once

#include "ctnn/io/atomic_file.hpp"
#include "ctnn/io/error.hpp"
#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/layers/parameter_array.hpp"
#include "ctnn/layers/spelled_layer.hpp"
#include "ctnn/network/constexpr_predict.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn {

namespace detail {

template <class Net>
std::string network_spelling() {
    std::string text = "ctnn::network<ctnn::input<";
    for (std::size_t axis = 0; axis < Net::input_shape::rank; ++axis)
        text += (axis > 0 ? ", " : "") + std::to_string(Net::input_shape::extents[axis]);
    text += ">";
    static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::template layer_type<i>;
        static_assert(spelled_layer<L> && layer_with_constants<L>,
                      "export_header: a layer of this network cannot be exported: its bound type "
                      "needs a static spelling() (layers/spelled_layer.hpp; a dense layer's "
                      "activation needs spelling()) and `constants` (layers/constant_layer.hpp); "
                      "for batch_normalization, export after fold_batch_normalization");
        text += ",\n                                   "; // under "ctnn::network<"
        if constexpr (spelled_layer<L>)
            text += L::spelling();
    });
    return text + ">";
}

inline bool is_cpp_keyword(std::string_view word) {
    static constexpr std::string_view keywords[] = {
        "alignas",       "alignof",     "and",
        "and_eq",        "asm",         "auto",
        "bitand",        "bitor",       "bool",
        "break",         "case",        "catch",
        "char",          "char8_t",     "char16_t",
        "char32_t",      "class",       "compl",
        "concept",       "const",       "consteval",
        "constexpr",     "constinit",   "const_cast",
        "continue",      "co_await",    "co_return",
        "co_yield",      "decltype",    "default",
        "delete",        "do",          "double",
        "dynamic_cast",  "else",        "enum",
        "explicit",      "export",      "extern",
        "false",         "float",       "for",
        "friend",        "goto",        "if",
        "inline",        "int",         "long",
        "mutable",       "namespace",   "new",
        "noexcept",      "not",         "not_eq",
        "nullptr",       "operator",    "or",
        "or_eq",         "private",     "protected",
        "public",        "register",    "reinterpret_cast",
        "requires",      "return",      "short",
        "signed",        "sizeof",      "static",
        "static_assert", "static_cast", "struct",
        "switch",        "template",    "this",
        "thread_local",  "throw",       "true",
        "try",           "typedef",     "typeid",
        "typename",      "union",       "unsigned",
        "using",         "virtual",     "void",
        "volatile",      "wchar_t",     "while",
        "xor",           "xor_eq"};
    return std::find(std::begin(keywords), std::end(keywords), word) != std::end(keywords);
}

// Empty when `name` may name the header's namespace, otherwise why not.
inline std::string identifier_problem(std::string_view name) {
    const auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (name.empty())
        return "the name is empty";
    if (!letter(name[0]))
        return "a C++ identifier starts with a letter or '_'";
    for (char c : name)
        if (!letter(c) && !digit(c))
            return "a C++ identifier has only letters, digits and '_'";
    if (is_cpp_keyword(name))
        return "it is a C++ keyword";
    if (name.find("__") != std::string_view::npos ||
        (name[0] == '_' && name.size() > 1 && name[1] >= 'A' && name[1] <= 'Z'))
        return "identifiers with '__' or starting with '_' and a capital are reserved";
    if (name == "std" || name == "ctnn")
        return "the header would reopen namespace " + std::string(name);
    return {};
}

// An exact float literal: hexadecimal significand and binary exponent, e.g. -0x1.8p-3f.
inline void append_float_literal(std::string& out, float value) {
    char digits[32];
    const auto result =
        std::to_chars(digits, digits + sizeof digits, std::abs(value), std::chars_format::hex);
    if (std::signbit(value))
        out += '-';
    out += "0x";
    out.append(digits, result.ptr);
    out += 'f';
}

} // namespace detail

// The text export_header writes (see the top of this file). Throws std::invalid_argument for a
// name that is not an identifier and for a non-finite weight.
template <class Net>
[[nodiscard]] std::string export_header_text(const Net& net, std::string_view name) {
    if (const std::string problem = detail::identifier_problem(name); !problem.empty())
        throw std::invalid_argument("export_header: \"" + std::string(name) +
                                    "\" cannot name the header's namespace: " + problem);
    const std::string ns(name);
    std::string text;
    text += "// " + ns + " - a ctnn network exported by ctnn::export_header. Do not edit.\n";
    text += "//\n";
    text += "//   auto net = " + ns + "::make_network();  // the network with these weights\n";
    text += "//   auto y = net->predict(x);\n";
    if (constexpr_predictable_v<Net>)
        text += "//   constexpr auto p = " + ns + "::predict({...}); // in a constant expression\n";
    text += "#pragma once\n\n";
    text += "#include <ctnn/layers/layers.hpp>\n";
    text += "#include <ctnn/network/constexpr_predict.hpp>\n";
    text += "#include <ctnn/network/network.hpp>\n";
    text += "#include <ctnn/policies/activation/activations.hpp>\n\n";
    text += "#include <array>\n#include <cstddef>\n#include <memory>\n#include <ratio>\n\n";
    text += "namespace " + ns + " {\n\n";
    text += "using network_type = " + detail::network_spelling<Net>() + ";\n";
    text += "static_assert(network_type::param_count == " + std::to_string(Net::param_count) +
            ",\n              \"the exported network type has another parameter count\");\n\n";
    text += "inline constexpr std::size_t input_size = " + std::to_string(Net::input_shape::size) +
            ";\n";
    text +=
        "inline constexpr std::size_t output_size = " + std::to_string(Net::output_shape::size) +
        ";\n\n";

    // One array per parameter array, in visit order; per layer, the list of its arrays.
    std::vector<std::vector<std::string>> arrays(Net::layer_count);
    net.visit_parameters([&](std::size_t layer, const parameter_array<const float>& array) {
        const std::string id = "layer" + std::to_string(layer) + "_" + std::string(array.name);
        if (!detail::identifier_problem(id).empty())
            throw std::invalid_argument("export_header: parameter array name \"" +
                                        std::string(array.name) + "\" is not an identifier");
        text += "// layer " + std::to_string(layer) + " " + std::string(array.name) + ": ";
        if (array.rows > 1)
            text += "[" + std::to_string(array.rows) + "]";
        text += "[" + std::to_string(array.columns) + "]\n";
        text += "inline constexpr std::array<float, " + std::to_string(array.size()) + "> " + id +
                " = {";
        std::size_t written = 0;
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c) {
                const float v = array(r, c);
                if (!std::isfinite(v))
                    throw std::invalid_argument(
                        "export_header: layer " + std::to_string(layer) + " " +
                        std::string(array.name) + " (" + std::to_string(r) + ", " +
                        std::to_string(c) + ") is not finite; a header holds finite weights only");
                text += written % 6 == 0 ? "\n    " : " ";
                detail::append_float_literal(text, v);
                text += ',';
                ++written;
            }
        text += "};\n\n";
        arrays[layer].push_back(id);
    });

    text += "inline constexpr ctnn::constant_parameters<network_type> parameters{";
    for (std::size_t layer = 0; layer < Net::layer_count; ++layer) {
        text += "\n    ctnn::layer_constants_t<network_type, " + std::to_string(layer) + ">{";
        for (std::size_t k = 0; k < arrays[layer].size(); ++k)
            text += (k > 0 ? ", " : "") + arrays[layer][k];
        text += layer + 1 < Net::layer_count ? "}," : "}";
    }
    text += "};\n\n";
    text += "// The exported weights into a network object (its padded SIMD storage).\n";
    text += "inline void load(network_type& net) noexcept { ctnn::load_constants(net, "
            "parameters); }\n\n";
    text += "// A network with the exported weights, on the heap (sizeof(network_type) = " +
            std::to_string(sizeof(Net)) + " bytes).\n";
    text += "inline std::unique_ptr<network_type> make_network() {\n";
    text += "    auto net = std::make_unique<network_type>();\n";
    text += "    load(*net);\n";
    text += "    return net;\n}\n";
    if (constexpr_predictable_v<Net>) {
        text += "\n// One sample's prediction, usable in constant expressions (scalar loops).\n";
        text += "constexpr std::array<float, output_size>\n";
        text += "predict(const std::array<float, input_size>& x) noexcept {\n";
        text += "    return ctnn::constexpr_predict<network_type>(parameters, x);\n}\n";
    }
    text += "\n} // namespace " + ns + "\n";
    return text;
}

// Writes export_header_text(net, name) to `file` with io::write_file_atomically.
// Throws std::invalid_argument (bad name, non-finite weight: nothing is written) or
// ctnn::io_error (the file cannot be written: the temporary file is removed, `file` untouched).
template <class Net>
void export_header(const Net& net, const std::filesystem::path& file, std::string_view name) {
    io::write_file_atomically(file, export_header_text(net, name));
}

} // namespace ctnn
