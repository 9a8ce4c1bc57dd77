// ctnn/serialize/weights_file.hpp - save and load a network's weights, versioned and checked.
//
//   ctnn::save_weights(*net, "classifier.ctnnw");   // atomic: the old file survives a crash
//   ctnn::load_weights(*net, "classifier.ctnnw");   // all or nothing
//   std::vector<unsigned char> bytes = ctnn::weights_file_bytes(*net);   // the same in memory
//   ctnn::load_weights_from_bytes(*net, bytes, "embedded weights");
//
// A file holds every array net.visit_parameters() reports (dense kernels and biases, batch
// normalization's moving statistics, ...) under the network's architecture signature
// (serialize/architecture.hpp). Loading refuses, with a ctnn::weights_file_error naming the
// file, the byte and the problem, a file that is missing, truncated, corrupted (checksum), not a
// weight file (magic), of a newer format version, or of another architecture (then a
// ctnn::architecture_mismatch whose message names both signatures). The whole file is read and
// verified before the first number is copied: on any error the network is unchanged.
// Optimizer state is not saved: these files hold what predict needs.
//
// Format, version 1. Every integer and float is little-endian, whatever the machine:
//   offset  size  field
//   0       8     magic "CTNNWGT\0"
//   8       4     u32 format version (1)
//   12      4     u32 endianness marker 0x01020304, i.e. the bytes 04 03 02 01
//   16      4     u32 signature length S, then S bytes: architecture_signature<Net>() (UTF-8)
//   ..      4     u32 array count N, then N arrays, each:
//                   u32 layer index, u32 name length L, L bytes name ("kernel"),
//                   u64 rows, u64 columns, rows * columns f32 values, row-major (the logical
//                   values: a dense kernel is [inputs][units], without the SIMD padding)
//   ..      8     u64 FNV-1a (64-bit) hash of every byte before it
// Nothing follows the hash. The hash is FNV-1a rather than CRC-32 so that this header needs
// only the standard library (zlib is optional in ctnn): each FNV-1a step is a bijection of the
// state, so any change confined to one byte always changes the hash, and across the file a
// random corruption goes unnoticed with a probability of about 2^-64. It guards against damage, not
// forgery.
//
// Saving goes through io::write_file_atomically (io/atomic_file.hpp): a new temporary file beside
// the target, fsync, rename over the target, fsync of the directory. A failure removes the
// temporary and throws, leaving any previous file as it was; a process killed while saving
// leaves the previous file intact (and possibly a stray temporary file). POSIX only.
#pragma once

#include "ctnn/io/atomic_file.hpp"
#include "ctnn/io/error.hpp"
#include "ctnn/io/file_bytes.hpp"
#include "ctnn/layers/parameter_array.hpp"
#include "ctnn/serialize/architecture.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctnn {

// Any failure to save or load a weight file. An io_error: "<file>: <position>: <problem>".
struct weights_file_error : io_error {
    using io_error::io_error;
};

// A weight file written for another network type. what() names both signatures.
struct architecture_mismatch : weights_file_error {
    architecture_mismatch(const std::filesystem::path& file, std::string network_signature,
                          std::string file_signature)
        : weights_file_error(file, "",
                             "the file holds weights for another architecture\n  network: " +
                                 network_signature + "\n  file:    " + file_signature),
          signatures_(std::make_shared<const std::pair<std::string, std::string>>(
              std::move(network_signature), std::move(file_signature))) {}

    [[nodiscard]] const std::string& network_signature() const noexcept {
        return signatures_->first;
    }
    [[nodiscard]] const std::string& file_signature() const noexcept { return signatures_->second; }

private:
    std::shared_ptr<const std::pair<std::string, std::string>> signatures_; // nothrow copies
};

namespace weights_format {
inline constexpr std::array<char, 8> magic{'C', 'T', 'N', 'N', 'W', 'G', 'T', '\0'};
inline constexpr std::uint32_t version = 1;
inline constexpr std::uint32_t endianness_marker = 0x01020304;
} // namespace weights_format

