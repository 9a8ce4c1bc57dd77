// Tests ctnn/layers/dropout.hpp: the identity at inference, inverted dropout in training (the
// dropped fraction, the scale of the kept values), seeded masks. Its gradient is checked against
// finite differences in tests/training/trainer_test.cpp.
#include "ctnn/ctnn.hpp"

#include "support/layer_probe.hpp"
#include "support/trainer_gradients.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <vector>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(dropout_test)

BOOST_AUTO_TEST_CASE(is_the_identity_at_inference) {
    using with =
        network<input<4>, dense<8, ctnn::tanh>, dropout<std::ratio<1, 2>>, dense<2, softmax>>;
    using without = network<input<4>, dense<8, ctnn::tanh>, dense<2, softmax>>;
    static_assert(with::param_count == without::param_count);
    with a(3);
    without b(3);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 8; ++j)
            b.layer<0>().weight(i, j) = a.layer<0>().weight(i, j);
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            b.layer<1>().weight(i, j) = a.layer<2>().weight(i, j);
    const tensor<float, shape<4>> x{0.1f, -0.4f, 0.7f, 0.2f};
    const auto pa = a.predict(x), pb = b.predict(x);
    BOOST_TEST(pa[0] == pb[0]);
    BOOST_TEST(pa[1] == pb[1]);
    BOOST_TEST(with::summary().find("dropout(0.5)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(drops_the_rate_and_scales_the_rest) {
    using layer = dropout<std::ratio<3, 10>>::bound<shape<784>>;
    constexpr std::size_t rows = 64, stride = layer::stride;
    std::vector<float> x(rows * 784, 2.0f);
    auto ws = std::make_unique<layer::workspace<rows>>();
    const pass_context p{.first = 0, .rows = rows, .training = true, .noise_seed = 7};
    const rows_view y = layer{}.train_forward<rows>({x.data(), 784}, *ws, p);
    BOOST_TEST(y.stride == stride);
    std::size_t dropped = 0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < 784; ++j) {
            const float v = y.row(r)[j];
            if (v == 0.0f)
                ++dropped;
            else
                BOOST_TEST(v == 2.0f / 0.7f, boost::test_tools::tolerance(1e-6f));
        }
    // Binomial(50176, 0.3): mean 15052.8, standard deviation 102.6; allow 5 of them.
    const double n = rows * 784.0;
    BOOST_TEST(std::abs(static_cast<double>(dropped) - 0.3 * n) < 5 * std::sqrt(n * 0.3 * 0.7));

    // The backward pass lets the gradient through the kept values only, with the same scale.
    struct alignas(simd::alignment) buffer { // gradient rows are aligned, as the trainer's
        float v[rows * stride];
    };
    auto dy = std::make_unique<buffer>(), dx = std::make_unique<buffer>();
    std::fill_n(dy->v, rows * stride, 1.0f);
    test::gradient_probe g;
    BOOST_TEST(layer{}.train_backward<rows>({x.data(), 784}, *ws, dy->v, dx->v, g, p) == dx->v);
    for (std::size_t k = 0; k < 784; ++k)
        BOOST_TEST(dx->v[k] == ws->mask[k]);
    // Nothing below needs dL/dx: nothing is computed.
    BOOST_TEST(layer{}.train_backward<rows>({x.data(), 784}, *ws, dy->v, nullptr, g, p) == nullptr);
}

