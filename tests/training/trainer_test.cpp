// Tests ctnn/training/trainer.hpp: every layer's gradients from backpropagation against central
// differences of the loss, for fused (softmax + CCE, sigmoid + BCE) and unfused outputs and for
// activations that need their pre-activations (gelu); a training step allocates nothing.
#include "ctnn/ctnn.hpp"

#include "support/naive.hpp"
#include "support/trainer_gradients.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(trainer_test)

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_softmax_cce_fused) {
    using net = network<input<5>, dense<7, ctnn::tanh>, dense<3, softmax>>;
    test::check_trainer_gradients<net, sparse_categorical_crossentropy, 4>(3, {0, 2, 1}, 1);
    test::check_trainer_gradients<net, categorical_crossentropy, 4>(2, {0, 1, 0, 0.2f, 0.3f, 0.5f},
                                                                    2);
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_sigmoid_bce_fused) {
    using net = network<input<17>, dense<3, gelu>, dense<1, sigmoid>>;
    test::check_trainer_gradients<net, binary_crossentropy, 8>(5, {0, 1, 1, 0, 1}, 3);
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_unfused_losses) {
    using net = network<input<3>, dense<17, sigmoid>, dense<4, swish>, dense<2>>;
    test::check_trainer_gradients<net, mean_squared_error, 3>(3, {0.5f, -1, 2, 0.1f, -0.3f, 0.7f},
                                                              4);
    using image = network<input<2, 3>, flatten, dense<5, ctnn::tanh>, dense<2, sigmoid>>;
    test::check_trainer_gradients<image, mean_absolute_error, 2>(2, {0.2f, 0.9f, 0.4f, 0.1f}, 5);
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_through_dropout) {
    // With the mask held fixed, backpropagation through dropout (the same mask, the same
    // 1 / (1 - rate) scale) must match the differences of the loss.
    using net =
        network<input<6>, dense<17, ctnn::tanh>, dropout<std::ratio<1, 3>>, dense<3, softmax>>;
    test::check_trainer_gradients<net, sparse_categorical_crossentropy, 8>(5, {0, 1, 2, 1, 0}, 8);
    using input_dropout =
        network<input<17>, dropout<std::ratio<1, 5>>, dense<4, sigmoid>, dense<1>>;
    test::check_trainer_gradients<input_dropout, mean_squared_error, 4>(
        4, {0.5f, -0.5f, 1.0f, 0.0f}, 9);
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_with_regularizers) {
    // Kernel and bias penalties (L1 + L2, L2) are part of the loss and of its gradient.
    using net = network<
        input<5>,
        dense<7, ctnn::tanh, bias_initializer<random_normal_with<std::ratio<0>, std::ratio<1, 2>>>,
              kernel_regularizer<l1_l2<std::ratio<1, 100>, std::ratio<1, 50>>>,
              bias_regularizer<l2<std::ratio<1, 20>>>>,
        dense<3, softmax, kernel_regularizer<l2<std::ratio<1, 10>>>>>;
    test::check_trainer_gradients<net, sparse_categorical_crossentropy, 4>(3, {0, 2, 1}, 10);
}

