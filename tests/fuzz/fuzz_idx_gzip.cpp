// Fuzz target for the gzip path of the IDX readers (io/gzip.hpp under io/idx.hpp): gunzip_bytes,
// and read_idx / read_idx_images / read_idx_labels on a gzipped file given by its path (an
// in-memory file). Each of them must agree with the in-memory parser on the gunzipped bytes,
// failures included: that parser is fuzzed alone, and much faster, by fuzz_idx.cpp. Inputs
// without the gzip magic number are skipped: they go through the same parser after a plain
// read, which fuzz_idx covers.
#include "ctnn/io/error.hpp"
#include "ctnn/io/gzip.hpp"
#include "ctnn/io/idx.hpp"
#include "fuzz_support.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

namespace {

using ctnn::fuzz::check;
namespace io = ctnn::io;

// Small enough that a gzip bomb costs milliseconds, large enough for real headers and data.
constexpr std::uint64_t max_bytes = std::uint64_t{1} << 20;

// What a reader returned, or nothing for an io_error (any other exception is a finding).
template <class F>
auto outcome(F&& f) -> std::optional<decltype(f())> {
    try {
        return f();
    } catch (const ctnn::io_error&) {
        return std::nullopt;
    }
}

std::vector<std::uint32_t> bits(const std::vector<float>& v) { // NaN == NaN here
    std::vector<std::uint32_t> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        out[i] = std::bit_cast<std::uint32_t>(v[i]);
    return out;
}

auto key(const io::idx_array& a) {
    return std::tuple(a.type, a.dims, bits(a.values));
}
auto key(const io::idx_images& i) {
    return std::tuple(i.count, i.rows, i.cols, bits(i.values));
}
auto key(const io::idx_labels& l) {
    return std::tuple(l.count, l.classes, bits(l.values));
}

template <class T>
bool same(const std::optional<T>& a, const std::optional<T>& b) {
    return a.has_value() == b.has_value() && (!a || key(*a) == key(*b));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const unsigned char> bytes(data, size);
    if (!io::has_gzip_magic(bytes))
        return 0;
    const std::optional<std::vector<unsigned char>> gunzipped =
        outcome([&] { return io::gunzip_bytes(bytes, "fuzz.idx.gz", max_bytes); });
    // Corrupt gzip data (most inputs): the readers of paths refuse it in the same gunzip_bytes
    // call, so only data that gunzips is worth a file.
    if (!gunzipped)
        return 0;
    check(gunzipped->size() <= max_bytes, "gunzip_bytes keeps to max_bytes");
    // The in-memory parser on the gunzipped bytes: what every reader of the path must return.
    const auto parsed = [&](auto parse) { return outcome([&] { return parse(*gunzipped); }); };

    const ctnn::fuzz::memory_file file(data, size);
    const std::optional<io::idx_array> array =
        parsed([](const auto& b) { return io::parse_idx(b, "fuzz.idx"); });
    check(same(outcome([&] { return io::read_idx(file.path(), max_bytes); }), array),
          "read_idx(file) == parse_idx(gunzipped bytes)");
    // What parse_idx refuses, parse_idx_images and parse_idx_labels refuse too (fuzz_idx.cpp
    // says why), and the readers of paths read the bytes as read_idx does: nothing to compare.
    if (!array)
        return 0;

    const bool rank3 = array->dims.size() == 3;
    const std::size_t rows = rank3 ? array->dims[1] : 28, cols = rank3 ? array->dims[2] : 28;
    check(same(outcome([&] { return io::read_idx_images(file.path(), rows, cols, max_bytes); }),
               parsed([&](const auto& b) { return io::parse_idx_images(b, rows, cols, "f"); })),
          "read_idx_images(file) == parse_idx_images(gunzipped bytes)");
    check(same(outcome([&] { return io::read_idx_labels(file.path(), 10, max_bytes); }),
               parsed([](const auto& b) { return io::parse_idx_labels(b, 10, "f"); })),
          "read_idx_labels(file) == parse_idx_labels(gunzipped bytes)");
    return 0;
}