BOOST_AUTO_TEST_CASE(a_rows_mask_depends_on_the_row_not_on_the_split) {
    // Rows 5..9 computed as a part of their own get the masks they get in the whole batch (so
    // a batch split between threads is masked as on one thread), and another seed differs.
    using layer = dropout<std::ratio<1, 2>>::bound<shape<40>>;
    constexpr std::size_t rows = 10;
    std::vector<float> x(rows * 40, 1.0f);
    auto whole = std::make_unique<layer::workspace<rows>>();
    auto part = std::make_unique<layer::workspace<rows>>();
    auto other = std::make_unique<layer::workspace<rows>>();
    layer{}.train_forward<rows>({x.data(), 40}, *whole,
                                {.first = 0, .rows = rows, .noise_seed = 3});
    layer{}.train_forward<rows>({x.data() + 5 * 40, 40}, *part,
                                {.first = 5, .rows = 5, .noise_seed = 3});
    layer{}.train_forward<rows>({x.data(), 40}, *other,
                                {.first = 0, .rows = rows, .noise_seed = 4});
    bool same = true, differs = false;
    for (std::size_t k = 5 * layer::stride; k < rows * layer::stride; ++k) {
        same &= whole->mask[k] == part->mask[k];
        differs |= whole->mask[k] != other->mask[k];
    }
    BOOST_TEST(same);
    BOOST_TEST(differs);
    // In evaluation the layer passes its input on untouched.
    const rows_view y =
        layer{}.train_forward<rows>({x.data(), 40}, *whole, {.rows = rows, .training = false});
    BOOST_TEST(y.data == x.data());
}

BOOST_AUTO_TEST_CASE(masking_noise_zeroes_the_rate_and_keeps_the_rest) {
    // The denoising corruption: the same masks as dropout, without the 1 / (1 - rate) scale.
    using layer = masking_noise<std::ratio<1, 4>>::bound<shape<300>>;
    constexpr std::size_t rows = 32;
    std::vector<float> x(rows * 300);
    for (std::size_t k = 0; k < x.size(); ++k)
        x[k] = 0.5f + static_cast<float>(k % 7);
    auto ws = std::make_unique<layer::workspace<rows>>();
    const rows_view y =
        layer{}.train_forward<rows>({x.data(), 300}, *ws, {.rows = rows, .noise_seed = 2});
    std::size_t dropped = 0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < 300; ++j) {
            if (y.row(r)[j] == 0.0f)
                ++dropped;
            else
                BOOST_TEST(y.row(r)[j] == x[r * 300 + j]); // kept exactly
        }
    const double n = rows * 300.0;
    BOOST_TEST(std::abs(static_cast<double>(dropped) - 0.25 * n) < 5 * std::sqrt(n * 0.25 * 0.75));
    BOOST_TEST(layer::name() == "masking_noise(0.25)");
    BOOST_TEST(layer::spelling() == "ctnn::masking_noise<std::ratio<1, 4>>");
    // At inference the identity; in training its gradient flows through the kept values.
    using net = network<input<9>, masking_noise<std::ratio<1, 3>>, dense<4, ctnn::tanh>, dense<9>>;
    static_assert(net::param_count == network<input<9>, dense<4, ctnn::tanh>, dense<9>>::param_count);
    test::check_trainer_gradients<net, mean_squared_error, 4>(
        4, test::random_values(4 * 9, 3, -1.0f, 1.0f), 5);
}

BOOST_AUTO_TEST_CASE(training_with_dropout_is_reproducible_from_the_seed) {
    using net = network<input<3>, dense<16, relu>, dropout<std::ratio<1, 4>>, dense<1, sigmoid>>;
    std::vector<float> x, y;
    for (int i = 0; i < 40; ++i) {
        x.insert(x.end(), {static_cast<float>(i % 5) / 5, static_cast<float>(i % 3) / 3, 0.5f});
        y.push_back(static_cast<float>(i % 2));
    }
    const dataset<shape<3>, shape<1>> data(x, y);
    net a(1), b(1), c(1);
    auto ta = make_trainer<8>(a, binary_crossentropy{}, adam<>{});
    auto tb = make_trainer<8>(b, binary_crossentropy{}, adam<>{});
    auto tc = make_trainer<8>(c, binary_crossentropy{}, adam<>{});
    ta->fit(data, {.epochs = 3, .seed = 5});
    tb->fit(data, {.epochs = 3, .seed = 5});
    tc->fit(data, {.epochs = 3, .seed = 6});
    bool same = true, differs = false;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 16; ++j) {
            same &= a.layer<0>().weight(i, j) == b.layer<0>().weight(i, j);
            differs |= a.layer<0>().weight(i, j) != c.layer<0>().weight(i, j);
        }
    BOOST_TEST(same);
    BOOST_TEST(differs);
}

BOOST_AUTO_TEST_SUITE_END()
