// ctnn/io/csv.hpp - read CSV and TSV files into named numeric and categorical columns.
//
//   const ctnn::io::csv_table t = ctnn::io::read_csv("data/creditcard.csv");
//   const std::vector<float>& age = t.column("age");       // a numeric column
//   std::vector<float> x = t.select({"reports", "age", "income"}); // row-major, rows() x 3
//   std::vector<float> y = t.select({"label"});
//   ctnn::dataset<ctnn::shape<3>, ctnn::shape<1>> data(std::move(x), std::move(y));
//
//   // TSV whose texts hold literal double quotes (the sentiment files in examples/data/):
//   auto s = ctnn::io::read_csv("data/sentiment/imdb.tsv", {.delimiter = '\t', .quoting = false});
//   const std::vector<std::string>& texts = s.strings("text");
//
// The format (RFC 4180 plus what real files do):
// - The first non-blank line is the header: the column names, none empty, no two alike.
//   A file with a header and no rows is a table of 0 rows (every column numeric and empty).
// - Fields are split on `delimiter` (',' by default, '\t' for TSV); lines end in "\n" or "\r\n";
//   the last line may lack its line end; blank lines are skipped; a UTF-8 byte-order mark at
//   the start is skipped. Every row must have exactly as many fields as the header.
// - With `quoting` (the default) a field that starts with '"' is quoted: it ends at the next
//   lone '"', may hold delimiters and line ends, and writes a '"' as "". A '"' elsewhere in an
//   unquoted field is an ordinary character. Turn quoting off for files whose fields start with
//   literal quotes.
// - Typing. A column listed in `categorical_columns` is text; one listed in `numeric_columns`
//   must hold only numbers (anything else is an error at its line and column). Any other column
//   is inferred: numeric when every value that is not missing is a number that std::from_chars
//   reads completely (surrounding spaces and a leading '+' allowed), otherwise categorical and
//   kept as text. Inference is never silent: `typing(name)` tells how each column was typed and,
//   for an inferred categorical column, the line, column and text of its first non-number;
//   `typing_report()` lists them all ("column \"age\" (2): categorical because of line 17,
//   column 2: \"n/a\" is not a number"). With `infer_categorical = false` the reader refuses, at
//   read time, the first non-number in a column not listed in `categorical_columns`: the schema is
//   then "numeric unless listed as categorical".
// - Numbers. A numeric-looking column with "nan", "inf" or a value beyond float's range
//   ("1e39", "1e400") is an error naming the line and column, not a silent categorical column:
//   such values are nearly always corrupt data. Non-zero values that round to a float below the
//   smallest normal float (1.17549435e-38) in magnitude - subnormals such as 1e-38 or 1e-45,
//   values a float cannot hold at all such as 1e-50, and values a double cannot hold such as
//   1e-400 - are flushed to zero (keeping their sign) and counted per column:
//   `underflows(name)`. One rule for every magnitude, and no subnormal ever reaches the
//   training arithmetic, where it is slow.
// - Missing values (a field that is empty or all spaces, or equal to one of `missing_tokens`
//   such as "NA") are errors naming the line and column unless `allow_missing` is set; then
//   they read as NaN in numeric columns (impute them before building a ctnn::dataset, which
//   refuses NaN) and as "" in categorical ones, and `missing(name)` counts them.
// - The text must be UTF-8 (or ASCII) without NUL or other control bytes (tab excepted), so
//   that a binary file is refused at its first bad byte instead of being read as garbage.
// - Limits: files larger than `max_bytes` (256 MiB) and physical lines longer than
//   `max_line_bytes` (1 MiB) are refused before they can exhaust memory.
//
// Every error in the file is a ctnn::io_error "<file>: line L, column C: <problem>", where C is
// the 1-based field (CSV column) number; the problem names the column and quotes the value.
// Asking a table for a column that does not exist, or for a categorical column as numbers, is
// an io_error too, listing the columns or pointing at the first value that is not a number.
// Misused options (a delimiter of '\n', ...) throw std::invalid_argument.
//
// Standard library only (no zlib): part of the core target ctnn::ctnn.
#pragma once

#include "ctnn/io/error.hpp"
#include "ctnn/io/file_bytes.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace ctnn::io {

