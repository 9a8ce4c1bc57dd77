// Tests ctnn/core/expression.hpp and evaluate.hpp: the tensor_expression concept, one-pass
// evaluation into tensors (constructor, assignment, ctnn::evaluate) for every test shape,
// padding left untouched, aliasing, how nodes store operands (no temporary tensor), and
// evaluation in constant expressions.
#include "ctnn/core/expression.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/evaluate.hpp"
#include "ctnn/core/map.hpp"
#include "ctnn/core/operators.hpp"
#include "ctnn/core/tensor.hpp"
#include "ctnn/core/zip.hpp"

#include <boost/test/unit_test.hpp>

#include <type_traits>

using namespace ctnn;

namespace {
using m33 = tensor_of<float, 3, 3>;
using big = tensor_of<float, 784>;

// Nodes are expressions with the operand's value type and shape.
static_assert(tensor_expression<decltype(std::declval<const m33&>() * 2.0f)>);
static_assert(
    std::is_same_v<expression_shape_t<decltype(std::declval<big&>() + 1.0f)>, shape<784>>);
static_assert(std::is_same_v<expression_value_t<decltype(-std::declval<big&>())>, float>);
static_assert(expression_size_v<m33> == 9);

// Operand storage: an lvalue tensor by const reference, everything else by value.
static_assert(std::is_same_v<detail::stored_operand_t<big&>, const big&>);
static_assert(std::is_same_v<detail::stored_operand_t<const big&>, const big&>);
static_assert(std::is_same_v<detail::stored_operand_t<big>, big>); // rvalue: moved in
using product = decltype(std::declval<big&>() * std::declval<big&>());
static_assert(std::is_same_v<detail::stored_operand_t<product&>, product>);

// So a node over named tensors is a few pointers, whatever the tensor size: evaluating it
// creates no temporary tensor.
static_assert(sizeof(product) == 2 * sizeof(void*));
static_assert(sizeof(decltype(std::declval<big&>() * std::declval<big&>() +
                              std::declval<big&>())) == 3 * sizeof(void*));
static_assert(sizeof(decltype(2.0f * std::declval<big&>())) <= 2 * sizeof(void*));
static_assert(sizeof(decltype(-std::declval<big&>())) == sizeof(void*));

// Evaluation in a constant expression (the scalar path).
constexpr m33 seed{1, 2, 3, 4, 5, 6, 7, 8, 9};
constexpr m33 squared = seed * seed;
static_assert(squared(2, 2) == 81.0f && squared(0, 1) == 4.0f);
static_assert(evaluate(seed + 1.0f)[0] == 2.0f);
constexpr auto assigned = [] {
    m33 t = seed;
    t = t * t - t;
    return t;
}();
static_assert(assigned(1, 1) == 20.0f);
} // namespace

BOOST_AUTO_TEST_SUITE(expression_test)

BOOST_AUTO_TEST_CASE(seed_example_element_wise_square) {
    const m33 a{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const m33 sq = a * a;
    BOOST_TEST((sq == m33{1, 4, 9, 16, 25, 36, 49, 64, 81}));
    BOOST_TEST((evaluate(a * a) == m33{1, 4, 9, 16, 25, 36, 49, 64, 81}));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(construct_assign_and_evaluate_match_plain_loops, S,
                              test::core_test_shapes) {
    const auto a = test::random_tensor<S>(11);
    const auto b = test::random_tensor<S>(12);
    auto expression =
        map(zip(a, b, [](auto x, auto y) { return x * y + x; }), [](auto x) { return x - 0.5f; });

    const tensor<float, S> constructed = expression;
    tensor<float, S> assigned = tensor<float, S>::filled(3.0f);
    assigned = expression;
    const auto evaluated = evaluate(expression);
    static_assert(std::is_same_v<std::remove_const_t<decltype(evaluated)>, tensor<float, S>>);

    for (std::size_t i = 0; i < S::size; ++i) {
        const double expected = double(a[i]) * b[i] + a[i] - 0.5;
        BOOST_TEST(test::close(constructed[i], expected, 1e-6), "i = " << i);
        BOOST_TEST(assigned[i] == constructed[i]);
        BOOST_TEST(evaluated[i] == constructed[i]);
    }
    // The scalar tail stops at the last element: padding lanes are never written.
    BOOST_TEST(test::padding_is_zero(constructed));
    BOOST_TEST(test::padding_is_zero(assigned));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(scalar_and_vector_paths_agree, S, test::core_test_shapes) {
    // Every flat element read through `scalar` equals the one the evaluation wrote (which used
    // `vector` for whole vectors).
    const auto a = test::random_tensor<S>(21);
    const auto e = a * a - 1.0f;
    const tensor<float, S> r = e;
    for (std::size_t i = 0; i < S::size; ++i)
        BOOST_TEST(test::close(e.scalar(i), r[i], 1e-6));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(assignment_may_read_its_target, S, test::core_test_shapes) {
    auto a = test::random_tensor<S>(31);
    const auto b = test::random_tensor<S>(32);
    const auto a0 = a;
    a = a * b;
    for (std::size_t i = 0; i < S::size; ++i)
        BOOST_TEST(a[i] == a0[i] * b[i]);
    a = b - a + a; // the target on both sides, twice
    for (std::size_t i = 0; i < S::size; ++i)
        BOOST_TEST(test::close(a[i], double(b[i]) - a0[i] * b[i] + a0[i] * b[i], 1e-5));
}

namespace {
big make_ramp() {
    big t;
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = static_cast<float>(i);
    return t;
}
} // namespace

BOOST_AUTO_TEST_CASE(rvalue_tensors_are_stored_by_value) {
    // The temporary returned by make_ramp() dies at the end of the full expression; the node
    // keeps its own copy, so evaluating later is safe.
    const auto later = make_ramp() * 2.0f;
    static_assert(sizeof(later) >= sizeof(big));
    const big r = later;
    for (std::size_t i = 0; i < r.size(); ++i)
        BOOST_TEST(r[i] == 2.0f * static_cast<float>(i));
}

BOOST_AUTO_TEST_CASE(nested_nodes_are_stored_by_value) {
    const m33 a{1, 2, 3, 4, 5, 6, 7, 8, 9};
    auto node = [&] {
        auto inner = a + 1.0f; // a local node: copied into the outer node
        return inner * 2.0f;
    }();
    const m33 r = node;
    for (std::size_t i = 0; i < 9; ++i)
        BOOST_TEST(r[i] == (a[i] + 1.0f) * 2.0f);
}

BOOST_AUTO_TEST_SUITE_END()
