// Tests ctnn/kernels/dense_weight_update.hpp: the weight gradient fused with the optimizer step.
//
// Oracles: the two passes it replaces (dw = 0, dense_weight_gradient, apply_update over the
// whole kernel), run side by side for several steps on fresh random dz each step, for every
// optimizer of the library (sgd plain, with momentum and Nesterov; rmsprop, adagrad, adam, adamw
// with weight decay and clipvalue, nadam) and one written only in the tests (user::lion); and,
// independently of both, Keras' Adam and SGD-with-momentum written as plain loops in double from
// Xᵀ · dZ summed in double. Sizes that are not multiples of the SIMD width (1, 3, 17) and rows 1, 7, 64; inputs
// rows are x_stride = In + 1 apart (unaligned), W's padding columns must stay exactly zero.
#include "ctnn/kernels/dense_weight_gradient.hpp"
#include "ctnn/kernels/dense_weight_update.hpp"
#include "ctnn/policies/optimizer/optimizers.hpp"

#include "support/user_policies.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

using namespace ctnn;

namespace {

// A float buffer whose data() is aligned to simd::alignment (std::vector only guarantees
// alignof(float)).
struct buffer {
    explicit buffer(std::size_t n, float fill = 0.0f)
        : storage(n + simd::alignment / sizeof(float), fill) {
        const auto address = reinterpret_cast<std::uintptr_t>(storage.data());
        offset = (simd::alignment - address % simd::alignment) % simd::alignment / sizeof(float);
    }
    buffer(const buffer&) = delete; // a copy's storage would not be aligned the same way
    buffer& operator=(const buffer&) = delete;
    float* data() { return storage.data() + offset; }
    float& operator[](std::size_t i) { return data()[i]; }
    std::vector<float> storage;
    std::size_t offset = 0;
};

// Everything one step reads: inputs and dz for `rows` samples of a dense layer In -> Out.
template <std::size_t In, std::size_t Out>
struct step_data {
    using layout = kernels::dense_layout<In, Out>;
    static constexpr std::size_t x_stride = In + 1; // rows deliberately not aligned
    std::vector<float> x;
    buffer dz;

    step_data(std::size_t rows, std::mt19937& gen)
        : x(rows * x_stride), dz(rows * layout::padded_outputs) {
        std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
        for (auto& v : x)
            v = unit(gen);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < Out; ++j) // padding lanes stay zero, as the prologue's
                dz[r * layout::padded_outputs + j] = 0.1f * unit(gen);
    }
};

// Parameters and optimizer state of one kernel, laid out as the trainer lays them out.
template <std::size_t In, std::size_t Out, std::size_t Slots>
struct kernel_state {
    using layout = kernels::dense_layout<In, Out>;
    static constexpr std::size_t n = layout::kernel_size;
    buffer w{n};
    std::vector<float> state = std::vector<float>(std::max<std::size_t>(Slots, 1) * n);

    explicit kernel_state(std::mt19937& gen) {
        std::uniform_real_distribution<float> unit(-0.5f, 0.5f);
        for (std::size_t i = 0; i < In; ++i)
            for (std::size_t j = 0; j < Out; ++j)
                w[i * layout::padded_outputs + j] = unit(gen);
    }
    std::span<float* const, Slots> slots() {
        for (std::size_t s = 0; s < Slots; ++s)
            pointers[s] = state.data() + s * n;
        return std::span<float* const, Slots>(pointers.data(), Slots);
    }
    std::array<float*, Slots> pointers{};
};

[[nodiscard]] bool close(float got, float expected, float tolerance) {
    return std::abs(got - expected) <= tolerance * std::max(1.0f, std::abs(expected));
}

// Fused and two-pass steps from the same start for `steps` steps; every weight and state value
// must agree to `tolerance` and W's padding columns must stay zero.
template <std::size_t In, std::size_t Out, class O>
void check_against_two_passes(const O& opt, std::size_t rows, std::size_t steps) {
    using layout = kernels::dense_layout<In, Out>;
    constexpr std::size_t slots = O::state_slots;
    constexpr std::size_t n = layout::kernel_size;
    const auto seed = static_cast<unsigned>(In * 1000 + Out * 10 + rows);
    std::mt19937 gen(seed), same(seed);
    kernel_state<In, Out, slots> fused(gen);
    kernel_state<In, Out, slots> split(same); // same start; a copy would lose alignment
    reset_optimizer_state(opt, fused.slots(), n);
    reset_optimizer_state(opt, split.slots(), n);
    buffer dw(n);

    for (std::size_t step = 1; step <= steps; ++step) {
        step_data<In, Out> data(rows, gen);
        {
            const bool fused_step = kernels::dense_weight_update<In, Out>(
                data.x.data(), data.x_stride, data.dz.data(), fused.w.data(), fused.slots(), rows,
                opt, step);
            BOOST_TEST_REQUIRE(fused_step);
        }

        std::fill_n(dw.data(), n, 0.0f);
        kernels::dense_weight_gradient<In, Out>(data.x.data(), data.x_stride, data.dz.data(),
                                                dw.data(), rows);
        apply_update(opt, split.w.data(), dw.data(), split.slots(), n, step);
    }

    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i)
        bad += close(fused.w[i], split.w[i], 1e-6f) ? 0 : 1;
    for (std::size_t i = 0; i < slots * n; ++i)
        bad += close(fused.state[i], split.state[i], 1e-6f) ? 0 : 1;
    for (std::size_t i = 0; i < In; ++i)
        for (std::size_t j = Out; j < layout::padded_outputs; ++j)
            bad += fused.w[i * layout::padded_outputs + j] == 0.0f ? 0 : 1;
    BOOST_TEST(bad == 0u, opt.name << " " << In << "x" << Out << " rows " << rows << ": " << bad
                                   << " values differ from the two-pass step");
}

