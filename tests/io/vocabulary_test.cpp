// Tests ctnn/io/vocabulary.hpp: tokens ranked by their count in the training texts, ties in
// ascending byte order, cut at max_tokens; tokens only in the test split are unknown; document
// frequencies and Keras' idf against counts and the formula worked out by hand.
#include "ctnn/io/vocabulary.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace io = ctnn::io;
using strings = std::vector<std::string>;

static_assert(io::text_range<std::vector<std::string>>);
static_assert(io::text_range<std::array<std::string_view, 2>>);
static_assert(io::text_range<std::list<const char*>>);
static_assert(!io::text_range<std::vector<int>>);
static_assert(!io::text_range<std::string>, "a single string is not a list of texts");

namespace {

// the x4, cat x3, sat x2, dog x2, a x2, mat/on/ran x1.
const strings train{"The cat sat on the mat.", "The dog sat!", "A cat, a dog; the CAT ran."};
// Tokens that occur only here must not be in a vocabulary fitted on `train`.
const strings test_split{"A zebra and the cat", "Unseen words only"};

// The index as a printable number, max() for "absent".
std::size_t index_of(const io::vocabulary& v, std::string_view token) {
    return v.index(token).value_or(std::numeric_limits<std::size_t>::max());
}

} // namespace

BOOST_AUTO_TEST_SUITE(vocabulary_test)

BOOST_AUTO_TEST_CASE(ranks_by_frequency_then_alphabetically) {
    const auto v = io::vocabulary::fit(train, 100);
    BOOST_TEST(v.tokens() == (strings{"the", "cat", "a", "dog", "sat", "mat", "on", "ran"}));
    BOOST_TEST(v.size() == 8u);
    BOOST_TEST(!v.empty());
    BOOST_TEST(v.documents() == 3u);
    const std::array<std::size_t, 8> frequency{4, 3, 2, 2, 2, 1, 1, 1};
    const std::array<std::size_t, 8> documents{3, 2, 1, 2, 2, 1, 1, 1};
    for (std::size_t i = 0; i < v.size(); ++i) {
        BOOST_TEST(index_of(v, v.tokens()[i]) == i);
        BOOST_TEST(v.frequency(i) == frequency[i], v.tokens()[i]);
        BOOST_TEST(v.document_frequency(i) == documents[i], v.tokens()[i]);
    }
}

