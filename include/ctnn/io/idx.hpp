// ctnn/io/idx.hpp - read IDX files, the format of MNIST and Fashion-MNIST, raw or gzipped.
//
//   auto images = ctnn::io::read_idx_images("t10k-images-idx3-ubyte.gz", 28, 28);
//   auto labels = ctnn::io::read_idx_labels("t10k-labels-idx1-ubyte.gz", 10);
//   // images.values: images.count * 784 floats in [0, 1], row-major, image after image
//   // labels.values: labels.count class indices 0..9 stored as floats
//   auto any = ctnn::io::read_idx("file.idx"); // any element type and rank: dims + values
//   // Bytes already in memory (decompressed): parse_idx, parse_idx_images, parse_idx_labels,
//   // with the same checks and messages as the readers of paths.
//
// An IDX file is a big-endian header - the bytes 0, 0, an element type code and the rank, then
// `rank` 32-bit dimensions - followed by the elements, row-major. Every malformed file is refused
// with a ctnn::io_error naming the file, the byte and the problem (wrong magic, unknown type,
// rank not 1..5, a zero dimension, dimensions whose size overflows, truncated data, trailing
// bytes, labels out of range); nothing is guessed. Byte positions in a gzipped file count in
// the decompressed data. Needs zlib (see gzip.hpp): link with ctnn::io.
#pragma once

#include "ctnn/io/error.hpp"
#include "ctnn/io/gzip.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ctnn::io {

// IDX element types, by their code in byte 2 of the file.
enum class idx_type : unsigned char {
    u8 = 0x08,  // unsigned byte
    i8 = 0x09,  // signed byte
    i16 = 0x0B, // 16-bit signed integer
    i32 = 0x0C, // 32-bit signed integer
    f32 = 0x0D, // IEEE 754 single precision
    f64 = 0x0E, // IEEE 754 double precision
};

inline constexpr std::size_t idx_max_rank = 5;

[[nodiscard]] constexpr bool is_idx_type_code(unsigned char code) noexcept {
    return code == 0x08 || code == 0x09 || code == 0x0B || code == 0x0C || code == 0x0D ||
           code == 0x0E;
}

[[nodiscard]] constexpr std::size_t idx_element_size(idx_type type) noexcept {
    switch (type) {
    case idx_type::u8:
    case idx_type::i8:
        return 1;
    case idx_type::i16:
        return 2;
    case idx_type::i32:
    case idx_type::f32:
        return 4;
    case idx_type::f64:
        return 8;
    }
    return 0;
}

[[nodiscard]] constexpr const char* idx_type_name(idx_type type) noexcept {
    switch (type) {
    case idx_type::u8:
        return "unsigned byte (0x08)";
    case idx_type::i8:
        return "signed byte (0x09)";
    case idx_type::i16:
        return "int16 (0x0B)";
    case idx_type::i32:
        return "int32 (0x0C)";
    case idx_type::f32:
        return "float32 (0x0D)";
    case idx_type::f64:
        return "float64 (0x0E)";
    }
    return "unknown";
}

// A whole IDX file: its element type, its dimensions and its elements converted to float.
struct idx_array {
    idx_type type = idx_type::u8;
    std::vector<std::uint32_t> dims;
    std::vector<float> values; // row-major; values.size() is the product of dims
};

// Images [count, rows, cols] as floats in [0, 1] (byte / 255), image after image, row-major.
struct idx_images {
    std::size_t count = 0;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<float> values; // count * rows * cols
};

// Class labels, each an integer in [0, classes) stored as a float.
struct idx_labels {
    std::size_t count = 0;
    std::size_t classes = 0;
    std::vector<float> values; // count
};

namespace detail {

// Where the bytes came from, for error messages.
struct idx_source {
    const std::filesystem::path& file;
    bool decompressed;