namespace detail {

// FNV-1a, 64-bit.
inline constexpr std::uint64_t fnv1a_offset = 0xcbf29ce484222325ull;
[[nodiscard]] constexpr std::uint64_t fnv1a_64(const unsigned char* bytes, std::size_t n,
                                               std::uint64_t hash = fnv1a_offset) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ull;
    }
    return hash;
}

// Little-endian encoding whatever the host's byte order, into a buffer sized in advance.
class byte_writer {
public:
    explicit byte_writer(std::size_t size) : bytes_(size) {}
    template <class U>
    void le(U value) noexcept {
        for (std::size_t i = 0; i < sizeof(U); ++i)
            bytes_[at_++] = static_cast<unsigned char>(value >> (8 * i));
    }
    void f32(float value) noexcept { le(std::bit_cast<std::uint32_t>(value)); }
    void text(std::string_view s) noexcept {
        for (char c : s)
            bytes_[at_++] = static_cast<unsigned char>(c);
    }
    [[nodiscard]] std::size_t size() const noexcept { return at_; }
    [[nodiscard]] const unsigned char* data() const noexcept { return bytes_.data(); }
    [[nodiscard]] std::vector<unsigned char> take() && { return std::move(bytes_); }

private:
    std::vector<unsigned char> bytes_;
    std::size_t at_ = 0;
};
template <class U>
[[nodiscard]] U get_le(const unsigned char* p) noexcept {
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i)
        value |= static_cast<U>(static_cast<U>(p[i]) << (8 * i));
    return value;
}
[[nodiscard]] inline float get_f32(const unsigned char* p) noexcept {
    return std::bit_cast<float>(get_le<std::uint32_t>(p));
}

// A checked reader over a file's bytes: every read names what it reads, so that a truncated
// file says where and what it was reading.
class weights_reader {
public:
    weights_reader(const std::filesystem::path& file, std::span<const unsigned char> bytes,
                   std::size_t end)
        : file_(file), bytes_(bytes), end_(end) {}

    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

    const unsigned char* take(std::size_t n, const char* what) {
        if (end_ - offset_ < n)
            throw weights_file_error(file_, io::byte_position(offset_),
                                     std::string("the file ends while reading ") + what + " (" +
                                         std::to_string(n) + " bytes needed, " +
                                         std::to_string(end_ - offset_) + " left): truncated?");
        const unsigned char* p = bytes_.data() + offset_;
        offset_ += n;
        return p;
    }
    template <class U>
    U read(const char* what) {
        return get_le<U>(take(sizeof(U), what));
    }

    [[noreturn]] void fail(std::size_t at, std::string problem) const {
        throw weights_file_error(file_, io::byte_position(at), std::move(problem));
    }

private:
    const std::filesystem::path& file_;
    std::span<const unsigned char> bytes_;
    std::size_t end_;
    std::size_t offset_ = 0;
};

struct stored_array {
    std::uint32_t layer;
    std::string name;
    std::uint64_t rows, columns;
    std::size_t values_offset; // into the file's bytes
    std::size_t header_offset; // for error messages
};

struct parsed_weights {
    std::string signature;
    std::vector<stored_array> arrays;
};

