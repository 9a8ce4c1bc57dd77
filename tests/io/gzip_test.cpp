// Tests ctnn/io/gzip.hpp against zlib's own gzwrite: raw files pass through unchanged, gzip files
// (one or several members, compressible or not, empty) come back byte for byte, and every broken
// input - missing file, directory, corrupt, truncated, trailing garbage, over the size limit -
// throws ctnn::io_error naming the file and the problem.
#include "ctnn/io/gzip.hpp"

#include "io_test_files.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

using namespace ctnn::test;
namespace io = ctnn::io;

static_assert(io::default_max_bytes == std::uint64_t{1} << 30);

BOOST_AUTO_TEST_SUITE(gzip_test)

BOOST_AUTO_TEST_CASE(raw_files_pass_through) {
    const temp_dir dir;
    for (const std::size_t n : {0, 1, 3, 17, 784, 65536, 65537, 200001}) {
        const bytes_t data = random_bytes(n, static_cast<unsigned>(n));
        const auto file = write_file(dir / "raw.bin", data);
        const io::file_contents contents = io::read_file_contents(file);
        BOOST_TEST(!contents.decompressed);
        BOOST_TEST(contents.bytes == data, "size " << n);
        BOOST_TEST(io::read_file_bytes(file) == data);
    }
    // A lone 0x1f is not the gzip magic: returned as is.
    BOOST_TEST(io::read_file_bytes(write_file(dir / "one.bin", {0x1f})) == bytes_t{0x1f});
}

BOOST_AUTO_TEST_CASE(gzip_files_are_decompressed) {
    const temp_dir dir;
    for (const std::size_t n : {0, 1, 3, 17, 784, 100000, 3000000}) {
        for (const bool random : {false, true}) {
            const bytes_t data = random ? random_bytes(n, 7) : text_like_bytes(n);
            const auto file = write_gzip(dir / "data.gz", data);
            const io::file_contents contents = io::read_file_contents(file);
            BOOST_TEST(contents.decompressed);
            BOOST_TEST(contents.bytes == data, "size " << n << (random ? " random" : " text"));
        }
    }
}

BOOST_AUTO_TEST_CASE(highly_compressed_data_grows_the_buffer) {
    const temp_dir dir;
    const bytes_t zeros(5'000'000, 0); // ~1000:1, far beyond the first allocation
    const auto file = write_gzip(dir / "zeros.gz", zeros);
    BOOST_TEST(read_raw(file).size() < 20000u);
    BOOST_TEST(io::read_file_bytes(file) == zeros);
}

BOOST_AUTO_TEST_CASE(concatenated_members_are_read_in_turn) {
    const temp_dir dir;
    const bytes_t a = text_like_bytes(5000), b = random_bytes(3000, 1);
    const auto file = write_file(dir / "two.gz", concat(gzip(dir, a), gzip(dir, b)));
    BOOST_TEST(io::read_file_bytes(file) == concat(a, b));
}

BOOST_AUTO_TEST_CASE(in_memory_gunzip) {
    const temp_dir dir;
    const bytes_t data = text_like_bytes(1234);
    BOOST_TEST(io::gunzip_bytes(gzip(dir, data), "memory") == data);
    check_io_error([&] { (void)io::gunzip_bytes(data, "memory"); }, "memory",
                   {"byte 0", "not gzip data"});
}

BOOST_AUTO_TEST_CASE(missing_file_and_directory) {
    const temp_dir dir;
    const auto missing = dir / "nothing-here.gz";
    check_io_error([&] { (void)io::read_file_bytes(missing); }, missing, {"no such file"});
    check_io_error([&] { (void)io::read_file_bytes(dir.path); }, dir.path, {"is a directory"});
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_data) {
    const temp_dir dir;
    const bytes_t gz = gzip(dir, text_like_bytes(100000));
    BOOST_REQUIRE(gz.size() > 200u);
    bytes_t bad = gz;
    for (std::size_t i = gz.size() / 2; i < gz.size() / 2 + 8; ++i)
        bad[i] ^= 0xA5;
    const auto file = write_file(dir / "corrupt.gz", bad);
    // Damaged deflate data either breaks a rule (corrupt) or asks for more input than there is.
    check_io_error([&] { (void)io::read_file_bytes(file); }, file, {"byte ", "corrupt"});

    // One flipped bit in the CRC of the trailer: the data inflates, the check does not.
    bytes_t bad_crc = gz;
    bad_crc[gz.size() - 8] ^= 0x01;
    const auto crc_file = write_file(dir / "crc.gz", bad_crc);
    check_io_error([&] { (void)io::read_file_bytes(crc_file); }, crc_file,
                   {"corrupt gzip data", "incorrect data check"});

    // A damaged gzip header (compression method 9 does not exist).
    bytes_t bad_header = gz;
    bad_header[2] = 9;
    const auto header_file = write_file(dir / "header.gz", bad_header);
    check_io_error([&] { (void)io::read_file_bytes(header_file); }, header_file,
                   {"corrupt gzip data"});
}

BOOST_AUTO_TEST_CASE(truncated_gzip_data) {
    const temp_dir dir;
    const bytes_t gz = gzip(dir, random_bytes(50000, 3));
    for (const std::size_t keep :
         {std::size_t{2}, std::size_t{5}, std::size_t{10}, gz.size() / 2, gz.size() - 1}) {
        const auto file = write_file(dir / "cut.gz", bytes_t(gz.begin(), gz.begin() + keep));
        check_io_error([&] { (void)io::read_file_bytes(file); }, file,
                       {"byte " + std::to_string(keep), "ends early", "truncated"});
    }
}

BOOST_AUTO_TEST_CASE(trailing_garbage_after_gzip_data) {
    const temp_dir dir;
    const bytes_t gz = gzip(dir, text_like_bytes(1000));
    const auto file = write_file(dir / "trailing.gz", concat(gz, {'j', 'u', 'n', 'k'}));
    check_io_error([&] { (void)io::read_file_bytes(file); }, file,
                   {"byte " + std::to_string(gz.size()), "4 bytes of trailing garbage"});
}

BOOST_AUTO_TEST_CASE(size_limit_guards_against_gzip_bombs) {
    const temp_dir dir;
    const bytes_t zeros(1 << 20, 0);
    const auto file = write_gzip(dir / "bomb.gz", zeros);
    BOOST_TEST(read_raw(file).size() < 5000u);
    check_io_error([&] { (void)io::read_file_bytes(file, 5000); }, file,
                   {"exceeds the limit of 5000 bytes", "gzip bomb"});
    // Exactly at the limit is fine; one byte less is not.
    BOOST_TEST(io::read_file_bytes(file, zeros.size()) == zeros);
    check_io_error([&] { (void)io::read_file_bytes(file, zeros.size() - 1); }, file,
                   {"exceeds the limit"});
    // Raw files obey the same limit.
    const auto raw = write_file(dir / "raw.bin", bytes_t(5000, 1));
    check_io_error([&] { (void)io::read_file_bytes(raw, 4999); }, raw,
                   {"larger than the limit of 4999 bytes"});
    BOOST_TEST(io::read_file_bytes(raw, 5000).size() == 5000u);
}

BOOST_AUTO_TEST_SUITE_END()