BOOST_AUTO_TEST_CASE(keeps_the_max_tokens_most_frequent) {
    BOOST_TEST(io::vocabulary::fit(train, 1).tokens() == (strings{"the"}));
    BOOST_TEST(io::vocabulary::fit(train, 3).tokens() == (strings{"the", "cat", "a"}));
    // The cut falls inside the tie at count 2: alphabetical order decides who stays.
    BOOST_TEST(io::vocabulary::fit(train, 4).tokens() == (strings{"the", "cat", "a", "dog"}));
    BOOST_TEST(io::vocabulary::fit(train, 8).size() == 8u);
    BOOST_TEST(!io::vocabulary::fit(train, 4).index("sat").has_value());
    BOOST_CHECK_THROW((void)io::vocabulary::fit(train, 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(ties_break_by_bytes_whatever_the_text_order) {
    const strings a{"delta beta alpha", "gamma"};
    const strings b{"gamma", "alpha beta delta"};
    const strings expected{"alpha", "beta", "delta", "gamma"};
    BOOST_TEST(io::vocabulary::fit(a, 10).tokens() == expected);
    BOOST_TEST(io::vocabulary::fit(b, 10).tokens() == expected);
    // Byte order: digits before letters, ASCII before UTF-8 lead bytes.
    const strings c{"\xC3\xA9t\xC3\xA9 zoo 9lives abc"};
    BOOST_TEST(io::vocabulary::fit(c, 10).tokens() ==
               (strings{"9lives", "abc", "zoo", "\xC3\xA9t\xC3\xA9"}));
}

BOOST_AUTO_TEST_CASE(fitted_on_the_training_split_only) {
    const auto v = io::vocabulary::fit(train, 100);
    for (const char* token : {"zebra", "and", "unseen", "words", "only"})
        BOOST_TEST(!v.contains(token), token);
    BOOST_TEST(v.contains("cat"));
    // Fitting on the test split is a different vocabulary: the point of fitting on train.
    const auto w = io::vocabulary::fit(test_split, 100);
    BOOST_TEST(w.contains("zebra"));
    BOOST_TEST(!w.contains("dog"));
}

BOOST_AUTO_TEST_CASE(index_takes_standardized_tokens) {
    const auto v = io::vocabulary::fit(train, 100);
    BOOST_TEST(index_of(v, "the") == 0u);
    BOOST_TEST(index_of(v, "ran") == 7u);
    BOOST_TEST(!v.index("The").has_value());
    BOOST_TEST(!v.index("cat,").has_value());
    BOOST_TEST(!v.index("").has_value());
    BOOST_TEST(!v.index("ca").has_value());
    BOOST_TEST(!v.index("cats").has_value());
    BOOST_TEST(!v.index("zzz").has_value());
}

BOOST_AUTO_TEST_CASE(idf_is_keras_formula) {
    const auto v = io::vocabulary::fit(train, 100);
    // log(1 + 3 / (1 + df)), natural log: df 3 -> log(1.75), 2 -> log(2), 1 -> log(2.5).
    BOOST_TEST(v.idf(*v.index("the")) == std::log(1.75), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(v.idf(*v.index("cat")) == std::log(2.0), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(v.idf(*v.index("a")) == std::log(2.5), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(v.idf(*v.index("ran")) == std::log(2.5), boost::test_tools::tolerance(1e-12));
    BOOST_CHECK_THROW((void)v.idf(8), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(empty_inputs) {
    const io::vocabulary none;
    BOOST_TEST(none.empty());
    BOOST_TEST(none.size() == 0u);
    BOOST_TEST(none.documents() == 0u);
    BOOST_TEST(!none.index("a").has_value());

    const auto no_texts = io::vocabulary::fit(strings{}, 5);
    BOOST_TEST(no_texts.empty());
    BOOST_TEST(no_texts.documents() == 0u);

    const auto blank = io::vocabulary::fit(strings{"", "  ", "!!"}, 5);
    BOOST_TEST(blank.empty());
    BOOST_TEST(blank.documents() == 3u);
}

BOOST_AUTO_TEST_CASE(accepts_any_range_of_strings) {
    const std::array<std::string_view, 2> views{"b a", "b"};
    const std::list<const char*> pointers{"b a", "b"};
    BOOST_TEST(io::vocabulary::fit(views, 5).tokens() == (strings{"b", "a"}));
    BOOST_TEST(io::vocabulary::fit(pointers, 5).tokens() == (strings{"b", "a"}));
}

BOOST_AUTO_TEST_CASE(larger_corpus_against_a_brute_force_count) {
    // 200 texts over 26 one-letter words with skewed frequencies; the oracle counts with arrays
    // and ranks by a plain stable sort over the alphabetically ordered letters.
    strings texts;
    std::array<std::size_t, 26> count{};
    std::array<std::size_t, 26> docs{};
    std::uint32_t state = 12345;
    for (int t = 0; t < 200; ++t) {
        std::string text;
        std::array<bool, 26> seen{};
        for (int w = 0; w < 7; ++w) {
            state = state * 1664525u + 1013904223u;
            const std::size_t letter = ((state >> 16) % 26) * ((state >> 8) % 26) / 26;
            text += static_cast<char>('A' + letter);
            text += w % 2 ? ", " : "  ";
            ++count[letter];
            if (!seen[letter])
                ++docs[letter];
            seen[letter] = true;
        }
        texts.push_back(text);
    }
    std::vector<std::size_t> order;
    for (std::size_t l = 0; l < 26; ++l)
        if (count[l] > 0)
            order.push_back(l);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return count[a] > count[b]; });
    const auto v = io::vocabulary::fit(texts, 17);
    BOOST_REQUIRE(v.size() == std::min<std::size_t>(17, order.size()));
    for (std::size_t i = 0; i < v.size(); ++i) {
        BOOST_TEST(v.tokens()[i] == std::string(1, static_cast<char>('a' + order[i])));
        BOOST_TEST(v.frequency(i) == count[order[i]]);
        BOOST_TEST(v.document_frequency(i) == docs[order[i]]);
    }
}

BOOST_AUTO_TEST_SUITE_END()