template <std::size_t In, std::size_t Out, class O>
void check_all_rows(const O& opt) {
    for (std::size_t rows : {std::size_t{1}, std::size_t{7}, std::size_t{64}})
        check_against_two_passes<In, Out>(opt, rows, 3);
}

template <class O>
void check_all_sizes(const O& opt) {
    check_all_rows<1, 1>(opt);
    check_all_rows<3, 17>(opt);
    check_all_rows<17, 3>(opt);
    check_all_rows<784, 128>(opt);
}

// The gradient X^T dZ of one step in double, [In][Out].
template <std::size_t In, std::size_t Out>
std::vector<double> exact_gradient(step_data<In, Out>& data, std::size_t rows) {
    using layout = kernels::dense_layout<In, Out>;
    std::vector<double> g(In * Out, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t i = 0; i < In; ++i)
            for (std::size_t j = 0; j < Out; ++j)
                g[i * Out + j] += static_cast<double>(data.x[r * data.x_stride + i]) *
                                  static_cast<double>(data.dz[r * layout::padded_outputs + j]);
    return g;
}

} // namespace

BOOST_AUTO_TEST_SUITE(dense_weight_update_test)

BOOST_AUTO_TEST_CASE(adam_matches_gradient_then_update) {
    check_all_sizes(adam<>{.learning_rate = 0.01f});
}

BOOST_AUTO_TEST_CASE(adamw_with_clipvalue_matches_gradient_then_update) {
    check_all_sizes(adamw<>{.learning_rate = 0.01f, .weight_decay = 0.1f, .clipvalue = 0.05f});
}

BOOST_AUTO_TEST_CASE(sgd_with_momentum_matches_gradient_then_update) {
    check_all_sizes(sgd<>{.learning_rate = 0.1f, .momentum = 0.9f});
}

BOOST_AUTO_TEST_CASE(sgd_plain_and_nesterov_match_gradient_then_update) {
    check_all_sizes(sgd<>{.learning_rate = 0.1f, .weight_decay = 0.01f});
    check_all_sizes(sgd<>{.learning_rate = 0.1f, .momentum = 0.8f, .nesterov = true});
}

BOOST_AUTO_TEST_CASE(rmsprop_adagrad_and_nadam_match_gradient_then_update) {
    check_all_sizes(rmsprop<>{.learning_rate = 0.01f, .clipvalue = 0.05f});
    check_all_sizes(adagrad<>{.learning_rate = 0.05f});
    check_all_sizes(nadam<>{.learning_rate = 0.01f, .weight_decay = 0.01f});
}

// An optimizer written outside the library fuses through its element rule alone.
BOOST_AUTO_TEST_CASE(an_optimizer_of_the_tests_matches_gradient_then_update) {
    check_all_sizes(user::lion{.learning_rate = 0.01f});
    check_all_sizes(user::lion{.learning_rate = 0.01f, .weight_decay = 0.1f});
}

