// Tests ctnn/io/labelled_text.hpp on files the test writes itself: texts kept byte for byte
// (U+0085, trailing spaces, tabs inside the text), "\r\n" and a last line without '\n' accepted;
// every kind of malformed file refused with a ctnn::io_error naming the file, the line and
// column and the problem; and, when the repo carries them, the three sentiment files in
// examples/data/sentiment/.
#include "ctnn/io/labelled_text.hpp"

#include "ctnn/io/text_vectors.hpp"
#include "ctnn/io/vocabulary.hpp"

#include "io_test_files.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace ctnn::test;
namespace io = ctnn::io;
using strings = std::vector<std::string>;

namespace {

bytes_t bytes(std::string_view s) {
    return bytes_t(s.begin(), s.end());
}

std::filesystem::path write_text(const temp_dir& dir, const std::string& name, std::string_view s) {
    return write_file(dir / name, bytes(s));
}

// `contents` written to a file must be refused with every one of `words` in the message.
void check_refused(const temp_dir& dir, const std::string& name, std::string_view contents,
                   std::initializer_list<std::string_view> words) {
    const auto file = write_text(dir, name, contents);
    check_io_error([&] { (void)io::read_labelled_text(file); }, file, words);
    // The in-memory parser says the same.
    check_io_error([&] { (void)io::parse_labelled_text(contents, "memory.tsv"); }, "memory.tsv",
                   words);
}

} // namespace

BOOST_AUTO_TEST_SUITE(labelled_text_test)

BOOST_AUTO_TEST_CASE(reads_texts_byte_for_byte) {
    const temp_dir dir;
    const std::string contents = "text\tlabel\n"
                                 "A very good film.  \t1\n"
                                 "It ends\xC2\x85 badly.  \t0\n"
                                 "tab\tinside\t1\n"
                                 "\t0\n"
                                 "  \"quoted\" \xFF\xFE bytes\t7\n";
    const auto file = write_text(dir, "good.tsv", contents);
    const io::labelled_text d = io::read_labelled_text(file);
    BOOST_TEST(d.size() == 5u);
    BOOST_TEST(!d.empty());
    BOOST_TEST(d.texts == (strings{"A very good film.  ", "It ends\xC2\x85 badly.  ", "tab\tinside",
                                   "", "  \"quoted\" \xFF\xFE bytes"}));
    BOOST_TEST(d.labels == (std::vector<float>{1, 0, 1, 0, 7}));
    // U+0085 did not end the line, the trailing two spaces are still there.
    BOOST_TEST(d.texts[1].size() == 18u);
    BOOST_TEST(d.texts[1].ends_with(".  "));
}

BOOST_AUTO_TEST_CASE(crlf_bom_and_missing_final_newline) {
    const temp_dir dir;
    const io::labelled_text crlf = io::read_labelled_text(
        write_text(dir, "crlf.tsv", "text\tlabel\r\ngood\t1\r\nbad \t0\r\n"));
    BOOST_TEST(crlf.texts == (strings{"good", "bad "}));
    BOOST_TEST(crlf.labels == (std::vector<float>{1, 0}));

    const io::labelled_text last =
        io::read_labelled_text(write_text(dir, "last.tsv", "text\tlabel\ngood\t1\nbad\t0"));
    BOOST_TEST(last.texts == (strings{"good", "bad"}));
    BOOST_TEST(last.labels == (std::vector<float>{1, 0}));

    const io::labelled_text bom =
        io::read_labelled_text(write_text(dir, "bom.tsv", "\xEF\xBB\xBFtext\tlabel\nok\t1\n"));
    BOOST_TEST(bom.texts == (strings{"ok"}));

    // A '\r' that does not end a line belongs to the text.
    const io::labelled_text cr = io::parse_labelled_text("text\tlabel\na\rb\t1\n", "cr.tsv");
    BOOST_TEST(cr.texts == (strings{"a\rb"}));
}

BOOST_AUTO_TEST_CASE(labels_are_non_negative_integers) {
    const io::labelled_text d = io::parse_labelled_text(
        "text\tlabel\na\t0\nb\t1\nc\t42\nd\t007\ne\t16777216\n", "labels.tsv");
    BOOST_TEST(d.labels == (std::vector<float>{0, 1, 42, 7, 16777216}));
    BOOST_TEST(io::labelled_text_max_label == 16777216u);
    BOOST_TEST(static_cast<std::uint64_t>(static_cast<float>(io::labelled_text_max_label)) ==
               io::labelled_text_max_label);
}

