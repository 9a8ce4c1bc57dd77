// Tests ctnn/workflow/architecture_search.hpp: variants<> is the Cartesian product of its lists
// in order (checked at compile time); variants are named by name() or by their layers; a
// closed-form objective over 6 network types × a run-time grid gives the known ranking in one
// call; a real search of 4 network types (hidden size × activation) and a linear model on XOR
// data ranks the linear model last; the batch size is searched as a compile-time axis; the
// table is the same on 1 and 2 threads.
#include "ctnn/workflow/architecture_search.hpp"

#include "ctnn/ctnn.hpp"

#include <boost/hana.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <ratio>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

using namespace ctnn;
namespace hana = boost::hana;

namespace {

template <class Hidden, class Act>
using model = network<input<2>, dense<Hidden::value, Act>, dense<1, sigmoid>>;

constexpr auto six =
    variants<model>(hana::tuple_c<std::size_t, 4, 8, 16>, hana::tuple_t<ctnn::relu, ctnn::tanh>);

// The product, first list slowest, Template applied to each combination.
static_assert(hana::length(six) == hana::size_c<6>);
static_assert(std::is_same_v<decltype(+six[hana::size_c<0>])::type,
                             network<input<2>, dense<4, ctnn::relu>, dense<1, sigmoid>>>);
static_assert(std::is_same_v<decltype(+six[hana::size_c<1>])::type,
                             network<input<2>, dense<4, ctnn::tanh>, dense<1, sigmoid>>>);
static_assert(std::is_same_v<decltype(+six[hana::size_c<5>])::type,
                             network<input<2>, dense<16, ctnn::tanh>, dense<1, sigmoid>>>);
// Three lists, one of them of one element: 2 × 1 × 2.
template <class A, class B, class C>
struct triple {};
static_assert(hana::length(variants<triple>(hana::tuple_t<int, char>, hana::tuple_t<float>,
                                            hana::tuple_c<int, 1, 2>)) == hana::size_c<4>);
static_assert(
    std::is_same_v<decltype(+variants<triple>(hana::tuple_t<int, char>, hana::tuple_t<float>,
                                              hana::tuple_c<int, 1, 2>)[hana::size_c<3>])::type,
                   triple<char, float, hana::integral_constant<int, 2>>>);

// A variant that also fixes the batch size, named by its own name().
template <class Hidden, class Batch>
struct candidate {
    using network = model<Hidden, ctnn::tanh>;
    static constexpr std::size_t batch_size = Batch::value;
    static std::string name() {
        return "tanh " + std::to_string(Hidden::value) + ", batch " + std::to_string(batch_size);
    }
};

// A variant named by its `network` member.
struct only_network {
    using network = model<hana::size_t<3>, ctnn::tanh>;
};

// The network of a variant: the variant itself, or its `network` member.
template <class V>
struct network_of {
    using type = V;
};
template <class V>
requires requires {
    typename V::network;
}
struct network_of<V> {
    using type = typename V::network;
};

// XOR quadrants: label 1 where x and y have the same sign, points at least 0.2 from the axes.
// No line separates the classes: a model without a hidden layer stays near 50 %.
dataset<shape<2>, shape<1>> xor_points(std::size_t n) {
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<float> coordinate(-1.0f, 1.0f);
    std::vector<float> x, y;
    while (y.size() < n) {
        const float a = coordinate(gen), b = coordinate(gen);
        if (std::abs(a) < 0.2f || std::abs(b) < 0.2f)
            continue;
        x.push_back(a);
        x.push_back(b);
        y.push_back(a * b > 0 ? 1.0f : 0.0f);
    }
    return {x, y};
}

} // namespace

BOOST_AUTO_TEST_SUITE(architecture_search_test)