inline constexpr std::uint64_t csv_default_max_bytes = std::uint64_t{256} << 20; // 256 MiB
inline constexpr std::size_t csv_default_max_line_bytes = std::size_t{1} << 20;  // 1 MiB

struct csv_options {
    char delimiter = ',';
    bool quoting = true;                           // RFC 4180 double-quoted fields
    bool allow_missing = false;                    // missing values -> NaN / "" instead of errors
    std::vector<std::string> missing_tokens = {};  // besides empty fields, e.g. {"NA", "?"}
    std::vector<std::string> numeric_columns = {}; // must be numeric
    std::vector<std::string> categorical_columns = {}; // kept as text even if they look numeric
    // A column in neither list becomes categorical at its first non-number (true), or that
    // non-number is an error at read time (false: every unlisted column must be numeric).
    bool infer_categorical = true;
    std::uint64_t max_bytes = csv_default_max_bytes;
    std::size_t max_line_bytes = csv_default_max_line_bytes;
};

enum class column_kind { numeric, categorical };

// How a column got its kind.
enum class csv_typed_by {
    inference,           // no option named it: numeric unless a value is not a number
    numeric_columns,     // listed in csv_options::numeric_columns
    categorical_columns, // listed in csv_options::categorical_columns
};

// A column's kind and why (csv_table::typing). For a column made categorical by inference,
// `line`, `column` and `cell` locate its first value that is not a number; otherwise line and
// column are 0 and cell is empty.
struct csv_typing {
    column_kind kind = column_kind::numeric;
    csv_typed_by typed_by = csv_typed_by::inference;
    std::size_t line = 0;
    std::size_t column = 0; // 1-based field number, as in error messages
    std::string cell;
};

class csv_table;

namespace detail {

struct csv_column {
    std::string name;
    std::vector<float> numbers;       // numeric columns
    std::vector<std::string> strings; // categorical columns
    std::size_t missing = 0;
    std::size_t underflows = 0; // non-zero values flushed to zero
    csv_typing typing;
};

csv_table make_csv_table(std::filesystem::path file, std::vector<csv_column> columns,
                         std::vector<std::size_t> row_lines);

// A value for a message: quoted, and shortened when long (a field may be a megabyte).
inline std::string csv_quoted(std::string_view s) {
    constexpr std::size_t shown = 40;
    if (s.size() <= shown)
        return "\"" + std::string(s) + "\"";
    std::size_t cut = shown;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut; // do not split a UTF-8 sequence
    return "\"" + std::string(s.substr(0, cut)) + "...\" (" + std::to_string(s.size()) + " bytes)";
}

inline std::string csv_name_list(const std::vector<csv_column>& columns) {
    std::string text;
    for (std::size_t i = 0; i < columns.size(); ++i)
        text += (i ? ", " : "") + columns[i].name;
    return text;
}

// One line of csv_table::typing_report() for the column numbered `number` (1-based).
inline std::string csv_typing_line(const csv_column& c, std::size_t number) {
    const csv_typing& t = c.typing;
    std::string line = "column " + csv_quoted(c.name) + " (" + std::to_string(number) + "): ";
    line += t.kind == column_kind::numeric ? "numeric" : "categorical";
    switch (t.typed_by) {
    case csv_typed_by::numeric_columns:
        line += ", listed in csv_options::numeric_columns";
        break;
    case csv_typed_by::categorical_columns:
        line += ", listed in csv_options::categorical_columns";
        break;
    case csv_typed_by::inference:
        if (t.kind == column_kind::categorical)
            line += " because of line " + std::to_string(t.line) + ", column " +
                    std::to_string(t.column) + ": " + csv_quoted(t.cell) + " is not a number";
        else
            line += ", inferred: every value is a number";
        break;
    }
    if (c.missing != 0)
        line += "; " + std::to_string(c.missing) + " missing";
    if (c.underflows != 0)
        line += "; " + std::to_string(c.underflows) + " below the smallest normal float, read as 0";
    return line;
}

} // namespace detail

