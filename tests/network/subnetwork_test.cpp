// Tests ctnn/network/subnetwork.hpp: views of consecutive layers predict exactly what the whole
// network computes at that layer (against networks made of those layers alone, with the same
// weights), for one sample and batches; encoder then decoder is the whole network; the view
// follows the network's weights (no copy).
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <memory>
#include <type_traits>

using namespace ctnn;

namespace {

using autoencoder = network<input<20>, dense<12, relu>, dense<3, ctnn::tanh>, dense<12, relu>,
                            dense<20, sigmoid>>;
using encoder_net = network<input<20>, dense<12, relu>, dense<3, ctnn::tanh>>;
using decoder_net = network<input<3>, dense<12, relu>, dense<20, sigmoid>>;

// Copies layers [From, From + To::layer_count) of `from` into `to`.
template <std::size_t From, class Source, class Target>
void copy_layers(const Source& from, Target& to) {
    static_for<Target::layer_count>([&](auto i) {
        const auto& a = from.template layer<From + i>();
        auto& b = to.template layer<i>();
        using L = typename Target::template layer_type<i>;
        for (std::size_t r = 0; r < L::input_shape::size; ++r)
            for (std::size_t j = 0; j < L::output_shape::size; ++j)
                b.weight(r, j) = a.weight(r, j);
        for (std::size_t j = 0; j < L::output_shape::size; ++j)
            b.bias(j) = a.bias(j);
    });
}

template <std::size_t N>
tensor<float, shape<N>> sample(float phase) {
    tensor<float, shape<N>> x;
    for (std::size_t i = 0; i < N; ++i)
        x[i] = std::sin(phase + 0.7f * static_cast<float>(i));
    return x;
}

} // namespace

BOOST_AUTO_TEST_SUITE(subnetwork_test)

BOOST_AUTO_TEST_CASE(shapes_come_from_the_layers) {
    using enc = decltype(encoder<2>(std::declval<const autoencoder&>()));
    using dec = decltype(decoder<2>(std::declval<const autoencoder&>()));
    static_assert(std::is_same_v<enc::input_shape, shape<20>>);
    static_assert(std::is_same_v<enc::output_shape, shape<3>>);
    static_assert(std::is_same_v<dec::input_shape, shape<3>>);
    static_assert(std::is_same_v<dec::output_shape, shape<20>>);
    static_assert(enc::layer_count == 2 && dec::layer_count == 2);
    // A view holds a pointer, not the weights.
    static_assert(sizeof(enc) == sizeof(void*));
}

BOOST_AUTO_TEST_CASE(views_predict_what_the_layers_alone_predict) {
    auto net = std::make_unique<autoencoder>(7);
    auto enc_alone = std::make_unique<encoder_net>();
    auto dec_alone = std::make_unique<decoder_net>();
    copy_layers<0>(*net, *enc_alone);
    copy_layers<2>(*net, *dec_alone);
    const auto encode = encoder<2>(*net);
    const auto decode = decoder<2>(*net);

    const auto x = sample<20>(0.3f);
    const auto code = encode.predict(x);
    const auto expected_code = enc_alone->predict(x);
    for (std::size_t j = 0; j < 3; ++j)
        BOOST_TEST(code[j] == expected_code[j]);
    const auto y = decode.predict(code), whole = net->predict(x), alone = dec_alone->predict(code);
    for (std::size_t j = 0; j < 20; ++j) {
        BOOST_TEST(y[j] == alone[j]);
        BOOST_TEST(y[j] == whole[j]); // the whole network, through the same layers
    }

    tensor<float, shape<5, 20>> batch;
    for (std::size_t r = 0; r < 5; ++r)
        for (std::size_t i = 0; i < 20; ++i)
            batch(r, i) = x[i] * static_cast<float>(r + 1) * 0.5f;
    const auto codes = encode.predict(batch);
    const auto expected_codes = enc_alone->predict(batch);
    static_assert(std::is_same_v<std::remove_const_t<decltype(codes)>, tensor<float, shape<5, 3>>>);
    const auto images = decode.predict(codes);
    const auto whole_batch = net->predict(batch);
    for (std::size_t r = 0; r < 5; ++r) {
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(codes(r, j) == expected_codes(r, j));
        for (std::size_t j = 0; j < 20; ++j)
            BOOST_TEST(images(r, j) == whole_batch(r, j));
    }

    std::vector<float> rows(7 * 20), out(7 * 3);
    for (std::size_t k = 0; k < rows.size(); ++k)
        rows[k] = std::cos(0.1f * static_cast<float>(k));
    encode.predict_rows<4>(rows.data(), out.data(), 7);
    for (std::size_t r = 0; r < 7; ++r) {
        tensor<float, shape<20>> one;
        std::copy_n(rows.data() + r * 20, 20, one.data());
        const auto c = enc_alone->predict(one);
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(out[r * 3 + j] == c[j]);
    }
}

BOOST_AUTO_TEST_CASE(a_view_follows_the_networks_weights) {
    auto net = std::make_unique<autoencoder>(1);
    const auto encode = encoder<1>(*net);
    const auto x = sample<20>(1.0f);
    const auto before = encode.predict(x);
    std::size_t j = 0; // an active relu unit: a bias shift shows in its output
    while (j < 12 && !(before[j] > 0.0f))
        ++j;
    BOOST_REQUIRE(j < 12);
    net->layer<0>().bias(j) += 1.0f;
    BOOST_TEST(encode.predict(x)[j] == before[j] + 1.0f, boost::test_tools::tolerance(1e-6f));
    // Views skip layers that are the identity at inference, as predict does.
    using noisy = network<input<4>, gaussian_noise<std::ratio<1, 2>>, dense<2>, dense<1>>;
    noisy n(3);
    const auto first_two = layers_of<0, 2>(n);
    const tensor<float, shape<4>> v{1, 2, 3, 4};
    const auto dense_only = layers_of<1, 2>(n); // the noise layer adds nothing at inference
    BOOST_TEST(first_two.predict(v)[0] == dense_only.predict(v)[0]);
    BOOST_TEST(first_two.predict(v)[1] == dense_only.predict(v)[1]);
}

BOOST_AUTO_TEST_SUITE_END()
