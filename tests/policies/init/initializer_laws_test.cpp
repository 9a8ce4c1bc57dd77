// Tests ctnn/policies/init/*.hpp laws that hold for every initializer: the concept accepts each
// initializer and rejects unrelated types; names are the Keras ones; an initializer writes
// exactly its span and only finite values; the same seed gives bit-identical values and a
// different seed different ones; filling a span in pieces gives what filling it at once gives.
#include "ctnn/policies/init/initializers.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <ratio>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

using namespace ctnn;

namespace {

using random_initializers =
    std::tuple<random_normal, random_normal_with<std::ratio<-1, 2>, std::ratio<3>>, random_uniform,
               random_uniform_with<std::ratio<1, 3>, std::ratio<7, 2>>, truncated_normal,
               truncated_normal_with<std::ratio<1>, std::ratio<1, 10>>, glorot_uniform,
               glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal,
               variance_scaling<std::ratio<1, 3>, fan_mode::fan_out,
                                scaling_distribution::untruncated_normal>>;
using constant_initializers = std::tuple<zeros, ones, constant, constant_with<std::ratio<-3, 2>>>;
using all_initializers = decltype(std::tuple_cat(random_initializers{}, constant_initializers{}));

template <class... I>
constexpr bool all_model_the_concept(std::tuple<I...>*) {
    return (initializer<I> && ...);
}
static_assert(all_model_the_concept(static_cast<all_initializers*>(nullptr)),
              "every ctnn initializer models ctnn::initializer");

// Types that look a little like an initializer but are not one.
struct no_name {
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float>, std::size_t, std::size_t, G&) const {}
};
struct name_not_a_string_view {
    static constexpr const char* name = "oops";
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float>, std::size_t, std::size_t, G&) const {}
};
struct name_not_constant {
    static inline std::string_view name = "oops";
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float>, std::size_t, std::size_t, G&) const {}
};
struct non_const_call {
    static constexpr std::string_view name = "oops";
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float>, std::size_t, std::size_t, G&) {}
};
struct no_fans {
    static constexpr std::string_view name = "oops";
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float>, G&) const {}
};
struct not_default_constructible {
    explicit not_default_constructible(int) {}
    [[maybe_unused]] static constexpr std::string_view name = "oops";
    template <std::uniform_random_bit_generator G>
    void operator()(std::span<float>, std::size_t, std::size_t, G&) const {}
};
static_assert(!initializer<int>);
static_assert(!initializer<random_engine>);
static_assert(!initializer<std::normal_distribution<float>>);
static_assert(!initializer<no_name>);
static_assert(!initializer<name_not_a_string_view>);
static_assert(!initializer<name_not_constant>);
static_assert(!initializer<non_const_call>);
static_assert(!initializer<no_fans>);
static_assert(!initializer<not_default_constructible>);

// Keras' names (keras.initializers.get accepts each of them).
static_assert(zeros::name == "zeros" && ones::name == "ones" && constant::name == "constant");
static_assert(constant_with<std::ratio<1, 10>>::name == "constant");
static_assert(random_normal::name == "random_normal" && random_uniform::name == "random_uniform");
static_assert(truncated_normal::name == "truncated_normal");
static_assert(glorot_uniform::name == "glorot_uniform" && glorot_normal::name == "glorot_normal");
static_assert(he_uniform::name == "he_uniform" && he_normal::name == "he_normal");
static_assert(lecun_uniform::name == "lecun_uniform" && lecun_normal::name == "lecun_normal");
static_assert(
    variance_scaling<std::ratio<1>, fan_mode::fan_in, scaling_distribution::uniform>::name ==
    "variance_scaling");

// Keras defaults, and the parameters exposed under Keras' get_config() keys.
static_assert(random_normal::mean == 0.0 && random_normal::stddev == 0.05);
static_assert(random_uniform::minval == -0.05 && random_uniform::maxval == 0.05);
static_assert(truncated_normal::mean == 0.0 && truncated_normal::stddev == 0.05);
static_assert(constant::value == 0.0 && constant_with<std::ratio<-7, 4>>::value == -1.75);
static_assert(random_uniform_with<std::ratio<1, 3>, std::ratio<7, 2>>::maxval == 3.5);
static_assert(he_normal::scale == 2.0 && he_normal::mode == fan_mode::fan_in &&
              he_normal::distribution == scaling_distribution::truncated_normal);
static_assert(glorot_uniform::scale == 1.0 && glorot_uniform::mode == fan_mode::fan_avg &&
              glorot_uniform::distribution == scaling_distribution::uniform);
static_assert(lecun_normal::scale == 1.0 && lecun_normal::mode == fan_mode::fan_in);

// The deterministic initializers work in constant expressions (with a generator usable there;
// they never call it).
struct constexpr_generator {
    using result_type = unsigned;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return 1; }
    constexpr result_type operator()() { return 0; }
};
static_assert([] {
    std::array<float, 3> a{7.0f, 7.0f, 7.0f}, b{}, c{};
    constexpr_generator gen;
    zeros{}(a, 3, 1, gen);
    ones{}(b, 3, 1, gen);
    constant_with<std::ratio<-3, 4>>{}(c, 3, 1, gen);
    return a == std::array{0.0f, 0.0f, 0.0f} && b == std::array{1.0f, 1.0f, 1.0f} &&
           c == std::array{-0.75f, -0.75f, -0.75f};
}());

