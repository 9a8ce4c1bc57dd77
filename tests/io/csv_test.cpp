// Tests ctnn/io/csv.hpp on files the test writes: valid ones (numeric and categorical columns,
// CRLF, a byte-order mark, quoted fields with delimiters, line ends and escaped quotes, TSV,
// the credit-card format), malformed ones (each must throw ctnn::io_error naming the file, the
// line and column, and the problem), every truncation of a valid file, binary garbage, the
// real data files the repository ships in examples/data/, how each column was typed (typing,
// typing_report, strict inference) and the underflow rule.
#include "ctnn/io/csv.hpp"

#include "io_test_files.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace ctnn::test;
namespace io = ctnn::io;

namespace {

std::filesystem::path write_text(const std::filesystem::path& file, std::string_view text) {
    return write_file(file, bytes_t(text.begin(), text.end()));
}

// Parses `text` as the file "mem.csv" and checks the io_error it must raise.
void check_parse_error(std::string_view text, std::initializer_list<std::string_view> words,
                       const io::csv_options& options = {}) {
    BOOST_TEST_CONTEXT("text: " << text) {
        check_io_error([&] { (void)io::parse_csv(text, "mem.csv", options); }, "mem.csv", words);
    }
}

std::filesystem::path examples_data() {
    return std::filesystem::path(CTNN_TEST_REFERENCE_DIR) / ".." / ".." / "examples" / "data";
}

const std::string credit_excerpt =
    "reports,age,income,share,expenditure,owner,selfemp,dependents,months,majorcards,active,"
    "label\n"
    "0,37.66667,4.52,0.03326991,124.9833,1,0,3,54,1,12,1\n"
    "0,33.25,2.42,0.005216942,9.854167,0,0,3,34,1,13,1\n"
    "0,33.66667,4.5,0.004155556,15,1,0,4,58,1,5,1\n"
    "1,23.5,3,0.0002,0,0,0,0,18,0,1,0\n";

} // namespace

BOOST_AUTO_TEST_SUITE(csv_test)

BOOST_AUTO_TEST_CASE(numeric_and_categorical_columns) {
    const temp_dir dir;
    const auto file = write_text(dir / "shop.csv", "id,colour,price\n"
                                                   "1,red,2.5\n"
                                                   "2,blue,-3e2\n"
                                                   "3,red, +4 \n");
    const io::csv_table t = io::read_csv(file);
    BOOST_TEST(t.file() == file);
    BOOST_TEST(t.names() == (std::vector<std::string>{"id", "colour", "price"}));
    BOOST_TEST(t.rows() == 3u);
    BOOST_TEST(t.columns() == 3u);
    BOOST_TEST(t.contains("colour"));
    BOOST_TEST(!t.contains("Colour"));
    BOOST_TEST(t.index_of("price") == 2u);
    BOOST_TEST((t.kind("id") == io::column_kind::numeric));
    BOOST_TEST((t.kind("colour") == io::column_kind::categorical));
    BOOST_TEST((t.kind("price") == io::column_kind::numeric));
    BOOST_TEST(t.column("id") == (std::vector<float>{1, 2, 3}));
    BOOST_TEST(t.column("price") == (std::vector<float>{2.5f, -300.0f, 4.0f}));
    BOOST_TEST(t.strings("colour") == (std::vector<std::string>{"red", "blue", "red"}));
    BOOST_TEST(t.select({"price", "id"}) == (std::vector<float>{2.5f, 1, -300, 2, 4, 3}));
    BOOST_TEST(t.select(std::vector<std::string>{"id"}) == (std::vector<float>{1, 2, 3}));
    BOOST_TEST(t.names_except({"colour"}) == (std::vector<std::string>{"id", "price"}));
    BOOST_TEST(t.line(0) == 2u);
    BOOST_TEST(t.line(2) == 4u);
    BOOST_TEST(t.missing("price") == 0u);
}

