// ctnn/serialize/npy.hpp - NumPy .npy arrays: read (float32 or float64) and write (float32).
//
//   ctnn::npy_array kernel = ctnn::read_npy("dense_kernel.npy");   // np.save(...) output
//   kernel.shape   // {784, 128}
//   kernel(i, j)   // values as float, in C (row-major) order
//   ctnn::save_npy("out.npy", kernel);
//
// Reads format versions 1.0, 2.0 and 3.0 (they differ in the header length field and the
// header's text encoding), dtypes '<f4' and '<f8' (float64 is rounded to float), C and Fortran
// order (Fortran order is transposed to C order on reading), any rank. Other dtypes are refused
// with a message that says how to convert them. Every length and offset is checked against the
// data; errors are ctnn::io_error "<file>: byte N: <problem>". For .npz archives (which need
// zlib) and for putting arrays into a network see serialize/npz.hpp.
//
// The .npy layout: the bytes "\x93NUMPY", major and minor version bytes, the header length
// (u16 little-endian in 1.0, u32 in 2.0 and 3.0), then the header: a Python dict literal such
// as "{'descr': '<f4', 'fortran_order': False, 'shape': (784, 128), }" padded with spaces and a
// newline, then the values.
#pragma once

#include "ctnn/io/atomic_file.hpp"
#include "ctnn/io/error.hpp"
#include "ctnn/io/file_bytes.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctnn {

// The largest .npy or .npz file (or archive entry) read unless told otherwise.
inline constexpr std::uint64_t default_npy_max_bytes = std::uint64_t{1} << 30;

// An n-dimensional array of floats in C order (the last index moves fastest).
struct npy_array {
    std::vector<std::size_t> shape; // empty for a scalar
    std::vector<float> values;      // product of shape values

    [[nodiscard]] std::size_t rank() const noexcept { return shape.size(); }
    [[nodiscard]] std::size_t size() const noexcept { return values.size(); }
    // Element (i) of a vector or (i, j) of a matrix.
    [[nodiscard]] float operator()(std::size_t i) const noexcept { return values[i]; }
    [[nodiscard]] float operator()(std::size_t i, std::size_t j) const noexcept {
        return values[i * shape[1] + j];
    }
};

// Python's notation: "()", "(3,)", "(784, 128)".
[[nodiscard]] inline std::string shape_text(std::span<const std::size_t> shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i == 0 ? "" : ", ") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

namespace detail {

inline constexpr std::array<unsigned char, 6> npy_magic{0x93, 'N', 'U', 'M', 'P', 'Y'};

// Errors at a byte of the array's bytes; `where` prefixes the position ("entry 'a.npy', ").
class npy_parser {
public:
    npy_parser(std::span<const unsigned char> bytes, const std::filesystem::path& file,
               std::string_view where)
        : bytes_(bytes), file_(file), where_(where) {}

    [[noreturn]] void fail(std::size_t at, const std::string& problem) const {
        throw io_error(file_, where_ + io::byte_position(at), problem);
    }

    npy_array parse() {
        // Magic: a prefix of it is a truncated file, anything else is not a .npy file.
        for (std::size_t i = 0; i < npy_magic.size(); ++i) {
            if (i == bytes_.size())
                fail(i, "the file ends inside the .npy magic string (truncated?)");
            if (bytes_[i] != npy_magic[i])
                fail(0, "not a NumPy .npy file (it does not start with \"\\x93NUMPY\")");
        }
        if (bytes_.size() < 8)
            fail(bytes_.size(), "the file ends before the .npy format version (truncated?)");
        const unsigned major = bytes_[6], minor = bytes_[7];
        if (minor != 0 || major < 1 || major > 3)
            fail(6, "unsupported .npy format version " + std::to_string(major) + "." +
                        std::to_string(minor) + " (ctnn reads 1.0, 2.0 and 3.0)");
        const std::size_t length_size = major == 1 ? 2 : 4;
        if (bytes_.size() < 8 + length_size)
            fail(bytes_.size(), "the file ends before the .npy header length (truncated?)");
        std::size_t header_length = 0;
        for (std::size_t i = 0; i < length_size; ++i)
            header_length |= std::size_t{bytes_[8 + i]} << (8 * i);
        header_begin_ = 8 + length_size;
        if (header_length > bytes_.size() - header_begin_)
            fail(8, "the header length " + std::to_string(header_length) +
                        " runs past the end of the file (" +
                        std::to_string(bytes_.size() - header_begin_) + " bytes left; truncated?)");
        header_ = std::string_view(reinterpret_cast<const char*>(bytes_.data()) + header_begin_,
                                   header_length);
        parse_header();
        return read_values(header_begin_ + header_length);
    }

private:
    std::span<const unsigned char> bytes_;
    const std::filesystem::path& file_;
    std::string where_;
    std::size_t header_begin_ = 0;
    std::string_view header_;
    std::size_t pos_ = 0; // in header_

