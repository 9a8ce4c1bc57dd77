// Test helpers for tests/io: a scratch directory removed at the end, files written from bytes
// (raw or gzipped with zlib's own gzwrite, independent of the reader under test), random and
// text-like bytes, IDX headers built byte by byte, and a check that a call throws
// ctnn::io_error with the expected words.
#pragma once

#include "ctnn/io/error.hpp"

#include <boost/test/unit_test.hpp>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "support/temp_dir.hpp"

namespace ctnn::test {

using bytes_t = std::vector<unsigned char>;

// Removes `file` before it is written again: truncating a file that holds data makes ext4
// flush it to disk (its auto_da_alloc rule), which made each rewrite take milliseconds.
inline void remove_old(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
}

inline std::filesystem::path write_file(const std::filesystem::path& file, const bytes_t& bytes) {
    remove_old(file);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + file.string());
    return file;
}

// `n` bytes from a seeded generator: incompressible and the same every run.
inline bytes_t random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    bytes_t out(n);
    for (auto& b : out)
        b = static_cast<unsigned char>(rng());
    return out;
}

// Compressible but not trivial: short runs of a few symbols.
inline bytes_t text_like_bytes(std::size_t n) {
    bytes_t out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<unsigned char>("abcab cc\n"[(i * i / 7 + i / 13) % 9]);
    return out;
}

inline bytes_t read_raw(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return bytes_t(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes `bytes` gzip-compressed with zlib's gzwrite.
inline std::filesystem::path write_gzip(const std::filesystem::path& file, const bytes_t& bytes) {
    remove_old(file);
    gzFile gz = gzopen(file.c_str(), "wb9");
    if (!gz)
        throw std::runtime_error("gzopen failed for " + file.string());
    const int written =
        bytes.empty() ? 0 : gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
    if (gzclose(gz) != Z_OK || written != static_cast<int>(bytes.size()))
        throw std::runtime_error("gzwrite failed for " + file.string());
    return file;
}

// The gzip-compressed form of `bytes`, made through a file in `dir`.
inline bytes_t gzip(const temp_dir& dir, const bytes_t& bytes) {
    return read_raw(write_gzip(dir / "gzip_scratch.gz", bytes));
}

inline void append_be32(bytes_t& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<unsigned char>(v >> shift));
}

// An IDX header: 0, 0, type code, rank, then the dimensions big-endian.
inline bytes_t idx_header(unsigned char type, std::initializer_list<std::uint32_t> dims) {
    bytes_t out{0, 0, type, static_cast<unsigned char>(dims.size())};
    for (const std::uint32_t d : dims)
        append_be32(out, d);
    return out;
}

inline bytes_t concat(bytes_t a, const bytes_t& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// `f()` must throw ctnn::io_error whose message names `file` and contains every one of `words`.
template <class F>
void check_io_error(F&& f, const std::filesystem::path& file,
                    std::initializer_list<std::string_view> words) {
    try {
        f();
        BOOST_ERROR("no ctnn::io_error for " << file);
    } catch (const ctnn::io_error& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE("io_error: " << message);
        BOOST_TEST(message.starts_with(file.string() + ": "),
                   "'" << message << "' does not start with the file name");
        BOOST_TEST(e.file() == file);
        for (const std::string_view word : words)
            BOOST_TEST(message.find(word) != std::string::npos,
                       "'" << message << "' lacks '" << word << "'");
    }
}

} // namespace ctnn::test