// A CSV file read into columns: numeric ones as floats, categorical ones as strings.
class csv_table {
public:
    csv_table() = default;

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
    [[nodiscard]] std::size_t rows() const noexcept { return row_lines_.size(); }
    [[nodiscard]] std::size_t columns() const noexcept { return columns_.size(); }
    // The column names in file order.
    [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
    [[nodiscard]] bool contains(std::string_view name) const noexcept {
        return std::find(names_.begin(), names_.end(), name) != names_.end();
    }
    // Index of a column in names(); an io_error listing the columns if there is none.
    [[nodiscard]] std::size_t index_of(std::string_view name) const {
        const auto it = std::find(names_.begin(), names_.end(), name);
        if (it == names_.end())
            throw io_error(file_, "",
                           "no column named " + detail::csv_quoted(name) +
                               "; the columns are: " + detail::csv_name_list(columns_));
        return static_cast<std::size_t>(it - names_.begin());
    }
    [[nodiscard]] column_kind kind(std::string_view name) const {
        return columns_[index_of(name)].typing.kind;
    }
    // How a column was typed, and for an inferred categorical column the cell that decided it.
    [[nodiscard]] const csv_typing& typing(std::string_view name) const {
        return columns_[index_of(name)].typing;
    }
    // One line per column, in file order, saying its kind and why, e.g.
    //   column "age" (2): categorical because of line 17, column 2: "n/a" is not a number
    // Worth printing after reading a file for the first time.
    [[nodiscard]] std::string typing_report() const {
        std::string report;
        for (std::size_t j = 0; j < columns_.size(); ++j)
            report += detail::csv_typing_line(columns_[j], j + 1) + "\n";
        return report;
    }
    // The columns that inference made categorical (none listed in categorical_columns), in
    // file order: the ones to check when a column was expected to be numeric.
    [[nodiscard]] std::vector<std::string> inferred_categorical() const {
        std::vector<std::string> found;
        for (const detail::csv_column& c : columns_)
            if (c.typing.kind == column_kind::categorical &&
                c.typing.typed_by == csv_typed_by::inference)
                found.push_back(c.name);
        return found;
    }
    // Number of missing values in a column (non-zero only with csv_options::allow_missing).
    [[nodiscard]] std::size_t missing(std::string_view name) const {
        return columns_[index_of(name)].missing;
    }
    // Number of non-zero values of a numeric column below the smallest normal float in
    // magnitude, read as zero.
    [[nodiscard]] std::size_t underflows(std::string_view name) const {
        return columns_[index_of(name)].underflows;
    }
    // The line of the file on which a row starts (row 0 is the first line after the header).
    [[nodiscard]] std::size_t line(std::size_t row) const { return row_lines_.at(row); }

    // A numeric column's values, one per row (NaN where missing).
    [[nodiscard]] const std::vector<float>& column(std::string_view name) const {
        const detail::csv_column& c = columns_[index_of(name)];
        if (c.typing.kind == column_kind::categorical) {
            if (c.typing.typed_by == csv_typed_by::categorical_columns)
                throw io_error(file_, "",
                               "column " + detail::csv_quoted(name) +
                                   " is categorical (csv_options::categorical_columns), not "
                                   "numeric: read it with strings()");
            throw io_error(file_, line_column_position(c.typing.line, c.typing.column),
                           "column " + detail::csv_quoted(name) + " is categorical, not numeric: " +
                               detail::csv_quoted(c.typing.cell) +
                               " is not a number (read the column with strings(), or set "
                               "csv_options::infer_categorical = false to refuse it when reading)");
        }
        return c.numbers;
    }
    // A categorical column's values, one per row ("" where missing).
    [[nodiscard]] const std::vector<std::string>& strings(std::string_view name) const {
        const detail::csv_column& c = columns_[index_of(name)];
        if (c.typing.kind == column_kind::numeric)
            throw io_error(file_, "",
                           "column " + detail::csv_quoted(name) +
                               " is numeric: read it with column(), or list it in "
                               "csv_options::categorical_columns to keep its text");
        return c.strings;
    }

    // The chosen numeric columns as a row-major matrix: rows() x names.size() floats, in the
    // order given (the layout ctnn::dataset takes).
    [[nodiscard]] std::vector<float> select(std::initializer_list<std::string_view> names) const {
        return select_columns(std::vector<std::string_view>(names.begin(), names.end()));
    }
    [[nodiscard]] std::vector<float> select(const std::vector<std::string>& names) const {
        return select_columns(std::vector<std::string_view>(names.begin(), names.end()));
    }

    // All column names except these, in file order (each excluded name must exist: a typo
    // must not leak a column into the features).
    [[nodiscard]] std::vector<std::string>
    names_except(std::initializer_list<std::string_view> excluded) const {
        for (const std::string_view name : excluded)
            (void)index_of(name);
        std::vector<std::string> kept;
        for (const std::string& name : names_)
            if (std::find(excluded.begin(), excluded.end(), name) == excluded.end())
                kept.push_back(name);
        return kept;
    }

private:
    friend csv_table detail::make_csv_table(std::filesystem::path, std::vector<detail::csv_column>,
                                            std::vector<std::size_t>);

    [[nodiscard]] std::vector<float>
    select_columns(const std::vector<std::string_view>& names) const {
        std::vector<const std::vector<float>*> chosen;
        chosen.reserve(names.size());
        for (const std::string_view name : names)
            chosen.push_back(&column(name));
        const std::size_t k = chosen.size();
        std::vector<float> matrix(rows() * k);
        for (std::size_t j = 0; j < k; ++j)
            for (std::size_t r = 0; r < rows(); ++r)
                matrix[r * k + j] = (*chosen[j])[r];
        return matrix;
    }

    std::filesystem::path file_;
    std::vector<std::string> names_;
    std::vector<detail::csv_column> columns_;
    std::vector<std::size_t> row_lines_;
};

namespace detail {

inline csv_table make_csv_table(std::filesystem::path file, std::vector<csv_column> columns,
                                std::vector<std::size_t> row_lines) {
    csv_table t;
    t.file_ = std::move(file);
    for (const csv_column& c : columns)
        t.names_.push_back(c.name);
    t.columns_ = std::move(columns);
    t.row_lines_ = std::move(row_lines);
    return t;
}

// Length of the valid UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0 if invalid
// (overlong forms, surrogates and code points above U+10FFFF included).
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) -> unsigned {
        return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    };
    const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
        return byte(k) >= lo && byte(k) <= hi;
    };
    const unsigned b = byte(0);
    if (b >= 0xC2 && b <= 0xDF)
        return cont(1) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF) {
        const bool second = b == 0xE0 ? cont(1, 0xA0) : b == 0xED ? cont(1, 0x80, 0x9F) : cont(1);
        return second && cont(2) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        const bool second = b == 0xF0 ? cont(1, 0x90) : b == 0xF4 ? cont(1, 0x80, 0x8F) : cont(1);
        return second && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

inline std::string csv_hex_byte(unsigned char b) {
    constexpr const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

struct csv_field {
    std::string_view text;
    std::size_t line = 0; // physical line on which the field starts
};

// Splits the text into records of fields, checking every byte on the way. Fields are views
// into the text, or into the lexer's scratch space for quoted fields with "" escapes; both
// stay valid until the next call to next().
class csv_lexer {
public:
    csv_lexer(std::string_view text, std::size_t start, const std::filesystem::path& file,
              const csv_options& options)
        : text_(text), file_(file), options_(options), pos_(start), line_start_(start) {}

    // The next non-blank record into `fields`; false at the end of the text.
    bool next(std::vector<csv_field>& fields) {
        fields.clear();
        scratch_.clear();
        for (;;) { // skip blank lines
            if (pos_ == text_.size()) {
                end_line(pos_, 0);
                return false;
            }
            if (text_[pos_] == '\n')
                end_line(pos_, 1);
            else if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
                end_line(pos_, 2);
            else
                break;
        }
        record_line_ = line_;
        for (;;) {
            const std::size_t column = fields.size() + 1;
            const std::size_t line = line_;
            fields.push_back(
                {options_.quoting && text_[pos_] == '"' ? quoted(column) : unquoted(column), line});
            if (pos_ == text_.size()) {
                end_line(pos_, 0);
                return true;
            }
            const char c = text_[pos_];
            if (c == options_.delimiter) {
                ++pos_;
                if (pos_ == text_.size()) { // "a,b," at the very end: an empty last field
                    fields.push_back({std::string_view(), line_});
                    end_line(pos_, 0);
                    return true;
                }
                continue;
            }
            if (c == '\n') {
                end_line(pos_, 1);
                return true;
            }
            if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
                end_line(pos_, 2);
                return true;
            }
            // Only a quoted field can stop on anything else.
            throw error(line_, column,
                        "after the closing quote of a quoted field comes " + describe_byte(pos_) +
                            " instead of a delimiter or a line end (a quote inside a quoted "
                            "field is written twice: \"\")");
        }
    }

    [[nodiscard]] std::size_t record_line() const noexcept { return record_line_; }

    [[nodiscard]] io_error error(std::size_t line, std::size_t column, std::string problem) const {
        return io_error(file_, line_column_position(line, column), std::move(problem));
    }

private:
    [[nodiscard]] std::size_t byte_in_line(std::size_t pos) const noexcept {
        return pos - line_start_ + 1;
    }

    [[nodiscard]] std::string describe_byte(std::size_t pos) const {
        const auto b = static_cast<unsigned char>(text_[pos]);
        if (b >= 0x20 && b < 0x7F)
            return "'" + std::string(1, static_cast<char>(b)) + "'";
        return "byte " + csv_hex_byte(b);
    }

    // A line ends at `pos` with a line end of `length` bytes (0 at the end of the text).
    void end_line(std::size_t pos, std::size_t length) {
        if (pos - line_start_ > options_.max_line_bytes)
            throw io_error(file_, "line " + std::to_string(line_),
                           "the line is " + std::to_string(pos - line_start_) +
                               " bytes long, more than the limit of " +
                               std::to_string(options_.max_line_bytes) +
                               " bytes (csv_options::max_line_bytes; not a text file?)");
        pos_ = pos + length;
        if (length > 0) {
            ++line_;
            line_start_ = pos_;
        }
    }

    // Checks the content byte at pos_ (not a delimiter or line end) and steps over it, or
    // over its whole UTF-8 sequence.
    void content_byte(std::size_t column) {
        const auto b = static_cast<unsigned char>(text_[pos_]);
        if (b < 0x80) {
            if ((b < 0x20 && b != '\t') || b == 0x7F) {
                const std::string where =
                    " at byte " + std::to_string(byte_in_line(pos_)) + " of the line";
                if (b == '\r')
                    throw error(line_, column,
                                "a carriage return that is not followed by a line feed" + where +
                                    " (lines must end in \\n or \\r\\n)");
                throw error(
                    line_, column,
                    (b == 0 ? std::string("a NUL byte") : "control byte " + csv_hex_byte(b)) +
                        where + ": binary data, not a CSV text file");
            }
            ++pos_;
            return;
        }
        const std::size_t length = utf8_sequence_length(text_, pos_);
        if (length == 0)
            throw error(line_, column,
                        "invalid UTF-8 (byte " + csv_hex_byte(b) + " at byte " +
                            std::to_string(byte_in_line(pos_)) +
                            " of the line): the file must be UTF-8 or ASCII text, not binary "
                            "data or another encoding");
        pos_ += length;
    }

    std::string_view unquoted(std::size_t column) {
        const std::size_t begin = pos_;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == options_.delimiter || c == '\n' ||
                (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))
                break;
            content_byte(column);
        }
        return text_.substr(begin, pos_ - begin);
    }

    std::string_view quoted(std::size_t column) {
        const std::size_t open_line = line_;
        const std::size_t open_byte = byte_in_line(pos_);
        ++pos_;
        const std::size_t begin = pos_;
        std::size_t segment = begin; // start of the text not yet copied into `unescaped`
        std::string* unescaped = nullptr;
        for (;;) {
            if (pos_ == text_.size()) {
                end_line(pos_, 0);
                throw error(open_line, column,
                            "unterminated quoted field: the quote at byte " +
                                std::to_string(open_byte) +
                                " of the line is never closed (a quote inside a quoted field "
                                "is written twice: \"\")");
            }
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') { // "" stands for "
                    if (!unescaped)
                        unescaped = &scratch_.emplace_back();
                    unescaped->append(text_.substr(segment, pos_ + 1 - segment));
                    pos_ += 2;
                    segment = pos_;
                    continue;
                }
                std::string_view field = text_.substr(begin, pos_ - begin);
                if (unescaped) {
                    unescaped->append(text_.substr(segment, pos_ - segment));
                    field = *unescaped;
                }
                ++pos_;
                return field;
            }
            if (c == '\n')
                end_line(pos_, 1);
            else if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
                end_line(pos_, 2);
            else
                content_byte(column);
        }
    }

    std::string_view text_;
    const std::filesystem::path& file_;
    const csv_options& options_;
    std::size_t pos_;
    std::size_t line_start_;
    std::size_t line_ = 1;
    std::size_t record_line_ = 0;
    std::deque<std::string> scratch_; // a deque: growing it keeps earlier strings in place
};

