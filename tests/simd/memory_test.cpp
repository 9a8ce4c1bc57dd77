// Tests ctnn/simd/memory.hpp and batch.hpp: widths, padding arithmetic, aligned and partial
// loads/stores.
#include "ctnn/simd/memory.hpp"

#include <boost/test/unit_test.hpp>

#include <array>

using namespace ctnn;

static_assert(simd::width_v<float> >= 1);
static_assert(simd::alignment % (sizeof(float) * simd::width_v<float>) == 0,
              "the buffer alignment must cover a whole vector");
static_assert(simd::padded_size<float>(0) == 0);
static_assert(simd::padded_size<float>(1) == simd::width_v<float>);
static_assert(simd::padded_size<float>(simd::width_v<float>) == simd::width_v<float>);
static_assert(simd::padded_size<float>(simd::width_v<float> + 1) == 2 * simd::width_v<float>);
static_assert(simd::vector_count<float>(17) * simd::width_v<float> >= 17);

BOOST_AUTO_TEST_SUITE(memory_test)

constexpr std::size_t W = simd::width_v<float>;

BOOST_AUTO_TEST_CASE(aligned_round_trip) {
    alignas(simd::alignment) std::array<float, 2 * W> in{}, out{};
    for (std::size_t i = 0; i < in.size(); ++i)
        in[i] = static_cast<float>(i) + 0.5f;
    simd::store_aligned(out.data() + W, simd::load_aligned(in.data() + W));
    simd::store_aligned(out.data(), simd::load_aligned(in.data()));
    BOOST_TEST(in == out);
}

BOOST_AUTO_TEST_CASE(unaligned_round_trip) {
    std::array<float, 2 * W + 1> in{}, out{};
    for (std::size_t i = 0; i < in.size(); ++i)
        in[i] = static_cast<float>(i);
    simd::store_unaligned(out.data() + 1, simd::load_unaligned(in.data() + 1));
    for (std::size_t i = 1; i <= W; ++i)
        BOOST_TEST(out[i] == in[i]);
    BOOST_TEST(out[0] == 0.0f);
}

BOOST_AUTO_TEST_CASE(partial_load_zero_fills_and_partial_store_writes_only_n_lanes) {
    for (std::size_t n = 0; n < W; ++n) {
        std::array<float, W> src{}, dst{};
        for (std::size_t i = 0; i < W; ++i)
            src[i] = static_cast<float>(i + 1);
        dst.fill(-1.0f);
        const auto v = simd::load_partial(src.data(), n);
        simd::store_partial(dst.data(), v, W); // all lanes, to look at the zero fill
        for (std::size_t i = 0; i < W; ++i)
            BOOST_TEST(dst[i] == (i < n ? src[i] : 0.0f));
        dst.fill(-1.0f);
        simd::store_partial(dst.data(), simd::broadcast(7.0f), n);
        for (std::size_t i = 0; i < W; ++i)
            BOOST_TEST(dst[i] == (i < n ? 7.0f : -1.0f));
    }
}

BOOST_AUTO_TEST_SUITE_END()
