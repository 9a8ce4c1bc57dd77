// Training on two threads (trainer::set_threads, fit_options::threads) gives one thread's
// results up to the order of the gradient sums: gradients, losses, weights after many steps,
// evaluate and predict. Networks whose batch cannot be split (dropout, batch normalization)
// train exactly as on one thread.
#include "ctnn/ctnn.hpp"

#include "support/user_policies.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <random>
#include <span>
#include <vector>

using namespace ctnn;

namespace {

// n rows of `width` values in [-1, 1) and class labels in [0, classes).
std::pair<std::vector<float>, std::vector<float>> random_batch(std::size_t n, std::size_t width,
                                                               std::size_t classes, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> x(n * width), y(n);
    for (float& v : x)
        v = value(gen);
    for (std::size_t r = 0; r < n; ++r)
        y[r] = static_cast<float>(gen() % classes);
    return {x, y};
}

template <class Net>
std::vector<float> parameters(const Net& net) {
    std::vector<float> values;
    net.visit_parameters([&](std::size_t, auto array) {
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c)
                values.push_back(array(r, c));
    });
    return values;
}

// |a - b| <= tolerance × (1 + |b|) for every pair.
void check_close(std::span<const float> a, std::span<const float> b, float tolerance) {
    BOOST_REQUIRE(a.size() == b.size());
    float worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]) / (1.0f + std::abs(b[i])));
    BOOST_TEST(worst <= tolerance);
}

// A relu and a gelu layer (gelu keeps its pre-activation), an activity-regularized hidden
// layer, softmax + cross-entropy fused at the output.
using mixed_net =
    network<input<37>, dense<33, relu>,
            dense<19, gelu, activity_regularizer<l2<std::ratio<1, 100>>>>, dense<5, softmax>>;

// Trains `steps` batches of `rows` on `threads` threads from the same start; the weights after.
template <class Optimizer>
std::vector<float> train(std::size_t threads, Optimizer opt, std::size_t rows, int steps) {
    auto net = std::make_unique<mixed_net>(3);
    auto t = make_trainer<64>(*net, sparse_categorical_crossentropy{}, opt);
    t->set_threads(threads);
    for (int s = 0; s < steps; ++s) {
        const auto [x, y] = random_batch(rows, 37, 5, 100 + static_cast<unsigned>(s));
        const float loss = t->train_step(x.data(), y.data(), rows);
        BOOST_REQUIRE(std::isfinite(loss));
    }
    return parameters(*net);
}

} // namespace

BOOST_AUTO_TEST_SUITE(threads_test)

BOOST_AUTO_TEST_CASE(set_threads_counts_the_calling_thread) {
    auto net = std::make_unique<mixed_net>(1);
    auto t = make_trainer<64>(*net, sparse_categorical_crossentropy{}, adam<>{});
    BOOST_TEST(t->threads() == 1u);
    t->set_threads(2);
    BOOST_TEST(t->threads() == 2u);
    t->set_threads(0);
    BOOST_TEST(t->threads() == default_thread_count());
    t->set_threads(1);
    BOOST_TEST(t->threads() == 1u);
}

BOOST_AUTO_TEST_CASE(the_gradient_of_a_split_batch_is_the_whole_batchs) {
    for (const std::size_t rows :
         {std::size_t{64}, std::size_t{48}, std::size_t{40}, std::size_t{34}, std::size_t{32},
          std::size_t{37}, std::size_t{16}, std::size_t{15}, std::size_t{1}}) {
        BOOST_TEST_CONTEXT("rows " << rows) {
            const auto [x, y] = random_batch(rows, 37, 5, 7);
            auto net = std::make_unique<mixed_net>(5);
            auto one = make_trainer<64>(*net, sparse_categorical_crossentropy{}, sgd<>{});
            auto two = make_trainer<64>(*net, sparse_categorical_crossentropy{}, sgd<>{});
            two->set_threads(2);
            one->zero_gradients();
            two->zero_gradients();
            const float scale = 1.0f / static_cast<float>(rows);
            const auto a = one->accumulate(x.data(), y.data(), rows, scale);
            const auto b = two->accumulate(x.data(), y.data(), rows, scale);
            BOOST_TEST(b.loss == a.loss, boost::test_tools::tolerance(1e-6f));
            BOOST_TEST(b.accuracy == a.accuracy, boost::test_tools::tolerance(1e-6f));
            const auto gradient = [](const auto& t) {
                std::vector<float> g(t.template gradient<0>(0),
                                     t.template gradient<0>(0) +
                                         mixed_net::layer_type<0>::layout::kernel_size);
                const float* last = t.template gradient<2>(0);
                g.insert(g.end(), last, last + mixed_net::layer_type<2>::layout::kernel_size);
                const float* bias = t.template gradient<1>(1);
                g.insert(g.end(), bias, bias + mixed_net::layer_type<1>::layout::bias_size);
                return g;
            };
            check_close(gradient(*two), gradient(*one), 1e-6f);
            // A second batch accumulates on top (full-batch descent), as on one thread.
            one->accumulate(x.data(), y.data(), rows, scale);
            two->accumulate(x.data(), y.data(), rows, scale);
            check_close(gradient(*two), gradient(*one), 1e-6f);
        }
    }
}

