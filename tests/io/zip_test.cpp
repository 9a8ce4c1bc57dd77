// Tests ctnn/io/zip.hpp on archives built byte by byte by the tests (stored, deflated with zlib's
// own deflate, the three ways of recording sizes, with and without an archive comment) and two
// written by Python's zipfile module: every entry comes back byte for byte, and every damage -
// too short, not a zip, truncated anywhere, CRC, method, encryption, sizes that lie, corrupt
// deflate data, a size limit - is an io_error naming the file and the problem.
#include "ctnn/io/zip.hpp"

#include "io_test_files.hpp"
#include "support/zip_builder.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace ctnn::test;
namespace io = ctnn::io;

namespace {

std::vector<std::string> names(const io::zip_archive& zip) {
    std::vector<std::string> out;
    for (const io::zip_entry& e : zip.entries())
        out.push_back(e.name);
    return out;
}

// Every entry read, so that damage to any of them shows.
void read_every_entry(const io::zip_archive& zip) {
    for (const io::zip_entry& e : zip.entries())
        static_cast<void>(zip.read(e));
}

// The offset of the only central directory entry of a plain archive with one member.
std::size_t central_entry(const bytes_t& zip, const std::string& name) {
    const std::size_t at = zip.size() - 22 - (46 + name.size());
    BOOST_TEST_REQUIRE(zip[at] == 0x50);
    BOOST_TEST_REQUIRE(zip[at + 1] == 0x4b);
    return at;
}

} // namespace

BOOST_AUTO_TEST_SUITE(zip_test)

BOOST_AUTO_TEST_CASE(archives_written_by_pythons_zipfile) {
    const temp_dir dir;
    const bytes_t stored_bytes = from_hex(python_stored_hex);
    const io::zip_archive stored(write_file(dir / "stored.zip", stored_bytes));
    const io::zip_archive deflated =
        io::zip_archive::from_bytes(from_hex(python_deflated_hex), "deflated.zip");
    BOOST_TEST(stored.file() == dir / "stored.zip");
    BOOST_TEST(deflated.file() == "deflated.zip");
    for (const io::zip_archive* zip : {&stored, &deflated}) {
        BOOST_TEST((names(*zip) == std::vector<std::string>{"kernel.npy", "bias.npy"}));
        BOOST_TEST(zip->entries()[0].uncompressed_size == 152u); // from the Zip64 extra field
        BOOST_TEST(zip->entries()[1].uncompressed_size == 140u);
    }
    BOOST_TEST(stored.entries()[0].method == 0);
    BOOST_TEST(deflated.entries()[0].method == 8);
    BOOST_TEST(deflated.entries()[0].compressed_size == 0x58u);
    BOOST_TEST(deflated.entries()[1].local_header_offset == 0x94u);

    // A stored entry is its own bytes in the archive, after the 30-byte local header, the name
    // and the 20-byte Zip64 extra field: the deflated archive must give the same.
    const bytes_t kernel(stored_bytes.begin() + 30 + 10 + 20,
                         stored_bytes.begin() + 30 + 10 + 20 + 152);
    BOOST_TEST((stored.read("kernel.npy") == kernel));
    BOOST_TEST((deflated.read("kernel.npy") == kernel));
    BOOST_TEST((deflated.read(*deflated.find("bias.npy")) == stored.read("bias.npy")));
}

BOOST_AUTO_TEST_CASE(stored_and_deflated_entries_in_every_zip_style) {
    const bytes_t compressible = text_like_bytes(5000);
    const bytes_t random = random_bytes(3000, 7);
    for (int method : {0, 8})
        for (zip_style style : {zip_style::plain, zip_style::zip64_local, zip_style::zip64_central})
            for (const std::string comment : {"", "a comment PK\x05\x06 with a false signature"}) {
                const bytes_t bytes = make_zip({{"text.txt", compressible, method},
                                                {"dir/random.bin", random, method},
                                                {"empty", {}, method}},
                                               style, comment);
                const auto zip = io::zip_archive::from_bytes(bytes, "a.zip");
                BOOST_TEST((names(zip) ==
                            std::vector<std::string>{"text.txt", "dir/random.bin", "empty"}));
                BOOST_TEST((zip.read("text.txt") == compressible));
                BOOST_TEST((zip.read("dir/random.bin") == random));
                BOOST_TEST(zip.read("empty").empty());
                const io::zip_entry* text = zip.find("text.txt");
                BOOST_TEST_REQUIRE(text != nullptr);
                BOOST_TEST(text->method == method);
                BOOST_TEST(text->uncompressed_size == compressible.size());
                BOOST_TEST(text->crc ==
                           crc32(0, compressible.data(), static_cast<uInt>(compressible.size())));
                if (method == 8)
                    BOOST_TEST(text->compressed_size < compressible.size() / 2);
                else
                    BOOST_TEST(text->compressed_size == compressible.size());
                BOOST_TEST(zip.find("random.bin") == nullptr); // names are whole paths
            }
}