BOOST_AUTO_TEST_CASE(regularization_is_added_to_the_reported_loss_as_keras_does) {
    // l2(0.001) adds 0.001 * sum(w^2) to the loss.
    using plain_net = network<input<3>, dense<2>>;
    using l2_net = network<input<3>, dense<2, kernel_regularizer<l2<std::ratio<1, 1000>>>>>;
    plain_net a(1);
    l2_net b(1);
    double sum_sq = 0;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            b.layer<0>().weight(i, j) = a.layer<0>().weight(i, j);
            sum_sq += static_cast<double>(a.layer<0>().weight(i, j)) * a.layer<0>().weight(i, j);
        }
    const dataset<shape<3>, shape<2>> d({1, 2, 3, -1, 0, 1}, {0.5f, 0.5f, -1, 1});
    auto ta = make_trainer<2>(a, mean_squared_error{}, sgd<>{});
    auto tb = make_trainer<2>(b, mean_squared_error{}, sgd<>{});
    BOOST_TEST(tb->evaluate(d).loss == ta->evaluate(d).loss + 0.001 * sum_sq,
               boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_with_activity_regularizers) {
    // Penalties on a hidden layer's outputs (L1 + L2) and on the softmax output (L2, which
    // turns off the fused p - y gradient) are part of the loss and of its gradient.
    using net = network<
        input<5>,
        dense<7, ctnn::tanh, activity_regularizer<l1_l2<std::ratio<1, 20>, std::ratio<1, 10>>>>,
        dense<3, softmax, activity_regularizer<l2<std::ratio<1, 5>>>>>;
    test::check_trainer_gradients<net, sparse_categorical_crossentropy, 4>(3, {0, 2, 1}, 11);
    using binary = network<input<3>,
                           dense<17, relu, kernel_initializer<he_uniform>,
                                 activity_regularizer<l1<std::ratio<1, 100>>>>,
                           dense<1, sigmoid>>;
    test::check_trainer_gradients<binary, binary_crossentropy, 8>(6, {0, 1, 1, 0, 1, 0}, 12);
}

BOOST_AUTO_TEST_CASE(activity_penalty_is_the_batch_mean_of_the_outputs_penalty) {
    // l1(0.01) on a linear layer's outputs adds 0.01 * mean over samples of sum |y|, to the
    // training loss and to evaluate's, whatever the batch size.
    using plain_net = network<input<3>, dense<2>>;
    using active_net = network<input<3>, dense<2, activity_regularizer<l1<std::ratio<1, 100>>>>>;
    plain_net a(3);
    active_net b(3);
    const std::vector<float> x = {1, 2, 3, -1, 0, 1, 0.5f, -2, 4};
    const std::vector<float> y = {0.5f, 0.5f, -1, 1, 0, 0};
    double sum_abs = 0;
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t j = 0; j < 2; ++j) {
            double v = a.layer<0>().bias(j);
            for (std::size_t i = 0; i < 3; ++i)
                v += static_cast<double>(x[r * 3 + i]) * a.layer<0>().weight(i, j);
            sum_abs += std::abs(v);
        }
    const dataset<shape<3>, shape<2>> d(x, y);
    auto ta = make_trainer<2>(a, mean_squared_error{}, sgd<>{});
    auto tb = make_trainer<2>(b, mean_squared_error{}, sgd<>{});
    BOOST_TEST(tb->evaluate(d).loss == ta->evaluate(d).loss + 0.01 * sum_abs / 3,
               boost::test_tools::tolerance(1e-5));
    auto tc = make_trainer<3>(b, mean_squared_error{}, sgd<>{});
    const float whole = tc->accumulate(x.data(), y.data(), 3, 1.0f / 3).loss;
    BOOST_TEST(whole == ta->evaluate(d).loss + 0.01 * sum_abs / 3,
               boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_through_batch_normalization) {
    // gamma, beta and every dense layer's gradients (the lower ones through batch
    // normalization's dx) against central differences of the batch loss. Smooth activations:
    // normalized features sit around 0, where relu's kink would spoil the differences.
    using net = network<input<5>, dense<17>, batch_normalization<softplus>, dense<7>,
                        batch_normalization<ctnn::tanh>, dense<3, softmax>>;
    test::check_trainer_gradients<net, sparse_categorical_crossentropy, 8>(6, {0, 2, 1, 1, 0, 2},
                                                                           13);
    using first = network<input<3>, batch_normalization<>, dense<4, swish>,
                          batch_normalization<swish>, dense<1, sigmoid>>;
    test::check_trainer_gradients<first, binary_crossentropy, 4>(4, {0, 1, 1, 0}, 14);
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences_for_large_batches) {
    // Many rows exercise the batch tiles of every kernel, with remainders.
    using net = network<input<2>, dense<4, ctnn::tanh>, dense<1, sigmoid>>;
    std::vector<float> targets(100);
    for (std::size_t i = 0; i < targets.size(); ++i)
        targets[i] = static_cast<float>(i % 2);
    test::check_trainer_gradients<net, binary_crossentropy, 100>(100, targets, 6);
    test::check_trainer_gradients<net, binary_crossentropy, 128>(
        67, std::vector<float>(targets.begin(), targets.begin() + 67), 7);
}

