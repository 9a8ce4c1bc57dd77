// Fuzz target for the IDX parser (io/idx.hpp) on bytes in memory: parse_idx, parse_idx_images
// and parse_idx_labels, the checks that read_idx / read_idx_images / read_idx_labels run after
// reading a file. No files and no gunzip, so that each input costs microseconds; the gzip path
// and the readers of paths have their own target, fuzz_idx_gzip.cpp.
//
// Only ctnn::io_error may escape a parser; whatever a parser returns must agree with the format
// (sizes, ranges) and with the other parsers (images and labels are parse_idx's values, and
// they are refused exactly when parse_idx's result is not images or labels).
#include "ctnn/io/error.hpp"
#include "ctnn/io/idx.hpp"
#include "fuzz_support.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace {

using ctnn::fuzz::check;
namespace io = ctnn::io;

constexpr std::size_t classes = 10;

std::optional<io::idx_array> parse(std::span<const unsigned char> bytes) {
    try {
        io::idx_array a = io::parse_idx(bytes, "fuzz.idx");
        check(!a.dims.empty() && a.dims.size() <= io::idx_max_rank, "rank is 1..5");
        std::uint64_t count = 1;
        for (const std::uint32_t d : a.dims) {
            check(d >= 1, "every dimension is at least 1");
            count *= d;
        }
        check(a.values.size() == count, "values.size() is the product of the dimensions");
        const std::size_t header = 4 + 4 * a.dims.size();
        check(bytes.size() == header + count * io::idx_element_size(a.type),
              "the header and the data are the whole file");
        for (const float v : a.values)
            check(!std::isinf(v) || a.type == io::idx_type::f32 || a.type == io::idx_type::f64,
                  "only float files hold infinities");
        return a;
    } catch (const ctnn::io_error&) {
        return std::nullopt;
    }
}

bool integer_type(io::idx_type type) {
    return type != io::idx_type::f32 && type != io::idx_type::f64;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const unsigned char> bytes(data, size);
    const std::optional<io::idx_array> read = parse(bytes);
    // A file parse_idx refuses is refused by the other two as well, by construction: they share
    // its header checks, and its one other refusal (a float64 beyond float) is a type they
    // refuse. Not asking them again saves two exceptions per input, most of a run's time.
    if (!read)
        return 0;

    // Images of the size the file declares (or MNIST's).
    const bool rank3 = read->dims.size() == 3;
    const std::size_t rows = rank3 ? read->dims[1] : 28, cols = rank3 ? read->dims[2] : 28;
    bool images_ok = false;
    try {
        const io::idx_images images = io::parse_idx_images(bytes, rows, cols, "fuzz.idx");
        images_ok = true;
        check(read->type == io::idx_type::u8 && rank3, "images are rank-3 bytes");
        check(images.count == read->dims[0] && images.rows == rows && images.cols == cols,
              "images have the declared dimensions");
        check(images.values.size() == images.count * rows * cols, "images hold count*rows*cols");
        for (std::size_t i = 0; i < images.values.size(); ++i)
            check(images.values[i] == read->values[i] / 255.0f, "pixels are bytes / 255");
    } catch (const ctnn::io_error&) {
    }
    check(images_ok == (rank3 && read->type == io::idx_type::u8),
          "parse_idx_images accepts exactly the rank-3 byte files parse_idx accepts");

    // Labels of 10 classes.
    bool labels_ok = false;
    try {
        const io::idx_labels labels = io::parse_idx_labels(bytes, classes, "fuzz.idx");
        labels_ok = true;
        check(read->dims.size() == 1, "labels are rank 1");
        check(labels.count == read->dims[0] && labels.values.size() == labels.count,
              "labels.count is the dimension");
        for (std::size_t i = 0; i < labels.values.size(); ++i)
            check(labels.values[i] == read->values[i], "labels are parse_idx's values");
    } catch (const ctnn::io_error&) {
    }
    bool labels_expected = read->dims.size() == 1 && integer_type(read->type);
    for (std::size_t i = 0; labels_expected && i < read->values.size(); ++i) {
        const float v = read->values[i];
        labels_expected = v >= 0 && v < static_cast<float>(classes) && v == std::floor(v);
    }
    check(labels_ok == labels_expected,
          "parse_idx_labels accepts exactly the rank-1 integer files in [0, classes)");
    return 0;
}