BOOST_AUTO_TEST_CASE(refuses_malformed_files) {
    const temp_dir dir;
    check_refused(dir, "empty.tsv", "", {"line 1, column 1", "empty"});
    check_refused(dir, "no_header.tsv", "good movie\t1\nbad movie\t0\n",
                  {"line 1, column 1", "header", "\"good movie\\t1\""});
    check_refused(dir, "other_header.tsv", "sentence\tlabel\nok\t1\n",
                  {"line 1, column 1", "header"});
    check_refused(dir, "bom_header.tsv", "\xEF\xBB\xBFtext,label\nok\t1\n",
                  {"line 1, column 4", "header"});
    check_refused(dir, "header_only.tsv", "text\tlabel\n",
                  {"line 2, column 1", "no labelled texts"});
    check_refused(dir, "header_only_no_newline.tsv", "text\tlabel", {"line 2, column 1"});
    check_refused(dir, "missing_tab.tsv", "text\tlabel\nok\t1\nno tab here 1\n",
                  {"line 3, column 14", "no TAB"});
    check_refused(dir, "label_x.tsv", "text\tlabel\nok\t1\nbad\tx\n",
                  {"line 3, column 5", "label \"x\"", "not a non-negative integer"});
    check_refused(dir, "label_minus.tsv", "text\tlabel\nbad\t-1\n",
                  {"line 2, column 5", "\"-1\"", "not a non-negative integer"});
    check_refused(dir, "label_plus.tsv", "text\tlabel\nbad\t+1\n", {"line 2, column 5", "\"+1\""});
    check_refused(dir, "label_float.tsv", "text\tlabel\nbad\t1.0\n", {"line 2, column 5"});
    check_refused(dir, "label_space.tsv", "text\tlabel\nbad\t1 \n", {"line 2, column 5", "\"1 \""});
    check_refused(dir, "label_empty.tsv", "text\tlabel\nbad\t\n", {"line 2, column 5", "no label"});
    check_refused(dir, "label_big.tsv", "text\tlabel\nbig\t16777217\n",
                  {"line 2, column 5", "larger than 16777216"});
    check_refused(dir, "label_huge.tsv", "text\tlabel\nbig\t99999999999999999999999999\n",
                  {"line 2, column 5", "larger than"});
    check_refused(dir, "empty_line.tsv", "text\tlabel\nok\t1\n\nok\t0\n",
                  {"line 3, column 1", "empty line"});
    check_refused(dir, "crlf_empty_line.tsv", "text\tlabel\r\nok\t1\r\n\r\n",
                  {"line 3, column 1", "empty line"});
    check_refused(dir, "nul.tsv", std::string_view("text\tlabel\nok\t1\nab\0c\t0\n", 23),
                  {"line 3, column 3", "NUL"});
    check_refused(dir, "nul_header.tsv", std::string_view("\0\0\0\x08", 4),
                  {"line 1, column 1", "NUL"});
}

BOOST_AUTO_TEST_CASE(refuses_binary_garbage) {
    const temp_dir dir;
    std::mt19937 rng(7);
    for (int round = 0; round < 50; ++round) {
        std::string garbage(1 + rng() % 300, '\0');
        for (char& c : garbage)
            c = static_cast<char>(rng());
        if (round % 2) // sometimes behind a correct header, so the data lines are garbage
            garbage = "text\tlabel\n" + garbage;
        const auto file = write_text(dir, "garbage.bin", garbage);
        try {
            const io::labelled_text d = io::read_labelled_text(file);
            // Not refused: then it was well-formed after all; check it is consistent.
            BOOST_TEST(d.texts.size() == d.labels.size());
        } catch (const ctnn::io_error& e) {
            BOOST_TEST(std::string(e.what()).starts_with(file.string() + ": line "), e.what());
        }
    }
    // An IDX header followed by pixels: NUL bytes in the first line.
    check_refused(dir, "idx.bin", std::string_view("\0\0\x08\x03\0\0\0\x02", 8), {"NUL"});
}

