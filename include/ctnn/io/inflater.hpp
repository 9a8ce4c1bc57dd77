// ctnn/io/inflater.hpp - zlib's inflate behind one small type, shared by the gzip reader
// (io/gzip.hpp) and the ZIP reader (io/zip.hpp).
//
//   ctnn::io::inflater z(ctnn::io::inflate_format::raw_deflate, file);
//   const ctnn::io::inflate_step s = z.inflate(in.subspan(in_at), out.subspan(out_at));
//   in_at += s.consumed;
//   out_at += s.produced;
//   if (s.status == ctnn::io::inflate_status::failed)
//       throw ctnn::io_error(file, ctnn::io::byte_position(in_at), z.failure());
//
// It owns the z_stream (inflateEnd on every path, exceptions included; neither copied nor
// moved, since zlib's state points back at it), hands zlib at most 1 GiB of input and output per
// call (its counters are 32-bit) and words zlib's errors the same way for both readers. What
// the data mean - where a stream may end, how large it may grow - is the caller's business.
// This header needs zlib: link with the CMake target ctnn::io.
#pragma once

#include "ctnn/io/error.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

namespace ctnn::io {

enum class inflate_format {
    gzip,        // one gzip member (header, deflate data, trailer); reset() for the next
    raw_deflate, // bare deflate data, as a ZIP entry stores it (method 8)
};

enum class inflate_status {
    progress, // consumed or produced something; call again
    finished, // the end of the stream (a gzip member's trailer checked)
    stalled,  // no progress possible: the input is used up or the output is full
    failed,   // corrupt data or a zlib error: failure() says which
};

struct inflate_step {
    std::size_t consumed = 0; // input bytes used
    std::size_t produced = 0; // output bytes written
    inflate_status status = inflate_status::progress;
};

class inflater {
public:
    // Throws io_error naming `file` when zlib cannot start (out of memory).
    inflater(inflate_format format, const std::filesystem::path& file) : format_(format) {
        const int window_bits = format == inflate_format::gzip ? 15 + 16 : -15; // largest window
        if (inflateInit2(&stream_, window_bits) != Z_OK)
            throw io_error(file, "", "zlib could not be initialised (out of memory?)");
    }
    ~inflater() { inflateEnd(&stream_); }
    inflater(const inflater&) = delete;
    inflater& operator=(const inflater&) = delete;

    // Inflates from the start of `in` into the start of `out`: one call of zlib's inflate.
    [[nodiscard]] inflate_step inflate(std::span<const unsigned char> in,
                                       std::span<unsigned char> out) noexcept {
        constexpr std::size_t piece = std::size_t{1} << 30;
        unsigned char no_room = 0; // zlib refuses a null output pointer even with no room
        stream_.next_in = const_cast<Bytef*>(in.data());
        stream_.avail_in = static_cast<uInt>(std::min(in.size(), piece));
        stream_.next_out = out.empty() ? &no_room : out.data();
        stream_.avail_out = static_cast<uInt>(std::min(out.size(), piece));
        const uInt in_given = stream_.avail_in, out_given = stream_.avail_out;
        last_ = ::inflate(&stream_, Z_NO_FLUSH);
        inflate_step step{in_given - stream_.avail_in, out_given - stream_.avail_out};
        step.status = last_ == Z_OK           ? inflate_status::progress
                      : last_ == Z_STREAM_END ? inflate_status::finished
                      : last_ == Z_BUF_ERROR  ? inflate_status::stalled
                                              : inflate_status::failed;
        return step;
    }

    // Starts a new stream with the same format (the next member of a gzip file).
    void reset() noexcept {
        inflateReset(&stream_);
        last_ = Z_OK;
    }

    // Why the last inflate() failed, for an io_error.
    [[nodiscard]] std::string failure() const {
        if (last_ == Z_DATA_ERROR || last_ == Z_NEED_DICT)
            return std::string("corrupt ") +
                   (format_ == inflate_format::gzip ? "gzip" : "deflate") +
                   " data (zlib: " + (stream_.msg != nullptr ? stream_.msg : "invalid data") + ")";
        if (last_ == Z_MEM_ERROR)
            return "out of memory while decompressing";
        return "zlib failed with error code " + std::to_string(last_);
    }

private:
    z_stream stream_{};
    inflate_format format_;
    int last_ = Z_OK;
};

} // namespace ctnn::io
