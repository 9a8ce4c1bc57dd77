// Tests network::predict_rows and ctnn/network/parallel_predict.hpp: any run-time row count
// (0, 1, 3, 17, 64, 65, 1000) gives, on 1, 2 and 3 threads, what predicting each sample alone
// gives (within float rounding: the batch-1 kernel splits its sums differently), the same bits
// whatever the number of threads (or the thread_team), and nothing outside the rows is written.
#include "ctnn/ctnn.hpp"
#include "ctnn/network/parallel_predict.hpp"

#include "support/naive.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <vector>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(parallel_predict_test)

BOOST_AUTO_TEST_CASE(every_row_count_and_thread_count_matches_one_sample_at_a_time) {
    using net_t = network<input<17>, dense<33, relu>, dense<3, softmax>>;
    const auto net = std::make_unique<const net_t>(5);
    for (const std::size_t rows : {0u, 1u, 3u, 17u, 64u, 65u, 1000u}) {
        const auto x = test::random_values(rows * 17, rows + 1, -1.0f, 1.0f);
        std::vector<float> expected(rows * 3);
        for (std::size_t r = 0; r < rows; ++r) {
            tensor<float, shape<17>> sample;
            std::copy_n(x.data() + r * 17, 17, sample.data());
            const auto p = net->predict(sample);
            std::copy_n(p.data(), 3, expected.data() + r * 3);
        }
        std::vector<float> one_thread;
        for (const std::size_t threads : {1u, 2u, 3u}) {
            std::vector<float> got(rows * 3 + 1, -7.0f); // one guard value after the rows
            parallel_predict(*net, x.data(), got.data(), rows, threads);
            BOOST_TEST(got.back() == -7.0f);
            got.pop_back();
            for (std::size_t i = 0; i < got.size(); ++i)
                BOOST_TEST(std::abs(got[i] - expected[i]) <= 1e-6f,
                           "rows " << rows << ", threads " << threads << ", value " << i << ": "
                                   << got[i] << " vs " << expected[i]);
            if (threads == 1)
                one_thread = got;
            else
                BOOST_TEST(got == one_thread, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_thread_team_gives_the_same_bits_as_one_thread) {
    using net_t = network<input<17>, dense<33, relu>, dense<3, softmax>>;
    const auto net = std::make_unique<const net_t>(6);
    thread_team two(2), three(3);
    for (const std::size_t rows : {0u, 1u, 3u, 64u, 65u, 1000u}) {
        const auto x = test::random_values(rows * 17, rows + 2, -1.0f, 1.0f);
        std::vector<float> one(rows * 3);
        parallel_predict(*net, x.data(), one.data(), rows, 1);
        for (thread_team* team : {&two, &three}) {
            std::vector<float> got(rows * 3 + 1, -7.0f); // one guard value after the rows
            parallel_predict(*net, x.data(), got.data(), rows, *team);
            BOOST_TEST(got.back() == -7.0f);
            got.pop_back();
            BOOST_TEST(got == one, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(predict_rows_with_a_small_chunk_matches_the_default) {
    using net_t = network<input<5>, dense<7, ctnn::tanh>, dense<1, sigmoid>>;
    const net_t net(9);
    const auto x = test::random_values(5 * 23, 4, -2.0f, 2.0f);
    std::vector<float> a(23), b(23);
    net.predict_rows(x.data(), a.data(), 23);
    net.predict_rows<4>(x.data(), b.data(), 23);
    for (std::size_t i = 0; i < a.size(); ++i) // tiles of other heights sum in another order
        BOOST_TEST(std::abs(a[i] - b[i]) <= 1e-6f, "row " << i);
}

// Outputs of whole vectors (16, 32: the last layer could store its rows straight into y) and
// of part of one (3) into memory at every offset from the SIMD alignment, with Chunk 1 and 64:
// each row equals the tensor prediction and nothing after the rows is written. (The kernels store
// padded rows with aligned stores: a std::vector's memory once crashed predict_rows.)
template <std::size_t Outputs, std::size_t Chunk>
void check_rows_into_any_memory() {
    using net_t = network<input<9>, dense<20, relu>, dense<Outputs, sigmoid>>;
    const net_t net(11);
    constexpr std::size_t rows = 70;
    const auto x = test::random_values(rows * 9, 12, -1.0f, 1.0f);
    for (std::size_t offset = 0; offset < simd::alignment / sizeof(float); ++offset) {
        std::vector<float> memory(offset + rows * Outputs + 1, -7.0f);
        float* y = memory.data() + offset;
        net.template predict_rows<Chunk>(x.data(), y, rows);
        BOOST_TEST(memory.back() == -7.0f, "a value after the rows was written");
        for (std::size_t r = 0; r < rows; r += 23) {
            tensor<float, shape<9>> sample;
            std::copy_n(x.data() + r * 9, 9, sample.data());
            const auto p = net.predict(sample);
            for (std::size_t j = 0; j < Outputs; ++j)
                BOOST_TEST(std::abs(y[r * Outputs + j] - p.data()[j]) <= 1e-6f,
                           "outputs " << Outputs << ", chunk " << Chunk << ", offset " << offset
                                      << ", row " << r);
        }
    }
}

BOOST_AUTO_TEST_CASE(predict_rows_writes_into_memory_of_any_alignment) {
    check_rows_into_any_memory<16, 64>();
    check_rows_into_any_memory<32, 64>();
    check_rows_into_any_memory<16, 1>();
    check_rows_into_any_memory<3, 1>();
    check_rows_into_any_memory<3, 64>();
}

BOOST_AUTO_TEST_SUITE_END()
