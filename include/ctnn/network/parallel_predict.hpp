// ctnn/network/parallel_predict.hpp - batch prediction on several cores.
//
//   std::vector<float> probabilities(n * 10);
//   ctnn::parallel_predict(*net, pixels.data(), probabilities.data(), n);      // every core
//   ctnn::parallel_predict(*net, pixels.data(), probabilities.data(), n, 2);   // two threads
//   ctnn::thread_team team(2);                                                  // kept threads
//   ctnn::parallel_predict(*net, pixels.data(), probabilities.data(), n, team);
//
// The rows are cut into blocks of whole 32-row chunks, one block per thread, each predicted
// with network::predict_rows; the network is only read, so one const network serves every
// thread. Starting threads costs tens of microseconds, so batches of fewer than 64 rows stay on
// the calling thread: batch-1 inference never pays for it. A thread_team keeps its threads between
// calls (a hand-over costs microseconds), which pays from two chunks on: pass one when calling
// often.
#pragma once

#include "ctnn/util/thread_pool.hpp"
#include "ctnn/util/thread_team.hpp"

#include <algorithm>
#include <cstddef>

namespace ctnn {

// Rows are predicted in chunks of this many (network::predict_rows), and a thread gets whole
// chunks: fewer rows than two chunks stay on the calling thread.
inline constexpr std::size_t parallel_chunk_rows = 32;

namespace detail {

// How `rows` are shared by up to `wanted` threads: how many threads and how many rows each
// (whole chunks, the last thread may get fewer). Every row is computed in the same chunk, at the
// same place, as on one thread, so the results are bit-identical whatever the thread count.
struct row_blocks {
    std::size_t threads;
    std::size_t per_thread;
};
inline row_blocks share_rows(std::size_t rows, std::size_t wanted) noexcept {
    constexpr std::size_t chunk = parallel_chunk_rows;
    const std::size_t used = std::max<std::size_t>(1, std::min(wanted, rows / chunk));
    return {used, ((rows + used - 1) / used + chunk - 1) / chunk * chunk};
}

// Thread t's block of rows.
template <class Net>
void predict_block(const Net& net, const float* x, float* y, std::size_t rows, row_blocks blocks,
                   std::size_t t) noexcept {
    const std::size_t start = t * blocks.per_thread;
    if (t >= blocks.threads || start >= rows)
        return;
    const std::size_t n = std::min(blocks.per_thread, rows - start);
    net.template predict_rows<parallel_chunk_rows>(x + start * Net::input_shape::size,
                                                   y + start * Net::output_shape::size, n);
}

} // namespace detail

template <class Net>
void parallel_predict(const Net& net, const float* x, float* y, std::size_t rows,
                      std::size_t threads = 0) {
    const auto blocks = detail::share_rows(rows, threads == 0 ? default_thread_count() : threads);
    if (blocks.threads == 1) {
        net.template predict_rows<parallel_chunk_rows>(x, y, rows);
        return;
    }
    parallel_for(
        blocks.threads, [&](std::size_t t) { detail::predict_block(net, x, y, rows, blocks, t); },
        blocks.threads);
}

// The same on a team's threads (as many as the team has, or fewer for few rows).
template <class Net>
void parallel_predict(const Net& net, const float* x, float* y, std::size_t rows,
                      thread_team& team) noexcept {
    const auto blocks = detail::share_rows(rows, team.size());
    if (blocks.threads == 1) {
        net.template predict_rows<parallel_chunk_rows>(x, y, rows);
        return;
    }
    team.run([&](std::size_t t) noexcept { detail::predict_block(net, x, y, rows, blocks, t); });
}

} // namespace ctnn