BOOST_AUTO_TEST_CASE(crlf_byte_order_mark_and_no_final_line_end) {
    const io::csv_table t = io::parse_csv("\xEF\xBB\xBF"
                                          "a,b\r\n1,x\r\n3,y",
                                          "mem.csv");
    BOOST_TEST(t.names() == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(t.column("a") == (std::vector<float>{1, 3}));
    BOOST_TEST(t.strings("b") == (std::vector<std::string>{"x", "y"}));
}

BOOST_AUTO_TEST_CASE(blank_lines_are_skipped_and_lines_counted) {
    const io::csv_table t = io::parse_csv("\n\na\n\n1\r\n\r\n2\n\n", "mem.csv");
    BOOST_TEST(t.names() == (std::vector<std::string>{"a"}));
    BOOST_TEST(t.column("a") == (std::vector<float>{1, 2}));
    BOOST_TEST(t.line(0) == 5u);
    BOOST_TEST(t.line(1) == 7u);
}

BOOST_AUTO_TEST_CASE(quoted_fields) {
    const io::csv_table t = io::parse_csv("name,\"quote, with comma\",score\n"
                                          "\"Smith, J.\",\"He said \"\"hi\"\"\",\"1.5\"\n"
                                          "\"two\nlines\",plain,2\n"
                                          "\"\"\"\",\"a\"\"b\"\"\",3\n"
                                          "x\"y,\"\",4\n",
                                          "mem.csv", {.allow_missing = true});
    BOOST_TEST(t.names() == (std::vector<std::string>{"name", "quote, with comma", "score"}));
    BOOST_TEST(t.strings("name") ==
               (std::vector<std::string>{"Smith, J.", "two\nlines", "\"", "x\"y"}));
    BOOST_TEST(t.strings("quote, with comma") ==
               (std::vector<std::string>{"He said \"hi\"", "plain", "a\"b\"", ""}));
    BOOST_TEST(t.missing("quote, with comma") == 1u); // "" is an empty field
    BOOST_TEST(t.column("score") == (std::vector<float>{1.5f, 2, 3, 4}));
    BOOST_TEST(t.line(1) == 3u);
    BOOST_TEST(t.line(2) == 5u); // the quoted line end counts as a line
}

BOOST_AUTO_TEST_CASE(tsv_with_and_without_quoting) {
    const std::string text = "text\tlabel\n"
                             "\"Great\" film, really.  \t1\n"
                             "Dull, \"slow\"\t0\n";
    const io::csv_table t = io::parse_csv(text, "mem.tsv", {.delimiter = '\t', .quoting = false});
    BOOST_TEST(t.strings("text") ==
               (std::vector<std::string>{"\"Great\" film, really.  ", "Dull, \"slow\""}));
    BOOST_TEST(t.column("label") == (std::vector<float>{1, 0}));
    // With quoting on, a field that starts with a quote must end with one.
    check_io_error([&] { (void)io::parse_csv(text, "mem.tsv", {.delimiter = '\t'}); }, "mem.tsv",
                   {"line 2, column 1", "after the closing quote", "' '"});
}

BOOST_AUTO_TEST_CASE(header_only_is_a_table_of_zero_rows) {
    const io::csv_table t = io::parse_csv("a,b\n", "mem.csv");
    BOOST_TEST(t.rows() == 0u);
    BOOST_TEST(t.columns() == 2u);
    BOOST_TEST((t.kind("a") == io::column_kind::numeric));
    BOOST_TEST(t.column("b").empty());
    BOOST_TEST(t.select({"a", "b"}).empty());
}

BOOST_AUTO_TEST_CASE(credit_card_format) {
    const temp_dir dir;
    const auto file = write_text(dir / "creditcard.csv", credit_excerpt);
    const io::csv_table t = io::read_csv(file);
    BOOST_TEST(t.rows() == 4u);
    BOOST_TEST(t.columns() == 12u);
    for (const std::string& name : t.names())
        BOOST_TEST((t.kind(name) == io::column_kind::numeric), name);
    BOOST_TEST(t.column("age") == (std::vector<float>{37.66667f, 33.25f, 33.66667f, 23.5f}));
    BOOST_TEST(t.column("share")[1] == 0.005216942f);
    BOOST_TEST(t.column("label") == (std::vector<float>{1, 1, 1, 0}));

    // The honest features: everything but the label and the two leaking columns.
    const std::vector<std::string> features = t.names_except({"label", "expenditure", "share"});
    BOOST_TEST(features ==
               (std::vector<std::string>{"reports", "age", "income", "owner", "selfemp",
                                         "dependents", "months", "majorcards", "active"}));
    const std::vector<float> x = t.select(features);
    BOOST_REQUIRE(x.size() == 4u * 9u);
    BOOST_TEST(x[0 * 9 + 1] == 37.66667f); // row 0, age
    BOOST_TEST(x[3 * 9 + 0] == 1.0f);      // row 3, reports
    BOOST_TEST(x[2 * 9 + 8] == 5.0f);      // row 2, active
}

BOOST_AUTO_TEST_CASE(real_data_shipped_in_examples) {
    const std::filesystem::path data = examples_data();
    const io::csv_table credit = io::read_csv(data / "creditcard.csv");
    BOOST_TEST(credit.rows() == 1319u);
    BOOST_TEST(credit.columns() == 12u);
    const std::vector<float>& label = credit.column("label");
    BOOST_TEST(std::accumulate(label.begin(), label.end(), 0.0) == 1023.0);
    for (const std::string& name : credit.names())
        BOOST_TEST((credit.kind(name) == io::column_kind::numeric), name);

    for (const char* name : {"imdb.tsv", "amazon.tsv", "yelp.tsv"}) {
        BOOST_TEST_CONTEXT(name) {
            const auto file = data / "sentiment" / name;
            const io::csv_table s = io::read_csv(file, {.delimiter = '\t', .quoting = false});
            BOOST_TEST(s.rows() == 1000u);
            BOOST_TEST(s.names() == (std::vector<std::string>{"text", "label"}));
            const std::vector<float>& y = s.column("label");
            BOOST_TEST(std::accumulate(y.begin(), y.end(), 0.0) == 500.0);
            BOOST_TEST(!s.strings("text")[0].empty());
        }
    }
    // imdb texts keep their two trailing spaces; some start with a literal quote, which the
    // default (quoting on) reading rightly refuses.
    const auto imdb = data / "sentiment" / "imdb.tsv";
    const io::csv_table s = io::read_csv(imdb, {.delimiter = '\t', .quoting = false});
    BOOST_TEST(s.strings("text")[0].ends_with(".  "));
    BOOST_CHECK_THROW((void)io::read_csv(imdb, {.delimiter = '\t'}), ctnn::io_error);
}

BOOST_AUTO_TEST_CASE(missing_files_and_limits) {
    const temp_dir dir;
    check_io_error([&] { (void)io::read_csv(dir / "nothing.csv"); }, dir / "nothing.csv",
                   {"no such file"});
    check_io_error([&] { (void)io::read_csv(dir.path); }, dir.path, {"directory"});

    const auto file = write_text(dir / "big.csv", "a,b\n1,2\n3,4\n5,6\n"); // 16 bytes
    BOOST_TEST(io::read_csv(file, {.max_bytes = 16}).rows() == 3u);
    check_io_error([&] { (void)io::read_csv(file, {.max_bytes = 15}); }, file,
                   {"larger than the limit of 15 bytes", "max_bytes"});
    check_parse_error("a,b\n1,2\n3,4\n5,6\n", {"16 bytes", "limit of 10 bytes"}, {.max_bytes = 10});

    const std::string long_line = "a\n1\n" + std::string(100, 'x') + "\n2\n";
    BOOST_TEST(io::parse_csv(long_line, "mem.csv", {.max_line_bytes = 100}).rows() == 3u);
    check_parse_error(long_line, {"line 3", "100 bytes long", "limit of 99 bytes"},
                      {.max_line_bytes = 99});
    check_parse_error("a\n" + std::string(50, '"'), {"line 2", "limit of 20 bytes"},
                      {.max_line_bytes = 20});
}

BOOST_AUTO_TEST_CASE(empty_files_and_bad_headers) {
    const temp_dir dir;
    const auto empty = write_text(dir / "empty.csv", "");
    check_io_error([&] { (void)io::read_csv(empty); }, empty, {"empty", "header"});
    check_parse_error("\xEF\xBB\xBF\n\r\n", {"empty"});
    check_parse_error("a,,b\n1,2,3\n", {"line 1, column 2", "empty name"});
    check_parse_error("a, ,b\n1,2,3\n", {"line 1, column 2", "empty name"});
    check_parse_error("a,b,a\n1,2,3\n", {"line 1, column 3", "\"a\"", "column 1", "unique"});
}

BOOST_AUTO_TEST_CASE(rows_with_the_wrong_number_of_fields) {
    // A truncated last line: no final line end is fine, a short row is not.
    check_parse_error("a,b,c\n1,2,3\n4,5", {"line 3", "2 fields, the header has 3"});
    check_parse_error("a,b,c\n1,2,3\n4", {"line 3", "1 field, the header has 3"});
    check_parse_error("a,b,c\n1,2,3\n4,5,6,7\n", {"line 3", "4 fields, the header has 3"});
    check_parse_error("a,b,c\n1,2,3,\n", {"line 2", "4 fields"}); // a trailing delimiter
    check_parse_error("a,b\n\"x\ny\",2,3\n", {"line 2", "3 fields"});
}

BOOST_AUTO_TEST_CASE(quoting_errors) {
    check_parse_error("a,b\n1,\"abc\n2,3\n", {"line 2, column 2", "unterminated", "byte 3"});
    check_parse_error("a\n\"x\"y\n", {"line 2, column 1", "after the closing quote", "'y'"});
    check_parse_error("a,b\n\"x\" ,1\n", {"line 2, column 1", "after the closing quote"});
}

BOOST_AUTO_TEST_CASE(missing_values) {
    check_parse_error("a,b\n1,2\n3,\n",
                      {"line 3, column 2", "missing value", "\"b\"", "allow_missing"});
    check_parse_error("a,b\n1,2\n  ,4\n", {"line 3, column 1", "missing value", "\"a\""});
    check_parse_error("a,b\n1,NA\n", {"line 2, column 2", "missing value \"NA\""},
                      {.missing_tokens = {"NA"}});

    const io::csv_table t = io::parse_csv("a,b,c\n1,x,NA\nNA,,2\n3,y,\n", "mem.csv",
                                          {.allow_missing = true, .missing_tokens = {"NA"}});
    BOOST_TEST(t.missing("a") == 1u);
    BOOST_TEST(t.missing("b") == 1u);
    BOOST_TEST(t.missing("c") == 2u);
    BOOST_TEST(t.column("a")[0] == 1.0f);
    BOOST_TEST(std::isnan(t.column("a")[1]));
    BOOST_TEST(t.strings("b") == (std::vector<std::string>{"x", "", "y"}));
    BOOST_TEST(std::isnan(t.column("c")[0]));
    BOOST_TEST(t.column("c")[1] == 2.0f);
    BOOST_TEST(std::isnan(t.column("c")[2]));
    // Without the token, "NA" is text: the column is categorical.
    BOOST_TEST((io::parse_csv("a\nNA\n1\n", "mem.csv").kind("a") == io::column_kind::categorical));
}

BOOST_AUTO_TEST_CASE(non_numbers_in_numeric_looking_columns) {
    // Text makes a column categorical; asking for it as numbers points at the culprit.
    const io::csv_table t = io::parse_csv("x,y\n1,1\n2,2\n3,abc\n4,4\n", "mem.csv");
    BOOST_TEST((t.kind("y") == io::column_kind::categorical));
    check_io_error([&] { (void)t.column("y"); }, "mem.csv",
                   {"line 4, column 2", "\"abc\"", "not a number", "categorical"});
    check_io_error([&] { (void)t.select({"x", "y"}); }, "mem.csv", {"line 4, column 2"});
    for (const char* bad : {"12x", "1.2.3", "0x10", "\"1,5\"", "--1", "+-1", "1e", "e5", "1 2"})
        BOOST_TEST((io::parse_csv(std::string("a\n1\n") + bad, "mem.csv").kind("a") ==
                    io::column_kind::categorical),
                   bad);

    // Forced numeric: the same text is an error where it stands.
    check_parse_error("x,y\n1,1\n2,2\n3,abc\n", {"line 4, column 2", "\"abc\"", "not a number"},
                      {.numeric_columns = {"y"}});
    // Forced categorical keeps numbers as text.
    const io::csv_table c =
        io::parse_csv("zip,n\n01234,1\n", "mem.csv", {.categorical_columns = {"zip"}});
    BOOST_TEST(c.strings("zip") == (std::vector<std::string>{"01234"}));
    check_io_error([&] { (void)c.column("zip"); }, "mem.csv", {"categorical_columns"});

    // Numbers that are not finite floats in a numeric column are errors, not categories.
    check_parse_error("a,b\n1,2\n3,1e400\n", {"line 3, column 2", "\"1e400\"", "range"});
    check_parse_error("a,b\n1,2\n3,1e39\n", {"line 3, column 2", "range of a float"});
    check_parse_error("a,b\n1,nan\n", {"line 2, column 2", "\"nan\"", "not a finite number"});
    check_parse_error("a,b\n1,2\n-inf,3\n", {"line 3, column 1", "not a finite number"});
    check_parse_error("a,b\n1,inf\n1e400,2\n", {"line 2, column 2"}); // the first in the file
    // ... unless the column is text anyway.
    BOOST_TEST(
        (io::parse_csv("a\nnan\nfoo\n", "mem.csv").kind("a") == io::column_kind::categorical));
    // Extreme but valid floats; 1e-50 underflows to zero, counted (see underflow_rule).
    const io::csv_table e = io::parse_csv("a\n3.4e38\n-1e-30\n1e-50\n", "mem.csv");
    BOOST_TEST(e.column("a")[0] == 3.4e38f);
    BOOST_TEST(e.column("a")[1] == -1e-30f);
    BOOST_TEST(e.column("a")[2] == 0.0f);
    BOOST_TEST(e.underflows("a") == 1u);
}

BOOST_AUTO_TEST_CASE(underflow_rule) {
    // One rule for every magnitude: non-zero values below the smallest normal float flush to a
    // zero of their sign and are counted; what a double cannot hold (1e-400) is no exception.
    const float min_normal = std::numeric_limits<float>::min(); // 1.17549435e-38
    struct case_t {
        const char* text;
        float value;
        bool underflow;
    };
    for (const case_t& c : {
             case_t{"1e-50", 0.0f, true}, case_t{"1e-400", 0.0f, true},
             case_t{"-1e-400", -0.0f, true},
             case_t{"1e-38", 0.0f, true},                 // below 1.17549435e-38: a subnormal float
             case_t{"1e-45", 0.0f, true},                 // the smallest subnormal float
             case_t{"-3e-39", -0.0f, true},               // subnormal, negative
             case_t{"1.17549435e-38", min_normal, false}, // rounds to the smallest normal
             case_t{"1.1754942e-38", 0.0f,
                    true}, // rounds to the largest subnormal case_t{"-1.2e-38", -1.2e-38f, false},
             case_t{"0.0000001e-400", 0.0f, true}, // the digits, not only the exponent, count
             case_t{"123456789e-410", 0.0f, true},
             case_t{"1e-99999999999999999999", 0.0f, true}, // an exponent beyond any integer
             case_t{"0", 0.0f, false},
             case_t{"-0e-500", -0.0f, false}, // zero is zero, not an underflow
         }) {
        BOOST_TEST_CONTEXT(c.text) {
            const io::csv_table t = io::parse_csv(std::string("a\n") + c.text + "\n", "mem.csv");
            BOOST_REQUIRE((t.kind("a") == io::column_kind::numeric));
            const float v = t.column("a")[0];
            BOOST_TEST(v == c.value);
            BOOST_TEST(std::signbit(v) == std::signbit(c.value));
            BOOST_TEST(t.underflows("a") == (c.underflow ? 1u : 0u));
        }
    }
    // Counted per column; missing values are not underflows; a categorical column counts none.
    const io::csv_table t = io::parse_csv("a,b,c\n1e-50,1,x\n,1e-400,1e-50\n-1e-40,2,y\n",
                                          "mem.csv", {.allow_missing = true});
    BOOST_TEST(t.underflows("a") == 2u);
    BOOST_TEST(t.underflows("b") == 1u);
    BOOST_TEST(t.underflows("c") == 0u);
    BOOST_TEST(t.missing("a") == 1u);
    BOOST_TEST(t.typing_report().find("column \"a\" (1): numeric, inferred: every value is a "
                                      "number; 1 missing; 2 below the smallest normal float, "
                                      "read as 0") != std::string::npos);
    check_io_error([&] { (void)t.underflows("d"); }, "mem.csv", {"no column named \"d\""});
    // Overflow stays an error, however large, and it names what, where and why.
    check_parse_error("a\n1\n-1e400\n", {"line 3, column 1", "\"-1e400\"", "numeric column \"a\"",
                                         "out of the range of a float", "3.40282347e38"});
    check_parse_error("a\n1e-400\n1e99999999999999999999\n", {"line 3, column 1", "range"});
    check_parse_error("a\n3.5e38\n", {"line 2, column 1", "range of a float"});
}

BOOST_AUTO_TEST_CASE(typing_is_reported) {
    const io::csv_table t =
        io::parse_csv("id,age,zip,score\n"
                      "1,31,01234,0.5\n"
                      "2,n/a,05678,1\n"
                      "3,40,09999,oops\n",
                      "mem.csv", {.numeric_columns = {"id"}, .categorical_columns = {"zip"}});
    const io::csv_typing& id = t.typing("id");
    BOOST_TEST((id.kind == io::column_kind::numeric));
    BOOST_TEST((id.typed_by == io::csv_typed_by::numeric_columns));
    BOOST_TEST(id.line == 0u);
    BOOST_TEST(id.cell.empty());
    const io::csv_typing& age = t.typing("age");
    BOOST_TEST((age.kind == io::column_kind::categorical));
    BOOST_TEST((age.typed_by == io::csv_typed_by::inference));
    BOOST_TEST(age.line == 3u);
    BOOST_TEST(age.column == 2u);
    BOOST_TEST(age.cell == "n/a");
    BOOST_TEST((t.typing("zip").typed_by == io::csv_typed_by::categorical_columns));
    BOOST_TEST((t.typing("zip").kind == io::column_kind::categorical));
    BOOST_TEST(t.typing("score").line == 4u);
    BOOST_TEST(t.typing("score").cell == "oops");
    BOOST_TEST(t.inferred_categorical() == (std::vector<std::string>{"age", "score"}));
    BOOST_TEST(t.typing_report() ==
               "column \"id\" (1): numeric, listed in csv_options::numeric_columns\n"
               "column \"age\" (2): categorical because of line 3, column 2: \"n/a\" is not a "
               "number\n"
               "column \"zip\" (3): categorical, listed in csv_options::categorical_columns\n"
               "column \"score\" (4): categorical because of line 4, column 4: \"oops\" is not "
               "a number\n");
    // Asking for it as numbers points at the same cell and at the strict option.
    check_io_error(
        [&] {
            (void)t.select({"id", "age"});
        },
        "mem.csv", {"line 3, column 2", "\"n/a\"", "not a number", "infer_categorical"});
    check_io_error([&] { (void)t.typing("nope"); }, "mem.csv", {"no column named \"nope\""});

    // A numeric table reports why each column is numeric; a long cell is shortened.
    const io::csv_table n = io::parse_csv("a\n1\n", "mem.csv");
    BOOST_TEST(n.typing_report() ==
               "column \"a\" (1): numeric, inferred: every value is a number\n");
    BOOST_TEST(n.inferred_categorical().empty());
    const io::csv_table l = io::parse_csv("a\n1\n" + std::string(100, 'x') + "\n", "mem.csv");
    BOOST_TEST(l.typing_report().find("(100 bytes)") != std::string::npos);
    BOOST_TEST(l.typing("a").cell.size() == 100u); // the cell itself is whole
}

BOOST_AUTO_TEST_CASE(strict_inference_refuses_non_numbers_at_read_time) {
    const io::csv_options strict{.infer_categorical = false};
    // The first non-number of an unlisted column is an error: what, where and why.
    check_parse_error("id,age\n1,31\n2,n/a\n",
                      {"line 3, column 2", "\"n/a\"", "column \"age\"", "not a number",
                       "infer_categorical is false", "categorical_columns"},
                      strict);
    // Listed categorical columns keep their text; numbers in them are text too.
    io::csv_options listed = strict;
    listed.categorical_columns = {"name"};
    const io::csv_table t = io::parse_csv("name,x\nann,1\n2,3\n", "mem.csv", listed);
    BOOST_TEST(t.strings("name") == (std::vector<std::string>{"ann", "2"}));
    BOOST_TEST(t.column("x") == (std::vector<float>{1, 3}));
    BOOST_TEST(t.inferred_categorical().empty());
    // Missing values are still missing values, not non-numbers.
    io::csv_options missing = strict;
    missing.allow_missing = true;
    missing.missing_tokens = {"NA"};
    const io::csv_table m = io::parse_csv("x\nNA\n1\n\n", "mem.csv", missing);
    BOOST_TEST(m.missing("x") == 1u);
    // Errors come in file order: an earlier "nan" before a later non-number.
    check_parse_error("a,b\nnan,1\n1,x\n", {"line 2, column 1", "not a finite number"}, strict);
    check_parse_error("a,b\n1,x\nnan,1\n", {"line 2, column 2", "\"x\"", "not a number"}, strict);
    // The forced numeric list still words its own error.
    check_parse_error("a\nx\n", {"line 2, column 1", "listed in csv_options::numeric_columns"},
                      {.numeric_columns = {"a"}, .infer_categorical = false});
    // The same data with inference on: categorical, and the report says why.
    BOOST_TEST(io::parse_csv("id,age\n1,31\n2,n/a\n", "mem.csv").inferred_categorical() ==
               (std::vector<std::string>{"age"}));
}

BOOST_AUTO_TEST_CASE(binary_garbage) {
    using namespace std::string_literals;
    check_parse_error("a,b\n1,\0\x01\n"s, {"line 2, column 2", "NUL byte", "binary"});
    check_parse_error("a,b\n1,2\x01\n"s, {"line 2, column 2", "control byte 0x01", "byte 4"});
    check_parse_error("a\n\xFF\xFE\n", {"line 2, column 1", "UTF-8", "0xFF"});
    check_parse_error("a\n\xC3\n", {"line 2", "UTF-8"});         // a truncated sequence
    check_parse_error("a\n\xC0\xAF\n", {"line 2", "UTF-8"});     // overlong
    check_parse_error("a\n\xED\xA0\x80\n", {"line 2", "UTF-8"}); // a surrogate
    check_parse_error("a\n1\r2\n", {"line 2", "carriage return"});
    check_parse_error("a\n\"x\0\"\n"s, {"line 2", "NUL byte"}); // inside quotes too
    // UTF-8 text is fine, U+0085 included (not a line break here).
    const io::csv_table u = io::parse_csv("w\nna\xC3\xAFve\nx\xC2\x85y\n\xF0\x9F\x98\x80\n", "m");
    BOOST_TEST(u.strings("w")[0] == "na\xC3\xAFve");
    BOOST_TEST(u.rows() == 3u);

    // An IDX file, a gzip file, random bytes: refused with an io_error, never a crash.
    const temp_dir dir;
    const auto idx = write_file(dir / "images.idx", concat(idx_header(0x08, {2, 2}), {1, 2, 3, 4}));
    check_io_error([&] { (void)io::read_csv(idx); }, idx, {"line 1, column 1", "NUL byte"});
    const auto gz = write_gzip(dir / "a.csv.gz", bytes_t{'a', '\n', '1', '\n'});
    check_io_error([&] { (void)io::read_csv(gz); }, gz, {"line 1", "binary"});
    std::mt19937 rng(2024);
    for (int trial = 0; trial < 200; ++trial) {
        std::string garbage(1 + rng() % 300, '\0');
        for (char& ch : garbage)
            ch = static_cast<char>(rng() & 0xFF);
        try {
            (void)io::parse_csv(garbage, "garbage.csv");
            // Pure luck could make a valid file; it must then at least be a table.
        } catch (const ctnn::io_error& e) {
            BOOST_TEST(std::string(e.what()).starts_with("garbage.csv: "));
        }
    }
}

BOOST_AUTO_TEST_CASE(every_truncation_parses_or_is_refused) {
    const std::string text = "name,score,grade\r\n\"Smith, J.\",1.5,\"a\"\"b\"\r\n"
                             "\"two\nlines\",2,c\r\nx,3,d\r\n";
    for (std::size_t n = 0; n <= text.size(); ++n) {
        BOOST_TEST_CONTEXT("first " << n << " bytes") {
            try {
                const io::csv_table t = io::parse_csv(text.substr(0, n), "cut.csv");
                BOOST_TEST(t.columns() >= 1u);
            } catch (const ctnn::io_error& e) {
                BOOST_TEST(std::string(e.what()).starts_with("cut.csv: "));
            }
        }
    }
    // Where the cut is decides the message.
    check_parse_error(text.substr(0, 38), {"line 2, column 3", "unterminated", "byte 17"});
    check_parse_error(text.substr(0, 30), {"line 2", "2 fields, the header has 3"});
    check_parse_error(text.substr(0, 60), {"line 5", "1 field, the header has 3"});
}

BOOST_AUTO_TEST_CASE(unknown_column_names) {
    const io::csv_table t = io::parse_csv("a,b,word\n1,2,x\n", "mem.csv");
    const std::initializer_list<std::string_view> lists_columns = {"no column named \"nope\"",
                                                                   "the columns are: a, b, word"};
    check_io_error([&] { (void)t.column("nope"); }, "mem.csv", lists_columns);
    check_io_error([&] { (void)t.strings("nope"); }, "mem.csv", lists_columns);
    check_io_error([&] { (void)t.select({"a", "nope"}); }, "mem.csv", lists_columns);
    check_io_error([&] { (void)t.names_except({"nope"}); }, "mem.csv", lists_columns);
    check_io_error([&] { (void)t.kind("nope"); }, "mem.csv", lists_columns);
    check_io_error([&] { (void)t.strings("a"); }, "mem.csv", {"\"a\" is numeric", "column()"});
    check_parse_error("a,b\n1,2\n", {"numeric_columns", "\"c\"", "the columns are: a, b"},
                      {.numeric_columns = {"c"}});
    check_parse_error("a,b\n1,2\n", {"categorical_columns", "\"c\""},
                      {.categorical_columns = {"c"}});
    BOOST_CHECK_THROW((void)t.line(1), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(misused_options) {
    BOOST_CHECK_THROW((void)io::parse_csv("a\n", "m", {.delimiter = '\n'}), std::invalid_argument);
    BOOST_CHECK_THROW((void)io::parse_csv("a\n", "m", {.delimiter = '"'}), std::invalid_argument);
    BOOST_CHECK_NO_THROW(
        (void)io::parse_csv("a\"b\n1\"2\n", "m", {.delimiter = '"', .quoting = false}));
    BOOST_CHECK_THROW((void)io::parse_csv("a\n", "m", {.max_line_bytes = 0}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(
        (void)io::parse_csv("a\n", "m", {.numeric_columns = {"a"}, .categorical_columns = {"a"}}),
        std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