BOOST_AUTO_TEST_CASE(variants_are_named_by_name_or_by_their_layers) {
    BOOST_TEST((variant_name<model<hana::size_t<4>, ctnn::relu>>() ==
                "dense<4, relu> -> dense<1, sigmoid>"));
    using regularized = network<
        input<3>, dense<5, ctnn::relu, kernel_regularizer<l2<std::ratio<1, 1000>>>>,
        dropout<std::ratio<1, 2>>,
        dense<2, softmax, kernel_regularizer<l1_l2<std::ratio<1, 100>, std::ratio<1, 10>>>>>;
    BOOST_TEST(variant_name<regularized>() ==
               "dense<5, relu> l2(0.001) -> dropout(0.5) -> dense<2, softmax> l1_l2(0.01, 0.1)");
    BOOST_TEST(
        (variant_name<candidate<hana::size_t<8>, hana::size_t<32>>>() == "tanh 8, batch 32"));
    BOOST_TEST(variant_name<only_network>() == "dense<3, tanh> -> dense<1, sigmoid>");
}

BOOST_AUTO_TEST_CASE(a_closed_form_objective_ranks_variants_and_values_in_one_call) {
    // Score = -|param_count - 50| - |log10 lr + 2|: the best variant is the one whose parameter
    // count is closest to 50 (hidden 16: 16·3 + 17 = 65; hidden 8: 33; hidden 4: 17), relu and
    // tanh tie (grid order: relu first), and learning rate 1e-2 is best for each.
    const grid space{{"learning_rate", {1e-3, 1e-2}}};
    const std::vector<split> splits = kfold_splits(4, 2, 1);
    const auto objective = [](auto variant, const trial& t) {
        using net_t = typename decltype(variant)::type;
        return -std::abs(static_cast<double>(net_t::param_count) - 50.0) -
               std::abs(std::log10(t.params.get<double>("learning_rate")) + 2.0);
    };
    const search_result result =
        architecture_search(six, space, splits, objective,
                            {.metric = "score", .mode = monitor_mode::max, .threads = 2});
    BOOST_TEST(result.method == "architecture search");
    BOOST_TEST_REQUIRE(result.rows.size() == 12u);
    // Expected: (hidden, activation, lr) in rank order, from the formula above.
    const std::vector<std::string> expected{
        "dense<16, relu> -> dense<1, sigmoid> 0.01",  "dense<16, tanh> -> dense<1, sigmoid> 0.01",
        "dense<16, relu> -> dense<1, sigmoid> 0.001", "dense<16, tanh> -> dense<1, sigmoid> 0.001",
        "dense<8, relu> -> dense<1, sigmoid> 0.01",   "dense<8, tanh> -> dense<1, sigmoid> 0.01",
        "dense<8, relu> -> dense<1, sigmoid> 0.001",  "dense<8, tanh> -> dense<1, sigmoid> 0.001",
        "dense<4, relu> -> dense<1, sigmoid> 0.01",   "dense<4, tanh> -> dense<1, sigmoid> 0.01",
        "dense<4, relu> -> dense<1, sigmoid> 0.001",  "dense<4, tanh> -> dense<1, sigmoid> 0.001"};
    for (std::size_t r = 0; r < 12; ++r)
        BOOST_TEST(result.rows[r].variant + " " +
                       result.rows[r].params["learning_rate"].to_string() ==
                   expected[r]);
    BOOST_TEST(result.best().scores.mean == -15.0);
    // Variant-major order: candidate index = variant × grid size + grid index.
    BOOST_TEST(result.best().index == 4u * 2u + 1u);
    const std::string text = result.to_string();
    BOOST_TEST(text.find("variant") != std::string::npos);
    BOOST_TEST(text.find("12 configurations x 2 splits = 24 fits") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_real_search_ranks_a_linear_model_last_on_xor) {
    // 4 network types from the product (hidden 8, 16) × (relu, tanh) plus a linear model, with
    // two learning rates: 10 configurations × 3 folds = 30 fits, in one call.
    using linear = network<input<2>, dense<1, sigmoid>>;
    constexpr auto nets = hana::append(
        variants<model>(hana::tuple_c<std::size_t, 8, 16>, hana::tuple_t<ctnn::relu, ctnn::tanh>),
        hana::type_c<linear>);
    static_assert(hana::length(nets) == hana::size_c<5>);
    const auto data = xor_points(120);
    const auto objective = [&](auto variant, const trial& t) {
        using net_t = typename decltype(variant)::type;
        net_t net(t.seed);
        auto trainer = make_trainer<8>(net, binary_crossentropy{},
                                       adam<>{.learning_rate = t.params.get<float>("lr")});
        trainer->fit(data.subset(t.fold.train), {.epochs = 60, .seed = t.seed});
        return trainer->evaluate(data.subset(t.fold.validation)).accuracy;
    };
    const grid space{{"lr", {0.003, 0.03}}};
    const std::vector<split> splits = kfold_splits(data.size(), 3, 2);
    const search_result one =
        architecture_search(nets, space, splits, objective, {.seed = 3, .threads = 1});
    const search_result two =
        architecture_search(nets, space, splits, objective, {.seed = 3, .threads = 2});
    BOOST_TEST_MESSAGE(one.to_string());
    BOOST_TEST(one.maximize); // "accuracy"
    BOOST_TEST_REQUIRE(one.rows.size() == 10u);
    BOOST_TEST_REQUIRE(two.rows.size() == 10u);
    std::set<std::string> names;
    for (std::size_t r = 0; r < 10; ++r) {
        names.insert(one.rows[r].variant);
        BOOST_TEST(one.rows[r].index == two.rows[r].index);
        BOOST_TEST(one.rows[r].variant == two.rows[r].variant);
        BOOST_TEST(one.rows[r].scores.scores == two.rows[r].scores.scores);
    }
    BOOST_TEST(names.size() == 5u);
    // The linear model cannot do much better than chance, and ranks last with both rates;
    // every hidden-layer model at the larger rate learns XOR.
    BOOST_TEST(one.rows[8].variant == "dense<1, sigmoid>");
    BOOST_TEST(one.rows[9].variant == "dense<1, sigmoid>");
    BOOST_TEST(one.rows[8].scores.mean < 0.7);
    for (const search_row& row : one.rows)
        if (row.variant != "dense<1, sigmoid>" && row.params.get<double>("lr") == 0.03)
            BOOST_TEST(row.scores.mean > 0.9, row.variant);
}

BOOST_AUTO_TEST_CASE(the_batch_size_is_a_compile_time_axis) {
    // candidate<Hidden, Batch>: 2 hidden sizes × 2 batch sizes; the objective reads both from
    // the type. Score: the number of updates in one epoch of 24 samples (24 / batch, rounded
    // up) - so batch 4 (6 updates) ranks above batch 12 (2 updates), with hidden size breaking
    // no tie (grid order).
    constexpr auto configs =
        variants<candidate>(hana::tuple_c<std::size_t, 3, 5>, hana::tuple_c<std::size_t, 4, 12>);
    const auto data = xor_points(24);
    const auto objective = [&](auto variant, const trial& t) {
        using V = typename decltype(variant)::type;
        using net_t = typename network_of<V>::type;
        net_t net(t.seed);
        auto trainer = make_trainer<V::batch_size>(net, binary_crossentropy{}, sgd<>{});
        trainer->fit(data, {.epochs = 1, .seed = t.seed});
        return static_cast<double>(trainer->steps());
    };
    const search_result result =
        architecture_search(configs, grid{}, {holdout_split(24, 0.25, 1)}, objective,
                            {.metric = "updates", .mode = monitor_mode::max});
    BOOST_TEST_REQUIRE(result.rows.size() == 4u);
    BOOST_TEST(result.rows[0].variant == "tanh 3, batch 4");
    BOOST_TEST(result.rows[1].variant == "tanh 5, batch 4");
    BOOST_TEST(result.rows[2].variant == "tanh 3, batch 12");
    BOOST_TEST(result.rows[3].variant == "tanh 5, batch 12");
    BOOST_TEST(result.rows[0].scores.mean == 6.0);
    BOOST_TEST(result.rows[3].scores.mean == 2.0);
    BOOST_TEST(result.rows[0].params.empty());
}

BOOST_AUTO_TEST_SUITE_END()
