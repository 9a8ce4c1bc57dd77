// Laws every optimizer in include/ctnn/policies/optimizer/ must obey:
// - it satisfies the `optimizer` concept (and non-optimizers do not);
// - its SIMD update equals a scalar double-precision transcription of its Keras 3 formula, written
//   here independently, for n in {1, 3, 17, 784} (whole vectors and scalar tails), at unaligned
//   addresses, over steps 1, 2, 3 and then the far steps 1000 and 5000 (bias corrections and
//   NAdam's momentum product), with and without clipping, weight decay and schedules;
// - state slots it does not use stay untouched, and memory outside the n parameters too.
// An optimizer written only in the tests (support/user_policies.hpp: user::lion) obeys them too.
#include "ctnn/policies/optimizer/optimizers.hpp"

#include "support/finite_difference.hpp"
#include "support/user_policies.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <type_traits>
#include <vector>

using namespace ctnn;

namespace {

// --- the concept ----------------------------------------------------------------------------

static_assert(optimizer<sgd<>> && optimizer<rmsprop<>> && optimizer<adam<>> && optimizer<adamw<>> &&
              optimizer<nadam<>> && optimizer<adagrad<>>);
static_assert(optimizer<sgd<step_decay>> && optimizer<adam<cosine_decay>> &&
              optimizer<nadam<exponential_decay>> && optimizer<rmsprop<float>> &&
              optimizer<adagrad<double>>);
static_assert(sgd<>::state_slots == 1 && rmsprop<>::state_slots == 1 &&
              adagrad<>::state_slots == 1 && adam<>::state_slots == 2 &&
              adamw<>::state_slots == 2 && nadam<>::state_slots == 2);
static_assert(sgd<>::name == "sgd" && rmsprop<>::name == "rmsprop" && adam<>::name == "adam" &&
              adamw<>::name == "adamw" && nadam<>::name == "nadam" && adagrad<>::name == "adagrad");
static_assert(!optimizer<int> && !optimizer<constant_rate>);

// with_rule() not noexcept: rejected.
struct throwing_rule {
    static constexpr std::string_view name = "bad";
    static constexpr std::size_t state_slots = 0;
    float initial_state(std::size_t) const noexcept { return 0.0f; }
    template <class Visit>
    decltype(auto) with_rule(std::size_t, Visit&& visit) const {
        return visit(make_rule<0>({}, []<class V>(V&, V, std::array<V, 0>&) noexcept {}));
    }
};
static_assert(!optimizer<throwing_rule>);

// An update of whole arrays instead of an element rule (ctnn before the rules): rejected, since
// neither the fused kernel nor the split over threads could apply it.
struct array_update {
    static constexpr std::string_view name = "bad";
    static constexpr std::size_t state_slots = 0;
    float initial_state(std::size_t) const noexcept { return 0.0f; }
    void update(float*, const float*, std::span<float* const, 0>, std::size_t,
                std::size_t) const noexcept {}
};
static_assert(!optimizer<array_update>);
static_assert(optimizer<user::lion>);

// Keras defaults, written out once more.
static_assert(sgd<>{}.learning_rate(0) == 0.01f && sgd<>{}.momentum == 0.0f && !sgd<>{}.nesterov);
static_assert(rmsprop<>{}.learning_rate(0) == 0.001f && rmsprop<>{}.rho == 0.9f &&
              rmsprop<>{}.epsilon == 1e-7f);
static_assert(adam<>{}.learning_rate(0) == 0.001f && adam<>{}.beta_1 == 0.9f &&
              adam<>{}.beta_2 == 0.999f && adam<>{}.epsilon == 1e-7f && adam<>{}.weight_decay == 0);
static_assert(adamw<>{}.weight_decay == 0.004f && adamw<>{}.epsilon == 1e-7f);
static_assert(nadam<>{}.learning_rate(0) == 0.001f && nadam<>{}.epsilon == 1e-7f);
static_assert(adagrad<>{}.learning_rate(0) == 0.001f && adagrad<>{}.initial_state(0) == 0.1f &&
              adagrad<>{}.epsilon == 1e-7f);
static_assert(adam<>{}.clipnorm == 0.0f && adam<>{}.clipvalue == 0.0f);

// Aggregate class template argument deduction (C++20, P1816): g++ >= 11 and clang >= 17 accept
// `ctnn::adam{.learning_rate = 1e-3f}` and deduce the learning-rate type from the initializer;
// clang 14 does not, so there users write `ctnn::adam<>{...}` (or `ctnn::adam<cosine_decay>{...}`).
#if __cpp_deduction_guides >= 201907L
static_assert(std::is_same_v<decltype(adam{.learning_rate = 1e-3f}), adam<float>>);
static_assert(std::is_same_v<decltype(sgd{.learning_rate = 0.1, .momentum = 0.9f}), sgd<double>>);
static_assert(std::is_same_v<decltype(nadam{.learning_rate = cosine_decay{.decay_steps = 10}}),
                             nadam<cosine_decay>>);
static_assert(std::is_same_v<decltype(rmsprop{.rho = 0.8f}), rmsprop<constant_rate>>);
#endif
static_assert(std::is_same_v<decltype(adagrad{}), adagrad<constant_rate>>);

// --- double-precision transcriptions of the Keras 3 rules --------------------------------------

using vec = std::vector<double>;

template <class O>
double lr_of(const O& o, std::size_t t) {
    return static_cast<double>(learning_rate_at(o.learning_rate, t - 1));
}

// Keras' base optimizer: clip (norm, then value), then decoupled weight decay.
template <class O>
vec clip_and_decay(const O& o, vec& p, vec g, std::size_t t) {
    if (o.clipnorm > 0) {
        double sum = 0;
        for (double v : g)
            sum += v * v;
        const double norm = std::sqrt(sum);
        for (double& v : g)
            v = v * o.clipnorm / std::max(norm, double{o.clipnorm});
    }
    if (o.clipvalue > 0)
        for (double& v : g)
            v = std::clamp(v, -double{o.clipvalue}, double{o.clipvalue});
    for (double& v : p)
        v -= v * o.weight_decay * lr_of(o, t);
    return g;
}

template <class L>
void reference_step(const sgd<L>& o, vec& p, const vec& g0, std::vector<vec>& s, std::size_t t) {
    const vec g = clip_and_decay(o, p, g0, t);
    const double lr = lr_of(o, t), mu = o.momentum;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (o.momentum == 0) {
            p[i] -= lr * g[i];
        } else {
            s[0][i] = mu * s[0][i] - lr * g[i];
            p[i] += o.nesterov ? mu * s[0][i] - lr * g[i] : s[0][i];
        }
    }
}

