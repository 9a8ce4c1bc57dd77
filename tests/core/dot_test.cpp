// Tests ctnn/core/dot.hpp: the seed example exactly, then every kind of product against loops in
// double precision: [M,K]x[K,N] for M, K, N in {1, 3, 17} and larger blocks, matrix-vector,
// vector-matrix, 784-long vectors, expression operands, and constant expressions. (Different
// inner dimensions do not compile: "dot: inner dimensions differ (K of the left operand vs K of
// the right)".)
#include "ctnn/core/dot.hpp"

#include "core/core_test_data.hpp"
#include "ctnn/core/operators.hpp"
#include "ctnn/core/tensor.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <type_traits>

using namespace ctnn;

namespace {
using m33 = tensor_of<float, 3, 3>;

// The seed example, at compile time too.
constexpr m33 seed{1, 2, 3, 4, 5, 6, 7, 8, 9};
constexpr m33 seed_squared = dot(seed, seed);
static_assert(seed_squared == m33{30, 36, 42, 66, 81, 96, 102, 126, 150});
static_assert(dot(tensor_of<float, 3>{1, 2, 3}, tensor_of<float, 3>{4, 5, 6}) == 32.0f);
static_assert(dot(seed, tensor_of<float, 3>{1, 0, -1})[2] == -2.0f);
static_assert(dot(tensor_of<float, 3>{1, 0, -1}, seed)[1] == -6.0f);

// Result types.
static_assert(std::is_same_v<decltype(dot(std::declval<tensor_of<float, 2, 5>&>(),
                                          std::declval<tensor_of<float, 5, 7>&>())),
                             tensor_of<float, 2, 7>>);
static_assert(std::is_same_v<decltype(dot(std::declval<tensor_of<float, 2, 5>&>(),
                                          std::declval<tensor_of<float, 5>&>())),
                             tensor_of<float, 2>>);
static_assert(std::is_same_v<decltype(dot(std::declval<tensor_of<float, 5>&>(),
                                          std::declval<tensor_of<float, 5, 7>&>())),
                             tensor_of<float, 7>>);
static_assert(std::is_same_v<decltype(dot(std::declval<tensor_of<float, 5>&>(),
                                          std::declval<tensor_of<float, 5>&>())),
                             float>);

// |float result - double result| allowed: K roundings of terms bounded by sum |a_ik b_kj|.
double bound(double abs_sum, std::size_t k) {
    return 1e-6 * double(k + 1) * abs_sum + 1e-6;
}

template <std::size_t M, std::size_t K, std::size_t N>
void check_matmul(unsigned seed_value) {
    const auto a = test::random_tensor<shape<M, K>>(seed_value);
    const auto b = test::random_tensor<shape<K, N>>(seed_value + 1000);
    const tensor_of<float, M, N> c = dot(a, b);
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            double expected = 0, abs_sum = 0;
            for (std::size_t k = 0; k < K; ++k) {
                expected += double(a(i, k)) * b(k, j);
                abs_sum += std::abs(double(a(i, k)) * b(k, j));
            }
            BOOST_TEST(std::abs(c(i, j) - expected) <= bound(abs_sum, K),
                       "[" << M << "," << K << "]x[" << K << "," << N << "] at (" << i << "," << j
                           << "): " << c(i, j) << " vs " << expected);
        }
    BOOST_TEST(test::padding_is_zero(c)); // partial stores stop at the last column
}

