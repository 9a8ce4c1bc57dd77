// End-to-end learning: the lecture's small cases trained by the real trainer. A hidden layer
// separates XOR-like points that no linear model can; linear regression recovers the
// least-squares line (closed form); a 784 → 128 → 10 network learns a synthetic 10-class problem;
// the three forms of gradient descent; a diverging run stops cleanly.
#include "ctnn/ctnn.hpp"

#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <random>

using namespace ctnn;

namespace {

// Green vs red points: the XOR pattern of the lecture, 4 clusters of 25 noisy points.
dataset<shape<2>, shape<1>> xor_points() {
    std::mt19937_64 gen(3);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> x, y;
    for (int i = 0; i < 100; ++i) {
        const int a = i % 2, b = (i / 2) % 2;
        x.push_back(static_cast<float>(a) + noise(gen));
        x.push_back(static_cast<float>(b) + noise(gen));
        y.push_back(static_cast<float>(a ^ b));
    }
    return {x, y};
}

} // namespace

BOOST_AUTO_TEST_SUITE(learning_test)

BOOST_AUTO_TEST_CASE(a_hidden_layer_separates_xor_and_a_linear_model_cannot) {
    const auto data = xor_points();
    network<input<2>, dense<8, relu>, dense<1, sigmoid>> deep(1);
    auto t = make_trainer<10>(deep, binary_crossentropy{}, adam<>{.learning_rate = 0.05f});
    const history h = t->fit(data, {.epochs = 200, .seed = 1});
    BOOST_TEST(h.epochs == 200u);
    BOOST_TEST(t->evaluate(data).accuracy == 1.0);

    // Linear activations give linear decisions: whatever the depth, at most 3 of 4 clusters.
    network<input<2>, dense<8, linear>, dense<1, sigmoid>> shallow(1);
    auto s = make_trainer<10>(shallow, binary_crossentropy{}, adam<>{.learning_rate = 0.05f});
    s->fit(data, {.epochs = 200, .seed = 1});
    BOOST_TEST(s->evaluate(data).accuracy <= 0.76);
}

BOOST_AUTO_TEST_CASE(batch_normalization_trains_and_predicts_with_its_moving_statistics) {
    // Features far from zero and on different scales (x * 1000 + 500, y * 0.01): batch
    // normalization makes XOR learnable without scaling the inputs, and after training the
    // moving statistics (evaluate, predict) classify as well as the batch statistics did.
    auto data = xor_points();
    std::vector<float> x = data.samples();
    for (std::size_t i = 0; i < x.size(); i += 2) {
        x[i] = x[i] * 1000.0f + 500.0f;
        x[i + 1] *= 0.01f;
    }
    const dataset<shape<2>, shape<1>> shifted(x, data.targets());
    using bn_net = network<input<2>, batch_normalization<>, dense<8>, batch_normalization<relu>,
                           dense<1, sigmoid>>;
    auto net = std::make_unique<bn_net>(2);
    auto t = make_trainer<20>(*net, binary_crossentropy{}, adam<>{.learning_rate = 0.05f});
    const history h = t->fit(shifted, {.epochs = 300, .seed = 2});
    BOOST_TEST(h.last("accuracy") == 1.0);
    BOOST_TEST(t->evaluate(shifted).accuracy == 1.0);
    // The first layer's moving mean has converged to the features' means.
    BOOST_TEST(net->layer<0>().moving_mean(0) == 1000.0f, boost::test_tools::tolerance(0.01f));
    const tensor<float, shape<2>> sample({x[2], x[3]}); // a = 0, b = 1: class 1
    BOOST_TEST(net->predict(sample)[0] > 0.5f);
}

