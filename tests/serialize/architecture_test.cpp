// Tests ctnn/serialize/architecture.hpp: the signature text and the array list of a network type.
#include "ctnn/serialize/architecture.hpp"

#include "ctnn/layers/dense.hpp"
#include "ctnn/layers/dropout.hpp"
#include "ctnn/layers/flatten.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/policies/init/initializers.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <ratio>
#include <string>
#include <string_view>
#include <vector>

using namespace ctnn;

namespace {

// A layer written only for this test, with a trainable vector and a state array, so that the
// signature is seen to come from visit_parameters and not from knowledge of dense layers.
template <static_shape In>
struct scale_layer {
    using input_shape = In;
    using output_shape = In;
    static constexpr std::size_t param_count = In::size;
    static constexpr bool is_view = false;
    static std::string name() { return "scale"; }

    std::array<float, In::size> gamma{};
    std::array<float, 2 * In::size> seen{};

    template <class F>
    void visit_parameters(F&& f) {
        f(parameter_array<float>{"gamma", 1, In::size, In::size, gamma.data()});
        f(parameter_array<float>{"seen", 2, In::size, In::size, seen.data(), false});
    }
    template <class F>
    void visit_parameters(F&& f) const {
        f(parameter_array<const float>{"gamma", 1, In::size, In::size, gamma.data()});
        f(parameter_array<const float>{"seen", 2, In::size, In::size, seen.data(), false});
    }
    template <std::size_t MaxRows = static_cast<std::size_t>(-1)>
    void forward(const float* x, std::size_t x_stride, float* y, std::size_t y_stride,
                 std::size_t rows) const noexcept {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < In::size; ++j)
                y[r * y_stride + j] = x[r * x_stride + j] * gamma[j];
    }
};
struct scale {
    static constexpr std::string_view kind = "scale";
    template <static_shape In>
    using bound = scale_layer<In>;
};

} // namespace

BOOST_AUTO_TEST_SUITE(architecture_test)

BOOST_AUTO_TEST_CASE(signature_of_an_mlp) {
    using net = network<input<784>, dense<128, relu>, dense<10, softmax>>;
    BOOST_TEST(architecture_signature<net>() ==
               "input<784> | dense<128, relu> -> 128 [kernel 784x128, bias 128] | "
               "dense<10, softmax> -> 10 [kernel 128x10, bias 10]");
}

BOOST_AUTO_TEST_CASE(layers_without_parameters_and_higher_rank_inputs) {
    using net = network<input<28, 28>, flatten, dense<17, relu>, dropout<std::ratio<1, 2>>,
                        dense<3, softmax>>;
    BOOST_TEST(architecture_signature<net>() ==
               "input<28, 28> | flatten -> 784 | dense<17, relu> -> 17 [kernel 784x17, bias 17] "
               "| dropout(0.5) -> 17 | dense<3, softmax> -> 3 [kernel 17x3, bias 3]");
    using one = network<input<1>, dense<1>>;
    BOOST_TEST(architecture_signature<one>() ==
               "input<1> | dense<1, linear> -> 1 [kernel 1, bias 1]");
}

BOOST_AUTO_TEST_CASE(any_difference_in_the_numbers_changes_the_signature) {
    using a = network<input<5>, dense<17, relu>, dense<3, softmax>>;
    const std::vector<std::string> others{
        architecture_signature<network<input<5>, dense<16, relu>, dense<3, softmax>>>(),
        architecture_signature<network<input<6>, dense<17, relu>, dense<3, softmax>>>(),
        architecture_signature<network<input<5>, dense<17, ctnn::tanh>, dense<3, softmax>>>(),
        architecture_signature<network<input<5>, dense<17, relu>, dense<3, sigmoid>>>(),
        architecture_signature<network<input<5>, dense<17, relu>>>(),
    };
    for (const std::string& other : others)
        BOOST_TEST(other != architecture_signature<a>());
    // The initialisers do not change where the numbers go.
    using he =
        network<input<5>, dense<17, relu, kernel_initializer<he_uniform>>, dense<3, softmax>>;
    BOOST_TEST(architecture_signature<a>() == architecture_signature<he>());
}

BOOST_AUTO_TEST_CASE(computed_once) {
    using net = network<input<5>, dense<3>>;
    BOOST_TEST(&architecture_signature<net>() == &architecture_signature<net>());
    BOOST_TEST(&architecture_arrays<net>() == &architecture_arrays<net>());
}

BOOST_AUTO_TEST_CASE(arrays_match_what_an_instance_visits) {
    using net = network<input<4, 5>, flatten, dense<17, relu>, dense<3, softmax>>;
    const std::vector<architecture_array>& arrays = architecture_arrays<net>();
    BOOST_TEST_REQUIRE(arrays.size() == 4u);
    const net instance(7);
    std::size_t k = 0;
    instance.visit_parameters([&](std::size_t layer, parameter_array<const float> a) {
        BOOST_TEST_REQUIRE(k < arrays.size());
        BOOST_TEST(arrays[k].layer == layer);
        BOOST_TEST(arrays[k].name == a.name);
        BOOST_TEST(arrays[k].rows == a.rows);
        BOOST_TEST(arrays[k].columns == a.columns);
        BOOST_TEST(arrays[k].trainable == a.trainable);
        ++k;
    });
    BOOST_TEST(k == arrays.size());
    BOOST_TEST(arrays[0].layer == 1u); // after flatten
    BOOST_TEST(arrays[0].layer_name == "dense<17, relu>");
    BOOST_TEST(arrays[0].size() == 20u * 17u);
    BOOST_TEST(arrays[3].name == "bias");
    BOOST_TEST(arrays[3].rows == 1u);
    BOOST_TEST(arrays[3].columns == 3u);
}

BOOST_AUTO_TEST_CASE(any_layer_with_visit_parameters_is_listed) {
    using net = network<input<3>, scale, dense<2>>;
    BOOST_TEST(architecture_signature<net>() ==
               "input<3> | scale -> 3 [gamma 3, seen 2x3] | dense<2, linear> -> 2 "
               "[kernel 3x2, bias 2]");
    const std::vector<architecture_array>& arrays = architecture_arrays<net>();
    BOOST_TEST_REQUIRE(arrays.size() == 4u);
    BOOST_TEST(arrays[0].trainable);
    BOOST_TEST(!arrays[1].trainable);
    BOOST_TEST(arrays[1].layer == 0u);
    BOOST_TEST(arrays[2].layer == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
