// ctnn/io/zip.hpp - the entries of a ZIP archive, read whole into memory.
//
//   const ctnn::io::zip_archive zip("weights.npz");
//   for (const ctnn::io::zip_entry& e : zip.entries())
//       std::vector<unsigned char> bytes = zip.read(e);   // or zip.read("arr_0.npy")
//
// Reads what NumPy (np.savez, np.savez_compressed) and Python's zipfile write: stored (method 0)
// and deflated (method 8) entries, Zip64 sizes, offsets and entry counts, an archive comment.
// Names and sizes come from the central directory; every entry's CRC-32 is checked. Everything
// else is refused with a ctnn::io_error naming the file and the byte or the entry: not a ZIP
// archive, a truncated one, multi-volume archives, encryption, other compression methods,
// offsets or sizes outside the archive, data that inflate to another size than declared, and an
// archive or an entry larger than `max_bytes` (1 GiB by default: a tiny "zip bomb" must not
// exhaust memory). Decompression goes through io/inflater.hpp. This header needs zlib: link
// with the CMake target ctnn::io.
#pragma once

#include "ctnn/io/error.hpp"
#include "ctnn/io/file_bytes.hpp"
#include "ctnn/io/inflater.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctnn::io {

// One entry as the central directory describes it.
struct zip_entry {
    std::string name;         // as stored, "arr_0.npy" or "dir/file.txt"
    std::uint16_t flags = 0;  // general purpose bits (bit 0: encrypted)
    std::uint16_t method = 0; // 0 stored, 8 deflate
    std::uint32_t crc = 0;    // CRC-32 of the uncompressed bytes
    std::uint64_t compressed_size = 0;
    std::uint64_t uncompressed_size = 0;
    std::uint64_t local_header_offset = 0;
};

class zip_archive {
public:
    explicit zip_archive(const std::filesystem::path& file,
                         std::uint64_t max_bytes = default_max_bytes)
        : zip_archive(read_file_limited<std::vector<unsigned char>>(file, max_bytes), file,
                      max_bytes) {}

    // An archive held in memory; `name` only names it in errors.
    [[nodiscard]] static zip_archive from_bytes(std::vector<unsigned char> bytes,
                                                const std::filesystem::path& name,
                                                std::uint64_t max_bytes = default_max_bytes) {
        return zip_archive(std::move(bytes), name, max_bytes);
    }

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

    // Every entry, in the central directory's order.
    [[nodiscard]] const std::vector<zip_entry>& entries() const noexcept { return entries_; }

    // The entry named exactly `name`, or nullptr.
    [[nodiscard]] const zip_entry* find(std::string_view name) const noexcept {
        for (const zip_entry& e : entries_)
            if (e.name == name)
                return &e;
        return nullptr;
    }

    // The uncompressed bytes of entry `name`; throws io_error if there is none.
    [[nodiscard]] std::vector<unsigned char> read(std::string_view name) const {
        const zip_entry* entry = find(name);
        if (entry == nullptr) {
            std::string known;
            for (const zip_entry& e : entries_)
                known += (known.empty() ? "'" : ", '") + e.name + "'";
            throw io_error(file_, "",
                           "no entry '" + std::string(name) + "' (the archive holds " +
                               (known.empty() ? std::string("nothing") : known) + ")");
        }
        return read(*entry);
    }

    // The uncompressed bytes of `entry` (one of entries()), their CRC-32 checked.
    [[nodiscard]] std::vector<unsigned char> read(const zip_entry& e) const {
        if (e.flags & 1)
            fail_entry(e, "encrypted entries are not supported");
        if (e.method != 0 && e.method != 8)
            fail_entry(e, "compression method " + std::to_string(e.method) +
                              " is not supported (only stored (0) and deflate (8))");
        if (e.uncompressed_size > max_bytes_)
            fail_entry(e, "the entry's " + std::to_string(e.uncompressed_size) +
                              " bytes exceed the limit of " + std::to_string(max_bytes_) +
                              " bytes (pass a larger max_bytes to read it)");
        const std::uint64_t local = e.local_header_offset;
        if (get<std::uint32_t>(local, "a local file header") != 0x04034b50)
            fail(local, "no local file header (\"PK\\3\\4\") for the entry '" + e.name +
                            "' where the central directory says");
        const std::uint64_t data_at = local + 30 +
                                      get<std::uint16_t>(local + 26, "a local name length") +
                                      get<std::uint16_t>(local + 28, "a local extra length");
        if (data_at > bytes_.size() || e.compressed_size > bytes_.size() - data_at)
            fail(data_at, "the data of the entry '" + e.name + "' (" +
                              std::to_string(e.compressed_size) +
                              " bytes) runs past the end of the archive (truncated?)");
        const std::span<const unsigned char> data(bytes_.data() + data_at,
                                                  static_cast<std::size_t>(e.compressed_size));

        std::vector<unsigned char> out;
        if (e.method == 0) {
            if (e.compressed_size != e.uncompressed_size)
                fail_entry(e, "a stored entry whose sizes differ (" +
                                  std::to_string(e.compressed_size) + " and " +
                                  std::to_string(e.uncompressed_size) + " bytes)");
            out.assign(data.begin(), data.end());
        } else {
            out = inflate_entry(e, data);
        }
        if (crc32_z(crc32_z(0, nullptr, 0), out.data(), out.size()) != e.crc)
            fail_entry(e, "CRC-32 mismatch: the entry is corrupted");
        return out;
    }

private:
    zip_archive(std::vector<unsigned char> bytes, const std::filesystem::path& name,
                std::uint64_t max_bytes)
        : file_(name), max_bytes_(max_bytes), bytes_(std::move(bytes)) {
        read_directory();
    }

