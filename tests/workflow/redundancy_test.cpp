// Tests ctnn/workflow/redundancy.hpp: shared samples are counted exactly (none, some, all,
// a validation sample with several training copies counted once), byte equality is exact
// (-0 vs 0, a one-ulp difference), and the warning's text.
#include "ctnn/workflow/redundancy.hpp"

#include "ctnn/workflow/workflow.hpp" // the umbrella compiles and brings everything

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <vector>

using namespace ctnn;

namespace {

// n samples of 17 values (not a multiple of any SIMD width), sample i filled from i.
std::vector<float> rows(const std::vector<int>& ids) {
    std::vector<float> x;
    for (int id : ids)
        for (int j = 0; j < 17; ++j)
            x.push_back(static_cast<float>(id) * 0.5f + static_cast<float>(j));
    return x;
}

dataset<shape<17>, shape<1>> make(const std::vector<int>& ids) {
    return {rows(ids), std::vector<float>(ids.size(), 0.0f)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(redundancy_test)

BOOST_AUTO_TEST_CASE(counts_validation_samples_found_in_training) {
    const auto train = make({0, 1, 2, 3, 4, 5});
    BOOST_TEST(count_shared_samples(train, make({6, 7, 8})) == 0u);
    BOOST_TEST(count_shared_samples(train, make({6, 2, 8, 5})) == 2u);
    BOOST_TEST(count_shared_samples(train, make({0, 1, 2, 3, 4, 5})) == 6u);
    BOOST_TEST(count_shared_samples(train, make({3})) == 1u);
    // Each validation sample counts once however many copies training holds; repeated
    // validation samples each count.
    BOOST_TEST(count_shared_samples(make({1, 1, 1, 2}), make({1, 9})) == 1u);
    BOOST_TEST(count_shared_samples(make({1, 2}), make({1, 1, 9})) == 2u);
    // Empty parts share nothing.
    const dataset<shape<17>, shape<1>> empty;
    BOOST_TEST(count_shared_samples(empty, train) == 0u);
    BOOST_TEST(count_shared_samples(train, empty) == 0u);
    // Targets are not compared: the same input with another label is still shared.
    const dataset<shape<17>, shape<1>> relabelled(rows({4}), {1.0f});
    BOOST_TEST(count_shared_samples(train, relabelled) == 1u);
}

BOOST_AUTO_TEST_CASE(equality_is_byte_for_byte) {
    const dataset<shape<3>, shape<1>> train({0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f}, {0, 0});
    const float next = std::nextafter(5.0f, 6.0f);
    const dataset<shape<3>, shape<1>> validation(
        {-0.0f, 1.0f, 2.0f, 3.0f, 4.0f, next, 0.0f, 1.0f, 2.0f}, {0, 0, 0});
    BOOST_TEST(count_shared_samples(train, validation) == 1u); // only the exact copy of sample 0
    // One value per sample (size 1).
    const dataset<shape<1>, shape<1>> a({1, 2, 3}, {0, 0, 0}), b({3, 4, 1, 1}, {0, 0, 0, 0});
    BOOST_TEST(count_shared_samples(a, b) == 3u);
}

BOOST_AUTO_TEST_CASE(the_warning_names_the_count_and_the_pitfall) {
    const auto train = make({0, 1, 2, 3, 4, 5});
    std::ostringstream none, one, three;
    BOOST_TEST(warn_if_shared(train, make({6, 7}), none) == 0u);
    BOOST_TEST(none.str().empty());
    BOOST_TEST(warn_if_shared(train, make({6, 2}), one) == 1u);
    BOOST_TEST(one.str() == "redundancy: 1 validation sample also appears in the training set; "
                            "the validation score is optimistic\n");
    BOOST_TEST(warn_if_shared(train, make({0, 7, 2, 5}), three) == 3u);
    BOOST_TEST(three.str() == "redundancy: 3 validation samples also appear in the training set; "
                              "the validation score is optimistic\n");
}

BOOST_AUTO_TEST_CASE(a_data_set_with_repeated_rows_leaks_through_a_split) {
    // 17 distinct samples, each stored twice: a shuffled hold-out puts copies on both sides.
    std::vector<int> ids;
    for (int i = 0; i < 17; ++i)
        ids.insert(ids.end(), {i, i});
    const auto data = make(ids);
    const split s = holdout_split(data.size(), 0.25, 4);
    const std::size_t shared =
        count_shared_samples(data.subset(s.train), data.subset(s.validation));
    // Oracle: a validation index whose twin (i xor 1) is in training.
    std::size_t expected = 0;
    for (std::size_t i : s.validation)
        expected += std::find(s.train.begin(), s.train.end(), i ^ 1u) != s.train.end() ? 1 : 0;
    BOOST_TEST(shared == expected);
    BOOST_TEST(shared > 0u);
    // The time-ordered hold-out of the deduplicated order shares nothing.
    const auto distinct = make({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    const split t = time_ordered_holdout(17, 0.25);
    BOOST_TEST(count_shared_samples(distinct.subset(t.train), distinct.subset(t.validation)) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
