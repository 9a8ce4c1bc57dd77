// Tests ctnn/layers/gaussian_noise.hpp: the identity in predict; in training zero-mean normal
// noise of the stated deviation (statistical tests with a fixed seed), the same noise for a row
// however the batch is split; the gradient passes through; the layer trains through fit with
// nothing in training/ knowing it.
#include "ctnn/ctnn.hpp"

#include "support/layer_probe.hpp"
#include "support/trainer_gradients.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <vector>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(gaussian_noise_test)

BOOST_AUTO_TEST_CASE(is_the_identity_in_predict) {
    using with = network<input<4>, gaussian_noise<std::ratio<1, 2>>, dense<3, ctnn::tanh>>;
    using without = network<input<4>, dense<3, ctnn::tanh>>;
    static_assert(with::param_count == without::param_count);
    static_assert(trainable_layer<with::layer_type<0>>);
    with a(3);
    without b(3);
    const tensor<float, shape<4>> x{0.1f, -0.4f, 0.7f, 0.2f};
    const auto pa = a.predict(x), pb = b.predict(x);
    for (std::size_t j = 0; j < 3; ++j)
        BOOST_TEST(pa[j] == pb[j]);
    BOOST_TEST(with::summary().find("gaussian_noise(0.5)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(adds_normal_noise_of_the_stated_deviation) {
    using layer = gaussian_noise<std::ratio<3, 10>>::bound<shape<784>>;
    constexpr std::size_t rows = 64;
    constexpr double sigma = 0.3, n = rows * 784.0;
    std::vector<float> x(rows * 784, 1.0f);
    auto ws = std::make_unique<layer::workspace<rows>>();
    const rows_view y =
        layer{}.train_forward<rows>({x.data(), 784}, *ws, {.rows = rows, .noise_seed = 11});
    double sum = 0, squares = 0, within = 0, lag = 0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < 784; ++j) {
            const double e = y.row(r)[j] - 1.0;
            sum += e;
            squares += e * e;
            within += std::abs(e) < sigma ? 1 : 0;
            if (j > 0)
                lag += e * (y.row(r)[j - 1] - 1.0);
        }
    const double mean = sum / n, variance = squares / n - mean * mean;
    // Five standard errors of each estimate: the mean (sigma / sqrt(n)), the variance
    // (sigma^2 sqrt(2 / n)), the fraction within one sigma (0.6827, binomial), the lag-1
    // correlation of neighbours (1 / sqrt(n); the two values of a Box-Muller pair included).
    BOOST_TEST(std::abs(mean) < 5 * sigma / std::sqrt(n));
    BOOST_TEST(std::abs(variance - sigma * sigma) < 5 * sigma * sigma * std::sqrt(2 / n));
    BOOST_TEST(std::abs(within / n - 0.6827) < 5 * std::sqrt(0.6827 * 0.3173 / n));
    BOOST_TEST(std::abs(lag / n / (sigma * sigma)) < 5 / std::sqrt(n));
}

BOOST_AUTO_TEST_CASE(a_rows_noise_depends_on_the_row_and_the_gradient_passes_through) {
    using layer = gaussian_noise<std::ratio<1, 10>>::bound<shape<9>>;
    constexpr std::size_t rows = 6;
    std::vector<float> x(rows * 9, 0.5f);
    auto whole = std::make_unique<layer::workspace<rows>>();
    auto part = std::make_unique<layer::workspace<rows>>();
    layer{}.train_forward<rows>({x.data(), 9}, *whole, {.rows = rows, .noise_seed = 5});
    layer{}.train_forward<rows>({x.data() + 4 * 9, 9}, *part,
                                {.first = 4, .rows = 2, .noise_seed = 5});
    for (std::size_t k = 4 * layer::stride; k < 4 * layer::stride + 9; ++k)
        BOOST_TEST(whole->y[k] == part->y[k]);
    // Evaluation: the input itself; backward: dL/dx = dL/dy, the same buffer.
    BOOST_TEST(layer{}
                   .train_forward<rows>({x.data(), 9}, *whole, {.rows = rows, .training = false})
                   .data == x.data());
    std::vector<float> dy(rows * layer::stride, 0.25f), dx(rows * layer::stride);
    test::gradient_probe g;
    BOOST_TEST(layer{}.train_backward<rows>({x.data(), 9}, *whole, dy.data(), dx.data(), g,
                                            {.rows = rows}) == dy.data());
}

BOOST_AUTO_TEST_CASE(trains_through_fit_and_backpropagates_exactly) {
    // A denoising autoencoder of 8 values through 3: the gradients below the noise match central
    // differences with the noise held fixed, and fit lowers the reconstruction error.
    using net =
        network<input<8>, gaussian_noise<std::ratio<1, 5>>, dense<3, ctnn::tanh>, dense<8, linear>>;
    test::check_trainer_gradients<net, mean_squared_error, 4>(
        4, test::random_values(4 * 8, 17, -1.0f, 1.0f), 2);

    std::vector<float> x;
    for (int i = 0; i < 64; ++i)
        for (int j = 0; j < 8; ++j)
            x.push_back(std::sin(0.3f * static_cast<float>(i) + static_cast<float>(j % 2)));
    const dataset<shape<8>, shape<8>> data(x, x);
    auto model = std::make_unique<net>(4);
    auto t = make_trainer<16>(*model, mean_squared_error{}, adam<>{.learning_rate = 0.01f});
    const double before = t->evaluate(data).loss;
    const history h = t->fit(data, {.epochs = 60, .seed = 1});
    BOOST_TEST(h.values.at("loss").back() < h.values.at("loss").front());
    BOOST_TEST(t->evaluate(data).loss < 0.5 * before);
}

BOOST_AUTO_TEST_SUITE_END()