    std::optional<std::string> descr_;
    std::optional<bool> fortran_order_;
    std::optional<std::vector<std::size_t>> shape_;

    [[noreturn]] void fail_here(const std::string& problem) const {
        fail(header_begin_ + pos_, "in the .npy header: " + problem);
    }
    void skip_space() {
        while (pos_ < header_.size() && (header_[pos_] == ' ' || header_[pos_] == '\t' ||
                                         header_[pos_] == '\n' || header_[pos_] == '\r'))
            ++pos_;
    }
    char peek() {
        skip_space();
        if (pos_ == header_.size())
            fail_here("the header ends early");
        return header_[pos_];
    }
    void expect(char c) {
        if (peek() != c)
            fail_here(std::string("expected '") + c + "', found '" + header_[pos_] + "'");
        ++pos_;
    }
    std::string string_literal() {
        const char quote = peek();
        if (quote != '\'' && quote != '"')
            fail_here("expected a quoted string");
        const std::size_t end = header_.find(quote, pos_ + 1);
        if (end == std::string_view::npos)
            fail_here("unterminated string");
        std::string text(header_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return text;
    }
    bool boolean() {
        peek();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}})
            if (header_.substr(pos_, std::strlen(word)) == word) {
                pos_ += std::strlen(word);
                return value;
            }
        fail_here("expected True or False");
    }
    std::size_t integer() {
        peek();
        const std::size_t begin = pos_;
        std::size_t value = 0;
        while (pos_ < header_.size() && header_[pos_] >= '0' && header_[pos_] <= '9') {
            const auto digit = static_cast<std::size_t>(header_[pos_] - '0');
            if (value > (std::numeric_limits<std::size_t>::max() - digit) / 10)
                fail_here("a dimension is too large");
            value = value * 10 + digit;
            ++pos_;
        }
        if (pos_ == begin)
            fail_here("expected a non-negative integer dimension");
        if (pos_ < header_.size() && header_[pos_] == 'L') // Python 2's long literals
            ++pos_;
        return value;
    }
    std::vector<std::size_t> tuple() {
        std::vector<std::size_t> dims;
        expect('(');
        while (peek() != ')') {
            dims.push_back(integer());
            if (peek() == ',')
                ++pos_;
            else if (peek() != ')')
                fail_here("expected ',' or ')' in the shape");
        }
        ++pos_;
        return dims;
    }

    void parse_header() {
        expect('{');
        while (peek() != '}') {
            const std::size_t key_at = pos_;
            const std::string key = string_literal();
            expect(':');
            const auto once = [&](auto& slot) {
                if (slot) {
                    pos_ = key_at;
                    fail_here("the key '" + key + "' appears twice");
                }
            };
            if (key == "descr") {
                once(descr_);
                if (peek() == '[')
                    fail_here("structured dtypes (a list of fields) are not supported: save one "
                              "plain float32 array per file");
                descr_ = string_literal();
            } else if (key == "fortran_order") {
                once(fortran_order_);
                fortran_order_ = boolean();
            } else if (key == "shape") {
                once(shape_);
                shape_ = tuple();
            } else {
                pos_ = key_at;
                fail_here("unexpected key '" + key +
                          "' (a .npy header has 'descr', 'fortran_order' and 'shape')");
            }
            if (peek() == ',')
                ++pos_;
            else if (peek() != '}')
                fail_here("expected ',' or '}' after a value");
        }
        ++pos_;
        skip_space();
        if (pos_ != header_.size())
            fail_here("unexpected text after the closing '}'");
        for (const auto& [present, key] : {std::pair{descr_.has_value(), "descr"},
                                           std::pair{fortran_order_.has_value(), "fortran_order"},
                                           std::pair{shape_.has_value(), "shape"}})
            if (!present)
                fail_here(std::string("the header has no '") + key + "' key");
    }

    npy_array read_values(std::size_t data_begin) {
        std::size_t item_size = 0;
        if (*descr_ == "<f4")
            item_size = 4;
        else if (*descr_ == "<f8")
            item_size = 8;
        else
            fail(header_begin_, "unsupported dtype '" + *descr_ +
                                    "': ctnn reads little-endian float32 ('<f4') and float64 "
                                    "('<f8') arrays; convert with a.astype('<f4') before saving");
        npy_array array;
        array.shape = *shape_;
        const std::size_t available = bytes_.size() - data_begin;
        std::size_t count = 1;
        for (std::size_t extent : array.shape) {
            if (extent != 0 && count > std::numeric_limits<std::size_t>::max() / extent)
                fail(header_begin_, "the shape " + shape_text(array.shape) + " is too large");
            count *= extent;
        }
        if (count > available / item_size)
            fail(bytes_.size(), "the data ends after " + std::to_string(available) + " of the " +
                                    (count > std::numeric_limits<std::size_t>::max() / item_size
                                         ? std::string("too many")
                                         : std::to_string(count * item_size)) +
                                    " bytes that shape " + shape_text(array.shape) + " of '" +
                                    *descr_ + "' needs (truncated?)");
        if (available != count * item_size)
            fail(data_begin + count * item_size,
                 std::to_string(available - count * item_size) +
                     " unexpected bytes after the array data (shape " + shape_text(array.shape) +
                     " of '" + *descr_ + "' takes " + std::to_string(count * item_size) + ")");

        std::vector<float> stored(count);
        const unsigned char* p = bytes_.data() + data_begin;
        for (std::size_t i = 0; i < count; ++i, p += item_size) {
            std::uint64_t bits = 0;
            for (std::size_t b = 0; b < item_size; ++b)
                bits |= std::uint64_t{p[b]} << (8 * b);
            stored[i] = item_size == 4 ? std::bit_cast<float>(static_cast<std::uint32_t>(bits))
                                       : static_cast<float>(std::bit_cast<double>(bits));
        }
        array.values = *fortran_order_ && array.rank() > 1 ? to_c_order(stored, array.shape)
                                                           : std::move(stored);
        return array;
    }

    // Fortran order: the first index moves fastest. Walks the C-order indices with a counter.
    static std::vector<float> to_c_order(const std::vector<float>& fortran,
                                         const std::vector<std::size_t>& shape) {
        const std::size_t rank = shape.size();
        std::vector<std::size_t> stride(rank), index(rank, 0);
        for (std::size_t axis = 0, s = 1; axis < rank; s *= shape[axis], ++axis)
            stride[axis] = s;
        std::vector<float> c(fortran.size());
        std::size_t offset = 0; // Fortran offset of `index`
        for (float& value : c) {
            value = fortran[offset];
            for (std::size_t axis = rank; axis-- > 0;) {
                if (++index[axis] < shape[axis]) {
                    offset += stride[axis];
                    break;
                }
                offset -= (shape[axis] - 1) * stride[axis];
                index[axis] = 0;
            }
        }
        return c;
    }
};

} // namespace detail