enum class csv_value { number, underflow, not_finite, out_of_range, text };

struct csv_number {
    csv_value kind = csv_value::text;
    float value = 0; // for an underflow: zero with the value's sign
};

inline std::string_view csv_trim(std::string_view s) noexcept {
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// Whether a decimal number from_chars has accepted ("-12.5e-3") is below 1 in magnitude, from
// its digits alone: it tells an underflow from an overflow when from_chars says only "out of
// range". The exponent saturates, so "1e-99999999999999999999" is small, not a wrap-around.
inline bool csv_decimal_below_one(std::string_view s) noexcept {
    std::size_t i = s.starts_with('-') ? 1 : 0;
    std::int64_t lead = 0; // decimal exponent of the first significant digit
    bool found = false, in_fraction = false;
    for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
        if (s[i] == '.') {
            in_fraction = true;
        } else if (!found && s[i] != '0') {
            found = true;
            lead = in_fraction ? lead - 1 : 0;
        } else if (found != in_fraction) {
            lead += found ? 1 : -1; // a digit after the first significant one, or a leading 0
        }
    }
    std::int64_t exponent = 0;
    if (i < s.size()) {
        const bool negative = i + 1 < s.size() && s[i + 1] == '-';
        for (++i; i < s.size(); ++i)
            if (s[i] >= '0' && s[i] <= '9')
                exponent = std::min<std::int64_t>(exponent * 10 + (s[i] - '0'), 1'000'000'000);
        exponent = negative ? -exponent : exponent;
    }
    return found && lead + exponent < 0;
}

// Reads a whole field as a number: from_chars's format, surrounding spaces and a '+' allowed.
// Magnitudes below the smallest normal float become a signed zero (csv_value::underflow).
inline csv_number parse_csv_number(std::string_view s) noexcept {
    s = csv_trim(s);
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (!s.empty() && (s.front() == '-' || s.front() == '+'))
            return {};
    }
    if (s.empty())
        return {};
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (end != s.data() + s.size())
        return {};
    const float signed_zero = s.starts_with('-') ? -0.0f : 0.0f;
    if (ec == std::errc::result_out_of_range) // beyond double: 1e400 or 1e-400
        return csv_decimal_below_one(s) ? csv_number{csv_value::underflow, signed_zero}
                                        : csv_number{csv_value::out_of_range, 0};
    if (ec != std::errc{})
        return {};
    if (!std::isfinite(v))
        return {csv_value::not_finite, 0};
    if (std::abs(v) > static_cast<double>(std::numeric_limits<float>::max()))
        return {csv_value::out_of_range, 0};
    // Judged after rounding to float, so that every normal float printed with 9 digits
    // ("1.17549435e-38") reads back as itself.
    const auto f = static_cast<float>(v);
    if (v != 0 && std::abs(f) < std::numeric_limits<float>::min())
        return {csv_value::underflow, signed_zero};
    return {csv_value::number, f};
}