template <class L>
void reference_step(const rmsprop<L>& o, vec& p, const vec& g0, std::vector<vec>& s,
                    std::size_t t) {
    const vec g = clip_and_decay(o, p, g0, t);
    for (std::size_t i = 0; i < p.size(); ++i) {
        s[0][i] = o.rho * s[0][i] + (1.0 - o.rho) * g[i] * g[i];
        p[i] -= lr_of(o, t) * g[i] / std::sqrt(s[0][i] + o.epsilon);
    }
}

template <class L>
void reference_step(const adagrad<L>& o, vec& p, const vec& g0, std::vector<vec>& s,
                    std::size_t t) {
    const vec g = clip_and_decay(o, p, g0, t);
    for (std::size_t i = 0; i < p.size(); ++i) {
        s[0][i] += g[i] * g[i];
        p[i] -= lr_of(o, t) * g[i] / std::sqrt(s[0][i] + o.epsilon);
    }
}

// Keras 3's Lion, written from its formula (support/user_policies.hpp).
void reference_step(const user::lion& o, vec& p, const vec& g, std::vector<vec>& s, std::size_t) {
    const double b1 = o.beta_1, b2 = o.beta_2, lr = o.learning_rate;
    for (std::size_t i = 0; i < p.size(); ++i) {
        p[i] -= p[i] * o.weight_decay * lr;
        const double c = b1 * s[0][i] + (1.0 - b1) * g[i];
        p[i] -= lr * static_cast<double>((c > 0) - (c < 0));
        s[0][i] = b2 * s[0][i] + (1.0 - b2) * g[i];
    }
}

template <class O>
void reference_adam_step(const O& o, vec& p, const vec& g0, std::vector<vec>& s, std::size_t t) {
    const vec g = clip_and_decay(o, p, g0, t);
    const double b1 = o.beta_1, b2 = o.beta_2, td = static_cast<double>(t);
    const double alpha = lr_of(o, t) * std::sqrt(1.0 - std::pow(b2, td)) / (1.0 - std::pow(b1, td));
    for (std::size_t i = 0; i < p.size(); ++i) {
        s[0][i] = b1 * s[0][i] + (1.0 - b1) * g[i];
        s[1][i] = b2 * s[1][i] + (1.0 - b2) * g[i] * g[i];
        p[i] -= alpha * s[0][i] / (std::sqrt(s[1][i]) + o.epsilon);
    }
}
template <class L>
void reference_step(const adam<L>& o, vec& p, const vec& g, std::vector<vec>& s, std::size_t t) {
    reference_adam_step(o, p, g, s, t);
}
template <class L>
void reference_step(const adamw<L>& o, vec& p, const vec& g, std::vector<vec>& s, std::size_t t) {
    reference_adam_step(o, p, g, s, t);
}

