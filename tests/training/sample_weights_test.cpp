// Tests sample and class weights (Keras's sample_weight and class_weight) in the trainer: the
// batch loss is the weighted sum over the batch size and the gradients follow (against a hand
// computation in double), a weight of 0 removes a sample (even one with an infinite loss),
// class weights equal the sample weights they stand for (sparse, one-hot and binary targets),
// evaluate weighs by the data set's weights, and every bad weight, class or batch given to fit,
// a data set or train_on_batch is refused by name with the network unchanged.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ctnn;

namespace {

// The message of the std::invalid_argument f throws ("" if none).
template <class F>
std::string refusal(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

template <class Net>
std::vector<float> parameters(const Net& net) {
    std::vector<float> all;
    net.visit_parameters([&](std::size_t, auto array) {
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c)
                all.push_back(array(r, c));
    });
    return all;
}

using line = network<input<2>, dense<1>>; // y = w0 x0 + w1 x1 + b

} // namespace

BOOST_AUTO_TEST_SUITE(sample_weights_test)

BOOST_AUTO_TEST_CASE(weighted_loss_and_gradient_match_a_hand_computation) {
    line net;
    net.layer<0>().weight(0, 0) = 0.5f;
    net.layer<0>().weight(1, 0) = -1.0f;
    net.layer<0>().bias(0) = 0.25f;
    const std::vector<float> x{1, 2, -1, 0.5f, 3, -2}, y{0, 1, 2}, w{2, 0.5f, 1.5f};
    auto t = make_trainer<4>(net, mean_squared_error{}, sgd<>{.learning_rate = 0.1f});
    // By hand, in double: p_i = 0.5 x0 - x1 + 0.25, L_i = (p_i - y_i)^2,
    // loss = sum w_i L_i / 3, dL/dw_k = sum w_i 2 (p_i - y_i) x_ik / 3, dL/db likewise with 1.
    double loss = 0, g0 = 0, g1 = 0, gb = 0;
    for (int i = 0; i < 3; ++i) {
        const double p = 0.5 * x[2 * i] - x[2 * i + 1] + 0.25, e = p - y[i];
        loss += w[i] * e * e / 3;
        g0 += w[i] * 2 * e * x[2 * i] / 3;
        g1 += w[i] * 2 * e * x[2 * i + 1] / 3;
        gb += w[i] * 2 * e / 3;
    }
    t->zero_gradients();
    const auto b = t->accumulate(x.data(), y.data(), 3, 1.0f / 3, w.data());
    BOOST_TEST(b.loss == loss, boost::test_tools::tolerance(1e-6));
    const float* dw = t->gradient<0>(0);
    const std::size_t stride = line::layer_type<0>::layout::padded_outputs;
    BOOST_TEST(dw[0] == g0, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(dw[stride] == g1, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(t->gradient<0>(1)[0] == gb, boost::test_tools::tolerance(1e-5));
    // One SGD step through train_on_batch: w -= 0.1 g.
    BOOST_TEST(t->train_on_batch(x, y, w) == loss, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(net.layer<0>().weight(0, 0) == 0.5 - 0.1 * g0, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(net.layer<0>().weight(1, 0) == -1.0 - 0.1 * g1, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(net.layer<0>().bias(0) == 0.25 - 0.1 * gb, boost::test_tools::tolerance(1e-5));
    // evaluate weighs the same way when the data set carries the weights.
    line fresh;
    fresh.layer<0>().weight(0, 0) = 0.5f;
    fresh.layer<0>().weight(1, 0) = -1.0f;
    fresh.layer<0>().bias(0) = 0.25f;
    auto te = make_trainer<2>(fresh, mean_squared_error{}, sgd<>{});
    const dataset<shape<2>, shape<1>> weighted(x, y, w);
    BOOST_TEST(te->evaluate(weighted).loss == loss, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(a_weight_of_zero_removes_a_sample) {
    // Sample 1's logit loss is infinite in float (a target of 1 for a huge negative logit); with
    // weight 0 it neither makes the loss NaN nor moves the weights, and the gradient is the
    // other samples' gradient over the batch size.
    using net_t = network<input<1>, dense<1>>;
    net_t net;
    net.layer<0>().weight(0, 0) = 1.0f;
    net.layer<0>().bias(0) = 0.0f;
    const std::vector<float> x{0.5f, -1e30f, 2}, y{1, 1, 0}, w{1, 0, 1};
    auto t = make_trainer<3>(net, binary_crossentropy_from_logits{}, sgd<>{});
    t->zero_gradients();
    const auto b = t->accumulate(x.data(), y.data(), 3, 1.0f / 3, w.data());
    BOOST_TEST(std::isfinite(b.loss));
    const float with_zero = t->gradient<0>(0)[0];
    const std::vector<float> x2{0.5f, 2}, y2{1, 0};
    t->zero_gradients();
    const auto b2 = t->accumulate(x2.data(), y2.data(), 2, 1.0f / 3);
    BOOST_TEST(b.loss == b2.loss * 2 / 3, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(with_zero == t->gradient<0>(0)[0], boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(class_weights_equal_the_sample_weights_they_stand_for) {
    const auto check = [](auto loss, std::vector<float> targets, std::size_t target_size,
                          std::vector<float> class_of_sample) {
        using loss_t = decltype(loss);
        constexpr std::size_t outputs = std::is_same_v<loss_t, binary_crossentropy> ? 1 : 3;
        using net_t = network<input<4>, dense<5, ctnn::tanh>,
                              dense<outputs, std::conditional_t<outputs == 1, sigmoid, softmax>>>;
        std::vector<float> x;
        for (std::size_t i = 0; i < class_of_sample.size() * 4; ++i)
            x.push_back(std::sin(0.37f * static_cast<float>(i)));
        std::vector<float> w;
        const std::vector<float> by_class{0.5f, 3.0f, 1.0f}; // class 2 not listed: 1
        for (float c : class_of_sample)
            w.push_back(by_class[static_cast<std::size_t>(c)]);
        const std::size_t n = class_of_sample.size();
        (void)target_size;
        const dataset<shape<4>, shape<loss_t::target_size(outputs)>> plain(x, targets),
            weighted(x, targets, w);
        net_t a(3), b(3);
        auto ta = make_trainer<4>(a, loss, adam<>{.learning_rate = 0.01f});
        auto tb = make_trainer<4>(b, loss, adam<>{.learning_rate = 0.01f});
        const history ha =
            ta->fit(plain, {.epochs = 3, .seed = 1, .class_weight = {{0, 0.5f}, {1, 3.0f}}});
        const history hb = tb->fit(weighted, {.epochs = 3, .seed = 1});
        BOOST_TEST(parameters(a) == parameters(b), boost::test_tools::per_element());
        BOOST_TEST(ha.values.at("loss") == hb.values.at("loss"), boost::test_tools::per_element());
        BOOST_TEST(n > 0u);
    };
    check(sparse_categorical_crossentropy{}, {0, 1, 2, 1, 0, 1, 2, 2}, 1, {0, 1, 2, 1, 0, 1, 2, 2});
    check(categorical_crossentropy{}, {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0.2f, 0.8f},
          3, {0, 1, 2, 1, 0, 2});
    check(binary_crossentropy{}, {0, 1, 1, 0, 1, 0, 0}, 1, {0, 1, 1, 0, 1, 0, 0});
}

BOOST_AUTO_TEST_CASE(bad_weights_and_classes_are_refused_by_name) {
    const std::vector<float> x{1, 2, 3, 4, 5, 6}, y{0, 1, 1};
    using data_t = dataset<shape<2>, shape<1>>;
    BOOST_TEST(refusal([&] {
                   data_t(x, y, {1, -1, 1});
               }) == "dataset: sample weight 1 is -1.000000, not a finite weight >= 0");
    BOOST_TEST(refusal([&] {
                   data_t(x, y, {1, 1, NAN});
               }).find("sample weight 2 is nan") != std::string::npos);
    BOOST_TEST(refusal([&] {
                   data_t(x, y, {1, INFINITY, 1});
               }).find("sample weight 1 is inf") != std::string::npos);
    BOOST_TEST(refusal([&] { data_t(x, y, {1, 1}); }) == "dataset: 2 sample weights for 3 samples");

    using classifier = network<input<2>, dense<3, softmax>>;
    classifier net(1);
    const auto before = parameters(net);
    auto t = make_trainer<4>(net, sparse_categorical_crossentropy{}, sgd<>{});
    const data_t data(x, y);
    BOOST_TEST(refusal([&] {
                   t->fit(data, {.class_weight = {{3, 2.0f}}});
               }) == "fit: class_weight names class 3, but the targets have classes 0 to 2");
    BOOST_TEST(refusal([&] {
                   t->fit(data, {.class_weight = {{1, -2.0f}}});
               }).find("class_weight of class 1 is -2") != std::string::npos);
    line reg;
    auto tr = make_trainer<4>(reg, mean_squared_error{}, sgd<>{});
    BOOST_TEST(refusal([&] {
                   tr->fit(data, {.class_weight = {{0, 2.0f}}});
               }).find("class_weight needs targets with classes") != std::string::npos);

    // train_on_batch checks what fit's data sets check, per call.
    const std::vector<float> two{1, 2, 3, 4};
    BOOST_TEST(refusal([&] {
                   t->train_on_batch(std::vector<float>{1, 2, 3}, std::vector<float>{0});
               }).find("3 input values are not a whole number") != std::string::npos);
    BOOST_TEST(
        refusal([&] {
            t->train_on_batch(std::vector<float>(10, 0.0f), std::vector<float>{0, 1, 2, 0, 1});
        }).find("5 samples, more than the trainer's batch size 4") != std::string::npos);
    BOOST_TEST(refusal([&] { t->train_on_batch(two, std::vector<float>{0}); }) ==
               "train_on_batch: 1 target values for 2 samples of 1 target values");
    BOOST_TEST(refusal([&] {
                   t->train_on_batch(two, std::vector<float>{0, 3});
               }) == "train_on_batch: target 1 is 3, not a class index in [0, 3)");
    BOOST_TEST(refusal([&] {
                   t->train_on_batch(two, std::vector<float>{0, 1}, std::vector<float>{1});
               }) == "train_on_batch: 1 sample weights for 2 samples");
    BOOST_TEST(refusal([&] {
                   t->train_on_batch(two, std::vector<float>{0, 1}, std::vector<float>{1, -0.5f});
               }).find("sample weight 1 is -0.5") != std::string::npos);
    BOOST_TEST(refusal([&] {
                   t->train_on_batch(std::vector<float>{1, NAN}, std::vector<float>{0});
               }) == "train_on_batch: sample 0, value 1 is not finite");
    BOOST_TEST(parameters(net) == before, boost::test_tools::per_element()); // nothing moved
    BOOST_TEST(t->steps() == 0u);
}

BOOST_AUTO_TEST_CASE(a_target_network_is_a_copy_by_assignment) {
    // DQN keeps a target network: one assignment copies every weight, none shared after it.
    line online(1), target(2);
    target = online;
    BOOST_TEST(parameters(target) == parameters(online), boost::test_tools::per_element());
    online.layer<0>().bias(0) += 1.0f;
    BOOST_TEST(target.layer<0>().bias(0) == online.layer<0>().bias(0) - 1.0f);
}

BOOST_AUTO_TEST_SUITE_END()
