// Tests ctnn/io/idx.hpp on IDX files the test writes itself (raw and gzipped), checking values
// against the bytes written; on every kind of malformed file (each must throw ctnn::io_error
// naming the file, the byte and the problem); and, when Debian's dataset-fashion-mnist is
// installed, on the real Fashion-MNIST test set; and on the subset bundled in examples/data.
#include "ctnn/io/idx.hpp"

#include "io_test_files.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace ctnn::test;
namespace io = ctnn::io;

static_assert(io::idx_element_size(io::idx_type::u8) == 1);
static_assert(io::idx_element_size(io::idx_type::i16) == 2);
static_assert(io::idx_element_size(io::idx_type::f32) == 4);
static_assert(io::idx_element_size(io::idx_type::f64) == 8);
static_assert(io::is_idx_type_code(0x08) && io::is_idx_type_code(0x0E));
static_assert(!io::is_idx_type_code(0x0A) && !io::is_idx_type_code(0x00));

namespace {

// 3 images of 2x2 pixels and their labels, the way MNIST stores them.
const bytes_t pixels{0, 255, 1, 128, 7, 8, 9, 10, 254, 3, 2, 1};
const bytes_t images_file = concat(idx_header(0x08, {3, 2, 2}), pixels);
const bytes_t labels_file = concat(idx_header(0x08, {3}), {2, 0, 9});

template <class F>
void for_raw_and_gzip(const temp_dir& dir, const std::string& name, const bytes_t& bytes, F&& f) {
    f(write_file(dir / name, bytes));
    f(write_gzip(dir / (name + ".gz"), bytes));
}

} // namespace

BOOST_AUTO_TEST_SUITE(idx_test)

BOOST_AUTO_TEST_CASE(reads_images_raw_and_gzipped) {
    const temp_dir dir;
    for_raw_and_gzip(dir, "images-idx3-ubyte", images_file, [&](const auto& file) {
        const io::idx_array any = io::read_idx(file);
        BOOST_TEST((any.type == io::idx_type::u8));
        BOOST_TEST(any.dims == (std::vector<std::uint32_t>{3, 2, 2}));
        BOOST_REQUIRE(any.values.size() == pixels.size());
        for (std::size_t i = 0; i < pixels.size(); ++i)
            BOOST_TEST(any.values[i] == static_cast<float>(pixels[i]));

        const io::idx_images images = io::read_idx_images(file, 2, 2);
        BOOST_TEST(images.count == 3u);
        BOOST_TEST(images.rows == 2u);
        BOOST_TEST(images.cols == 2u);
        BOOST_REQUIRE(images.values.size() == pixels.size());
        for (std::size_t i = 0; i < pixels.size(); ++i)
            BOOST_TEST(images.values[i] == static_cast<float>(pixels[i]) / 255.0f);
        BOOST_TEST(images.values[0] == 0.0f);
        BOOST_TEST(images.values[1] == 1.0f);
    });
}