    [[nodiscard]] io_error error(std::uint64_t offset, const std::string& problem) const {
        return io_error(file, byte_position(offset) + (decompressed ? " (decompressed)" : ""),
                        problem);
    }
};

inline std::string idx_dims_text(std::span<const std::uint32_t> dims) {
    std::string text = "[";
    for (std::size_t i = 0; i < dims.size(); ++i)
        text += (i ? ", " : "") + std::to_string(dims[i]);
    return text + "]";
}

inline std::string hex_byte(unsigned char b) {
    constexpr const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

inline std::string shortest_text(double v) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    return std::string(buffer.data(), result.ptr);
}

inline std::uint32_t read_be32(const unsigned char* p) noexcept {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
           std::uint32_t{p[3]};
}

// Element `i` of data of the given type (big-endian), exactly: every IDX type fits a double.
inline double idx_element(const unsigned char* data, idx_type type, std::size_t i) noexcept {
    const unsigned char* p = data + i * idx_element_size(type);
    switch (type) {
    case idx_type::u8:
        return p[0];
    case idx_type::i8:
        return static_cast<std::int8_t>(p[0]);
    case idx_type::i16:
        return static_cast<std::int16_t>(std::uint16_t(p[0] << 8 | p[1]));
    case idx_type::i32:
        return static_cast<std::int32_t>(read_be32(p));
    case idx_type::f32:
        return std::bit_cast<float>(read_be32(p));
    case idx_type::f64:
        return std::bit_cast<double>(std::uint64_t{read_be32(p)} << 32 | read_be32(p + 4));
    }
    return 0;
}

// The validated header: type, dims, where the data starts and how many elements follow.
struct idx_header {
    idx_type type = idx_type::u8;
    std::vector<std::uint32_t> dims;
    std::size_t data_offset = 0;
    std::size_t count = 0;
};

inline idx_header parse_idx_header(std::span<const unsigned char> bytes, const idx_source& src) {
    const std::size_t size = bytes.size();
    if (size == 0)
        throw src.error(0, "the file is empty (an IDX file starts with a 4-byte magic number)");
    if (size < 4)
        throw src.error(size, "the file ends after " + std::to_string(size) +
                                  " bytes, inside the 4-byte IDX magic number (truncated?)");
    if (bytes[0] != 0 || bytes[1] != 0)
        throw src.error(0, "not an IDX file: the magic number starts with " + hex_byte(bytes[0]) +
                               " " + hex_byte(bytes[1]) + ", expected 0x00 0x00");
    if (!is_idx_type_code(bytes[2]))
        throw src.error(2, "unknown IDX element type code " + hex_byte(bytes[2]) +
                               " (known: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, "
                               "0x0C int32, 0x0D float32, 0x0E float64)");
    idx_header header;
    header.type = static_cast<idx_type>(bytes[2]);
    const std::size_t rank = bytes[3];
    if (rank == 0 || rank > idx_max_rank)
        throw src.error(3, "rank " + std::to_string(rank) +
                               " is not supported: ctnn reads IDX files of rank 1 to 5");
    header.data_offset = 4 + 4 * rank;
    if (size < header.data_offset)
        throw src.error(size, "the file ends after " + std::to_string(size) +
                                  " bytes, inside the header of " +
                                  std::to_string(header.data_offset) + " bytes for rank " +
                                  std::to_string(rank) + " (truncated?)");
    for (std::size_t k = 0; k < rank; ++k) {
        header.dims.push_back(read_be32(bytes.data() + 4 + 4 * k));
        if (header.dims.back() == 0)
            throw src.error(4 + 4 * k, "dimension " + std::to_string(k) +
                                           " is 0; every dimension must be at least 1");
    }

    // Overflow-safe: the element count and byte count are computed in 64 bits with checks, and
    // only compared with the bytes actually present before anything is allocated.
    constexpr std::uint64_t max64 = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t element_size = idx_element_size(header.type);
    std::uint64_t expected = element_size;
    for (const std::uint32_t d : header.dims) {
        if (expected > max64 / d)
            throw src.error(4, "the dimensions " + idx_dims_text(header.dims) +
                                   " describe more than 2^64 bytes of data (corrupt header?)");
        expected *= d;
    }
    const std::uint64_t present = size - header.data_offset;
    const std::string what = " data bytes for dimensions " + idx_dims_text(header.dims) + " of " +
                             idx_type_name(header.type);
    if (present < expected)
        throw src.error(size, "the file ends after " + std::to_string(present) + " of " +
                                  std::to_string(expected) + what + " (truncated?)");
    if (present > expected)
        throw src.error(header.data_offset + expected, std::to_string(present - expected) +
                                                           " trailing bytes after the " +
                                                           std::to_string(expected) + what);
    header.count = static_cast<std::size_t>(expected / element_size);
    return header;
}

inline idx_array convert_idx(std::span<const unsigned char> bytes, const idx_source& src) {
    idx_header header = parse_idx_header(bytes, src);
    idx_array array;
    array.type = header.type;
    array.values.resize(header.count);
    const unsigned char* data = bytes.data() + header.data_offset;
    if (header.type == idx_type::u8) {
        for (std::size_t i = 0; i < header.count; ++i)
            array.values[i] = data[i];
    } else {
        for (std::size_t i = 0; i < header.count; ++i) {
            const double v = idx_element(data, header.type, i);
            // A float64 beyond float's range would silently become infinity: refuse it.
            if (std::isfinite(v) && std::abs(v) > std::numeric_limits<float>::max())
                throw src.error(header.data_offset + i * idx_element_size(header.type),
                                "element " + std::to_string(i) + " (" + shortest_text(v) +
                                    ") is too large for a float");
            array.values[i] = static_cast<float>(v);
        }
    }
    array.dims = std::move(header.dims);
    return array;
}

} // namespace detail

// Parses the bytes of an (already decompressed) IDX file; `file` names it in error messages.
[[nodiscard]] inline idx_array parse_idx(std::span<const unsigned char> bytes,
                                         const std::filesystem::path& file) {
    return detail::convert_idx(bytes, detail::idx_source{file, false});
}

// Reads an IDX file of any element type and rank 1..5, gzipped or not.
[[nodiscard]] inline idx_array read_idx(const std::filesystem::path& file,
                                        std::uint64_t max_bytes = default_max_bytes) {
    const file_contents contents = read_file_contents(file, max_bytes);
    return detail::convert_idx(contents.bytes, detail::idx_source{file, contents.decompressed});
}

