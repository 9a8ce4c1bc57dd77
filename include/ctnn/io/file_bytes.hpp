// ctnn/io/file_bytes.hpp - a whole file's bytes, refusing more than a size limit.
//
//   std::string text = ctnn::io::read_file_limited<std::string>("data.csv", 1 << 28);
//
// The one place the readers (CSV, labelled text, IDX through gzip.hpp) touch the file system:
// a missing file, a directory, an unreadable file, a read error and a file over the limit each
// give an io_error naming the file (and the byte, for the last two). The limit is checked
// against the size on disk first and again while reading (the file may grow, or be a pipe).
// Standard library only.
#pragma once

#include "ctnn/io/error.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

namespace ctnn::io {

// The largest file (after decompression) the readers accept unless told otherwise.
inline constexpr std::uint64_t default_max_bytes = std::uint64_t{1} << 30;

namespace detail {
struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
} // namespace detail

// Bytes is std::string or std::vector<unsigned char>.
template <class Bytes>
[[nodiscard]] Bytes read_file_limited(const std::filesystem::path& file, std::uint64_t max_bytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    if (status.type() == fs::file_type::not_found)
        throw io_error(file, "", "no such file");
    if (ec)
        throw io_error(file, "", "cannot access the file: " + ec.message());
    if (status.type() == fs::file_type::directory)
        throw io_error(file, "", "is a directory, not a file");
    const auto too_large = [&] {
        return io_error(file, byte_position(max_bytes),
                        "the file is larger than the limit of " + std::to_string(max_bytes) +
                            " bytes (pass a larger max_bytes to read it)");
    };
    const std::uintmax_t size = fs::file_size(file, ec);
    if (!ec && size > max_bytes)
        throw too_large();

    errno = 0;
    const std::unique_ptr<std::FILE, detail::file_closer> stream(std::fopen(file.c_str(), "rb"));
    if (!stream)
        throw io_error(file, "",
                       "cannot open the file for reading: " +
                           std::generic_category().message(errno));
    Bytes bytes;
    if (!ec)
        bytes.reserve(static_cast<std::size_t>(size));
    constexpr std::size_t chunk = std::size_t{1} << 16;
    for (;;) {
        const std::size_t old_size = bytes.size();
        bytes.resize(old_size + chunk);
        errno = 0;
        const std::size_t got = std::fread(bytes.data() + old_size, 1, chunk, stream.get());
        bytes.resize(old_size + got);
        if (bytes.size() > max_bytes)
            throw too_large();
        if (got < chunk) {
            if (std::ferror(stream.get()))
                throw io_error(file, byte_position(bytes.size()),
                               "read error: " + std::generic_category().message(errno));
            return bytes;
        }
    }
}

} // namespace ctnn::io