constexpr std::array<std::size_t, 4> sizes{1, 3, 17, 784};

std::vector<std::uint32_t> bits(std::span<const float> values) {
    std::vector<std::uint32_t> out(values.size());
    std::transform(values.begin(), values.end(), out.begin(),
                   [](float v) { return std::bit_cast<std::uint32_t>(v); });
    return out;
}

template <class I>
std::vector<float> draw(std::size_t n, std::size_t fan_in, std::size_t fan_out,
                        random_engine::result_type seed) {
    std::vector<float> values(n);
    random_engine gen{seed};
    I{}(values, fan_in, fan_out, gen);
    return values;
}

} // namespace

BOOST_AUTO_TEST_SUITE(initializer_laws_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(writes_exactly_its_span_with_finite_values, I, all_initializers) {
    constexpr float sentinel = -12345.0f;
    for (std::size_t n : sizes) {
        std::vector<float> buffer(n + 2, sentinel);
        random_engine gen{n};
        const I init{};
        init(std::span<float>(buffer).subspan(1, n), n, 17, gen);
        BOOST_TEST(buffer.front() == sentinel);
        BOOST_TEST(buffer.back() == sentinel);
        for (std::size_t i = 1; i <= n; ++i)
            BOOST_TEST((std::isfinite(buffer[i]) && buffer[i] != sentinel),
                       I::name << ", n = " << n << ": value " << i - 1 << " is " << buffer[i]);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(the_same_seed_gives_bit_identical_values, I, all_initializers) {
    for (std::size_t n : sizes) {
        const auto first = draw<I>(n, n, 3, 42);
        const auto second = draw<I>(n, n, 3, 42);
        BOOST_TEST(bits(first) == bits(second), I::name << ", n = " << n);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(another_seed_gives_other_values, I, random_initializers) {
    for (std::size_t n : sizes) {
        const auto a = bits(draw<I>(n, 784, 128, 1));
        const auto b = bits(draw<I>(n, 784, 128, 2));
        std::size_t equal = 0;
        for (std::size_t i = 0; i < n; ++i)
            equal += a[i] == b[i];
        // Continuous draws in float coincide with probability far below 1 %.
        BOOST_TEST(equal * 100 <= n, I::name << ", n = " << n << ": " << equal << " equal");
        BOOST_TEST(equal < n, I::name << ", n = " << n);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(consecutive_values_are_not_repeated, I, random_initializers) {
    const auto v = bits(draw<I>(784, 784, 128, 7));
    std::size_t repeats = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        repeats += v[i] == v[i - 1];
    BOOST_TEST(repeats <= 1u, I::name << ": " << repeats << " repeated neighbours");
}

// A layer may fill its (padded) kernel row by row: the values must not depend on the split.
BOOST_AUTO_TEST_CASE_TEMPLATE(filling_in_pieces_equals_filling_at_once, I, all_initializers) {
    constexpr std::size_t fan_in = 784;
    for (std::size_t fan_out : {std::size_t{1}, std::size_t{3}, std::size_t{17}}) {
        const auto whole = draw<I>(fan_in * fan_out, fan_in, fan_out, 99);
        std::vector<float> rows(fan_in * fan_out);
        random_engine gen{99};
        for (std::size_t r = 0; r < fan_in; ++r)
            I{}(std::span<float>(rows).subspan(r * fan_out, fan_out), fan_in, fan_out, gen);
        BOOST_TEST(bits(whole) == bits(rows), I::name << ", fan_out = " << fan_out);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(any_standard_generator_works, I, all_initializers) {
    std::array<float, 17> a{}, b{};
    std::minstd_rand gen_a{5}, gen_b{5};
    I{}(a, 17, 3, gen_a);
    I{}(b, 17, 3, gen_b);
    BOOST_TEST(bits(a) == bits(b), I::name);
    BOOST_TEST(std::all_of(a.begin(), a.end(), [](float v) { return std::isfinite(v); }));
}

BOOST_AUTO_TEST_CASE(deterministic_initializers_give_exact_values) {
    for (std::size_t n : sizes) {
        random_engine gen{n};
        std::vector<float> v(n, 3.0f);
        zeros{}(v, n, n, gen);
        BOOST_TEST(std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; }));
        ones{}(v, n, n, gen);
        BOOST_TEST(std::all_of(v.begin(), v.end(), [](float x) { return x == 1.0f; }));
        constant{}(v, n, n, gen);
        BOOST_TEST(std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; }));
        constant_with<std::ratio<1, 10>>{}(v, n, n, gen);
        BOOST_TEST(std::all_of(v.begin(), v.end(), [](float x) { return x == 0.1f; }));
        constant_with<std::ratio<-7, 2>>{}(v, n, n, gen);
        BOOST_TEST(std::all_of(v.begin(), v.end(), [](float x) { return x == -3.5f; }));
    }
    // They draw nothing from the generator.
    random_engine used{3}, untouched{3};
    std::array<float, 17> v{};
    zeros{}(v, 17, 17, used);
    ones{}(v, 17, 17, used);
    constant{}(v, 17, 17, used);
    BOOST_TEST((used == untouched));
}

BOOST_AUTO_TEST_SUITE_END()