namespace detail {

inline idx_images convert_idx_images(std::span<const unsigned char> bytes, std::size_t rows,
                                     std::size_t cols, const idx_source& src) {
    const idx_header header = parse_idx_header(bytes, src);
    const std::string wanted =
        "[count, " + std::to_string(rows) + ", " + std::to_string(cols) + "]";
    if (header.dims.size() != 3)
        throw src.error(3, "expected images " + wanted + " (rank 3), the file has rank " +
                               std::to_string(header.dims.size()) + " " +
                               idx_dims_text(header.dims) +
                               (header.dims.size() == 1 ? " (a label file?)" : ""));
    if (header.dims[1] != rows || header.dims[2] != cols)
        throw src.error(8, "expected images of " + std::to_string(rows) + "x" +
                               std::to_string(cols) + " pixels " + wanted + ", the file has " +
                               idx_dims_text(header.dims));
    if (header.type != idx_type::u8)
        throw src.error(2, std::string("expected unsigned byte pixels (0x08), the file holds ") +
                               idx_type_name(header.type));
    idx_images images;
    images.count = header.dims[0];
    images.rows = rows;
    images.cols = cols;
    images.values.resize(header.count);
    const unsigned char* data = bytes.data() + header.data_offset;
    for (std::size_t i = 0; i < header.count; ++i)
        images.values[i] = static_cast<float>(data[i]) / 255.0f;
    return images;
}

// A caller's mistake, not the file's: checked before the file is read.
inline void check_idx_classes(std::size_t classes, const char* function) {
    if (classes == 0)
        throw std::invalid_argument(std::string("ctnn::io::") + function +
                                    ": classes must be at least 1");
}

inline idx_labels convert_idx_labels(std::span<const unsigned char> bytes, std::size_t classes,
                                     const idx_source& src) {
    const idx_header header = parse_idx_header(bytes, src);
    if (header.dims.size() != 1)
        throw src.error(3, "expected labels [count] (rank 1), the file has rank " +
                               std::to_string(header.dims.size()) + " " +
                               idx_dims_text(header.dims) +
                               (header.dims.size() == 3 ? " (an image file?)" : ""));
    if (header.type == idx_type::f32 || header.type == idx_type::f64)
        throw src.error(2, std::string("expected integer labels, the file holds ") +
                               idx_type_name(header.type));
    idx_labels labels;
    labels.count = header.count;
    labels.classes = classes;
    labels.values.resize(header.count);
    const unsigned char* data = bytes.data() + header.data_offset;
    const std::size_t element_size = idx_element_size(header.type);
    for (std::size_t i = 0; i < header.count; ++i) {
        const double label = idx_element(data, header.type, i);
        if (label < 0 || label >= static_cast<double>(classes))
            throw src.error(header.data_offset + i * element_size,
                            "label " + std::to_string(static_cast<std::int64_t>(label)) +
                                " at index " + std::to_string(i) + " is not in [0, " +
                                std::to_string(classes) + ")");
        labels.values[i] = static_cast<float>(label);
    }
    return labels;
}

} // namespace detail

// Images of rows x cols unsigned-byte pixels ([count, rows, cols]) from the bytes of an
// (already decompressed) IDX file, scaled to [0, 1]; `file` names it in error messages.
[[nodiscard]] inline idx_images parse_idx_images(std::span<const unsigned char> bytes,
                                                 std::size_t rows, std::size_t cols,
                                                 const std::filesystem::path& file) {
    return detail::convert_idx_images(bytes, rows, cols, detail::idx_source{file, false});
}

// Reads images of rows x cols unsigned-byte pixels ([count, rows, cols]), scaled to [0, 1].
[[nodiscard]] inline idx_images read_idx_images(const std::filesystem::path& file, std::size_t rows,
                                                std::size_t cols,
                                                std::uint64_t max_bytes = default_max_bytes) {
    const file_contents contents = read_file_contents(file, max_bytes);
    return detail::convert_idx_images(contents.bytes, rows, cols,
                                      detail::idx_source{file, contents.decompressed});
}

// Integer class labels ([count]), each checked to be in [0, classes), from the bytes of an
// (already decompressed) IDX file; `file` names it in error messages.
[[nodiscard]] inline idx_labels parse_idx_labels(std::span<const unsigned char> bytes,
                                                 std::size_t classes,
                                                 const std::filesystem::path& file) {
    detail::check_idx_classes(classes, "parse_idx_labels");
    return detail::convert_idx_labels(bytes, classes, detail::idx_source{file, false});
}

// Reads integer class labels ([count]) and checks that each is in [0, classes).
[[nodiscard]] inline idx_labels read_idx_labels(const std::filesystem::path& file,
                                                std::size_t classes,
                                                std::uint64_t max_bytes = default_max_bytes) {
    detail::check_idx_classes(classes, "read_idx_labels");
    const file_contents contents = read_file_contents(file, max_bytes);
    return detail::convert_idx_labels(contents.bytes, classes,
                                      detail::idx_source{file, contents.decompressed});
}

} // namespace ctnn::io
