// Tests ctnn/io/one_hot.hpp: sorted categories independent of row order, the 0/1 matrix for
// known values, unseen categories (an error naming value and row, or zeros when ignored),
// class indices, misuse, and encoding a categorical column read by the CSV reader.
#include "ctnn/io/one_hot.hpp"

#include "ctnn/io/csv.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace io = ctnn::io;

BOOST_AUTO_TEST_SUITE(one_hot_test)

BOOST_AUTO_TEST_CASE(categories_are_sorted_columns) {
    const std::vector<std::string> values{"b", "a", "b", "c"};
    io::one_hot_encoder e;
    BOOST_TEST(!e.fitted());
    e.fit(values);
    BOOST_TEST(e.fitted());
    BOOST_TEST(e.size() == 3u);
    BOOST_TEST(e.categories() == (std::vector<std::string>{"a", "b", "c"}));
    BOOST_TEST(e.transform(values) == (std::vector<float>{0, 1, 0, //
                                                          1, 0, 0, //
                                                          0, 1, 0, //
                                                          0, 0, 1}));
    BOOST_TEST(e.transform_indices(values) == (std::vector<float>{1, 0, 1, 2}));
    BOOST_TEST((e.index("c") == std::optional<std::size_t>(2)));
    BOOST_TEST(!e.index("z").has_value());
    BOOST_TEST(e.transform(std::vector<std::string>{}).empty());
}

BOOST_AUTO_TEST_CASE(row_order_does_not_change_the_columns) {
    // 17 categories (not a multiple of a SIMD width), each several times, shuffled.
    std::vector<std::string> values;
    for (int repeat = 0; repeat < 3; ++repeat)
        for (int k = 16; k >= 0; --k)
            values.push_back("c" + std::string(k < 10 ? "0" : "") + std::to_string(k));
    std::mt19937 rng(5);
    io::one_hot_encoder first, second;
    first.fit(values);
    std::shuffle(values.begin(), values.end(), rng);
    second.fit(values);
    BOOST_TEST(first.categories() == second.categories());
    BOOST_TEST(first.size() == 17u);
    BOOST_TEST(std::is_sorted(first.categories().begin(), first.categories().end()));

    const std::vector<float> x = second.transform(values);
    BOOST_REQUIRE(x.size() == values.size() * 17);
    for (std::size_t r = 0; r < values.size(); ++r) {
        const std::size_t want = std::stoul(values[r].substr(1)); // "c07" -> column 7
        for (std::size_t j = 0; j < 17; ++j)
            BOOST_TEST(x[r * 17 + j] == (j == want ? 1.0f : 0.0f));
    }
}

BOOST_AUTO_TEST_CASE(unseen_categories) {
    io::one_hot_encoder strict;
    strict.fit(std::vector<std::string>{"a", "b"});
    try {
        (void)strict.transform(std::vector<std::string>{"a", "d"});
        BOOST_ERROR("an unseen category was accepted");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("row 1") != std::string::npos, message);
        BOOST_TEST(message.find("\"d\"") != std::string::npos, message);
        BOOST_TEST(message.find("\"a\", \"b\"") != std::string::npos, message);
        BOOST_TEST(message.find("unknown_category::ignore") != std::string::npos, message);
    }
    BOOST_CHECK_THROW((void)strict.transform_indices(std::vector<std::string>{"d"}),
                      std::invalid_argument);

    io::one_hot_encoder lenient(io::unknown_category::ignore);
    BOOST_TEST((lenient.unknown() == io::unknown_category::ignore));
    lenient.fit(std::vector<std::string>{"a", "b"});
    BOOST_TEST(lenient.transform(std::vector<std::string>{"d", "b"}) ==
               (std::vector<float>{0, 0, 0, 1}));
    BOOST_CHECK_THROW((void)lenient.transform_indices(std::vector<std::string>{"d"}),
                      std::invalid_argument);

    // A long vocabulary is listed in part.
    std::vector<std::string> many;
    for (int k = 0; k < 100; ++k)
        many.push_back("w" + std::to_string(1000 + k));
    io::one_hot_encoder vocabulary;
    vocabulary.fit(many);
    try {
        (void)vocabulary.transform(std::vector<std::string>{"zzz"});
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("(100 in all)") != std::string::npos, message);
        BOOST_TEST(message.find("w1099") == std::string::npos, message);
    }
}

BOOST_AUTO_TEST_CASE(misuse) {
    io::one_hot_encoder e;
    const std::vector<std::string> values{"a"};
    BOOST_CHECK_THROW((void)e.transform(values), std::logic_error);
    BOOST_CHECK_THROW((void)e.transform_indices(values), std::logic_error);
    BOOST_CHECK_THROW((void)e.categories(), std::logic_error);
    BOOST_CHECK_THROW((void)e.index("a"), std::logic_error);
    BOOST_CHECK_THROW(e.fit(std::vector<std::string>{}), std::invalid_argument);
    BOOST_TEST(!e.fitted());
}

BOOST_AUTO_TEST_CASE(a_csv_column_fitted_on_training_rows) {
    const io::csv_table t = io::parse_csv("city,y\nBern,1\nBasel,0\n,1\nBern,0\nZug,1\n", "m.csv",
                                          {.allow_missing = true});
    const std::vector<std::string>& city = t.strings("city");
    // Fit on the first four rows (training), apply to the fifth (test): "Zug" is unseen.
    const std::vector<std::string> train(city.begin(), city.begin() + 4);
    io::one_hot_encoder e(io::unknown_category::ignore);
    e.fit(train);
    BOOST_TEST(e.categories() == (std::vector<std::string>{"", "Basel", "Bern"})); // "" = missing
    BOOST_TEST(e.transform(city) == (std::vector<float>{0, 0, 1,                   //
                                                        0, 1, 0,                   //
                                                        1, 0, 0,                   //
                                                        0, 0, 1,                   //
                                                        0, 0, 0}));
}

BOOST_AUTO_TEST_SUITE_END()