template <class L>
void reference_step(const nadam<L>& o, vec& p, const vec& g0, std::vector<vec>& s, std::size_t t) {
    const vec g = clip_and_decay(o, p, g0, t);
    const double b1 = o.beta_1, b2 = o.beta_2;
    const auto u = [b1](std::size_t i) {
        return b1 * (1.0 - 0.5 * std::pow(0.96, static_cast<double>(i)));
    };
    double u_product = 1.0; // the full product, as Keras accumulates it
    for (std::size_t i = 1; i <= t; ++i)
        u_product *= u(i);
    const double u_product_next = u_product * u(t + 1);
    for (std::size_t i = 0; i < p.size(); ++i) {
        s[0][i] = b1 * s[0][i] + (1.0 - b1) * g[i];
        s[1][i] = b2 * s[1][i] + (1.0 - b2) * g[i] * g[i];
        const double m_hat =
            u(t + 1) * s[0][i] / (1.0 - u_product_next) + (1.0 - u(t)) * g[i] / (1.0 - u_product);
        const double v_hat = s[1][i] / (1.0 - std::pow(b2, static_cast<double>(t)));
        p[i] -= lr_of(o, t) * m_hat / (std::sqrt(v_hat) + o.epsilon);
    }
}

// --- the law ----------------------------------------------------------------------------------

constexpr std::array<std::size_t, 4> sizes{1, 3, 17, 784};
constexpr std::array<std::size_t, 5> steps{1, 2, 3, 1000, 5000};
constexpr float guard = 12345.0f; // written around each array; must survive every update

template <optimizer O>
void check_against_double(const O& opt, const char* label) {
    constexpr std::size_t slots = O::state_slots;
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (std::size_t n : sizes) {
        // One guard float on each side; data starts at index 1, so it is misaligned.
        std::vector<float> p(n + 2, guard), g(n + 2, guard);
        std::array<std::vector<float>, slots> state;
        std::array<float*, slots> ptrs{};
        for (std::size_t s = 0; s < slots; ++s) {
            state[s].assign(n + 2, guard);
            ptrs[s] = state[s].data() + 1;
        }
        reset_optimizer_state(opt, std::span<float* const, slots>(ptrs), n);
        vec pd(n);
        for (std::size_t i = 0; i < n; ++i)
            pd[i] = p[i + 1] = dist(rng);
        std::vector<vec> sd(slots);
        for (std::size_t s = 0; s < slots; ++s)
            sd[s].assign(n, opt.initial_state(s));
        for (std::size_t t : steps) {
            vec gd(n);
            for (std::size_t i = 0; i < n; ++i)
                gd[i] = g[i + 1] = dist(rng) * 2.0f;
            apply_update(opt, p.data() + 1, g.data() + 1, ptrs, n, t);
            reference_step(opt, pd, gd, sd, t);
            BOOST_TEST_CONTEXT(label << " n = " << n << " step " << t) {
                for (std::size_t i = 0; i < n; ++i)
                    BOOST_TEST(test::close(p[i + 1], pd[i], 2e-6, 3e-7),
                               "p[" << i << "] = " << p[i + 1] << ", double " << pd[i]);
                for (std::size_t s = 0; s < slots; ++s)
                    for (std::size_t i = 0; i < n; ++i)
                        BOOST_TEST(test::close(state[s][i + 1], sd[s][i], 1e-5, 1e-7),
                                   "slot " << s << "[" << i << "] = " << state[s][i + 1]
                                           << ", double " << sd[s][i]);
                BOOST_TEST(p.front() == guard);
                BOOST_TEST(p.back() == guard);
                for (std::size_t s = 0; s < slots; ++s)
                    BOOST_TEST((state[s].front() == guard && state[s].back() == guard));
            }
        }
    }
}

const exponential_decay decaying{
    .initial_learning_rate = 0.05f, .decay_steps = 2, .decay_rate = 0.7f};

} // namespace

BOOST_AUTO_TEST_SUITE(optimizer_laws_test)