// The array held by a .npy file's bytes; `file` and `where` only name them in errors.
[[nodiscard]] inline npy_array parse_npy(std::span<const unsigned char> bytes,
                                         const std::filesystem::path& file,
                                         std::string_view where = "") {
    return detail::npy_parser(bytes, file, where).parse();
}

// The array in a .npy file.
[[nodiscard]] inline npy_array read_npy(const std::filesystem::path& file,
                                        std::uint64_t max_bytes = default_npy_max_bytes) {
    const auto bytes = io::read_file_limited<std::vector<unsigned char>>(file, max_bytes);
    return parse_npy(bytes, file);
}

// The .npy 1.0 bytes of `array` as '<f4' in C order (np.load reads them).
[[nodiscard]] inline std::vector<unsigned char> npy_bytes(const npy_array& array) {
    std::string header =
        "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape_text(array.shape) + ", }";
    // NumPy pads so that the data starts at a multiple of 64 bytes, and ends with a newline.
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    // Sized first and filled by index (GCC 12 misreads inserts into a growing vector).
    std::vector<unsigned char> out(10 + header.size() + 4 * array.values.size());
    std::copy(detail::npy_magic.begin(), detail::npy_magic.end(), out.begin());
    out[6] = 1;
    out[7] = 0;
    out[8] = static_cast<unsigned char>(header.size() & 0xff);
    out[9] = static_cast<unsigned char>(header.size() >> 8);
    std::copy(header.begin(), header.end(), out.begin() + 10);
    std::size_t at = 10 + header.size();
    for (float value : array.values) {
        const auto bits = std::bit_cast<std::uint32_t>(value);
        for (std::size_t b = 0; b < 4; ++b)
            out[at++] = static_cast<unsigned char>(bits >> (8 * b));
    }
    return out;
}

// Writes `array` as a .npy file (float32, C order), atomically (io/atomic_file.hpp). Throws
// io_error.
inline void save_npy(const std::filesystem::path& file, const npy_array& array) {
    std::size_t expected = 1;
    for (std::size_t extent : array.shape)
        expected *= extent;
    if (expected != array.values.size())
        throw io_error(file, "",
                       "cannot save: shape " + shape_text(array.shape) + " holds " +
                           std::to_string(expected) + " values but the array has " +
                           std::to_string(array.values.size()));
    io::write_file_atomically(file, npy_bytes(array)); // never a half-written file
}

} // namespace ctnn