inline bool csv_is_missing(std::string_view field, const csv_options& options) {
    const std::string_view trimmed = csv_trim(field);
    if (trimmed.empty())
        return true;
    return std::find(options.missing_tokens.begin(), options.missing_tokens.end(), trimmed) !=
           options.missing_tokens.end();
}

inline void check_csv_options(const csv_options& options) {
    const char d = options.delimiter;
    if (d == '\n' || d == '\r' || d == '\0')
        throw std::invalid_argument(
            "ctnn::io::csv_options: the delimiter cannot be a line end or NUL");
    if (options.quoting && d == '"')
        throw std::invalid_argument(
            "ctnn::io::csv_options: the delimiter cannot be '\"' while quoting is on");
    if (options.max_line_bytes == 0)
        throw std::invalid_argument("ctnn::io::csv_options: max_line_bytes must be at least 1");
    for (const std::string& name : options.numeric_columns)
        if (std::find(options.categorical_columns.begin(), options.categorical_columns.end(),
                      name) != options.categorical_columns.end())
            throw std::invalid_argument("ctnn::io::csv_options: column \"" + name +
                                        "\" is listed as both numeric and categorical");
}

// Where a numeric column holds a value that is a number but not a finite float.
struct csv_bad_number {
    std::size_t line = 0;
    std::string text;
    csv_value kind = csv_value::number;
};

