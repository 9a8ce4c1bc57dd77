// tests/support/zip_builder.hpp - ZIP archives for the tests of io/zip.hpp and serialize/npz.hpp:
// a writer that builds them byte by byte (stored or deflated with zlib, in the three ways sizes
// are recorded: 32-bit, Zip64 in the local headers as np.savez writes, Zip64 in the central
// directory), and two archives written by Python's own zipfile module, as hex.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn::test {

// Two archives written by Python's zipfile exactly as np.savez / np.savez_compressed do
// (ZipFile(..., allowZip64=True), zipf.open(name, 'w', force_zip64=True)): local headers with
// sizes 0xffffffff and a Zip64 extra field. Entries: kernel.npy, float32 (2, 3) = [[1, 2, 3],
// [4, 5, 6]], and bias.npy, float32 (3,) = [0.5, -0.25, 8].
inline constexpr const char* python_stored_hex =
    "504b03042d0000000000000021007c9cdea2ffffffffffffffff0a0014006b65726e656c2e6e707901001000"
    "98000000000000009800000000000000934e554d5059010076007b276465736372273a20273c6634272c2027"
    "666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d202020"
    "2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "20202020202020202020200a0000803f0000004000004040000080400000a0400000c040504b03042d000000"
    "000000002100012a8f59ffffffffffffffff08001400626961732e6e7079010010008c000000000000008c00"
    "000000000000934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72"
    "646572273a2046616c73652c20277368617065273a2028332c292c207d202020202020202020202020202020"
    "2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "200a0000003f000080be00000041504b01022d032d0000000000000021007c9cdea298000000980000000a00"
    "000000000000000000008001000000006b65726e656c2e6e7079504b01022d032d000000000000002100012a"
    "8f598c0000008c0000000800000000000000000000008001d4000000626961732e6e7079504b050600000000"
    "020002006e0000009a0100000000";
inline constexpr const char* python_deflated_hex =
    "504b03042d0000000800000021007c9cdea2ffffffffffffffff0a0014006b65726e656c2e6e707901001000"
    "980000000000000058000000000000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a2aea3a0"
    "9e965f54529498179f5f94920a12774bcc294e058a17672416a402f91a463a0ac69a3a0ab50a64032e068606"
    "7b060606072002e206205e00c4071c00504b03042d000000080000002100012a8f59ffffffffffffffff0800"
    "1400626961732e6e7079010010008c000000000000004f000000000000009bec17ea1b10c9c850c650ad9e92"
    "5a9c5ca46ea5a06e9366a2aea3a09e965f54529498179f5f94920a12774bcc294e058a17672416a402f91ac6"
    "3a9a3a0ab50a14002e0606067b0686867d40da1100504b01022d032d0000000800000021007c9cdea2580000"
    "00980000000a00000000000000000000008001000000006b65726e656c2e6e7079504b01022d032d00000008"
    "0000002100012a8f594f0000008c000000080000000000000000000000800194000000626961732e6e707950"
    "4b050600000000020002006e0000001d0100000000";

inline std::vector<unsigned char> from_hex(const char* hex) {
    std::vector<unsigned char> b;
    for (std::size_t i = 0; hex[i] != '\0'; i += 2)
        b.push_back(static_cast<unsigned char>(std::stoi(std::string(hex + i, 2), nullptr, 16)));
    return b;
}

enum class zip_style {
    plain,         // 32-bit sizes everywhere
    zip64_local,   // np.savez: local sizes 0xffffffff and a Zip64 extra field
    zip64_central, // central directory sizes and offsets in Zip64 extras, Zip64 end record
};

struct zip_member {
    std::string name;
    std::vector<unsigned char> data;
    int method = 0; // 0 stored, 8 deflate; anything else is written as stored data
    std::uint16_t flags = 0;
};