BOOST_AUTO_TEST_CASE(a_missing_entry_lists_those_there_are) {
    const auto zip =
        io::zip_archive::from_bytes(make_zip({{"a.npy", {1}}, {"b.npy", {2}}}), "x.zip");
    check_io_error([&] { static_cast<void>(zip.read("c.npy")); }, "x.zip",
                   {"no entry 'c.npy' (the archive holds 'a.npy', 'b.npy')"});
    const auto empty = io::zip_archive::from_bytes(make_zip({}), "empty.zip");
    BOOST_TEST(empty.entries().empty());
    check_io_error([&] { static_cast<void>(empty.read("a")); }, "empty.zip",
                   {"no entry 'a' (the archive holds nothing)"});
}

BOOST_AUTO_TEST_CASE(damaged_archives_name_the_file_and_the_problem) {
    const temp_dir dir;
    const bytes_t entry = random_bytes(200, 1);
    const auto refused = [&](const std::string& name, const bytes_t& bytes,
                             std::initializer_list<std::string_view> words) {
        const auto file = write_file(dir / name, bytes);
        check_io_error([&] { read_every_entry(io::zip_archive(file)); }, file, words);
    };

    refused("short.zip", bytes_t(10, 0), {"byte 0: not a zip archive", "too short"});
    refused("text.zip", bytes_t(100, 'x'),
            {"byte 0: not a zip archive: no end-of-central-directory record"});

    const bytes_t good = make_zip({{"a.bin", entry}, {"b.bin", entry}});
    bytes_t corrupt = good;
    corrupt[30 + 5 + 60] ^= 0x01; // a byte of a.bin's data (stored, so in place)
    refused("crc.zip", corrupt, {"entry 'a.bin': CRC-32 mismatch"});

    refused("method.zip", make_zip({{"a.bin", entry, 12}}),
            {"entry 'a.bin': compression method 12 is not supported"});
    refused("encrypted.zip", make_zip({{"a.bin", entry, 0, 1}}),
            {"entry 'a.bin': encrypted entries are not supported"});

    // A deflated entry whose declared size is smaller, or larger, than what it inflates to.
    const bytes_t deflated = make_zip({{"a.bin", entry, 8}});
    const std::size_t central = central_entry(deflated, "a.bin");
    bytes_t smaller = deflated;
    smaller[central + 24] -= 4;
    refused("smaller.zip", smaller, {"entry 'a.bin'", "inflates to more than the 196 bytes"});
    bytes_t larger = deflated;
    larger[central + 24] += 4;
    refused("larger.zip", larger,
            {"entry 'a.bin'", "inflates to 200 bytes where the directory declares 204"});
    // Its compressed data cut short (the directory says fewer bytes than there are).
    bytes_t cut = deflated;
    cut[central + 20] = 3;
    cut[central + 21] = 0;
    refused("cut.zip", cut, {"entry 'a.bin'", "ends early"});
    // Deflate data that is not deflate data.
    bytes_t garbage = deflated;
    for (std::size_t i = 30 + 5; i < 30 + 5 + 8; ++i)
        garbage[i] = 0xff;
    refused("garbage.zip", garbage, {"entry 'a.bin'", "corrupt deflate data (zlib: "});

    // A stored entry whose two sizes differ.
    bytes_t stored = make_zip({{"a.bin", entry}});
    stored[central_entry(stored, "a.bin") + 24] -= 1;
    refused("sizes.zip", stored, {"a stored entry whose sizes differ (200 and 199 bytes)"});

    // The central directory elsewhere than the archive, a multi-volume archive, a local header
    // that is not where the directory says.
    bytes_t outside = good;
    outside[outside.size() - 22 + 16] = 0xf0;
    refused("outside.zip", outside, {"the central directory", "lies outside the archive"});
    bytes_t volumes = good;
    volumes[volumes.size() - 22 + 4] = 1;
    refused("volumes.zip", volumes, {"multi-volume zip archives are not supported"});
    bytes_t moved = good;
    moved[good.size() - 22 - 2 * (46 + 5) + 42] = 7; // a.bin's local header offset
    refused("moved.zip", moved, {"byte 7: no local file header"});
}

BOOST_AUTO_TEST_CASE(the_size_limit_applies_to_the_archive_and_to_each_entry) {
    const temp_dir dir;
    const bytes_t entry(5000, 'z'); // deflates to a few bytes
    const auto file = write_file(dir / "limit.zip", make_zip({{"z.txt", entry, 8}}));
    BOOST_TEST((io::zip_archive(file, 5000).read("z.txt") == entry));
    check_io_error([&] { static_cast<void>(io::zip_archive(file, 100)); }, file,
                   {"larger than the limit of 100 bytes"});
    const io::zip_archive small_limit(file, 4999);
    check_io_error([&] { static_cast<void>(small_limit.read("z.txt")); }, file,
                   {"entry 'z.txt'", "5000 bytes exceed the limit of 4999 bytes"});
}

BOOST_AUTO_TEST_CASE(every_truncation_is_an_error) {
    const bytes_t entry = random_bytes(40, 3);
    for (zip_style style : {zip_style::zip64_local, zip_style::zip64_central}) {
        const bytes_t good = make_zip({{"a", entry, 8}, {"b", entry}}, style);
        read_every_entry(io::zip_archive::from_bytes(good, "whole.zip"));
        for (std::size_t size = 0; size < good.size(); ++size) {
            const bytes_t cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size));
            BOOST_CHECK_THROW(read_every_entry(io::zip_archive::from_bytes(cut, "cut.zip")),
                              ctnn::io_error);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