template <std::size_t M, std::size_t K>
void check_matvec(unsigned seed_value) {
    const auto a = test::random_tensor<shape<M, K>>(seed_value);
    const auto x = test::random_tensor<shape<K>>(seed_value + 1000);
    const tensor_of<float, M> y = dot(a, x);
    const tensor_of<float, K> z = dot(test::random_tensor<shape<M>>(seed_value + 2000) * 1.0f,
                                      test::random_tensor<shape<M, K>>(seed_value + 3000));
    const auto w = test::random_tensor<shape<M>>(seed_value + 2000);
    const auto b = test::random_tensor<shape<M, K>>(seed_value + 3000);
    for (std::size_t i = 0; i < M; ++i) {
        double expected = 0, abs_sum = 0;
        for (std::size_t k = 0; k < K; ++k) {
            expected += double(a(i, k)) * x[k];
            abs_sum += std::abs(double(a(i, k)) * x[k]);
        }
        BOOST_TEST(std::abs(y[i] - expected) <= bound(abs_sum, K), "row " << i);
    }
    for (std::size_t k = 0; k < K; ++k) {
        double expected = 0, abs_sum = 0;
        for (std::size_t i = 0; i < M; ++i) {
            expected += double(w[i]) * b(i, k);
            abs_sum += std::abs(double(w[i]) * b(i, k));
        }
        BOOST_TEST(std::abs(z[k] - expected) <= bound(abs_sum, M), "column " << k);
    }
}

// N in {1, 3, 17}, then K in {1, 3, 17}.
template <std::size_t M, std::size_t K>
void check_matmul_n(unsigned seed_value) {
    check_matmul<M, K, 1>(seed_value);
    check_matmul<M, K, 3>(seed_value + 1);
    check_matmul<M, K, 17>(seed_value + 2);
}
template <std::size_t M>
void check_matmul_kn(unsigned seed_value) {
    check_matmul_n<M, 1>(seed_value);
    check_matmul_n<M, 3>(seed_value + 10);
    check_matmul_n<M, 17>(seed_value + 20);
}
} // namespace

BOOST_AUTO_TEST_SUITE(dot_test)

BOOST_AUTO_TEST_CASE(seed_example) {
    const m33 a{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const m33 c = dot(a, a);
    BOOST_TEST((c == m33{30, 36, 42, 66, 81, 96, 102, 126, 150}));
}

BOOST_AUTO_TEST_CASE(matrix_products_for_m_k_n_in_1_3_17) {
    check_matmul_kn<1>(100);
    check_matmul_kn<3>(200);
    check_matmul_kn<17>(300);
}

BOOST_AUTO_TEST_CASE(matrix_products_spanning_several_register_blocks) {
    check_matmul<9, 40, 70>(1);  // row blocks + a remainder row block, vector blocks + tail
    check_matmul<4, 784, 33>(2); // long K
    check_matmul<5, 16, 64>(3);  // N a whole number of vectors on every width
    check_matmul<2, 10, 128>(4);
}

BOOST_AUTO_TEST_CASE(matrix_vector_and_vector_matrix) {
    check_matvec<1, 1>(5);
    check_matvec<3, 17>(6);
    check_matvec<17, 3>(7);
    check_matvec<10, 784>(8);
    check_matvec<6, 33>(9);
}

BOOST_AUTO_TEST_CASE(vectors_of_784_and_of_1_3_17) {
    const auto check = [](const auto& x, const auto& y) {
        double expected = 0, abs_sum = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            expected += double(x[i]) * y[i];
            abs_sum += std::abs(double(x[i]) * y[i]);
        }
        BOOST_TEST(std::abs(dot(x, y) - expected) <= bound(abs_sum, x.size()));
    };
    check(test::random_tensor<shape<784>>(10), test::random_tensor<shape<784>>(11));
    check(test::random_tensor<shape<1>>(12), test::random_tensor<shape<1>>(13));
    check(test::random_tensor<shape<3>>(14), test::random_tensor<shape<3>>(15));
    check(test::random_tensor<shape<17>>(16), test::random_tensor<shape<17>>(17));
}

BOOST_AUTO_TEST_CASE(expression_operands) {
    const auto x = test::random_tensor<shape<784>>(18);
    const auto y = test::random_tensor<shape<784>>(19);
    const tensor_of<float, 784> twice = x * 2.0f;
    BOOST_TEST(dot(x * 2.0f, y) == dot(twice, y)); // same path, same rounding
    const auto a = test::random_tensor<shape<3, 17>>(20);
    const auto b = test::random_tensor<shape<17, 3>>(21);
    const tensor_of<float, 3, 17> a_neg = -a;
    BOOST_TEST((dot(-a, b) == dot(a_neg, b)));
}

BOOST_AUTO_TEST_SUITE_END()