BOOST_AUTO_TEST_CASE(study_hours_regression_finds_the_least_squares_line) {
    // Hours studied -> exam score.
    const std::vector<float> hours{1, 2, 3, 4, 5, 6, 7, 8}, score{45, 50, 58, 62, 70, 74, 81, 86};
    std::vector<float> scaled(score.size());
    for (std::size_t i = 0; i < score.size(); ++i)
        scaled[i] = score[i] / 100.0f;
    const dataset<shape<1>, shape<1>> data(hours, scaled);
    // Closed-form least squares on the same data.
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        mx += hours[i] / 8.0;
        my += scaled[i] / 8.0;
    }
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        sxy += (hours[i] - mx) * (scaled[i] - my);
        sxx += (hours[i] - mx) * (hours[i] - mx);
    }
    const double slope = sxy / sxx, intercept = my - slope * mx;

    network<input<1>, dense<1>> line(1);
    auto t = make_trainer<8>(line, mean_squared_error{}, sgd<>{.learning_rate = 0.02f});
    t->fit(data, {.epochs = 5000, .shuffle = false, .mode = gradient_descent::full_batch});
    BOOST_TEST(line.layer<0>().weight(0, 0) == slope, boost::test_tools::tolerance(1e-3));
    BOOST_TEST(line.layer<0>().bias(0) == intercept, boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(classifier_784_128_10_learns_a_synthetic_problem) {
    // 10 random prototype images; samples are prototypes plus strong noise.
    constexpr std::size_t classes = 10, per_class = 150;
    const auto prototypes = test::random_values(classes * 784, 11, 0.0f, 1.0f);
    std::mt19937_64 gen(12);
    std::normal_distribution<float> noise(0.0f, 0.6f);
    std::vector<float> x, y;
    for (std::size_t i = 0; i < classes * per_class; ++i) {
        const std::size_t c = i % classes;
        for (std::size_t k = 0; k < 784; ++k)
            x.push_back(prototypes[c * 784 + k] + noise(gen));
        y.push_back(static_cast<float>(c));
    }
    const dataset<shape<784>, shape<1>> data(x, y);
    using classifier = network<input<784>, dense<128, relu>, dense<10, softmax>>;
    auto net = std::make_unique<classifier>(1);
    auto t = make_trainer<32>(*net, sparse_categorical_crossentropy{}, adam<>{});
    const history h = t->fit(data, {.epochs = 3, .validation_split = 0.2f, .seed = 2});
    BOOST_TEST_MESSAGE("val_accuracy per epoch: " << h["val_accuracy"][0] << " "
                                                  << h["val_accuracy"][1] << " "
                                                  << h["val_accuracy"][2]);
    BOOST_TEST(h["loss"].back() < h["loss"].front());
    BOOST_TEST(h.last("val_accuracy") >= 0.95);
}

BOOST_AUTO_TEST_CASE(stochastic_mini_batch_and_full_batch_descent) {
    const auto data = xor_points();
    // Full batch: one update per epoch, from the gradient of all 100 samples, whatever the
    // chunk size the trainer works in: chunks of 7 and of 100 give the same weights.
    network<input<2>, dense<4, ctnn::tanh>, dense<1, sigmoid>> a(5), b(5);
    auto ta = make_trainer<7>(a, binary_crossentropy{}, sgd<>{.learning_rate = 0.5f});
    auto tb = make_trainer<100>(b, binary_crossentropy{}, sgd<>{.learning_rate = 0.5f});
    ta->fit(data, {.epochs = 3, .shuffle = false, .mode = gradient_descent::full_batch});
    tb->fit(data, {.epochs = 3, .shuffle = false, .mode = gradient_descent::full_batch});
    BOOST_TEST(ta->steps() == 3u);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 4; ++j)
            BOOST_TEST(a.layer<0>().weight(i, j) == b.layer<0>().weight(i, j),
                       boost::test_tools::tolerance(1e-5f));
    // Mini-batch: ceil(100 / 32) = 4 updates per epoch (the last batch has 4 samples);
    // stochastic: 100 updates per epoch.
    network<input<2>, dense<4, ctnn::tanh>, dense<1, sigmoid>> c(5), d(5);
    auto tc = make_trainer<32>(c, binary_crossentropy{}, sgd<>{});
    auto td = make_trainer<1>(d, binary_crossentropy{}, sgd<>{});
    tc->fit(data, {.epochs = 2});
    td->fit(data, {.epochs = 2});
    BOOST_TEST(tc->steps() == 8u);
    BOOST_TEST(td->steps() == 200u);
}

BOOST_AUTO_TEST_CASE(a_diverging_run_stops_with_a_message_and_keeps_finite_weights) {
    std::vector<float> x, y;
    for (int i = 0; i < 64; ++i) {
        x.push_back(static_cast<float>(i) * 1e3f);
        y.push_back(static_cast<float>(i) * 1e4f);
    }
    const dataset<shape<1>, shape<1>> data(x, y);
    network<input<1>, dense<4>, dense<1>> net(1);
    auto t = make_trainer<16>(net, mean_squared_error{}, sgd<>{.learning_rate = 10.0f});
    const history h = t->fit(data, {.epochs = 50});
    BOOST_TEST(h.epochs < 50u);
    BOOST_TEST(h.stop_reason.find("the loss became") != std::string::npos);
    BOOST_TEST_MESSAGE(h.stop_reason);
    for (std::size_t j = 0; j < 4; ++j)
        BOOST_TEST(std::isfinite(net.layer<0>().weight(0, j)));
}

BOOST_AUTO_TEST_CASE(class_labels_outside_the_classes_are_refused) {
    network<input<2>, dense<3, softmax>> net(1);
    auto t = make_trainer<4>(net, sparse_categorical_crossentropy{}, sgd<>{});
    const dataset<shape<2>, shape<1>> bad({0, 0, 1, 1, 2, 2}, {0, 3, 1});
    try {
        t->fit(bad);
        BOOST_TEST(false, "fit accepted label 3 for 3 classes");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("target 1 is 3, not a class index in [0, 3)") !=
                       std::string::npos,
                   e.what());
    }
    const dataset<shape<2>, shape<1>> fractional({0, 0}, {0.5f});
    BOOST_CHECK_THROW(t->evaluate(fractional), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