BOOST_AUTO_TEST_CASE(fused_sgd_step_equals_the_two_pass_step) {
    // SGD's update runs inside the weight-gradient pass; a clipnorm that never clips forces the
    // two-pass path. Both must give the same weights.
    using net =
        network<input<17>, dense<33, ctnn::tanh>, dropout<std::ratio<1, 4>>, dense<3, softmax>>;
    auto a = std::make_unique<net>(4), b = std::make_unique<net>(4);
    auto ta = make_trainer<16>(*a, sparse_categorical_crossentropy{},
                               sgd<>{.learning_rate = 0.1f, .momentum = 0.9f});
    auto tb = make_trainer<16>(*b, sparse_categorical_crossentropy{},
                               sgd<>{.learning_rate = 0.1f, .momentum = 0.9f, .clipnorm = 1e30f});
    const auto x = test::random_values(16 * 17, 21);
    std::vector<float> y(16);
    for (std::size_t i = 0; i < 16; ++i)
        y[i] = static_cast<float>(i % 3);
    for (int step = 0; step < 4; ++step) {
        ta->seed_noise(static_cast<std::uint64_t>(step));
        tb->seed_noise(static_cast<std::uint64_t>(step));
        const float la = ta->train_step(x.data(), y.data(), step == 3 ? 11 : 16);
        const float lb = tb->train_step(x.data(), y.data(), step == 3 ? 11 : 16);
        BOOST_TEST(la == lb, boost::test_tools::tolerance(1e-6f));
    }
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 33; ++j)
            BOOST_TEST(a->layer<0>().weight(i, j) == b->layer<0>().weight(i, j),
                       boost::test_tools::tolerance(1e-5f));
    for (std::size_t j = 0; j < 3; ++j)
        BOOST_TEST(a->layer<2>().bias(j) == b->layer<2>().bias(j),
                   boost::test_tools::tolerance(1e-5f));
}

BOOST_AUTO_TEST_CASE(partial_last_batch_uses_only_its_rows) {
    // Batch size 8 with 3 rows must give the same gradient as batch size 3.
    using net = network<input<4>, dense<6, relu>, dense<2, softmax>>;
    auto a = std::make_unique<net>(9), b = std::make_unique<net>(9);
    auto ta = make_trainer<8>(*a, sparse_categorical_crossentropy{}, sgd<>{});
    auto tb = make_trainer<3>(*b, sparse_categorical_crossentropy{}, sgd<>{});
    const auto x = test::random_values(3 * 4, 10);
    const std::vector<float> y{1, 0, 1};
    const float la = ta->train_step(x.data(), y.data(), 3),
                lb = tb->train_step(x.data(), y.data(), 3);
    BOOST_TEST(la == lb, boost::test_tools::tolerance(1e-6f));
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 6; ++j)
            BOOST_TEST(a->layer<0>().weight(i, j) == b->layer<0>().weight(i, j),
                       boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(saturated_outputs_keep_the_loss_and_gradients_finite) {
    using net = network<input<2>, dense<3, softmax>>;
    net n;
    n.layer<0>().weight(0, 0) = 1e4f; // logits of ±1e4: p is exactly 0 or 1 in float
    n.layer<0>().weight(1, 1) = -1e4f;
    auto t = make_trainer<2>(n, sparse_categorical_crossentropy{}, sgd<>{});
    const std::vector<float> x{1, 1, -1, 1}, y{1, 2};
    const float loss = t->train_step(x.data(), y.data(), 2);
    BOOST_TEST(std::isfinite(loss));
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(std::isfinite(n.layer<0>().weight(i, j)));
}

BOOST_AUTO_TEST_SUITE_END()
