// Tests gradient clipping (include/ctnn/policies/optimizer/gradient_clipping.hpp), Keras'
// clipnorm/clipvalue, for blocks of 1, 3, 17 and 784 parameters (vector bodies and scalar tails),
// through the optimizers that share it. sgd with learning rate 1 on parameters at 0 moves them to
// exactly -g (0 - 1 * g is exact), so it exposes the clipped gradient bit for bit.
#include "ctnn/policies/optimizer/optimizers.hpp"

#include "support/finite_difference.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace ctnn;

namespace {

constexpr std::array<std::size_t, 4> sizes{1, 3, 17, 784};

// n gradients uniform in [-scale, scale], one spare float in front so that data() + 1 is
// misaligned: update() must accept any alignment.
std::vector<float> random_gradient(std::size_t n, float scale, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-scale, scale);
    std::vector<float> g(n + 1);
    for (auto& v : g)
        v = dist(rng);
    return g;
}

double norm_of(const float* g, std::size_t n) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        sum += static_cast<double>(g[i]) * g[i];
    return std::sqrt(sum);
}

// The gradient as the optimizers see it after clipping: -(result of sgd, lr 1, from p = 0).
std::vector<float> clipped(const float* g, std::size_t n, float clipnorm, float clipvalue) {
    const sgd<> opt{.learning_rate = 1.0f, .clipnorm = clipnorm, .clipvalue = clipvalue};
    std::vector<float> p(n, 0.0f);
    std::vector<float> m(n, 0.0f);
    const std::array<float*, 1> slots{m.data()};
    apply_update(opt, p.data(), g, slots, n, 1);
    for (auto& v : p)
        v = -v;
    return p;
}

} // namespace

BOOST_AUTO_TEST_SUITE(clipping_test)

BOOST_AUTO_TEST_CASE(l2_norm_matches_double_precision) {
    for (std::size_t n : sizes) {
        const auto g = random_gradient(n, 3.0f, 1u + static_cast<unsigned>(n));
        BOOST_TEST(
            test::close(detail::l2_norm(g.data() + 1, n), norm_of(g.data() + 1, n), 1e-6, 0.0),
            "n = " << n);
    }
    BOOST_TEST(detail::l2_norm(nullptr, 0) == 0.0f);
}

BOOST_AUTO_TEST_CASE(clipnorm_rescales_large_gradients_to_the_norm) {
    for (std::size_t n : sizes) {
        const auto storage = random_gradient(n, 5.0f, 2u + static_cast<unsigned>(n));
        const float* g = storage.data() + 1;
        const double norm = norm_of(g, n);
        const float clipnorm = static_cast<float>(norm / 4.0); // well below the norm
        const auto c = clipped(g, n, clipnorm, 0.0f);
        BOOST_TEST(test::close(norm_of(c.data(), n), clipnorm, 1e-6, 0.0), "n = " << n);
        // Same direction: every component scaled by clipnorm / ||g||.
        for (std::size_t i = 0; i < n; ++i)
            BOOST_TEST(test::close(c[i], g[i] * (clipnorm / norm), 1e-6, 1e-12),
                       "n = " << n << " i = " << i);
    }
}

BOOST_AUTO_TEST_CASE(clipnorm_leaves_smaller_gradients_exactly_alone) {
    for (std::size_t n : sizes) {
        const auto storage = random_gradient(n, 5.0f, 3u + static_cast<unsigned>(n));
        const float* g = storage.data() + 1;
        const auto c = clipped(g, n, static_cast<float>(norm_of(g, n) * 1.5), 0.0f);
        for (std::size_t i = 0; i < n; ++i)
            BOOST_TEST(c[i] == g[i], "n = " << n << " i = " << i);
    }
    // A zero gradient has norm 0: no division by zero, no NaN.
    const std::vector<float> zeros(17, 0.0f);
    for (float v : clipped(zeros.data(), zeros.size(), 1.0f, 0.0f))
        BOOST_TEST(v == 0.0f);
}