inline std::vector<csv_column> csv_header(csv_lexer& lexer, std::vector<csv_field>& fields,
                                          const std::filesystem::path& file) {
    if (!lexer.next(fields))
        throw io_error(file, line_column_position(1, 1),
                       "the file is empty (or only blank lines): a CSV file starts with a "
                       "header line naming the columns");
    std::vector<csv_column> columns(fields.size());
    for (std::size_t j = 0; j < fields.size(); ++j) {
        if (csv_trim(fields[j].text).empty())
            throw lexer.error(fields[j].line, j + 1,
                              "column " + std::to_string(j + 1) +
                                  " has an empty name in the header line");
        for (std::size_t k = 0; k < j; ++k)
            if (columns[k].name == fields[j].text)
                throw lexer.error(fields[j].line, j + 1,
                                  "column " + std::to_string(j + 1) + " is named " +
                                      csv_quoted(fields[j].text) + " like column " +
                                      std::to_string(k + 1) + "; column names must be unique");
        columns[j].name = std::string(fields[j].text);
    }
    return columns;
}

inline std::size_t csv_forced_column(const std::vector<csv_column>& columns,
                                     const std::string& name, const char* option,
                                     const std::filesystem::path& file) {
    for (std::size_t j = 0; j < columns.size(); ++j)
        if (columns[j].name == name)
            return j;
    throw io_error(file, "",
                   std::string("csv_options::") + option + " names " + csv_quoted(name) +
                       ", which is not a column; the columns are: " + csv_name_list(columns));
}

