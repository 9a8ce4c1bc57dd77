// ctnn/io/gzip.hpp - read a whole file into memory, gunzipping it when it is gzip-compressed.
//
//   std::vector<unsigned char> bytes = ctnn::io::read_file_bytes("t10k-labels-idx1-ubyte.gz");
//
// A file that starts with the gzip magic bytes (1f 8b) is decompressed with zlib (several
// concatenated gzip members are read one after the other, like gunzip does); any other file is
// returned as it is. Every failure is a ctnn::io_error naming the file: missing, a directory,
// unreadable, corrupt or truncated gzip data, trailing garbage after the gzip data, or a result
// larger than `max_bytes` (1 GiB by default: a tiny "gzip bomb" must not exhaust memory).
//
// Decompression goes through io/inflater.hpp. This header needs zlib: link with the CMake target
// ctnn::io (ctnn::ctnn + ZLIB::ZLIB).
#pragma once

#include "ctnn/io/error.hpp"
#include "ctnn/io/file_bytes.hpp"
#include "ctnn/io/inflater.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace ctnn::io {

// A file's bytes, and whether they were gunzipped (byte positions in error messages then refer
// to the decompressed data).
struct file_contents {
    std::vector<unsigned char> bytes;
    bool decompressed = false;
};

// True when `bytes` begin with the gzip magic number 1f 8b.
[[nodiscard]] inline bool has_gzip_magic(std::span<const unsigned char> bytes) noexcept {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

namespace detail {

inline std::string limit_text(std::uint64_t max_bytes) {
    return "the limit of " + std::to_string(max_bytes) + " bytes";
}

} // namespace detail

// Decompresses gzip data (one or more members) held in memory; `file` only names the source in
// error messages. Positions in those messages are offsets into `compressed`.
[[nodiscard]] inline std::vector<unsigned char>
gunzip_bytes(std::span<const unsigned char> compressed, const std::filesystem::path& file,
             std::uint64_t max_bytes = default_max_bytes) {
    if (!has_gzip_magic(compressed))
        throw io_error(file, byte_position(0), "not gzip data (it does not start with 1f 8b)");

    inflater z(inflate_format::gzip, file);

    // Produce one byte too many to detect the excess.
    const std::uint64_t cap = max_bytes == UINT64_MAX ? max_bytes : max_bytes + 1;

    // The gzip trailer's ISIZE (size mod 2^32) is a hint for the first allocation; it is not
    // trusted beyond what deflate could produce from this input (at most about 1032:1).
    std::uint64_t hint = std::uint64_t{1} << 16;
    if (compressed.size() >= 18) {
        const unsigned char* t = compressed.data() + compressed.size() - 4;
        const std::uint64_t isize = std::uint64_t{t[0]} | std::uint64_t{t[1]} << 8 |
                                    std::uint64_t{t[2]} << 16 | std::uint64_t{t[3]} << 24;
        hint = std::max(hint, std::min(isize, std::uint64_t{compressed.size()} * 1032));
    }
    std::vector<unsigned char> out(static_cast<std::size_t>(std::min(hint, cap)));

    std::size_t consumed = 0; // bytes of `compressed` zlib has used
    std::size_t produced = 0; // bytes of `out` filled so far
    for (;;) {
        if (produced == out.size()) {
            if (produced >= cap)
                break; // a limit near 2^64 cannot be exceeded in memory: report it anyway
            out.resize(static_cast<std::size_t>(
                std::min<std::uint64_t>(std::max<std::uint64_t>(2 * out.size(), 1 << 16), cap)));
        }
        const inflate_step step =
            z.inflate(compressed.subspan(consumed), std::span(out).subspan(produced));
        consumed += step.consumed;
        produced += step.produced;
        if (produced > max_bytes)
            break;

        switch (step.status) {
        case inflate_status::progress:
            break;
        case inflate_status::finished:
            if (consumed == compressed.size()) {
                out.resize(produced);
                return out;
            }
            if (!has_gzip_magic(compressed.subspan(consumed)))
                throw io_error(file, byte_position(consumed),
                               std::to_string(compressed.size() - consumed) +
                                   " bytes of trailing garbage after the end of the gzip data");
            z.reset(); // another member follows
            break;
        case inflate_status::stalled:
            if (consumed == compressed.size())
                throw io_error(file, byte_position(compressed.size()),
                               "the gzip data ends early after " + std::to_string(produced) +
                                   " decompressed bytes (truncated or corrupt file?)");
            break; // only the output was full: it grows above
        case inflate_status::failed:
            throw io_error(file, byte_position(consumed), z.failure());
        }
    }
    throw io_error(file, byte_position(consumed),
                   "the decompressed data exceeds " + detail::limit_text(max_bytes) +
                       " (a gzip bomb? pass a larger max_bytes to read it)");
}

// The file's bytes, gunzipped if the file starts with the gzip magic number.
[[nodiscard]] inline file_contents read_file_contents(const std::filesystem::path& file,
                                                      std::uint64_t max_bytes = default_max_bytes) {
    file_contents result;
    result.bytes = read_file_limited<std::vector<unsigned char>>(file, max_bytes);
    if (has_gzip_magic(result.bytes)) {
        result.bytes = gunzip_bytes(result.bytes, file, max_bytes);
        result.decompressed = true;
    }
    return result;
}

// The file's bytes, gunzipped if the file starts with the gzip magic number.
[[nodiscard]] inline std::vector<unsigned char>
read_file_bytes(const std::filesystem::path& file, std::uint64_t max_bytes = default_max_bytes) {
    return read_file_contents(file, max_bytes).bytes;
}

} // namespace ctnn::io
