// Compiled against headers ctnn::export_header wrote during the build (generator.cpp): checks
// the exported types, a constant-expression prediction (static_assert, bit for bit against what
// network::predict gave the generator) and, at run time, that the networks built from the
// headers predict bit-identically to the in-memory networks the generator exported.
// Usage: ctnn_export_consumer <expected.bin>
#include "digits_model.hpp"
#include "expected_small.hpp"
#include "small_model.hpp"
// A user's own activation and layer: their definitions come before the header that names them.
#include "support/user_policies.hpp"
#include "user_model.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <type_traits>
#include <vector>

static_assert(std::is_same_v<digits::network_type,
                             ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>,
                                           ctnn::dense<10, ctnn::softmax>>>);
static_assert(
    std::is_same_v<small::network_type,
                   ctnn::network<ctnn::input<2, 3>, ctnn::flatten,
                                 ctnn::dense<5, ctnn::leaky_relu_with<std::ratio<1, 5>>>,
                                 ctnn::dropout<std::ratio<1, 4>>, ctnn::dense<3, ctnn::linear>>>);
static_assert(std::is_same_v<user_model::network_type,
                             ctnn::network<ctnn::input<4>, ctnn::dense<3, user::hard_tanh>,
                                           user::scale, ctnn::dense<2, ctnn::linear>>>);
static_assert(digits::input_size == 784 && digits::output_size == 10);

template <std::size_t N>
constexpr bool same_bits(const std::array<float, N>& a, const std::array<float, N>& b) {
    for (std::size_t i = 0; i < N; ++i)
        if (std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i]))
            return false;
    return true;
}

// Evaluated by the compiler from the header's constant arrays, with the kernel's rounding.
static_assert(same_bits(ctnn::constexpr_predict<small::network_type, expected::kernel_rounding>(
                            small::parameters, expected::small_input),
                        expected::small_output),
              "the constant-expression prediction differs from network::predict");
static_assert(
    same_bits(ctnn::constexpr_predict<user_model::network_type, expected::kernel_rounding>(
                  user_model::parameters, expected::user_input),
              expected::user_output),
    "the constant-expression prediction with a user's activation and layer differs "
    "from network::predict");

namespace {

int failures = 0;

template <std::size_t In, std::size_t Out, class Net, class ConstantPredict>
void check(std::ifstream& in, const Net& net, const char* what, ConstantPredict constant_predict,
           std::uint32_t samples) {
    int identical = 0;
    double worst_constant = 0;
    for (std::uint32_t s = 0; s < samples; ++s) {
        std::array<float, In> x{};
        std::array<float, Out> expected{};
        in.read(reinterpret_cast<char*>(x.data()), In * sizeof(float));
        in.read(reinterpret_cast<char*>(expected.data()), Out * sizeof(float));
        if (!in) {
            std::fprintf(stderr, "%s: expected.bin ends early\n", what);
            ++failures;
            return;
        }
        ctnn::tensor<float, typename Net::input_shape> t;
        std::copy(x.begin(), x.end(), t.data());
        const auto y = net.predict(t);
        std::array<float, Out> got{};
        std::copy_n(y.data(), Out, got.begin());
        if (same_bits(got, expected)) {
            ++identical;
        } else {
            ++failures;
            for (std::size_t j = 0; j < Out; ++j)
                std::fprintf(stderr, "%s sample %u output %zu: %a, expected %a\n", what, s, j,
                             static_cast<double>(got[j]), static_cast<double>(expected[j]));
        }
        // The constant path run at run time: exact activations agree bit for bit, softmax's
        // exponentials to about an ulp.
        const auto c = constant_predict(x);
        for (std::size_t j = 0; j < Out; ++j)
            worst_constant = std::max(worst_constant, std::abs(double{c[j]} - expected[j]));
    }
    if (worst_constant > 1e-6) {
        std::fprintf(stderr, "%s: constexpr predict is %g away from network::predict\n", what,
                     worst_constant);
        ++failures;
    }
    std::printf("%s: %d of %u predictions bit-identical; constexpr predict within %g\n", what,
                identical, samples, worst_constant);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <expected.bin>\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    constexpr std::uint32_t samples = 16; // as the generator wrote them
    const auto digits_net = digits::make_network();
    check<784, 10>(in, *digits_net, "digits", digits::predict, samples);
    auto small_net = std::make_unique<small::network_type>(/*seed=*/123);
    small::load(*small_net);
    check<6, 3>(in, *small_net, "small", small::predict, samples);
    const auto user_net = user_model::make_network();
    check<4, 2>(in, *user_net, "user_model", user_model::predict, samples);
    return failures == 0 ? 0 : 1;
}
