// ctnn/io/labelled_text.hpp - read texts with integer labels from a tab-separated file, the
// format of the sentiment sentences in examples/data/sentiment/.
//
//   const ctnn::io::labelled_text data = ctnn::io::read_labelled_text("imdb.tsv");
//   data.texts[i];   // the i-th sentence, byte for byte as in the file
//   data.labels[i];  // its label, a non-negative integer stored as a float (0 or 1 here)
//
// The format:
//   text<TAB>label                        <- header line, exactly these bytes
//   A very slow-moving movie.  <TAB>0     <- one text per line
// - Lines end at '\n' and nowhere else; a '\r' just before it is dropped ("\r\n" files work);
//   the last line may lack its '\n'. Other bytes never end a line: U+0085 (bytes C2 85), which
//   some tools treat as a line break, is part of a text.
// - The label is the field after the LAST tab of the line, a decimal integer 0 ..
//   labelled_text_max_label (2^24, the largest range a float holds exactly): digits only, no
//   sign, no spaces. Everything before that tab, tabs included, is the text, kept byte for byte
//   (spaces, invalid UTF-8 and all); an empty text is allowed.
// - A UTF-8 byte-order mark before the header is skipped.
// Anything else is refused with a ctnn::io_error naming the file, the line and column (columns
// count bytes from 1) and the problem: an empty file, a missing or different header, a header
// with no lines after it, an empty line, a line without a tab, a missing or malformed label,
// a NUL byte (binary data), or a file larger than `max_bytes` (256 MiB unless told otherwise).
// Needs only the standard library.
#pragma once

#include "ctnn/io/error.hpp"
#include "ctnn/io/file_bytes.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ctnn::io {

// Texts and their labels, in file order; texts.size() == labels.size().
struct labelled_text {
    std::vector<std::string> texts;
    std::vector<float> labels; // ready to be the targets of a ctnn::dataset<..., shape<1>>

    [[nodiscard]] std::size_t size() const noexcept { return texts.size(); }
    [[nodiscard]] bool empty() const noexcept { return texts.empty(); }
};

// The largest file read_labelled_text accepts unless told otherwise.
inline constexpr std::uint64_t labelled_text_max_bytes = std::uint64_t{1} << 28;
// The largest label: every integer up to 2^24 is exactly a float.
inline constexpr std::uint64_t labelled_text_max_label = std::uint64_t{1} << 24;

namespace detail {

// At most `max` bytes of `bytes` in double quotes, non-printable and non-ASCII bytes as \xNN,
// so that a message stays one readable ASCII line whatever the file holds.
inline std::string labelled_text_excerpt(std::string_view bytes, std::size_t max = 40) {
    constexpr const char* digits = "0123456789ABCDEF";
    std::string out = "\"";
    for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b == '\t') {
            out += "\\t";
        } else if (b < 0x20 || b >= 0x7F || b == '"' || b == '\\') {
            out += "\\x";
            out += digits[b >> 4];
            out += digits[b & 15];
        } else {
            out += static_cast<char>(b);
        }
    }
    out += bytes.size() > max ? "\"..." : "\"";
    return out;
}

} // namespace detail

// Parses the contents of a labelled-text file held in memory; `file` only names the source in
// error messages.
[[nodiscard]] inline labelled_text parse_labelled_text(std::string_view contents,
                                                       const std::filesystem::path& file) {
    constexpr std::string_view header = "text\tlabel";
    constexpr std::string_view expected = "expected \"text<TAB>label\"";
    const auto error = [&](std::size_t line, std::size_t column, const std::string& problem) {
        return io_error(file, line_column_position(line, column), problem);
    };
    if (contents.empty())
        throw error(1, 1, "the file is empty; expected the header line \"text<TAB>label\"");

    labelled_text result;
    std::size_t line = 0;
    for (std::size_t pos = 0; pos < contents.size();) {
        ++line;
        const std::size_t newline = contents.find('\n', pos);
        const std::size_t end = newline == std::string_view::npos ? contents.size() : newline;
        std::string_view text = contents.substr(pos, end - pos);
        pos = newline == std::string_view::npos ? contents.size() : newline + 1;

        if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
            throw error(line, nul + 1, "NUL byte: this is not a text file (binary data?)");
        if (text.ends_with('\r'))
            text.remove_suffix(1);

        if (line == 1) {
            std::size_t column = 1;
            if (text.starts_with("\xEF\xBB\xBF")) { // UTF-8 byte-order mark
                text.remove_prefix(3);
                column = 4;
            }
            if (text != header)
                throw error(1, column,
                            "the header line is " + detail::labelled_text_excerpt(text) +
                                "; expected \"text<TAB>label\"");
            continue;
        }
        if (text.empty())
            throw error(line, 1, "empty line; " + std::string(expected));
        const std::size_t tab = text.rfind('\t');
        if (tab == std::string_view::npos)
            throw error(line, text.size() + 1,
                        "no TAB in the line; " + std::string(expected) +
                            " (the label follows the last TAB)");
        const std::string_view label = text.substr(tab + 1);
        const std::size_t column = tab + 2;
        if (label.empty())
            throw error(line, column, "no label after the last TAB");
        std::uint64_t value = 0;
        for (const char c : label) {
            if (c < '0' || c > '9')
                throw error(line, column,
                            "the label " + detail::labelled_text_excerpt(label) +
                                " is not a non-negative integer");
            value = value * 10 + static_cast<std::uint64_t>(c - '0');
            if (value > labelled_text_max_label)
                throw error(line, column,
                            "the label " + detail::labelled_text_excerpt(label) +
                                " is larger than " + std::to_string(labelled_text_max_label) +
                                ", the largest label a float holds exactly");
        }
        result.texts.emplace_back(text.substr(0, tab));
        result.labels.push_back(static_cast<float>(value));
    }
    if (line == 1)
        throw error(2, 1, "the file ends after the header line: no labelled texts");
    return result;
}

// Reads a labelled-text file (see the top of this file).
[[nodiscard]] inline labelled_text
read_labelled_text(const std::filesystem::path& file,
                   std::uint64_t max_bytes = labelled_text_max_bytes) {
    return parse_labelled_text(read_file_limited<std::string>(file, max_bytes), file);
}

} // namespace ctnn::io
