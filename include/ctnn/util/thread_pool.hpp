// ctnn/util/thread_pool.hpp - parallel_for: n independent tasks on a pool of std::jthreads.
//
//   std::vector<double> scores(configurations.size());
//   ctnn::parallel_for(scores.size(), [&](std::size_t i) { scores[i] = train_and_score(i); });
//   ctnn::parallel_for(n, task, /*threads=*/2);   // 0 (the default): every hardware thread
//
// Each index in [0, n) is handed out once, in increasing order, to whichever thread is free
// (the calling thread is one of the pool), so long and short tasks balance. A task should write
// only its own results (slot i of a vector): then the results do not depend on the number of
// threads or on their scheduling. If a task throws, no task starts once its failure is recorded
// (other threads may begin a few while the exception unwinds), the pool is joined, and the
// exception of the lowest-indexed task that threw is rethrown to the caller.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace ctnn {

// The number of threads parallel_for uses when given 0: std::thread::hardware_concurrency(), or
// 1 where the platform cannot tell.
[[nodiscard]] inline std::size_t default_thread_count() noexcept {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<std::size_t>(n);
}

// The number of threads parallel_for(n, task, threads) runs on: `threads` (0: every hardware
// thread), but never more than there are tasks, and at least 1.
[[nodiscard]] inline std::size_t parallel_threads(std::size_t n, std::size_t threads) noexcept {
    const std::size_t wanted = threads == 0 ? default_thread_count() : threads;
    return std::max<std::size_t>(1, std::min(wanted, n));
}

// Calls task(i) once for every i in [0, n) on parallel_threads(n, threads) threads and returns
// when all have finished. With one thread everything runs on the calling thread.
template <class Task>
void parallel_for(std::size_t n, Task&& task, std::size_t threads = 0) {
    static_assert(std::is_invocable_v<Task&, std::size_t>,
                  "parallel_for: the task must be callable as task(i) with an index std::size_t i");
    if (n == 0)
        return;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex error_mutex;
    std::exception_ptr error;
    std::size_t error_index = n;

    auto work = [&] {
        while (!failed.load(std::memory_order_relaxed)) {
            const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= n)
                return;
            try {
                task(i);
            } catch (...) {
                const std::lock_guard lock(error_mutex);
                if (i < error_index) { // the same exception whichever thread got there first
                    error = std::current_exception();
                    error_index = i;
                }
                failed.store(true, std::memory_order_relaxed);
            }
        }
    };

    const std::size_t count = parallel_threads(n, threads);
    {
        // Declared after the state it uses, so that it is joined (even when starting a thread
        // throws) before that state goes away.
        std::vector<std::jthread> pool;
        pool.reserve(count - 1);
        for (std::size_t t = 1; t < count; ++t)
            pool.emplace_back(work);
        work();
    }
    if (error)
        std::rethrow_exception(error);
}

} // namespace ctnn