// Checks everything that does not depend on the network: header, structure, hash.
inline std::string hex64(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

inline parsed_weights parse_weights(const std::filesystem::path& file,
                                    std::span<const unsigned char> bytes) {
    weights_reader in(file, bytes, bytes.size());

    // Magic: a shorter file whose bytes all match is truncated; anything else is not ours.
    const std::size_t magic_seen = std::min(bytes.size(), weights_format::magic.size());
    for (std::size_t i = 0; i < magic_seen; ++i)
        if (bytes[i] != static_cast<unsigned char>(weights_format::magic[i]))
            in.fail(0, "not a ctnn weight file (it does not start with \"CTNNWGT\\0\")");
    in.take(weights_format::magic.size(), "the magic number");

    const std::size_t version_at = in.offset();
    const auto version = in.read<std::uint32_t>("the format version");
    if (version != weights_format::version)
        in.fail(version_at, "unsupported format version " + std::to_string(version) +
                                " (this ctnn reads version " +
                                std::to_string(weights_format::version) + ")");
    const std::size_t marker_at = in.offset();
    const auto marker = in.read<std::uint32_t>("the endianness marker");
    if (marker != weights_format::endianness_marker)
        in.fail(marker_at, marker == 0x04030201u
                               ? "the file was written big-endian; version 1 files are "
                                 "little-endian (written by a faulty writer?)"
                               : "corrupt endianness marker (expected the bytes 04 03 02 01)");

    parsed_weights parsed;
    const auto signature_size = in.read<std::uint32_t>("the signature length");
    const unsigned char* signature = in.take(signature_size, "the architecture signature");
    parsed.signature.assign(reinterpret_cast<const char*>(signature), signature_size);

    const std::size_t count_at = in.offset();
    const auto count = in.read<std::uint32_t>("the array count");
    // Each array takes at least 24 bytes: a count beyond that is corruption, not a reason to
    // reserve gigabytes.
    if (count > bytes.size() / 24)
        in.fail(count_at, "corrupt array count " + std::to_string(count) + " for a file of " +
                              std::to_string(bytes.size()) + " bytes");
    parsed.arrays.reserve(count);
    for (std::uint32_t a = 0; a < count; ++a) {
        stored_array array{};
        array.header_offset = in.offset();
        array.layer = in.read<std::uint32_t>("an array's layer index");
        const auto name_size = in.read<std::uint32_t>("an array's name length");
        const unsigned char* name = in.take(name_size, "an array's name");
        array.name.assign(reinterpret_cast<const char*>(name), name_size);
        array.rows = in.read<std::uint64_t>("an array's row count");
        array.columns = in.read<std::uint64_t>("an array's column count");
        const std::size_t left = bytes.size() - in.offset();
        if (array.columns != 0 && array.rows > left / 4 / array.columns)
            in.fail(in.offset(), "the file ends before the " + std::to_string(array.rows) + "x" +
                                     std::to_string(array.columns) + " values of '" + array.name +
                                     "' (" + std::to_string(left) +
                                     " bytes left): truncated or corrupted?");
        array.values_offset = in.offset();
        in.take(static_cast<std::size_t>(array.rows * array.columns) * 4, "an array's values");
        parsed.arrays.push_back(std::move(array));
    }

    const std::size_t hash_at = in.offset();
    const std::uint64_t stored_hash = in.read<std::uint64_t>("the checksum");
    if (in.offset() != bytes.size())
        in.fail(in.offset(), std::to_string(bytes.size() - in.offset()) +
                                 " unexpected bytes after the checksum (corrupted file?)");
    const std::uint64_t actual_hash = fnv1a_64(bytes.data(), hash_at);
    if (stored_hash != actual_hash)
        in.fail(hash_at, "checksum mismatch: the file is corrupted (the contents hash to " +
                             hex64(actual_hash) + ", the file says " + hex64(stored_hash) + ")");
    return parsed;
}

} // namespace detail