BOOST_AUTO_TEST_CASE(clipvalue_clamps_each_component) {
    for (std::size_t n : sizes) {
        const auto storage = random_gradient(n, 3.0f, 4u + static_cast<unsigned>(n));
        const float* g = storage.data() + 1;
        const auto c = clipped(g, n, 0.0f, 1.0f);
        for (std::size_t i = 0; i < n; ++i)
            BOOST_TEST(c[i] == std::clamp(g[i], -1.0f, 1.0f), "n = " << n << " i = " << i);
    }
    // NaN stays NaN (divergence must stay visible), infinities are clamped.
    const std::array<float, 3> special{std::numeric_limits<float>::quiet_NaN(),
                                       std::numeric_limits<float>::infinity(),
                                       -std::numeric_limits<float>::infinity()};
    const auto c = clipped(special.data(), special.size(), 0.0f, 2.0f);
    BOOST_TEST(std::isnan(c[0]));
    BOOST_TEST(c[1] == 2.0f);
    BOOST_TEST(c[2] == -2.0f);
}

BOOST_AUTO_TEST_CASE(clipnorm_then_clipvalue_when_both_are_set) {
    for (std::size_t n : sizes) {
        const auto storage = random_gradient(n, 5.0f, 5u + static_cast<unsigned>(n));
        const float* g = storage.data() + 1;
        const float clipnorm = static_cast<float>(norm_of(g, n) / 2.0);
        const float clipvalue = 1.0f;
        const auto by_norm = clipped(g, n, clipnorm, 0.0f);
        const auto both = clipped(g, n, clipnorm, clipvalue);
        for (std::size_t i = 0; i < n; ++i)
            BOOST_TEST(both[i] == std::clamp(by_norm[i], -clipvalue, clipvalue),
                       "n = " << n << " i = " << i);
    }
}

// Every optimizer clips the same way: updating from g with clipping equals updating from the
// already clipped gradient without it.
template <class O>
void check_clipping_is_shared(O with_clipping) {
    O without = with_clipping;
    without.clipnorm = 0.0f;
    without.clipvalue = 0.0f;
    for (std::size_t n : sizes) {
        const auto storage = random_gradient(n, 4.0f, 6u + static_cast<unsigned>(n));
        const float* g = storage.data() + 1;
        const auto pre = clipped(g, n, with_clipping.clipnorm, with_clipping.clipvalue);
        std::vector<float> p1(n, 0.5f), p2(n, 0.5f);
        std::array<std::vector<float>, O::state_slots> s1, s2;
        std::array<float*, O::state_slots> ptr1{}, ptr2{};
        for (std::size_t s = 0; s < O::state_slots; ++s) {
            s1[s].assign(n, with_clipping.initial_state(s));
            s2[s].assign(n, with_clipping.initial_state(s));
            ptr1[s] = s1[s].data();
            ptr2[s] = s2[s].data();
        }
        for (std::size_t step = 1; step <= 2; ++step) {
            apply_update(with_clipping, p1.data(), g, ptr1, n, step);
            apply_update(without, p2.data(), pre.data(), ptr2, n, step);
        }
        for (std::size_t i = 0; i < n; ++i)
            BOOST_TEST(test::close(p1[i], p2[i], 1e-6, 1e-9),
                       O::name << " n = " << n << " i = " << i);
    }
}

BOOST_AUTO_TEST_CASE(every_optimizer_uses_the_shared_clipping) {
    for (const auto& [clipnorm, clipvalue] : {std::pair{1.0f, 0.0f}, std::pair{0.0f, 0.3f}}) {
        check_clipping_is_shared(
            sgd<>{.momentum = 0.9f, .clipnorm = clipnorm, .clipvalue = clipvalue});
        check_clipping_is_shared(rmsprop<>{.clipnorm = clipnorm, .clipvalue = clipvalue});
        check_clipping_is_shared(adam<>{.clipnorm = clipnorm, .clipvalue = clipvalue});
        check_clipping_is_shared(adamw<>{.clipnorm = clipnorm, .clipvalue = clipvalue});
        check_clipping_is_shared(nadam<>{.clipnorm = clipnorm, .clipvalue = clipvalue});
        check_clipping_is_shared(adagrad<>{.clipnorm = clipnorm, .clipvalue = clipvalue});
    }
}

BOOST_AUTO_TEST_SUITE_END()
