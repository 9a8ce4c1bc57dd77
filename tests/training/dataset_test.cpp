// Tests ctnn/training/dataset.hpp: sizes, subsets, and clear errors for inconsistent or
// non-finite data.
#include "ctnn/training/dataset.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

using namespace ctnn;

namespace {
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

BOOST_AUTO_TEST_SUITE(dataset_test)

BOOST_AUTO_TEST_CASE(holds_samples_and_targets) {
    const dataset<shape<2>, shape<1>> d({1, 2, 3, 4, 5, 6}, {0, 1, 0});
    BOOST_TEST(d.size() == 3u);
    BOOST_TEST(d.sample(1)[1] == 4.0f);
    BOOST_TEST(d.target(2)[0] == 0.0f);
    const auto s = d.subset({2, 0});
    BOOST_TEST(s.size() == 2u);
    BOOST_TEST(s.sample(0)[0] == 5.0f);
    BOOST_TEST(s.sample(1)[0] == 1.0f);
}

BOOST_AUTO_TEST_CASE(rejects_inconsistent_or_non_finite_data_with_a_clear_message) {
    using d = dataset<shape<2>, shape<1>>;
    BOOST_TEST(error_of([] {
                   d({1, 2, 3}, {0});
               }).find("not a whole number of samples") != std::string::npos);
    BOOST_TEST(error_of([] {
                   d({1, 2, 3, 4}, {0});
               }).find("2 samples but 1 targets") != std::string::npos);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    BOOST_TEST(error_of([&] {
                   d({1, 2, 3, nan}, {0, 1});
               }).find("sample 1, value 1 is NaN") != std::string::npos);
    const float inf = std::numeric_limits<float>::infinity();
    BOOST_TEST(error_of([&] {
                   d({1, 2, 3, 4}, {0, inf});
               }).find("target 1, value 0 is infinite") != std::string::npos);
    BOOST_TEST(error_of([] {
                   (void)d({1, 2}, {0}).subset({1});
               }).find("index 1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