BOOST_AUTO_TEST_CASE(refuses_files_over_the_cap) {
    const temp_dir dir;
    const std::string contents = "text\tlabel\nsome text\t1\n"; // 23 bytes
    const auto file = write_text(dir, "big.tsv", contents);
    BOOST_REQUIRE(contents.size() == 23u);
    BOOST_TEST(io::read_labelled_text(file, 23).size() == 1u);
    check_io_error([&] { (void)io::read_labelled_text(file, 22); }, file,
                   {"byte 22", "larger than the limit of 22 bytes"});
    check_io_error([&] { (void)io::read_labelled_text(file, 0); }, file, {"limit of 0 bytes"});
    // Larger than one read chunk (64 KiB), cap in the middle of it.
    std::string big = "text\tlabel\n";
    while (big.size() < 200000)
        big += "a sentence that is long enough\t1\n";
    const auto big_file = write_text(dir, "bigger.tsv", big);
    BOOST_TEST(io::read_labelled_text(big_file).size() == (big.size() - 11) / 33);
    check_io_error([&] { (void)io::read_labelled_text(big_file, 100000); }, big_file,
                   {"byte 100000", "limit"});
}

BOOST_AUTO_TEST_CASE(refuses_missing_files_and_directories) {
    const temp_dir dir;
    check_io_error([&] { (void)io::read_labelled_text(dir / "absent.tsv"); }, dir / "absent.tsv",
                   {"no such file"});
    check_io_error([&] { (void)io::read_labelled_text(dir.path); }, dir.path, {"directory"});
}

BOOST_AUTO_TEST_CASE(sentiment_files_in_the_repo) {
    const auto root = std::filesystem::path(CTNN_TEST_REFERENCE_DIR).parent_path().parent_path() /
                      "examples" / "data" / "sentiment";
    const std::array<const char*, 3> names{"imdb.tsv", "amazon.tsv", "yelp.tsv"};
    for (const char* name : names) {
        const auto file = root / name;
        if (!std::filesystem::exists(file)) {
            BOOST_TEST_MESSAGE(file.string() << " is not in the repo: skipping it");
            continue;
        }
        const io::labelled_text d = io::read_labelled_text(file);
        BOOST_TEST(d.size() == 1000u, name);
        BOOST_REQUIRE(d.labels.size() == d.texts.size());
        std::array<std::size_t, 2> per_label{};
        for (const float label : d.labels) {
            BOOST_REQUIRE((label == 0.0f || label == 1.0f));
            ++per_label[static_cast<std::size_t>(label)];
        }
        BOOST_TEST(per_label[0] == 500u, name);
        BOOST_TEST(per_label[1] == 500u, name);
        std::size_t empty = 0;
        for (const std::string& text : d.texts)
            empty += text.empty();
        BOOST_TEST(empty == 0u, name);

        if (std::string_view(name) == "imdb.tsv") {
            // Every imdb text ends with two spaces; U+0085 occurs inside texts, not as a break.
            std::size_t two_spaces = 0, nel = 0;
            for (const std::string& text : d.texts) {
                two_spaces += text.ends_with("  ");
                nel += text.find("\xC2\x85") != std::string::npos;
            }
            BOOST_TEST(two_spaces == 1000u);
            BOOST_TEST(nel > 0u);
        }

        // The whole pipeline on real text: first 800 for training, the rest as a test split.
        const std::vector<std::string> train(d.texts.begin(), d.texts.begin() + 800);
        const std::vector<std::string> test(d.texts.begin() + 800, d.texts.end());
        const auto vocab = io::vocabulary::fit(train, 1000);
        BOOST_TEST(vocab.size() == 1000u, name);
        BOOST_TEST(vocab.documents() == 800u);
        const std::vector<float> rows =
            io::text_vectors<1000>(test, vocab, io::text_encoding::multi_hot);
        BOOST_TEST(rows.size() == 200u * 1000u);
        std::size_t ones = 0, others = 0;
        for (const float x : rows) {
            ones += x == 1.0f;
            others += x != 0.0f && x != 1.0f;
        }
        BOOST_TEST(others == 0u, name);
        // Each test text has a few known tokens (the most frequent words are everywhere).
        BOOST_TEST(ones > 200u, name);
    }
}

BOOST_AUTO_TEST_SUITE_END()
