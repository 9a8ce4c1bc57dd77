// Tests ctnn/io/tokenizer.hpp: Keras' default standardization (lower-case ASCII, delete the 32
// ASCII punctuation characters) and whitespace split, on punctuation, case, apostrophes, digits,
// runs of whitespace, UTF-8 (never split, never a separator), invalid UTF-8 and empty texts.
#include "ctnn/io/tokenizer.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace io = ctnn::io;
using strings = std::vector<std::string>;

static_assert(io::is_stripped_punctuation('!') && io::is_stripped_punctuation('\''));
static_assert(io::is_stripped_punctuation('~') && io::is_stripped_punctuation('_'));
static_assert(!io::is_stripped_punctuation('a') && !io::is_stripped_punctuation('0'));
static_assert(!io::is_stripped_punctuation(' ') && !io::is_stripped_punctuation('\x85'));
static_assert(io::is_token_separator('\t') && io::is_token_separator('\v'));
static_assert(!io::is_token_separator('\0') && !io::is_token_separator('\x85'));
static_assert(io::to_lower_ascii('Q') == 'q' && io::to_lower_ascii('q') == 'q');
static_assert(io::to_lower_ascii('@') == '@' && io::to_lower_ascii('[') == '[');
static_assert(io::to_lower_ascii('\xC3') == '\xC3');

BOOST_AUTO_TEST_SUITE(tokenizer_test)

BOOST_AUTO_TEST_CASE(punctuation_set_is_keras_strip_set) {
    // The characters Keras' DEFAULT_STRIP_REGEX deletes, written out as a list.
    const std::string_view keras = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    BOOST_TEST(keras.size() == 32u);
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        BOOST_TEST(io::is_stripped_punctuation(c) == (keras.find(c) != std::string_view::npos),
                   "byte " << b);
    }
    const std::string_view space = " \t\n\v\f\r";
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        BOOST_TEST(io::is_token_separator(c) == (space.find(c) != std::string_view::npos),
                   "byte " << b);
    }
}

BOOST_AUTO_TEST_CASE(lower_cases_ascii_letters) {
    BOOST_TEST(io::tokenize("Hello WORLD MiXeD") == (strings{"hello", "world", "mixed"}));
    BOOST_TEST(io::standardize("ABCXYZ abcxyz") == "abcxyz abcxyz");
}

BOOST_AUTO_TEST_CASE(punctuation_is_deleted_not_a_separator) {
    BOOST_TEST(io::tokenize("Wow!!! Great, movie.") == (strings{"wow", "great", "movie"}));
    BOOST_TEST(io::tokenize("slow-moving") == (strings{"slowmoving"}));
    BOOST_TEST(io::tokenize("a - b") == (strings{"a", "b"}));
    BOOST_TEST(io::tokenize("(10/10) <3 #1 @home") == (strings{"1010", "3", "1", "home"}));
    BOOST_TEST(io::tokenize("\"quoted\" [x] {y} ~z_w`") == (strings{"quoted", "x", "y", "zw"}));
    BOOST_TEST(io::tokenize("... !!! ---").empty());
    BOOST_TEST(io::standardize("It's 9:30, OK?") == "its 930 ok");
}

BOOST_AUTO_TEST_CASE(apostrophes_are_deleted_like_keras) {
    BOOST_TEST(io::tokenize("Don't stop, it's the actors' fault") ==
               (strings{"dont", "stop", "its", "the", "actors", "fault"}));
    BOOST_TEST(io::tokenize("'tis 'quoted'") == (strings{"tis", "quoted"}));
}

BOOST_AUTO_TEST_CASE(digits_are_kept) {
    BOOST_TEST(io::tokenize("10 out of 10, 2nd 3.5") ==
               (strings{"10", "out", "of", "10", "2nd", "35"}));
}

BOOST_AUTO_TEST_CASE(runs_of_whitespace_make_no_empty_tokens) {
    BOOST_TEST(io::tokenize("  two   spaces  ") == (strings{"two", "spaces"}));
    BOOST_TEST(io::tokenize("a\tb\nc\rd\ve\ff  \t\r\n") == (strings{"a", "b", "c", "d", "e", "f"}));
    BOOST_TEST(io::tokenize(" \t\n ").empty());
    BOOST_TEST(io::standardize("  A  ") == "  a  "); // standardize keeps the whitespace
}

BOOST_AUTO_TEST_CASE(empty_text) {
    BOOST_TEST(io::tokenize("").empty());
    BOOST_TEST(io::standardize("").empty());
    int calls = 0;
    io::for_each_token("", [&](std::string_view) { ++calls; });
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(utf8_bytes_stay_inside_tokens) {
    // U+00E9 (C3 A9), U+0085 NEL (C2 85), U+00A0 NBSP (C2 A0), U+20AC (E2 82 AC): all kept, not
    // lower-cased and not separators, even the ones Unicode calls whitespace.
    BOOST_TEST(io::tokenize("Caf\xC3\xA9 CR\xC3\xA8ME") ==
               (strings{"caf\xC3\xA9", "cr\xC3\xA8me"}));
    BOOST_TEST(io::tokenize("end.\xC2\x85 next") == (strings{"end\xC2\x85", "next"}));
    BOOST_TEST(io::tokenize("a\xC2\xA0"
                            "b \xE2\x82\xAC"
                            "5") == (strings{"a\xC2\xA0"
                                             "b",
                                             "\xE2\x82\xAC"
                                             "5"}));
    // Upper-case non-ASCII letters are not lower-cased (bytes are not decoded).
    BOOST_TEST(io::tokenize("\xC3\x89T\xC3\x89") == (strings{"\xC3\x89t\xC3\x89"}));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_kept_as_bytes) {
    // A lone continuation byte, a truncated sequence, bytes never valid in UTF-8.
    const std::string text = "ok\x80 \xC3 \xFF\xFE!x \xE2\x82";
    BOOST_TEST(io::tokenize(text) == (strings{"ok\x80", "\xC3", "\xFF\xFEx", "\xE2\x82"}));
    // Every single byte value, alone and between letters: never a crash, the right tokens.
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        const std::string one(1, c);
        const strings tokens = io::tokenize("A" + one + "B");
        if (io::is_token_separator(c))
            BOOST_TEST(tokens == (strings{"a", "b"}));
        else if (io::is_stripped_punctuation(c))
            BOOST_TEST(tokens == (strings{"ab"}));
        else
            BOOST_TEST(tokens == (strings{"a" + std::string(1, io::to_lower_ascii(c)) + "b"}));
    }
}

BOOST_AUTO_TEST_CASE(embedded_nul_is_a_token_byte) {
    const std::string text("a\0b c", 5);
    BOOST_TEST(io::tokenize(text) == (strings{std::string("a\0b", 3), "c"}));
}

BOOST_AUTO_TEST_CASE(for_each_token_matches_tokenize) {
    const std::string_view text = "The end.  Or IS it? It's not!";
    strings seen;
    io::for_each_token(text, [&](std::string_view token) { seen.emplace_back(token); });
    BOOST_TEST(seen == io::tokenize(text));
    BOOST_TEST(seen == (strings{"the", "end", "or", "is", "it", "its", "not"}));
    // tokenize(standardize(t)) == tokenize(t): standardizing twice changes nothing.
    BOOST_TEST(io::tokenize(io::standardize(text)) == seen);
    BOOST_TEST(io::standardize(io::standardize(text)) == io::standardize(text));
}

BOOST_AUTO_TEST_SUITE_END()
