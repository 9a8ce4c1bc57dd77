// Tests ctnn/core/tensor.hpp: element access, alignment, padding, construction, equality, the
// expression interface (scalar/vector) and use in constant expressions.
#include "ctnn/core/tensor.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/expression.hpp"
#include "ctnn/simd/memory.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <sstream>
#include <type_traits>

using namespace ctnn;

namespace {
constexpr std::size_t W = simd::width_v<float>;

using m33 = tensor<float, shape<3, 3>>;

// Storage is padded to whole vectors and the type is exactly that storage.
static_assert(m33::storage_size % W == 0 && m33::storage_size >= 9);
static_assert(tensor_of<float, 17>::storage_size == simd::padded_size<float>(17));
static_assert(tensor_of<float>::storage_size == W); // rank 0: one element, one vector
static_assert(sizeof(tensor_of<float, 784>) == simd::padded_size<float>(784) * sizeof(float));
static_assert(alignof(m33) == simd::alignment);
static_assert(m33::rank == 2 && m33::element_count == 9 && m33::size() == 9);
static_assert(m33::extent(0) == 3 && m33::extent(1) == 3);
static_assert(std::is_same_v<tensor_of<float, 3, 3>, m33>);
static_assert(std::is_same_v<m33::shape_type, shape<3, 3>>);

// A tensor is a tensor expression; other types are not.
static_assert(tensor_expression<m33>);
static_assert(tensor_expression<const m33&>);
static_assert(tensor_expression<tensor_of<float>>);
static_assert(!tensor_expression<float>);
static_assert(!tensor_expression<std::array<float, 9>>);
static_assert(any_tensor<const m33&> && !any_tensor<float>);

// Built and read in a constant expression.
constexpr m33 seed{1, 2, 3, 4, 5, 6, 7, 8, 9};
static_assert(seed(1, 2) == 6.0f);
static_assert(seed[8] == 9.0f);
static_assert(seed.scalar(4) == 5.0f);
constexpr auto built = [] {
    tensor_of<float, 2, 3> t;
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            t(i, j) = static_cast<float>(10 * i + j);
    return t;
}();
static_assert(built(1, 2) == 12.0f && built[4] == 11.0f);
static_assert(tensor_of<float, 4>::filled(2.5f)[3] == 2.5f);
static_assert(seed == m33{1, 2, 3, 4, 5, 6, 7, 8, 9});
static_assert(!(seed == m33::filled(1.0f)));
} // namespace

BOOST_AUTO_TEST_SUITE(tensor_test)

BOOST_AUTO_TEST_CASE(multi_index_and_flat_access_agree_row_major) {
    tensor_of<float, 2, 3, 4> t;
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = static_cast<float>(i);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            for (std::size_t k = 0; k < 4; ++k)
                BOOST_TEST(t(i, j, k) == static_cast<float>(i * 12 + j * 4 + k));
    t(1, 2, 3) = -1.0f;
    BOOST_TEST(t[23] == -1.0f);
    tensor_of<float> scalar;
    scalar() = 4.0f;
    BOOST_TEST(scalar[0] == 4.0f);
}

BOOST_AUTO_TEST_CASE(data_is_aligned_on_the_stack_and_in_arrays) {
    tensor_of<float, 3> a;
    std::array<tensor_of<float, 17>, 3> several{};
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(a.data()) % simd::alignment == 0);
    for (const auto& t : several)
        BOOST_TEST(reinterpret_cast<std::uintptr_t>(t.data()) % simd::alignment == 0);
}

BOOST_AUTO_TEST_CASE(one_value_per_element_and_padding_starts_at_zero) {
    // Fewer or more values than elements do not compile (tests/compile_fail/tensor_*.cpp).
    const tensor_of<float, 17> t{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17.5};
    for (std::size_t i = 0; i < 16; ++i)
        BOOST_TEST(t[i] == static_cast<float>(i + 1));
    BOOST_TEST(t[16] == 17.5f);
    BOOST_TEST(test::padding_is_zero(t));
    const tensor_of<float, 17> zero{};
    for (float x : zero)
        BOOST_TEST(x == 0.0f);
    BOOST_TEST(test::padding_is_zero(zero));
    const tensor_of<float> scalar{2.5}; // rank 0: one value
    BOOST_TEST(scalar() == 2.5f);
    static_assert(!std::is_convertible_v<float, tensor_of<float>>,
                  "one number is no tensor unless asked for");
    const m33 braced = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    BOOST_TEST(braced(2, 0) == 7.0f);
    const auto f = tensor_of<float, 17>::filled(7.0f);
    for (float x : f)
        BOOST_TEST(x == 7.0f);
    BOOST_TEST(test::padding_is_zero(f)); // filled() writes elements only
    BOOST_TEST(f.span().size() == 17u);
    BOOST_TEST(&f.span()[16] == f.data() + 16);
}

BOOST_AUTO_TEST_CASE(equality_compares_elements) {
    m33 a{1, 2, 3, 4, 5, 6, 7, 8, 9};
    m33 b = a;
    BOOST_TEST((a == b));
    b(2, 2) = 0.0f;
    BOOST_TEST(!(a == b));
}

BOOST_AUTO_TEST_CASE(scalar_and_vector_read_flat_elements) {
    const auto t = test::random_tensor<shape<37>>(1);
    for (std::size_t i = 0; i < t.size(); ++i)
        BOOST_TEST(t.scalar(i) == t[i]);
    alignas(simd::alignment) std::array<float, W> lanes{};
    for (std::size_t i = 0; i + W <= t.size(); i += W) {
        simd::store_aligned(lanes.data(), t.vector(i));
        for (std::size_t l = 0; l < W; ++l)
            BOOST_TEST(lanes[l] == t[i + l]);
    }
}

BOOST_AUTO_TEST_CASE(prints_as_numpy_does) {
    // The formatting itself is tested in array_text_test.cpp.
    std::ostringstream out;
    out << m33{1, 2, 3, 4, 5, 6, 7, 8, 9.5f} << '|' << tensor_of<float, 2>{0.25f, -1} << '|'
        << tensor_of<float>{3};
    BOOST_TEST(out.str() == "[[1.  2.  3. ]\n [4.  5.  6. ]\n [7.  8.  9.5]]|[ 0.25 -1.  ]|3.");
    // Long tensors are summarised (and the padding is no value).
    std::ostringstream big;
    big << tensor_of<float, 3, 1000>{};
    BOOST_TEST(big.str() ==
               "[[0. 0. 0. ... 0. 0. 0.]\n [0. 0. 0. ... 0. 0. 0.]\n [0. 0. 0. ... 0. 0. 0.]]");
}

BOOST_AUTO_TEST_SUITE_END()