    std::filesystem::path file_;
    std::uint64_t max_bytes_;
    std::vector<unsigned char> bytes_;
    std::vector<zip_entry> entries_;

    [[noreturn]] void fail(std::uint64_t at, const std::string& problem) const {
        throw io_error(file_, byte_position(at), problem);
    }
    [[noreturn]] void fail_entry(const zip_entry& e, const std::string& problem) const {
        throw io_error(file_, "entry '" + e.name + "'", problem);
    }

    [[noreturn]] void fail_truncated(std::uint64_t at, const char* what) const {
        // Appended piece by piece: "std::string(...) + what + ..." inlined into get() trips
        // GCC 12's -Warray-bounds (a false positive, as GCC bug 105651 for -Wrestrict).
        std::string problem = "the archive ends inside ";
        problem += what;
        problem += " (truncated?)";
        fail(at, problem);
    }

    // Little-endian integer at `at`, or an error naming what was being read.
    template <class U>
    U get(std::uint64_t at, const char* what) const {
        if (at > bytes_.size() || bytes_.size() - at < sizeof(U))
            fail_truncated(at, what);
        U value = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i)
            value |= static_cast<U>(static_cast<U>(bytes_[at + i]) << (8 * i));
        return value;
    }

    // The end-of-central-directory record: the last "PK\5\6" whose comment ends the file.
    std::uint64_t find_end_record() const {
        constexpr std::size_t record = 22;
        if (bytes_.size() < record)
            fail(0, "not a zip archive: too short for an end-of-central-directory record");
        const std::size_t lowest =
            bytes_.size() - std::min<std::size_t>(bytes_.size(), record + 0xffff);
        for (std::size_t at = bytes_.size() - record + 1; at-- > lowest;)
            if (get<std::uint32_t>(at, "a signature") == 0x06054b50 &&
                at + record + get<std::uint16_t>(at + 20, "the comment length") == bytes_.size())
                return at;
        fail(0, "not a zip archive: no end-of-central-directory record (truncated?)");
    }

    void read_directory() {
        const std::uint64_t end = find_end_record();
        if (get<std::uint16_t>(end + 4, "the disk number") != 0 ||
            get<std::uint16_t>(end + 6, "the disk number") != 0)
            fail(end, "multi-volume zip archives are not supported");
        std::uint64_t count = get<std::uint16_t>(end + 10, "the entry count");
        std::uint64_t size = get<std::uint32_t>(end + 12, "the central directory size");
        std::uint64_t offset = get<std::uint32_t>(end + 16, "the central directory offset");
        if (count == 0xffff || size == 0xffffffff || offset == 0xffffffff) {
            // Zip64: a locator just before the end record points at the Zip64 end record.
            if (end < 20 || get<std::uint32_t>(end - 20, "the Zip64 locator") != 0x07064b50)
                fail(end, "the archive needs Zip64 sizes but has no Zip64 end locator");
            const auto record = get<std::uint64_t>(end - 12, "the Zip64 end record offset");
            if (get<std::uint32_t>(record, "the Zip64 end record") != 0x06064b50)
                fail(record, "no Zip64 end-of-central-directory record where the locator says");
            count = get<std::uint64_t>(record + 32, "the Zip64 entry count");
            size = get<std::uint64_t>(record + 40, "the Zip64 central directory size");
            offset = get<std::uint64_t>(record + 48, "the Zip64 central directory offset");
        }
        if (offset > bytes_.size() || size > bytes_.size() - offset)
            fail(end, "the central directory (" + std::to_string(size) + " bytes at byte " +
                          std::to_string(offset) + ") lies outside the archive of " +
                          std::to_string(bytes_.size()) + " bytes");
        if (count > size / 46)
            fail(end, "corrupt entry count " + std::to_string(count));

        std::uint64_t at = offset;
        for (std::uint64_t i = 0; i < count; ++i) {
            if (get<std::uint32_t>(at, "a central directory entry") != 0x02014b50)
                fail(at, "corrupt central directory: entry " + std::to_string(i) +
                             " has no \"PK\\1\\2\" signature");
            zip_entry e;
            e.flags = get<std::uint16_t>(at + 8, "an entry's flags");
            e.method = get<std::uint16_t>(at + 10, "an entry's compression method");
            e.crc = get<std::uint32_t>(at + 16, "an entry's CRC-32");
            e.compressed_size = get<std::uint32_t>(at + 20, "an entry's compressed size");
            e.uncompressed_size = get<std::uint32_t>(at + 24, "an entry's size");
            const auto name_size = get<std::uint16_t>(at + 28, "an entry's name length");
            const auto extra_size = get<std::uint16_t>(at + 30, "an entry's extra length");
            const auto comment_size = get<std::uint16_t>(at + 32, "an entry's comment length");
            e.local_header_offset = get<std::uint32_t>(at + 42, "an entry's header offset");
            const std::uint64_t name_at = at + 46;
            const std::uint64_t next = name_at + name_size + extra_size + comment_size;
            if (next > offset + size)
                fail(at, "corrupt central directory: entry " + std::to_string(i) +
                             " runs past the directory's end");
            e.name.assign(reinterpret_cast<const char*>(bytes_.data() + name_at), name_size);
            read_zip64_extra(e, name_at + name_size, extra_size);
            entries_.push_back(std::move(e));
            at = next;
        }
    }

    // Sizes and offset stored as 0xffffffff are in the Zip64 extra field (id 1), in this order.
    void read_zip64_extra(zip_entry& e, std::uint64_t at, std::uint16_t length) const {
        const std::uint64_t end = at + length;
        std::uint64_t* wanted[] = {&e.uncompressed_size, &e.compressed_size,
                                   &e.local_header_offset};
        bool found = false;
        while (end - at >= 4) {
            const auto id = get<std::uint16_t>(at, "an extra field id");
            const auto size = get<std::uint16_t>(at + 2, "an extra field size");
            if (size > end - at - 4)
                fail(at, "corrupt extra field in the entry '" + e.name + "'");
            if (id == 0x0001) {
                std::uint64_t field = at + 4;
                for (std::uint64_t* value : wanted) {
                    if (*value != 0xffffffff)
                        continue;
                    if (field + 8 > at + 4 + size)
                        fail(field, "the Zip64 extra field of '" + e.name + "' is too short");
                    *value = get<std::uint64_t>(field, "a Zip64 size");
                    field += 8;
                }
                found = true;
            }
            at += 4 + size;
        }
        if (!found && (e.uncompressed_size == 0xffffffff || e.compressed_size == 0xffffffff ||
                       e.local_header_offset == 0xffffffff))
            fail(at, "the entry '" + e.name + "' needs a Zip64 extra field and has none");
    }

    std::vector<unsigned char> inflate_entry(const zip_entry& e,
                                             std::span<const unsigned char> in) const {
        const auto size = static_cast<std::size_t>(e.uncompressed_size);
        // One spare byte: filling it means the data inflate to more than declared.
        std::vector<unsigned char> out(size + 1);
        inflater z(inflate_format::raw_deflate, file_);
        std::size_t consumed = 0, produced = 0;
        for (;;) {
            const inflate_step step =
                z.inflate(in.subspan(consumed), std::span(out).subspan(produced));
            consumed += step.consumed;
            produced += step.produced;
            if (produced > size)
                fail_entry(e, "the data inflates to more than the " + std::to_string(size) +
                                  " bytes the directory declares");
            if (step.status == inflate_status::finished)
                break;
            if (step.status == inflate_status::failed)
                fail_entry(e, z.failure());
            if (step.status == inflate_status::stalled) // the output has room: input is missing
                fail_entry(e, "the compressed data ends early (truncated?)");
        }
        if (produced != size)
            fail_entry(e, "the data inflates to " + std::to_string(produced) +
                              " bytes where the directory declares " + std::to_string(size));
        out.resize(size);
        return out;
    }
};

} // namespace ctnn::io
