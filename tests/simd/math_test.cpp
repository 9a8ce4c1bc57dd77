// Tests ctnn/simd/math.hpp: each function on a batch agrees lane by lane with its scalar
// overload (the standard library), so scalar and vector code paths compute the same thing.
#include "ctnn/simd/math.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>

using namespace ctnn;

namespace {
constexpr std::size_t W = simd::width_v<float>;
using lanes = std::array<float, W>;

lanes to_lanes(const simd::batch_t<float>& v) {
    alignas(simd::alignment) lanes out{};
    simd::store_aligned(out.data(), v);
    return out;
}

template <class F>
void check_unary(F f, float lo, float hi, float rel_tol) {
    alignas(simd::alignment) lanes x{};
    for (int round = 0; round < 64; ++round) {
        for (std::size_t i = 0; i < W; ++i)
            x[i] = lo + (hi - lo) * static_cast<float>((round * W + i) % 97) / 96.0f;
        const lanes y = to_lanes(f(simd::load_aligned(x.data())));
        for (std::size_t i = 0; i < W; ++i) {
            const float expected = f(x[i]);
            BOOST_TEST(std::abs(y[i] - expected) <= rel_tol * (1.0f + std::abs(expected)),
                       "x = " << x[i] << ": batch " << y[i] << " scalar " << expected);
        }
    }
}
} // namespace

BOOST_AUTO_TEST_SUITE(math_test)

BOOST_AUTO_TEST_CASE(transcendentals_match_the_standard_library) {
    check_unary([](auto v) { return simd::exp(v); }, -80.0f, 80.0f, 4e-7f);
    check_unary([](auto v) { return simd::expm1(v); }, -5.0f, 5.0f, 4e-7f);
    check_unary([](auto v) { return simd::log(v); }, 1e-30f, 1e30f, 4e-7f);
    check_unary([](auto v) { return simd::log1p(v); }, -0.9f, 100.0f, 4e-7f);
    check_unary([](auto v) { return simd::tanh(v); }, -20.0f, 20.0f, 4e-7f);
    check_unary([](auto v) { return simd::erf(v); }, -6.0f, 6.0f, 4e-7f);
    check_unary([](auto v) { return simd::erfc(v); }, -6.0f, 9.0f, 4e-6f);
    check_unary([](auto v) { return simd::sqrt(v); }, 0.0f, 1e6f, 4e-7f);
    check_unary([](auto v) { return simd::abs(v); }, -3.0f, 3.0f, 0.0f);
}

BOOST_AUTO_TEST_CASE(fma_min_max_select_and_reductions) {
    alignas(simd::alignment) lanes a{}, b{};
    for (std::size_t i = 0; i < W; ++i) {
        a[i] = static_cast<float>(i) - 2.0f;
        b[i] = 1.5f - static_cast<float>(i);
    }
    const auto va = simd::load_aligned(a.data());
    const auto vb = simd::load_aligned(b.data());
    const lanes f = to_lanes(simd::fma(va, vb, simd::broadcast(1.0f)));
    const lanes mx = to_lanes(simd::max(va, vb));
    const lanes mn = to_lanes(simd::min(va, vb));
    const lanes sel = to_lanes(simd::select(va > vb, va, simd::broadcast(0.0f)));
    float sum = 0.0f, largest = a[0];
    for (std::size_t i = 0; i < W; ++i) {
        BOOST_TEST(f[i] == std::fma(a[i], b[i], 1.0f));
        BOOST_TEST(mx[i] == std::max(a[i], b[i]));
        BOOST_TEST(mn[i] == std::min(a[i], b[i]));
        BOOST_TEST(sel[i] == (a[i] > b[i] ? a[i] : 0.0f));
        sum += a[i];
        largest = std::max(largest, a[i]);
    }
    BOOST_TEST(simd::reduce_add(va) == sum);
    BOOST_TEST(simd::reduce_max(va) == largest);
}

BOOST_AUTO_TEST_SUITE_END()