// Keras' Adam and momentum SGD in double, from the exact gradient: an oracle that shares no
// code with either path.
BOOST_AUTO_TEST_CASE(adam_and_momentum_sgd_match_keras_formulas_in_double) {
    constexpr std::size_t in = 17, out = 3, rows = 7, steps = 4;
    using layout = kernels::dense_layout<in, out>;
    constexpr std::size_t n = layout::kernel_size;
    const adam<> a{.learning_rate = 0.01f};
    const sgd<> s{.learning_rate = 0.1f, .momentum = 0.9f};
    std::mt19937 gen(3);
    kernel_state<in, out, 2> fused_adam(gen);
    kernel_state<in, out, 1> fused_sgd(gen);
    reset_optimizer_state(a, fused_adam.slots(), n);
    reset_optimizer_state(s, fused_sgd.slots(), n);
    std::vector<double> w_adam(in * out), m_adam(in * out, 0.0), v_adam(in * out, 0.0);
    std::vector<double> w_sgd(in * out), m_sgd(in * out, 0.0);
    for (std::size_t i = 0; i < in; ++i)
        for (std::size_t j = 0; j < out; ++j) {
            w_adam[i * out + j] = fused_adam.w[i * layout::padded_outputs + j];
            w_sgd[i * out + j] = fused_sgd.w[i * layout::padded_outputs + j];
        }

    for (std::size_t t = 1; t <= steps; ++t) {
        step_data<in, out> data(rows, gen);
        {
            const bool fused_step = kernels::dense_weight_update<in, out>(
                data.x.data(), data.x_stride, data.dz.data(), fused_adam.w.data(),
                fused_adam.slots(), rows, a, t);
            BOOST_TEST_REQUIRE(fused_step);
        }
        {
            const bool fused_step = kernels::dense_weight_update<in, out>(
                data.x.data(), data.x_stride, data.dz.data(), fused_sgd.w.data(), fused_sgd.slots(),
                rows, s, t);
            BOOST_TEST_REQUIRE(fused_step);
        }
        const std::vector<double> g = exact_gradient(data, rows);
        const double b1 = 0.9, b2 = 0.999, lr = 0.01, eps = 1e-7;
        const double alpha = lr * std::sqrt(1.0 - std::pow(b2, static_cast<double>(t))) /
                             (1.0 - std::pow(b1, static_cast<double>(t)));
        for (std::size_t e = 0; e < in * out; ++e) {
            m_adam[e] += (1.0 - b1) * (g[e] - m_adam[e]);
            v_adam[e] += (1.0 - b2) * (g[e] * g[e] - v_adam[e]);
            w_adam[e] -= alpha * m_adam[e] / (std::sqrt(v_adam[e]) + eps);
            m_sgd[e] = 0.9 * m_sgd[e] - 0.1 * g[e];
            w_sgd[e] += m_sgd[e];
        }
    }
    for (std::size_t i = 0; i < in; ++i)
        for (std::size_t j = 0; j < out; ++j) {
            const std::size_t at = i * layout::padded_outputs + j;
            BOOST_TEST(fused_adam.w[at] == w_adam[i * out + j], boost::test_tools::tolerance(1e-4));
            BOOST_TEST(fused_adam.state[at] == m_adam[i * out + j],
                       boost::test_tools::tolerance(1e-3));
            BOOST_TEST(fused_sgd.w[at] == w_sgd[i * out + j], boost::test_tools::tolerance(1e-5));
            BOOST_TEST(fused_sgd.state[at] == m_sgd[i * out + j],
                       boost::test_tools::tolerance(1e-4));
        }
}

// A rule that stores the gradient as the parameter turns the kernel into dense_weight_gradient:
// the generic overload computes exactly the same sums.
BOOST_AUTO_TEST_CASE(generic_rule_sees_the_weight_gradient) {
    constexpr std::size_t in = 784, out = 17, rows = 64;
    using layout = kernels::dense_layout<in, out>;
    std::mt19937 gen(5);
    step_data<in, out> data(rows, gen);
    buffer w(layout::kernel_size, 1.0f), dw(layout::kernel_size, 0.0f);
    kernels::dense_weight_update<in, out>(
        data.x.data(), data.x_stride, data.dz.data(), w.data(), nullptr, rows,
        make_rule<0>({}, []<class V>(V& p, V g, std::array<V, 0>&) noexcept { p = g; }));
    kernels::dense_weight_gradient<in, out>(data.x.data(), data.x_stride, data.dz.data(), dw.data(),
                                            rows);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < layout::kernel_size; ++i)
        differ += w[i] == dw[i] ? 0 : 1;
    BOOST_TEST(differ == 0u);
}

// Clipping by norm needs the norm of the whole gradient first: the fused step declines.
BOOST_AUTO_TEST_CASE(clipnorm_is_declined_and_nothing_changes) {
    constexpr std::size_t in = 3, out = 17, rows = 7;
    const adam<> clipped{.clipnorm = 1.0f};
    BOOST_TEST(!updates_elementwise(clipped));
    BOOST_TEST(updates_elementwise(adam<>{}));
    BOOST_TEST(updates_elementwise(adagrad<>{}));
    BOOST_TEST(updates_elementwise(user::lion{}));

    std::mt19937 gen(9);
    step_data<in, out> data(rows, gen);
    kernel_state<in, out, 2> k(gen);
    const std::vector<float> before = k.w.storage;
    {
        const bool fused_step = kernels::dense_weight_update<in, out>(
            data.x.data(), data.x_stride, data.dz.data(), k.w.data(), k.slots(), rows, clipped, 1);
        BOOST_TEST(!fused_step);
    }
    BOOST_TEST(k.w.storage == before);
    BOOST_TEST(std::all_of(k.state.begin(), k.state.end(), [](float v) { return v == 0.0f; }));
}

BOOST_AUTO_TEST_SUITE_END()