BOOST_AUTO_TEST_CASE(reads_labels_raw_and_gzipped) {
    const temp_dir dir;
    for_raw_and_gzip(dir, "labels-idx1-ubyte", labels_file, [&](const auto& file) {
        const io::idx_labels labels = io::read_idx_labels(file, 10);
        BOOST_TEST(labels.count == 3u);
        BOOST_TEST(labels.classes == 10u);
        BOOST_TEST(labels.values == (std::vector<float>{2, 0, 9}));
    });
    BOOST_CHECK_THROW((void)io::read_idx_labels(dir / "labels-idx1-ubyte", 0),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(every_element_type_and_rank) {
    const temp_dir dir;
    // int8: the full range, 256 elements, rank 1.
    bytes_t i8 = idx_header(0x09, {256});
    for (int v = -128; v < 128; ++v)
        i8.push_back(static_cast<unsigned char>(v));
    const io::idx_array a = io::parse_idx(i8, "i8");
    BOOST_TEST((a.type == io::idx_type::i8));
    for (int v = -128; v < 128; ++v)
        BOOST_TEST(a.values[static_cast<std::size_t>(v + 128)] == static_cast<float>(v));

    // int16 and int32, rank 5 with a 17-element odd shape.
    const std::array<std::int32_t, 17> ints{0, 1,  -1,    32767,  -32768, 1000,   -1000, 258, -258,
                                            7, -7, 12345, -12345, 16384,  -16384, 32000, 3};
    bytes_t i16 = idx_header(0x0B, {1, 17, 1, 1, 1});
    bytes_t i32 = idx_header(0x0C, {1, 1, 1, 1, 17});
    for (const std::int32_t v : ints) {
        const auto u = static_cast<std::uint32_t>(v);
        i16.push_back(static_cast<unsigned char>(u >> 8));
        i16.push_back(static_cast<unsigned char>(u));
        append_be32(i32, u * 4); // also beyond the int16 range
    }
    const io::idx_array b = io::parse_idx(i16, "i16"), c = io::parse_idx(i32, "i32");
    BOOST_TEST(b.dims == (std::vector<std::uint32_t>{1, 17, 1, 1, 1}));
    BOOST_TEST((c.type == io::idx_type::i32));
    for (std::size_t i = 0; i < ints.size(); ++i) {
        BOOST_TEST(b.values[i] == static_cast<float>(ints[i]));
        BOOST_TEST(c.values[i] == static_cast<float>(ints[i] * 4));
    }

    // float32 and float64, rank 2 [3, 1].
    const std::array<double, 3> reals{0.15625, -3.5e-3, 1.0e30};
    bytes_t f32 = idx_header(0x0D, {3, 1}), f64 = idx_header(0x0E, {3, 1});
    for (const double v : reals) {
        append_be32(f32, std::bit_cast<std::uint32_t>(static_cast<float>(v)));
        const auto bits = std::bit_cast<std::uint64_t>(v);
        append_be32(f64, static_cast<std::uint32_t>(bits >> 32));
        append_be32(f64, static_cast<std::uint32_t>(bits));
    }
    for_raw_and_gzip(dir, "reals32", f32, [&](const auto& file) {
        const io::idx_array d = io::read_idx(file);
        BOOST_TEST((d.type == io::idx_type::f32));
        for (std::size_t i = 0; i < reals.size(); ++i)
            BOOST_TEST(d.values[i] == static_cast<float>(reals[i]));
    });
    const io::idx_array e = io::parse_idx(f64, "f64");
    BOOST_TEST((e.type == io::idx_type::f64));
    for (std::size_t i = 0; i < reals.size(); ++i)
        BOOST_TEST(e.values[i] == static_cast<float>(reals[i]));
}

// Each malformed file, raw and gzipped, and the words its error must contain.
BOOST_AUTO_TEST_CASE(malformed_files_are_refused) {
    const temp_dir dir;
    const auto huge = std::numeric_limits<std::uint32_t>::max();
    struct bad_case {
        std::string name;
        bytes_t bytes;
        std::vector<std::string> words;
    };
    const std::vector<bad_case> cases{
        {"empty", {}, {"byte 0", "the file is empty"}},
        {"short_magic", {0, 0, 8}, {"byte 3", "inside the 4-byte IDX magic number", "truncated"}},
        {"truncated_header",
         bytes_t(images_file.begin(), images_file.begin() + 10),
         {"byte 10", "inside the header of 16 bytes", "truncated"}},
        {"truncated_data",
         bytes_t(images_file.begin(), images_file.end() - 5),
         {"byte 23", "ends after 7 of 12 data bytes", "[3, 2, 2]", "truncated"}},
        {"trailing",
         concat(images_file, {1, 2}),
         {"byte 28", "2 trailing bytes after the 12 data bytes"}},
        {"wrong_magic",
         concat({0x01, 0x02, 0x08, 0x01, 0, 0, 0, 1}, {5}),
         {"byte 0", "not an IDX file", "0x01 0x02"}},
        {"garbage",
         {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'},
         {"byte 0", "not an IDX file", "0x68 0x65"}},
        {"unknown_type",
         concat(idx_header(0x0A, {1}), {0}),
         {"byte 2", "unknown IDX element type code 0x0A"}},
        {"rank_0", {0, 0, 8, 0}, {"byte 3", "rank 0 is not supported"}},
        {"rank_6",
         concat(idx_header(0x08, {1, 1, 1, 1, 1, 1}), {0}),
         {"byte 3", "rank 6 is not supported"}},
        {"zero_dimension", idx_header(0x08, {3, 0, 2}), {"byte 8", "dimension 1 is 0"}},
        {"overflow_rank5",
         idx_header(0x08, {huge, huge, huge, huge, huge}),
         {"byte 4", "more than 2^64 bytes", "corrupt header"}},
        {"overflow_f64", idx_header(0x0E, {huge, huge}), {"more than 2^64 bytes"}},
        {"huge_but_representable",
         concat(idx_header(0x08, {huge, 3}), {1, 2, 3}),
         {"byte 15", "ends after 3 of 12884901885 data bytes", "truncated"}},
        {"f64_too_large_for_float",
         concat(idx_header(0x0E, {2}), {0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0xE0, 0, 0, 0, 0, 0, 0}),
         {"byte 16", "element 1 (8.98846567431158e+307)", "too large for a float"}},
    };
    for (const bad_case& c : cases) {
        BOOST_TEST_CONTEXT("case " << c.name) {
            const auto raw = write_file(dir / c.name, c.bytes);
            check_io_error([&] { (void)io::read_idx(raw); }, raw, {});
            for (const std::string& word : c.words)
                check_io_error([&] { (void)io::read_idx(raw); }, raw, {word});
            // The same file gzipped: same problem, position counted in the decompressed data.
            const auto gz = write_gzip(dir / (c.name + ".gz"), c.bytes);
            for (const std::string& word : c.words)
                check_io_error([&] { (void)io::read_idx(gz); }, gz, {word});
            check_io_error([&] { (void)io::read_idx(gz); }, gz, {"(decompressed)"});
            if (c.name == "f64_too_large_for_float")
                continue; // not a header problem: the helpers refuse the type or rank first
            // The specialised readers refuse them too, with the same sentence.
            check_io_error([&] { (void)io::read_idx_images(raw, 2, 2); }, raw, {c.words.back()});
            check_io_error([&] { (void)io::read_idx_labels(raw, 10); }, raw, {c.words.back()});
        }
    }
}

BOOST_AUTO_TEST_CASE(broken_gzip_around_a_valid_idx_file) {
    const temp_dir dir;
    const bytes_t gz = gzip(dir, images_file);
    const auto cut = write_file(dir / "cut.gz", bytes_t(gz.begin(), gz.end() - 6));
    check_io_error([&] { (void)io::read_idx_images(cut, 2, 2); }, cut, {"ends early", "truncated"});
    bytes_t flipped = gz;
    for (std::size_t i = 12; i < gz.size() - 8; ++i)
        flipped[i] ^= 0x5A;
    const auto corrupt = write_file(dir / "corrupt.gz", flipped);
    check_io_error([&] { (void)io::read_idx_labels(corrupt, 10); }, corrupt, {"corrupt"});
    const auto missing = dir / "t10k-images-idx3-ubyte.gz";
    check_io_error([&] { (void)io::read_idx(missing); }, missing, {"no such file"});
}

BOOST_AUTO_TEST_CASE(labels_out_of_range) {
    const temp_dir dir;
    for_raw_and_gzip(dir, "labels", concat(idx_header(0x08, {5}), {1, 9, 10, 3, 200}),
                     [&](const auto& file) {
                         check_io_error([&] { (void)io::read_idx_labels(file, 10); }, file,
                                        {"byte 10", "label 10 at index 2", "not in [0, 10)"});
                         BOOST_TEST(io::read_idx_labels(file, 201).values ==
                                    (std::vector<float>{1, 9, 10, 3, 200}));
                     });
    const auto negative = write_file(dir / "negative", concat(idx_header(0x09, {3}), {0, 1, 0xFF}));
    check_io_error([&] { (void)io::read_idx_labels(negative, 10); }, negative,
                   {"byte 10", "label -1 at index 2"});
    bytes_t wide = idx_header(0x0C, {2});
    append_be32(wide, 4);
    append_be32(wide, 70000);
    const auto wide_file = write_file(dir / "wide", wide);
    check_io_error([&] { (void)io::read_idx_labels(wide_file, 10); }, wide_file,
                   {"byte 12", "label 70000 at index 1"});
    BOOST_TEST(io::read_idx_labels(wide_file, 70001).values == (std::vector<float>{4, 70000}));
}

BOOST_AUTO_TEST_CASE(wrong_kind_or_shape_for_the_helpers) {
    const temp_dir dir;
    const auto images = write_file(dir / "images", images_file);
    const auto labels = write_file(dir / "labels", labels_file);
    check_io_error([&] { (void)io::read_idx_images(images, 28, 28); }, images,
                   {"expected images of 28x28 pixels", "[3, 2, 2]"});
    check_io_error([&] { (void)io::read_idx_images(images, 2, 3); }, images, {"2x3 pixels"});
    check_io_error([&] { (void)io::read_idx_images(labels, 2, 2); }, labels,
                   {"rank 1 [3]", "a label file?"});
    check_io_error([&] { (void)io::read_idx_labels(images, 10); }, images,
                   {"expected labels [count] (rank 1)", "an image file?"});
    bytes_t float_images = idx_header(0x0D, {1, 1, 1});
    append_be32(float_images, std::bit_cast<std::uint32_t>(0.5f));
    const auto floats = write_file(dir / "float-images", float_images);
    check_io_error([&] { (void)io::read_idx_images(floats, 1, 1); }, floats,
                   {"expected unsigned byte pixels", "float32"});
    bytes_t float_labels = idx_header(0x0D, {1});
    append_be32(float_labels, std::bit_cast<std::uint32_t>(1.0f));
    const auto float_labels_file = write_file(dir / "float-labels", float_labels);
    check_io_error([&] { (void)io::read_idx_labels(float_labels_file, 10); }, float_labels_file,
                   {"expected integer labels", "float32"});
}

BOOST_AUTO_TEST_CASE(images_and_labels_from_bytes_in_memory) {
    // parse_idx_images / parse_idx_labels: the checks of the path readers, on bytes.
    const io::idx_images images = io::parse_idx_images(images_file, 2, 2, "mem-images");
    BOOST_TEST(images.count == 3u);
    BOOST_REQUIRE(images.values.size() == pixels.size());
    for (std::size_t i = 0; i < pixels.size(); ++i)
        BOOST_TEST(images.values[i] == static_cast<float>(pixels[i]) / 255.0f);
    const io::idx_labels labels = io::parse_idx_labels(labels_file, 10, "mem-labels");
    BOOST_TEST(labels.classes == 10u);
    BOOST_TEST(labels.values == (std::vector<float>{2, 0, 9}));

    check_io_error([&] { (void)io::parse_idx_images(images_file, 28, 28, "mem"); }, "mem",
                   {"byte 8", "expected images of 28x28 pixels", "[3, 2, 2]"});
    check_io_error([&] { (void)io::parse_idx_images(labels_file, 2, 2, "mem"); }, "mem",
                   {"byte 3", "a label file?"});
    check_io_error([&] { (void)io::parse_idx_labels(images_file, 10, "mem"); }, "mem",
                   {"byte 3", "an image file?"});
    check_io_error([&] { (void)io::parse_idx_labels(labels_file, 5, "mem"); }, "mem",
                   {"byte 10", "label 9 at index 2 is not in [0, 5)"});
    const bytes_t cut(labels_file.begin(), labels_file.end() - 1);
    check_io_error([&] { (void)io::parse_idx_labels(cut, 10, "mem"); }, "mem", {"truncated?"});
    // Positions count in the bytes given: no "(decompressed)" note.
    try {
        (void)io::parse_idx_labels(images_file, 10, "mem");
    } catch (const ctnn::io_error& e) {
        BOOST_TEST(std::string(e.what()).find("decompressed") == std::string::npos);
    }
    BOOST_CHECK_THROW((void)io::parse_idx_labels(labels_file, 0, "mem"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(fashion_mnist_test_set) {
    const std::filesystem::path root = "/usr/share/datasets/fashion-mnist";
    const auto images_path = root / "t10k-images-idx3-ubyte.gz";
    const auto labels_path = root / "t10k-labels-idx1-ubyte.gz";
    if (!std::filesystem::exists(images_path) || !std::filesystem::exists(labels_path)) {
        BOOST_TEST_MESSAGE("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist):"
                           " skipping the real-data test");
        return;
    }
    const io::idx_labels labels = io::read_idx_labels(labels_path, 10);
    BOOST_TEST(labels.count == 10000u);
    BOOST_REQUIRE(labels.values.size() == 10000u);
    std::array<int, 10> per_class{};
    for (const float l : labels.values) {
        BOOST_REQUIRE(l == static_cast<float>(static_cast<int>(l)));
        ++per_class.at(static_cast<std::size_t>(l));
    }
    for (std::size_t k = 0; k < 10; ++k)
        BOOST_TEST(per_class[k] == 1000, "class " << k);

    const io::idx_images images = io::read_idx_images(images_path, 28, 28);
    BOOST_TEST(images.count == 10000u);
    BOOST_REQUIRE(images.values.size() == 10000u * 784u);
    float lo = 1, hi = 0;
    double sum = 0;
    for (const float v : images.values) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
    }
    BOOST_TEST(lo == 0.0f);
    BOOST_TEST(hi == 1.0f);
    // Fashion-MNIST's mean pixel is about 0.286: a loose check that bytes were not shuffled.
    const double mean = sum / static_cast<double>(images.values.size());
    BOOST_TEST(mean > 0.2);
    BOOST_TEST(mean < 0.4);
    // Every value is a byte / 255.
    for (std::size_t i = 0; i < images.values.size(); i += 997) {
        const float scaled = images.values[i] * 255.0f;
        BOOST_TEST(scaled == std::round(scaled));
    }
}

// The subset that examples/data carries for machines without the Debian package (made by
// scripts/make-fashion-mnist-subset.py): 200 training and 50 test images per class, and, when
// the package is installed, exactly the first images of each class in the package's files.
BOOST_AUTO_TEST_CASE(bundled_fashion_mnist_subset) {
    const std::filesystem::path small = std::filesystem::path(CTNN_TEST_REFERENCE_DIR) / ".." /
                                        ".." / "examples" / "data" / "fashion-mnist-small";
    const std::filesystem::path package = "/usr/share/datasets/fashion-mnist";
    for (const auto& [part, per_class] : {std::pair{"train", 200}, std::pair{"t10k", 50}}) {
        BOOST_TEST_CONTEXT(part) {
            const std::string images_name = std::string(part) + "-images-idx3-ubyte.gz";
            const std::string labels_name = std::string(part) + "-labels-idx1-ubyte.gz";
            const io::idx_images images = io::read_idx_images(small / images_name, 28, 28);
            const io::idx_labels labels = io::read_idx_labels(small / labels_name, 10);
            const std::size_t count = 10u * static_cast<std::size_t>(per_class);
            BOOST_TEST(images.count == count);
            BOOST_REQUIRE(labels.count == count);
            std::array<int, 10> per{};
            for (const float l : labels.values)
                ++per.at(static_cast<std::size_t>(l));
            for (const int n : per)
                BOOST_TEST(n == per_class);

            if (!std::filesystem::exists(package / images_name)) {
                BOOST_TEST_MESSAGE("dataset-fashion-mnist is not installed: the subset is not "
                                   "compared with it");
                continue;
            }
            const io::idx_images all_images = io::read_idx_images(package / images_name, 28, 28);
            const io::idx_labels all_labels = io::read_idx_labels(package / labels_name, 10);
            std::array<int, 10> taken{};
            std::size_t next = 0;
            for (std::size_t i = 0; i < all_labels.count && next < count; ++i) {
                const auto c = static_cast<std::size_t>(all_labels.values[i]);
                if (taken[c] == per_class)
                    continue;
                ++taken[c];
                BOOST_TEST(labels.values[next] == all_labels.values[i]);
                BOOST_TEST(std::equal(images.values.begin() + next * 784,
                                      images.values.begin() + (next + 1) * 784,
                                      all_images.values.begin() + i * 784),
                           "image " << next << " differs from the package's image " << i);
                ++next;
            }
            BOOST_TEST(next == count);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