BOOST_AUTO_TEST_CASE(sgd_matches_its_double_transcription) {
    check_against_double(sgd<>{}, "sgd defaults");
    check_against_double(sgd<>{.learning_rate = 0.1f, .momentum = 0.9f}, "sgd momentum");
    check_against_double(sgd<>{.learning_rate = 0.1f, .momentum = 0.9f, .nesterov = true},
                         "sgd nesterov");
    check_against_double(
        sgd<exponential_decay>{
            .learning_rate = decaying, .momentum = 0.5f, .weight_decay = 0.1f, .clipnorm = 1.0f},
        "sgd schedule decay clipnorm");
}

BOOST_AUTO_TEST_CASE(sgd_without_momentum_leaves_its_slot_alone) {
    std::vector<float> p(17, 1.0f), g(17, 0.5f), m(17, 7.0f);
    const std::array<float*, 1> slots{m.data()};
    apply_update(sgd<>{.learning_rate = 0.1f}, p.data(), g.data(), slots, 17, 1);
    for (std::size_t i = 0; i < 17; ++i) {
        BOOST_TEST(m[i] == 7.0f);
        BOOST_TEST(p[i] == 1.0f - 0.5f * 0.1f);
    }
}

BOOST_AUTO_TEST_CASE(rmsprop_matches_its_double_transcription) {
    check_against_double(rmsprop<>{}, "rmsprop defaults");
    check_against_double(
        rmsprop<>{.learning_rate = 0.01f, .rho = 0.5f, .epsilon = 1e-3f, .clipvalue = 0.5f},
        "rmsprop clipvalue");
}

BOOST_AUTO_TEST_CASE(adam_and_adamw_match_their_double_transcription) {
    check_against_double(adam<>{}, "adam defaults");
    check_against_double(adam<exponential_decay>{.learning_rate = decaying,
                                                 .beta_1 = 0.8f,
                                                 .epsilon = 1e-3f,
                                                 .weight_decay = 0.05f,
                                                 .clipnorm = 2.0f},
                         "adam schedule decay clipnorm");
    check_against_double(adamw<>{}, "adamw defaults");
    check_against_double(adamw<>{.learning_rate = 0.01f, .weight_decay = 0.5f, .clipvalue = 0.25f},
                         "adamw clipvalue");
}

BOOST_AUTO_TEST_CASE(nadam_matches_its_double_transcription) {
    check_against_double(nadam<>{}, "nadam defaults");
    check_against_double(
        nadam<cosine_decay>{.learning_rate = {.initial_learning_rate = 0.01f, .decay_steps = 2000},
                            .beta_1 = 0.95f,
                            .clipnorm = 1.0f},
        "nadam schedule clipnorm");
    // The momentum product table equals the running product wherever it is used.
    double product = 1.0;
    for (std::size_t t = 1; t <= 3000; ++t) {
        product *= 0.9 * (1.0 - 0.5 * std::pow(0.96, static_cast<double>(t)));
        BOOST_TEST(test::close(detail::nadam_momentum_product(0.9, t), product, 1e-12, 1e-300),
                   "t = " << t);
    }
}

BOOST_AUTO_TEST_CASE(adagrad_matches_its_double_transcription) {
    check_against_double(adagrad<>{}, "adagrad defaults");
    check_against_double(adagrad<>{.learning_rate = 0.1f,
                                   .initial_accumulator_value = 0.0f,
                                   .epsilon = 1e-3f,
                                   .weight_decay = 0.01f,
                                   .clipnorm = 0.5f},
                         "adagrad decay clipnorm");
}

BOOST_AUTO_TEST_CASE(an_optimizer_of_the_tests_matches_its_double_transcription) {
    check_against_double(user::lion{}, "lion defaults");
    check_against_double(user::lion{.learning_rate = 0.01f, .beta_1 = 0.5f, .weight_decay = 0.1f},
                         "lion decay");
}

BOOST_AUTO_TEST_CASE(reset_optimizer_state_fills_every_slot) {
    std::vector<float> a(17, -1.0f), b(17, -1.0f);
    const std::array<float*, 2> two{a.data(), b.data()};
    reset_optimizer_state(adam<>{}, std::span<float* const, 2>(two), 17);
    BOOST_TEST((std::all_of(a.begin(), a.end(), [](float v) { return v == 0.0f; }) &&
                std::all_of(b.begin(), b.end(), [](float v) { return v == 0.0f; })));
    const std::array<float*, 1> one{a.data()};
    reset_optimizer_state(adagrad<>{.initial_accumulator_value = 0.25f},
                          std::span<float* const, 1>(one), 17);
    BOOST_TEST(std::all_of(a.begin(), a.end(), [](float v) { return v == 0.25f; }));
}

BOOST_AUTO_TEST_SUITE_END()
