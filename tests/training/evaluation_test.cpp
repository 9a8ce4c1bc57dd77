// Tests ctnn/training/evaluation.hpp: what evaluate returns prints as Keras's evaluate line,
// with the accuracy only where the loss has one.
#include "ctnn/ctnn.hpp"

#include "support/printed.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

using namespace ctnn;

using test::printed;

BOOST_AUTO_TEST_SUITE(evaluation_test)

BOOST_AUTO_TEST_CASE(prints_loss_and_accuracy) {
    BOOST_TEST(printed(evaluation{0.34121, 0.88119}) == "loss: 0.3412 - accuracy: 0.8812");
    BOOST_TEST(printed(evaluation{12.5}) == "loss: 12.5000"); // no accuracy: NaN by default
    BOOST_TEST(printed(evaluation{2e-5, 1.0}) == "loss: 2.0000e-05 - accuracy: 1.0000");
}

BOOST_AUTO_TEST_CASE(prints_what_evaluate_returns) {
    // Zero weights: every class equally likely, loss log 2 and accuracy 0.5 on these labels.
    using classifier = network<input<2>, dense<2, softmax, kernel_initializer<zeros>>>;
    classifier net;
    const dataset<shape<2>, shape<1>> labelled({1, 2, 3, 4}, {0, 1});
    auto t = make_trainer<2>(net, sparse_categorical_crossentropy{}, sgd<>{});
    BOOST_TEST(printed(t->evaluate(labelled)) == "loss: 0.6931 - accuracy: 0.5000");
    using regression = network<input<2>, dense<1, kernel_initializer<zeros>>>;
    regression line;
    const dataset<shape<2>, shape<1>> targets({1, 2, 3, 4}, {1, 3});
    auto r = make_trainer<2>(line, mean_squared_error{}, sgd<>{});
    BOOST_TEST(printed(r->evaluate(targets)) == "loss: 5.0000"); // (1 + 9) / 2
}

BOOST_AUTO_TEST_SUITE_END()
