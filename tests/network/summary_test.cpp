// Tests ctnn/network/summary.hpp: the Keras-style table of layers, shapes and parameters.
#include "ctnn/ctnn.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(summary_test)

BOOST_AUTO_TEST_CASE(lists_every_layer_with_shape_and_parameters) {
    using net = network<input<28, 28>, flatten, dense<128, relu>, dense<10, softmax>>;
    const std::string text = net::summary();
    BOOST_TEST_MESSAGE(text);
    BOOST_TEST(text.find("(None, 28, 28)") != std::string::npos);
    BOOST_TEST(text.find("flatten") != std::string::npos);
    BOOST_TEST(text.find("(None, 784)") != std::string::npos);
    BOOST_TEST(text.find("dense<128, relu>") != std::string::npos);
    BOOST_TEST(text.find("100,480") != std::string::npos);
    BOOST_TEST(text.find("dense<10, softmax>") != std::string::npos);
    BOOST_TEST(text.find("1,290") != std::string::npos);
    BOOST_TEST(text.find("Total params: 101,770") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(thousands_separators) {
    BOOST_TEST(detail::with_thousands(0) == "0");
    BOOST_TEST(detail::with_thousands(999) == "999");
    BOOST_TEST(detail::with_thousands(1000) == "1,000");
    BOOST_TEST(detail::with_thousands(1234567) == "1,234,567");
}

BOOST_AUTO_TEST_SUITE_END()