inline void put16(std::vector<unsigned char>& b, std::uint64_t v) {
    for (int i = 0; i < 2; ++i)
        b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
inline void put32(std::vector<unsigned char>& b, std::uint64_t v) {
    for (int i = 0; i < 4; ++i)
        b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}
inline void put64(std::vector<unsigned char>& b, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

inline std::vector<unsigned char> deflate_raw(const std::vector<unsigned char>& data) {
    z_stream s{};
    if (deflateInit2(&s, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::vector<unsigned char> out(deflateBound(&s, static_cast<uLong>(data.size())));
    s.next_in = const_cast<unsigned char*>(data.data());
    s.avail_in = static_cast<uInt>(data.size());
    s.next_out = out.data();
    s.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&s, Z_FINISH);
    out.resize(s.total_out);
    deflateEnd(&s);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate failed");
    return out;
}

inline std::vector<unsigned char> make_zip(const std::vector<zip_member>& members,
                                           zip_style style = zip_style::plain,
                                           const std::string& comment = "") {
    std::vector<unsigned char> zip, central;
    for (const zip_member& m : members) {
        const std::vector<unsigned char> stored = m.method == 8 ? deflate_raw(m.data) : m.data;
        const auto crc = crc32(0, m.data.data(), static_cast<uInt>(m.data.size()));
        const std::uint64_t offset = zip.size();
        const bool local64 = style == zip_style::zip64_local;
        put32(zip, 0x04034b50);
        put16(zip, 45);
        put16(zip, m.flags);
        put16(zip, static_cast<std::uint64_t>(m.method));
        put32(zip, 0x00210000); // time and date
        put32(zip, crc);
        put32(zip, local64 ? 0xffffffff : stored.size());
        put32(zip, local64 ? 0xffffffff : m.data.size());
        put16(zip, m.name.size());
        put16(zip, local64 ? 20 : 0);
        zip.insert(zip.end(), m.name.begin(), m.name.end());
        if (local64) {
            put16(zip, 1);
            put16(zip, 16);
            put64(zip, m.data.size());
            put64(zip, stored.size());
        }
        zip.insert(zip.end(), stored.begin(), stored.end());

        const bool central64 = style == zip_style::zip64_central;
        put32(central, 0x02014b50);
        put16(central, 45);
        put16(central, 45);
        put16(central, m.flags);
        put16(central, static_cast<std::uint64_t>(m.method));
        put32(central, 0x00210000);
        put32(central, crc);
        put32(central, central64 ? 0xffffffff : stored.size());
        put32(central, central64 ? 0xffffffff : m.data.size());
        put16(central, m.name.size());
        put16(central, central64 ? 4 + 24 + 8 : 0);
        put16(central, 0); // comment
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, 0); // external attributes
        put32(central, central64 ? 0xffffffff : offset);
        central.insert(central.end(), m.name.begin(), m.name.end());
        if (central64) {
            put16(central, 0x5455); // an unrelated extra field first (extended timestamp)
            put16(central, 4);
            put32(central, 0);
            put16(central, 1);
            put16(central, 24);
            put64(central, m.data.size());
            put64(central, stored.size());
            put64(central, offset);
        }
    }
    const std::uint64_t central_offset = zip.size();
    zip.insert(zip.end(), central.begin(), central.end());
    const bool end64 = style == zip_style::zip64_central;
    if (end64) {
        const std::uint64_t record = zip.size();
        put32(zip, 0x06064b50);
        put64(zip, 44);
        put16(zip, 45);
        put16(zip, 45);
        put32(zip, 0);
        put32(zip, 0);
        put64(zip, members.size());
        put64(zip, members.size());
        put64(zip, central.size());
        put64(zip, central_offset);
        put32(zip, 0x07064b50);
        put32(zip, 0);
        put64(zip, record);
        put32(zip, 1);
    }
    put32(zip, 0x06054b50);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, end64 ? 0xffff : members.size());
    put16(zip, end64 ? 0xffff : members.size());
    put32(zip, end64 ? 0xffffffff : central.size());
    put32(zip, end64 ? 0xffffffff : central_offset);
    put16(zip, comment.size());
    zip.insert(zip.end(), comment.begin(), comment.end());
    return zip;
}

} // namespace ctnn::test
