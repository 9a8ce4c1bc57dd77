// Writes the headers the export consumer compiles against, and what it must predict:
//   digits_model.hpp    network<input<784>, dense<128, relu>, dense<10, softmax>>, namespace digits
//   small_model.hpp     network<input<2, 3>, flatten, dense<5, leaky_relu>, dropout, dense<3>>,
//                       namespace small
//   user_model.hpp      network<input<4>, dense<3, user::hard_tanh>, user::scale, dense<2>>,
//                       namespace user_model: an activation and a layer written outside the
//                       library (tests/support/user_policies.hpp), exported through their members
//   expected_small.hpp  one input of the small and of the user network, network::predict's
//                       outputs for them and how this build's dense kernel rounds multiply-adds
//                       (for static_asserts)
//   expected.bin        inputs and network::predict outputs of the three networks, raw floats
// Usage: ctnn_export_generator <output directory>
#include "ctnn/layers/layers.hpp"
#include "ctnn/network/constexpr_predict.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/serialize/export_header.hpp"

#include "support/user_policies.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

using digits_net =
    ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>, ctnn::dense<10, ctnn::softmax>>;
using small_net = ctnn::network<ctnn::input<2, 3>, ctnn::flatten, ctnn::dense<5, ctnn::leaky_relu>,
                                ctnn::dropout<std::ratio<1, 4>>, ctnn::dense<3, ctnn::linear>>;
using user_net = ctnn::network<ctnn::input<4>, ctnn::dense<3, user::hard_tanh>, user::scale,
                               ctnn::dense<2, ctnn::linear>>;

inline constexpr std::uint32_t samples = 16;

namespace {

// Glorot-initialised kernels from the network's seed, and non-zero biases (and user::scale
// factors) so that they count.
template <class Net>
std::unique_ptr<Net> make(std::uint64_t seed) {
    auto net = std::make_unique<Net>(seed);
    std::mt19937 gen(static_cast<unsigned>(seed));
    std::normal_distribution<float> normal(0.0f, 0.1f);
    net->visit_parameters([&](std::size_t, ctnn::parameter_array<float> a) {
        if (a.name == "bias" || a.name == "factor")
            for (std::size_t j = 0; j < a.columns; ++j)
                a(0, j) = normal(gen);
    });
    return net;
}

template <class Net>
ctnn::tensor<float, typename Net::input_shape> random_input(std::mt19937& gen) {
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f); // pixel-like values
    ctnn::tensor<float, typename Net::input_shape> x;
    for (std::size_t i = 0; i < Net::input_shape::size; ++i)
        x.data()[i] = uniform(gen);
    return x;
}

template <class Net>
void write_samples(std::ofstream& out, const Net& net, std::mt19937& gen) {
    for (std::uint32_t s = 0; s < samples; ++s) {
        const auto x = random_input<Net>(gen);
        const auto y = net.predict(x);
        out.write(reinterpret_cast<const char*>(x.data()), Net::input_shape::size * sizeof(float));
        out.write(reinterpret_cast<const char*>(y.data()), Net::output_shape::size * sizeof(float));
    }
}

// One input, operands whose product-then-sum and fused multiply-add differ. Two units: the
// vector kernel (a single unit takes the dot path, which always fuses and adds the bias last).
ctnn::multiply_add kernel_rounding() {
    using probe = ctnn::network<ctnn::input<1>, ctnn::dense<2, ctnn::linear>>;
    auto net = std::make_unique<probe>();
    net->layer<0>().weight(0, 0) = 1 + 0x1p-12f;
    net->layer<0>().bias(0) = -1.0f;
    ctnn::tensor<float, ctnn::shape<1>> x;
    x[0] = 1 + 0x1p-12f;
    return net->predict(x)[0] == 0x1p-11f ? ctnn::multiply_add::unfused : ctnn::multiply_add::fused;
}

std::string float_list(const float* values, std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
        text += i > 0 ? ", " : "";
        ctnn::detail::append_float_literal(text, values[i]);
    }
    return text;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <output directory>\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const auto digits = make<digits_net>(2024);
    const auto small = make<small_net>(7);
    ctnn::export_header(*digits, dir / "digits_model.hpp", "digits");
    ctnn::export_header(*small, dir / "small_model.hpp", "small");
    const auto user = make<user_net>(11);
    ctnn::export_header(*user, dir / "user_model.hpp", "user_model");

    std::mt19937 gen(1);
    std::ofstream bin(dir / "expected.bin", std::ios::binary | std::ios::trunc);
    write_samples(bin, *digits, gen);
    write_samples(bin, *small, gen);
    write_samples(bin, *user, gen);
    bin.close();
    if (!bin) {
        std::fprintf(stderr, "cannot write %s\n", (dir / "expected.bin").c_str());
        return 1;
    }

    const auto x = random_input<small_net>(gen);
    const auto y = small->predict(x);
    auto ux = random_input<user_net>(gen);
    for (std::size_t i = 0; i < 4; ++i)
        ux.data()[i] = 4 * ux.data()[i] - 2; // some units saturate at -1 and 1
    const auto uy = user->predict(ux);
    const bool fused = kernel_rounding() == ctnn::multiply_add::fused;
    std::ofstream expected(dir / "expected_small.hpp", std::ios::trunc);
    expected
        << "// Written by ctnn_export_generator: network::predict of the small and user networks.\n"
        << "#pragma once\n\n#include <ctnn/network/constexpr_predict.hpp>\n\n#include "
           "<array>\n\nnamespace expected {\n"
        << "inline constexpr ctnn::multiply_add kernel_rounding = ctnn::multiply_add::"
        << (fused ? "fused" : "unfused") << ";\n"
        << "inline constexpr std::array<float, 6> small_input{" << float_list(x.data(), 6) << "};\n"
        << "inline constexpr std::array<float, 3> small_output{" << float_list(y.data(), 3)
        << "};\n"
        << "inline constexpr std::array<float, 4> user_input{" << float_list(ux.data(), 4) << "};\n"
        << "inline constexpr std::array<float, 2> user_output{" << float_list(uy.data(), 2)
        << "};\n"
        << "} // namespace expected\n";
    expected.close();
    if (!expected) {
        std::fprintf(stderr, "cannot write expected_small.hpp\n");
        return 1;
    }
    std::printf("exported digits (%zu parameters), small (%zu) and user_model (%zu) with %s "
                "multiply-adds\n",
                digits_net::param_count, small_net::param_count, user_net::param_count,
                fused ? "fused" : "unfused");
    return 0;
}