inline csv_table parse_csv_text(std::string_view text, const std::filesystem::path& file,
                                const csv_options& options) {
    check_csv_options(options);
    if (text.size() > options.max_bytes)
        throw io_error(file, byte_position(options.max_bytes),
                       "the file is " + std::to_string(text.size()) +
                           " bytes, more than the limit of " + std::to_string(options.max_bytes) +
                           " bytes (csv_options::max_bytes)");
    const std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0; // UTF-8 BOM

    // Pass 1: check everything and find each column's kind. Pass 2 stores the values, so that
    // memory holds numbers as floats, never every field as a string.
    std::vector<csv_field> fields;
    csv_lexer lexer(text, start, file, options);
    std::vector<csv_column> columns = csv_header(lexer, fields, file);
    const std::size_t n = columns.size();
    for (const std::string& name : options.numeric_columns)
        columns[csv_forced_column(columns, name, "numeric_columns", file)].typing.typed_by =
            csv_typed_by::numeric_columns;
    for (const std::string& name : options.categorical_columns) {
        csv_typing& t =
            columns[csv_forced_column(columns, name, "categorical_columns", file)].typing;
        t.typed_by = csv_typed_by::categorical_columns;
        t.kind = column_kind::categorical;
    }

    // The first "nan", "inf" or "1e400" in the file among the columns `numeric` accepts.
    std::vector<csv_bad_number> bad(n);
    const auto throw_first_bad_number = [&](const auto& numeric) {
        std::size_t first = n;
        for (std::size_t j = 0; j < n; ++j)
            if (numeric(columns[j].typing) && bad[j].line != 0 &&
                (first == n || bad[j].line < bad[first].line))
                first = j;
        if (first == n)
            return;
        throw lexer.error(bad[first].line, first + 1,
                          csv_quoted(bad[first].text) + " in numeric column " +
                              csv_quoted(columns[first].name) +
                              (bad[first].kind == csv_value::not_finite
                                   ? " is not a finite number (list it in "
                                     "csv_options::missing_tokens if it marks a missing value)"
                                   : " is out of the range of a float (magnitudes up to "
                                     "3.40282347e38)"));
    };
    // Columns that cannot become categorical any more: their errors are final.
    const auto surely_numeric = [&](const csv_typing& t) {
        return t.typed_by == csv_typed_by::numeric_columns ||
               (!options.infer_categorical && t.typed_by == csv_typed_by::inference);
    };

    std::size_t rows = 0;
    while (lexer.next(fields)) {
        if (fields.size() != n)
            throw io_error(file, "line " + std::to_string(lexer.record_line()),
                           std::to_string(fields.size()) +
                               (fields.size() == 1 ? " field" : " fields") + ", the header has " +
                               std::to_string(n));
        for (std::size_t j = 0; j < n; ++j) {
            const csv_field& f = fields[j];
            csv_column& c = columns[j];
            if (csv_is_missing(f.text, options)) {
                if (!options.allow_missing)
                    throw lexer.error(f.line, j + 1,
                                      "missing value " +
                                          (csv_trim(f.text).empty()
                                               ? std::string("(an empty field)")
                                               : csv_quoted(f.text)) +
                                          " in column " + csv_quoted(c.name) +
                                          " (set csv_options::allow_missing to read missing "
                                          "values as NaN)");
                ++c.missing;
                continue;
            }
            if (c.typing.kind == column_kind::categorical)
                continue;
            const csv_number v = parse_csv_number(f.text);
            if (v.kind == csv_value::text) {
                if (surely_numeric(c.typing)) {
                    throw_first_bad_number(surely_numeric); // an earlier error comes first
                    throw lexer.error(
                        f.line, j + 1,
                        csv_quoted(f.text) + " in column " + csv_quoted(c.name) +
                            (c.typing.typed_by == csv_typed_by::numeric_columns
                                 ? " is not a number (the column is listed in "
                                   "csv_options::numeric_columns)"
                                 : " is not a number (csv_options::infer_categorical is false: "
                                   "list the column in csv_options::categorical_columns to keep "
                                   "it as text)"));
                }
                c.typing = {column_kind::categorical, csv_typed_by::inference, f.line, j + 1,
                            std::string(f.text)};
            } else if ((v.kind == csv_value::not_finite || v.kind == csv_value::out_of_range) &&
                       bad[j].line == 0) {
                bad[j] = {f.line, std::string(f.text), v.kind};
            }
        }
        ++rows;
    }
    throw_first_bad_number([](const csv_typing& t) { return t.kind == column_kind::numeric; });

    // Pass 2: store the values.
    for (csv_column& c : columns) {
        if (c.typing.kind == column_kind::numeric)
            c.numbers.reserve(rows);
        else
            c.strings.reserve(rows);
    }
    std::vector<std::size_t> row_lines;
    row_lines.reserve(rows);
    csv_lexer again(text, start, file, options);
    again.next(fields); // the header
    while (again.next(fields)) {
        row_lines.push_back(again.record_line());
        for (std::size_t j = 0; j < n; ++j) {
            csv_column& c = columns[j];
            const bool missing = csv_is_missing(fields[j].text, options);
            if (c.typing.kind == column_kind::categorical) {
                c.strings.emplace_back(missing ? std::string_view() : fields[j].text);
            } else if (missing) {
                c.numbers.push_back(std::numeric_limits<float>::quiet_NaN());
            } else {
                const csv_number v = parse_csv_number(fields[j].text);
                c.underflows += v.kind == csv_value::underflow ? 1 : 0;
                c.numbers.push_back(v.value);
            }
        }
    }
    return make_csv_table(file, std::move(columns), std::move(row_lines));
}

} // namespace detail

// Parses CSV text held in memory; `file` names it in error messages.
[[nodiscard]] inline csv_table parse_csv(std::string_view text, const std::filesystem::path& file,
                                         const csv_options& options = {}) {
    return detail::parse_csv_text(text, file, options);
}

// Reads a CSV (or, with delimiter '\t', TSV) file.
[[nodiscard]] inline csv_table read_csv(const std::filesystem::path& file,
                                        const csv_options& options = {}) {
    detail::check_csv_options(options);
    const std::string text = read_file_limited<std::string>(file, options.max_bytes);
    return detail::parse_csv_text(text, file, options);
}

} // namespace ctnn::io