// The bytes of a weight file for `net` (what save_weights writes).
template <class Net>
[[nodiscard]] std::vector<unsigned char> weights_file_bytes(const Net& net) {
    const std::string& signature = architecture_signature<Net>();
    const std::vector<architecture_array>& arrays = architecture_arrays<Net>();
    std::size_t size = 8 + 4 + 4 + 4 + signature.size() + 4 + 8;
    for (const architecture_array& a : arrays)
        size += 4 + 4 + a.name.size() + 8 + 8 + 4 * a.size();

    detail::byte_writer out(size);
    out.text(std::string_view(weights_format::magic.data(), weights_format::magic.size()));
    out.le(weights_format::version);
    out.le(weights_format::endianness_marker);
    out.le(static_cast<std::uint32_t>(signature.size()));
    out.text(signature);
    out.le(static_cast<std::uint32_t>(arrays.size()));
    net.visit_parameters([&](std::size_t layer, parameter_array<const float> array) {
        out.le(static_cast<std::uint32_t>(layer));
        out.le(static_cast<std::uint32_t>(array.name.size()));
        out.text(array.name);
        out.le(static_cast<std::uint64_t>(array.rows));
        out.le(static_cast<std::uint64_t>(array.columns));
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c)
                out.f32(array(r, c));
    });
    out.le(detail::fnv1a_64(out.data(), out.size()));
    return std::move(out).take();
}

// Writes net's weights to `file`, replacing it atomically. Throws weights_file_error.
template <class Net>
void save_weights(const Net& net, const std::filesystem::path& file) {
    const std::vector<unsigned char> bytes = weights_file_bytes(net);
    try {
        io::write_file_atomically(file, bytes);
    } catch (const io_error& e) {
        throw weights_file_error(e.file(), e.position(), e.problem());
    }
}

// load_weights from a weight file's bytes held in memory; `file` only names them in errors.
template <class Net>
void load_weights_from_bytes(Net& net, std::span<const unsigned char> bytes,
                             const std::filesystem::path& file) {
    const std::string& signature = architecture_signature<Net>();
    const std::vector<architecture_array>& expected = architecture_arrays<Net>();
    const detail::parsed_weights parsed = detail::parse_weights(file, bytes);
    if (parsed.signature != signature)
        throw architecture_mismatch(file, signature, parsed.signature);
    // Same signature, so the same arrays; a file that disagrees was written wrongly.
    if (parsed.arrays.size() != expected.size())
        throw weights_file_error(file, "",
                                 "the file holds " + std::to_string(parsed.arrays.size()) +
                                     " arrays but its signature has " +
                                     std::to_string(expected.size()));
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const detail::stored_array& s = parsed.arrays[i];
        const architecture_array& e = expected[i];
        if (s.layer != e.layer || s.name != e.name || s.rows != e.rows || s.columns != e.columns)
            throw weights_file_error(
                file, io::byte_position(s.header_offset),
                "array " + std::to_string(i) + " is layer " + std::to_string(s.layer) + " '" +
                    s.name + "' " + std::to_string(s.rows) + "x" + std::to_string(s.columns) +
                    " where the signature has layer " + std::to_string(e.layer) + " '" + e.name +
                    "' " + std::to_string(e.rows) + "x" + std::to_string(e.columns));
    }

    // Verified: now copy (nothing below can fail).
    std::size_t index = 0;
    net.visit_parameters([&](std::size_t, parameter_array<float> array) {
        const unsigned char* p = bytes.data() + parsed.arrays[index++].values_offset;
        for (std::size_t r = 0; r < array.rows; ++r)
            for (std::size_t c = 0; c < array.columns; ++c, p += 4)
                array(r, c) = detail::get_f32(p);
    });
}

// Reads weights saved from a network of the same type into `net`, or throws (net unchanged).
template <class Net>
void load_weights(Net& net, const std::filesystem::path& file) {
    std::uint64_t expected_size = 32 + architecture_signature<Net>().size();
    for (const architecture_array& a : architecture_arrays<Net>())
        expected_size += 24 + a.name.size() + 4 * a.size();
    std::vector<unsigned char> bytes;
    try {
        // Room for a file of a larger architecture, so that the mismatch can be reported.
        bytes = io::read_file_limited<std::vector<unsigned char>>(
            file, expected_size + (std::uint64_t{1} << 30));
    } catch (const io_error& e) {
        throw weights_file_error(e.file(), e.position(), e.problem());
    }
    load_weights_from_bytes(net, bytes, file);
}

} // namespace ctnn