BOOST_AUTO_TEST_CASE(training_on_two_threads_follows_one_thread) {
    // One thread takes the fused path (the update inside the weight-gradient pass), two threads
    // update halves of each block each, for every optimizer: the library's, and user::lion,
    // written only in the tests (support/user_policies.hpp). clipnorm keeps the update on one
    // thread.
    check_close(train(2, adam<>{.learning_rate = 1e-3f}, 64, 30),
                train(1, adam<>{.learning_rate = 1e-3f}, 64, 30), 2e-5f);
    check_close(train(2, nadam<>{.learning_rate = 1e-3f}, 50, 30),
                train(1, nadam<>{.learning_rate = 1e-3f}, 50, 30), 2e-5f);
    check_close(train(2, sgd<>{.learning_rate = 0.05f, .momentum = 0.9f}, 64, 30),
                train(1, sgd<>{.learning_rate = 0.05f, .momentum = 0.9f}, 64, 30), 2e-5f);
    check_close(train(2, rmsprop<>{.learning_rate = 1e-3f, .clipnorm = 0.5f}, 64, 30),
                train(1, rmsprop<>{.learning_rate = 1e-3f, .clipnorm = 0.5f}, 64, 30), 2e-5f);
    check_close(train(2, adagrad<>{.learning_rate = 1e-2f}, 64, 30),
                train(1, adagrad<>{.learning_rate = 1e-2f}, 64, 30), 2e-5f);
    check_close(train(2, adamw<>{.learning_rate = 1e-3f}, 64, 30),
                train(1, adamw<>{.learning_rate = 1e-3f}, 64, 30), 2e-5f);
    check_close(train(2, user::lion{.learning_rate = 1e-4f}, 64, 30),
                train(1, user::lion{.learning_rate = 1e-4f}, 64, 30), 2e-5f);
}

BOOST_AUTO_TEST_CASE(dropout_and_batch_normalization_train_as_on_one_thread) {
    // Batch normalization's statistics span the batch: its passes stay on one thread and only
    // the update is split, which is elementwise: bit-identical.
    using dropout_net =
        network<input<37>, dense<33, relu>, dropout<std::ratio<1, 4>>, dense<5, softmax>>;
    using normalized_net =
        network<input<37>, dense<33>, batch_normalization<relu>, dense<5, softmax>>;
    const auto run = [](auto net_tag, std::size_t threads) {
        using net_t = typename decltype(net_tag)::type;
        auto net = std::make_unique<net_t>(9);
        auto t = make_trainer<64>(*net, sparse_categorical_crossentropy{}, adam<>{});
        t->set_threads(threads);
        t->seed_noise(4);
        for (unsigned s = 0; s < 5; ++s) {
            const auto [x, y] = random_batch(64, 37, 5, s);
            t->train_step(x.data(), y.data(), 64);
        }
        return parameters(*net);
    };
    // Dropout draws each row's mask from the row's index: its rows are split between the
    // threads with the same masks, so only the order of the gradient sums differs.
    check_close(run(std::type_identity<dropout_net>{}, 2),
                run(std::type_identity<dropout_net>{}, 1), 2e-5f);
    BOOST_TEST(run(std::type_identity<normalized_net>{}, 2) ==
                   run(std::type_identity<normalized_net>{}, 1),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(evaluate_predict_and_fit_on_two_threads) {
    const auto [x, y] = random_batch(300, 37, 5, 21);
    dataset<shape<37>, shape<1>> data(x, y);
    auto net = std::make_unique<mixed_net>(2);
    auto net_copy = std::make_unique<mixed_net>(*net);
    auto one = make_trainer<64>(*net, sparse_categorical_crossentropy{}, adam<>{});
    auto two = make_trainer<64>(*net_copy, sparse_categorical_crossentropy{}, adam<>{});
    two->set_threads(2);
    const evaluation a = one->evaluate(data), b = two->evaluate(data);
    BOOST_TEST(b.loss == a.loss, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(b.accuracy == a.accuracy);
    check_close(two->predict(data), one->predict(data), 1e-6f);

    const history h1 = one->fit(data, {.epochs = 3, .validation_split = 0.2f, .seed = 5});
    const history h2 =
        two->fit(data, {.epochs = 3, .validation_split = 0.2f, .seed = 5, .threads = 2});
    BOOST_TEST(two->threads() == 2u);
    for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy"})
        for (std::size_t e = 0; e < 3; ++e)
            BOOST_TEST(h2.values.at(key)[e] == h1.values.at(key)[e],
                       boost::test_tools::tolerance(1e-4));
    check_close(parameters(*net_copy), parameters(*net), 1e-4f);
}

BOOST_AUTO_TEST_CASE(fit_keeps_the_trainers_threads_unless_told) {
    // fit_options::threads unset keeps what set_threads chose; set, it changes it.
    const auto [x, y] = random_batch(64, 37, 5, 3);
    dataset<shape<37>, shape<1>> data(x, y);
    auto net = std::make_unique<mixed_net>(2);
    auto t = make_trainer<32>(*net, sparse_categorical_crossentropy{}, adam<>{});
    t->set_threads(2);
    t->fit(data, {.epochs = 1});
    BOOST_TEST(t->threads() == 2u);
    t->fit(data, {.epochs = 1, .threads = 1});
    BOOST_TEST(t->threads() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
