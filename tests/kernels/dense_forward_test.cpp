// Tests ctnn/kernels/dense_forward.hpp against a double-precision loop, for sizes that are and
// are not multiples of the SIMD width and for every tile path (row counts below, at and above
// the batch tile height, with remainders).
#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/policies/activation/linear.hpp"
#include "ctnn/policies/activation/relu.hpp"
#include "ctnn/policies/activation/sigmoid.hpp"
#include "ctnn/policies/activation/softmax.hpp"

#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

using namespace ctnn;

namespace {

template <class T>
struct aligned_vector {
    // Over-allocate and align by hand: std::vector's allocator only guarantees alignof(T).
    explicit aligned_vector(std::size_t n) : storage(n + simd::alignment / sizeof(T)) {
        auto address = reinterpret_cast<std::uintptr_t>(storage.data());
        offset = (simd::alignment - address % simd::alignment) % simd::alignment / sizeof(T);
    }
    T* data() { return storage.data() + offset; }
    std::vector<T> storage;
    std::size_t offset = 0;
};

double activate(double z, auto act) {
    using A = decltype(act);
    if constexpr (std::is_same_v<A, relu>)
        return z > 0 ? z : 0;
    else if constexpr (std::is_same_v<A, sigmoid>)
        return 1 / (1 + std::exp(-z));
    else
        return z;
}

template <class Act, std::size_t In, std::size_t Out,
          std::size_t MaxRows = static_cast<std::size_t>(-1)>
void check_dense(std::size_t rows) {
    using layout = kernels::dense_layout<In, Out>;
    const auto x = test::random_values(rows * In, 1 + In, -1, 1);
    const auto w = test::random_values(In * Out, 2 + Out, -0.5f, 0.5f);
    const auto b = test::random_values(Out, 3, -0.5f, 0.5f);

    aligned_vector<float> wp(layout::kernel_size), bp(layout::bias_size);
    std::fill_n(wp.data(), layout::kernel_size, 0.0f);
    std::fill_n(bp.data(), layout::bias_size, 0.0f);
    for (std::size_t k = 0; k < In; ++k)
        for (std::size_t j = 0; j < Out; ++j)
            wp.data()[k * layout::padded_outputs + j] = w[k * Out + j];
    std::copy(b.begin(), b.end(), bp.data());

    const std::size_t y_stride = layout::padded_outputs;
    aligned_vector<float> y(rows * y_stride);
    kernels::dense_forward<Act, In, Out, MaxRows>(x.data(), In, wp.data(), bp.data(), y.data(),
                                                  y_stride, rows);

    auto z = test::naive_affine(x, w, b, rows, In, Out);
    if constexpr (std::is_same_v<Act, softmax>)
        test::naive_softmax(z, rows, Out);
    else
        for (auto& v : z)
            v = activate(v, Act{});
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < Out; ++j) {
            const double expected = z[r * Out + j];
            const double got = y.data()[r * y_stride + j];
            BOOST_TEST(std::abs(got - expected) <= 1e-5 * (1 + std::abs(expected)) * std::sqrt(In),
                       "In " << In << " Out " << Out << " rows " << rows << " [" << r << "][" << j
                             << "]: " << got << " vs " << expected);
        }
}

template <class Act, std::size_t In, std::size_t Out>
void check_all_row_counts() {
    for (std::size_t rows : {1, 2, 5, 6, 7, 8, 9, 13, 64})
        check_dense<Act, In, Out>(rows);
}

} // namespace

BOOST_AUTO_TEST_SUITE(dense_forward_test)

BOOST_AUTO_TEST_CASE(odd_sizes_linear) {
    check_all_row_counts<linear, 1, 1>();
    check_all_row_counts<linear, 3, 3>();
    check_all_row_counts<linear, 17, 17>();
    check_all_row_counts<linear, 1, 17>();
    check_all_row_counts<linear, 17, 1>();
}

BOOST_AUTO_TEST_CASE(one_sample_known_at_compile_time) {
    // MaxRows = 1 (a network predicting one sample) takes a path without a loop over rows.
    check_dense<relu, 1, 1, 1>(1);
    check_dense<relu, 3, 3, 1>(1);
    check_dense<linear, 17, 17, 1>(1);
    check_dense<sigmoid, 784, 1, 1>(1);
    check_dense<relu, 784, 128, 1>(1);
    check_dense<softmax, 128, 10, 1>(1);
    check_dense<relu, 16, 32, 1>(1);
}

BOOST_AUTO_TEST_CASE(wide_layers_relu_and_sigmoid) {
    check_all_row_counts<relu, 784, 128>();
    check_all_row_counts<sigmoid, 16, 32>();
    check_all_row_counts<relu, 3, 784>(); // many column blocks with a remainder block
    check_all_row_counts<sigmoid, 784, 3>();
}

// Out = 1 takes the dot-product path; lanes past the output must hold act(0) as in the vector
// kernel (callers may read whole vectors).
BOOST_AUTO_TEST_CASE(single_output_dot_path) {
    check_all_row_counts<linear, 3, 1>();
    check_all_row_counts<relu, 32, 1>();
    check_all_row_counts<sigmoid, 784, 1>();
    using layout = kernels::dense_layout<17, 1>;
    aligned_vector<float> w(layout::kernel_size), b(layout::bias_size), y(layout::padded_outputs);
    std::fill_n(w.data(), layout::kernel_size, 0.25f);
    std::fill_n(b.data(), layout::bias_size, 0.0f);
    std::fill_n(y.data(), layout::padded_outputs, -7.0f);
    const std::vector<float> x(17, 1.0f);
    kernels::dense_forward<sigmoid, 17, 1>(x.data(), 17, w.data(), b.data(), y.data(),
                                           layout::padded_outputs, 1);
    BOOST_TEST(std::abs(y.data()[0] - 1 / (1 + std::exp(-4.25))) <= 1e-6);
    for (std::size_t j = 1; j < layout::padded_outputs; ++j)
        BOOST_TEST(y.data()[j] == 0.5f);
}

BOOST_AUTO_TEST_CASE(softmax_rows) {
    check_all_row_counts<softmax, 128, 10>();
    check_all_row_counts<softmax, 17, 1>();
    check_all_row_counts<softmax, 3, 17>();
}

BOOST_AUTO_TEST_SUITE_END()
