// Tests ctnn/io/text_vectors.hpp: multi-hot, count and TF-IDF vectors of texts over a vocabulary
// fitted on a 3-document corpus, against values worked out by hand (idf from Keras' formula);
// unknown tokens ignored; the tail beyond the vocabulary zero; a vocabulary larger than the
// vector refused; text_vectors' rows equal the one-text functions row by row.
#include "ctnn/io/text_vectors.hpp"

#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/training/dataset.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace io = ctnn::io;
using strings = std::vector<std::string>;

namespace {

// Counts: a 3, cat 3, the 3, dog 2, sat 2, mat 1, on 1 -> vocabulary (ties alphabetical)
//   index:        0  1    2    3    4    5    6
//   token:        a  cat  the  dog  sat  mat  on
//   documents:    1  2    2    2    2    1    1      (of 3)
//   idf = log(1 + 3 / (1 + df)):  df 1 -> log(2.5), df 2 -> log(2)
const strings corpus{"The cat sat on the mat.", "The dog sat.", "A cat, a dog; a CAT!"};
// the x3, cat x2, dog x1, and "and" / "birds" which the vocabulary does not know.
const std::string query = "the cat and the CAT, the dog... birds";

const double l2 = std::log(2.0);
const double l25 = std::log(2.5);

const std::vector<double> multi_hot_expected{0, 1, 1, 1, 0, 0, 0};
const std::vector<double> count_expected{0, 2, 3, 1, 0, 0, 0};
const std::vector<double> tf_idf_expected{0, 2 * l2, 3 * l2, l2, 0, 0, 0};

template <std::size_t N>
void check(std::span<const float, N> got, const std::vector<double>& expected) {
    for (std::size_t i = 0; i < N; ++i) {
        const double want = i < expected.size() ? expected[i] : 0.0;
        BOOST_TEST(got[i] == want, boost::test_tools::tolerance(1e-6) << "value " << i);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(text_vectors_test)

BOOST_AUTO_TEST_CASE(vocabulary_of_the_corpus) {
    const auto v = io::vocabulary::fit(corpus, 100);
    BOOST_TEST(v.tokens() == (strings{"a", "cat", "the", "dog", "sat", "mat", "on"}));
    BOOST_TEST(v.idf(0) == l25, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(v.idf(1) == l2, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(v.idf(6) == l25, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(one_text_exact_size) {
    const auto v = io::vocabulary::fit(corpus, 7);
    std::array<float, 7> out{};
    io::multi_hot(query, v, std::span(out));
    check<7>(out, multi_hot_expected);
    io::count(query, v, std::span(out));
    check<7>(out, count_expected);
    io::tf_idf(query, v, std::span(out));
    check<7>(out, tf_idf_expected);
}

BOOST_AUTO_TEST_CASE(corpus_documents_by_hand) {
    const auto v = io::vocabulary::fit(corpus, 7);
    std::array<float, 7> out{};
    // "A cat, a dog; a CAT!": a x3, cat x2, dog x1.
    io::count(corpus[2], v, std::span(out));
    check<7>(out, {3, 2, 0, 1, 0, 0, 0});
    io::tf_idf(corpus[2], v, std::span(out));
    check<7>(out, {3 * l25, 2 * l2, 0, l2, 0, 0, 0});
    // "The cat sat on the mat.": the x2, cat, sat, on, mat.
    io::multi_hot(corpus[0], v, std::span(out));
    check<7>(out, {0, 1, 1, 0, 1, 1, 1});
    io::tf_idf(corpus[0], v, std::span(out));
    check<7>(out, {0, l2, 2 * l2, 0, l2, l25, l25});
}

BOOST_AUTO_TEST_CASE(larger_vector_has_a_zero_tail) {
    // 17 values (not a multiple of any SIMD width) in a tensor, previous content overwritten.
    const auto v = io::vocabulary::fit(corpus, 100);
    ctnn::tensor<float, ctnn::shape<17>> x;
    for (std::size_t i = 0; i < 17; ++i)
        x[i] = 9.0f;
    io::count(query, v, x.span());
    check<17>(x.span(), count_expected);
    io::multi_hot("", v, x.span());
    check<17>(x.span(), {});
}

BOOST_AUTO_TEST_CASE(unknown_tokens_are_ignored) {
    const auto v = io::vocabulary::fit(corpus, 3); // a, cat, the
    BOOST_TEST(v.size() == 3u);
    std::array<float, 3> out{};
    io::count("the dog sat on a zebra", v, std::span(out));
    check<3>(out, {1, 0, 1});
    io::tf_idf("dog sat on", v, std::span(out));
    check<3>(out, {0, 0, 0});
}

BOOST_AUTO_TEST_CASE(one_value_vector) {
    const auto v = io::vocabulary::fit(corpus, 1); // a
    std::array<float, 1> out{};
    io::count("A a a!", v, std::span(out));
    BOOST_TEST(out[0] == 3.0f);
}

BOOST_AUTO_TEST_CASE(vocabulary_larger_than_the_vector_is_refused) {
    const auto v = io::vocabulary::fit(corpus, 7);
    std::array<float, 3> out{5, 5, 5};
    for (const auto encoding :
         {io::text_encoding::multi_hot, io::text_encoding::count, io::text_encoding::tf_idf}) {
        try {
            io::encode_text(query, v, encoding, std::span(out));
            BOOST_ERROR("no exception for a vocabulary of 7 in 3 values");
        } catch (const std::invalid_argument& e) {
            const std::string message = e.what();
            BOOST_TEST(message.find("7 tokens") != std::string::npos, message);
            BOOST_TEST(message.find("only 3 values") != std::string::npos, message);
            BOOST_TEST(message.find(io::text_encoding_name(encoding)) != std::string::npos);
        }
        // Nothing was written.
        BOOST_TEST(out == (std::array<float, 3>{5, 5, 5}));
    }
    BOOST_CHECK_THROW(io::multi_hot(query, v, std::span(out)), std::invalid_argument);
    BOOST_CHECK_THROW(io::count(query, v, std::span(out)), std::invalid_argument);
    BOOST_CHECK_THROW(io::tf_idf(query, v, std::span(out)), std::invalid_argument);
    BOOST_CHECK_THROW((void)io::text_vectors<3>(corpus, v, io::text_encoding::count),
                      std::invalid_argument);
    // Even with no texts: the mismatch is a bug whatever the data.
    BOOST_CHECK_THROW((void)io::text_vectors<3>(strings{}, v, io::text_encoding::count),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(rows_for_a_list_of_texts) {
    const auto v = io::vocabulary::fit(corpus, 100);
    const strings texts{query, "", "mat on mat", "nothing known"};
    for (const auto encoding :
         {io::text_encoding::multi_hot, io::text_encoding::count, io::text_encoding::tf_idf}) {
        const std::vector<float> rows = io::text_vectors<17>(texts, v, encoding);
        BOOST_REQUIRE(rows.size() == 4u * 17u);
        for (std::size_t r = 0; r < texts.size(); ++r) {
            std::array<float, 17> one{};
            io::encode_text(texts[r], v, encoding, std::span(one));
            for (std::size_t i = 0; i < 17; ++i)
                BOOST_TEST(rows[r * 17 + i] == one[i]);
        }
    }
    const std::vector<float> counts = io::text_vectors<17>(texts, v, io::text_encoding::count);
    check<17>(std::span<const float, 17>(counts.data(), 17), count_expected);
    check<17>(std::span<const float, 17>(counts.data() + 2 * 17, 17), {0, 0, 0, 0, 0, 2, 1});
    BOOST_TEST(io::text_vectors<5>(strings{}, io::vocabulary{}, io::text_encoding::count).empty());
}

BOOST_AUTO_TEST_CASE(rows_make_a_dataset) {
    const auto v = io::vocabulary::fit(corpus, 7);
    const std::vector<float> labels{1, 0, 1};
    const ctnn::dataset<ctnn::shape<7>, ctnn::shape<1>> data(
        io::text_vectors<7>(corpus, v, io::text_encoding::multi_hot), labels);
    BOOST_TEST(data.size() == 3u);
    BOOST_TEST(data.sample(1)[3] == 1.0f); // "dog" in "The dog sat."
    BOOST_TEST(data.sample(1)[1] == 0.0f); // no "cat"
}

BOOST_AUTO_TEST_SUITE_END()
