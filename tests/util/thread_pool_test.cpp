// Tests ctnn/util/thread_pool.hpp: every index runs exactly once for 1, 2 and 3 threads and
// sizes 0, 1, 3, 17 and 1000; two threads really run at once; one thread is the caller; a
// throwing task stops the pool and its exception (the lowest-indexed one) reaches the caller.
#include "ctnn/util/thread_pool.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace ctnn;

BOOST_AUTO_TEST_SUITE(thread_pool_test)

BOOST_AUTO_TEST_CASE(every_index_runs_exactly_once) {
    for (std::size_t threads : {1u, 2u, 3u}) {
        for (std::size_t n : {0u, 1u, 3u, 17u, 1000u}) {
            const auto runs = std::make_unique<std::atomic<int>[]>(n + 1);
            parallel_for(
                n, [&](std::size_t i) { runs[i].fetch_add(1); }, threads);
            for (std::size_t i = 0; i < n; ++i)
                BOOST_TEST(runs[i].load() == 1,
                           "threads " << threads << ", n " << n << ", i " << i);
            BOOST_TEST(runs[n].load() == 0); // nothing past the end
        }
    }
}

BOOST_AUTO_TEST_CASE(thread_counts) {
    BOOST_TEST(default_thread_count() >= 1u);
    BOOST_TEST(default_thread_count() == std::max(1u, std::thread::hardware_concurrency()));
    BOOST_TEST(parallel_threads(10, 2) == 2u);
    BOOST_TEST(parallel_threads(1, 4) == 1u); // never more threads than tasks
    BOOST_TEST(parallel_threads(0, 4) == 1u);
    BOOST_TEST(parallel_threads(1000, 0) == std::min<std::size_t>(1000, default_thread_count()));
}

BOOST_AUTO_TEST_CASE(one_thread_is_the_calling_thread) {
    std::set<std::thread::id> ids;
    parallel_for(
        5, [&](std::size_t) { ids.insert(std::this_thread::get_id()); }, 1);
    BOOST_TEST(ids.size() == 1u);
    BOOST_TEST((*ids.begin() == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(two_threads_run_at_the_same_time) {
    // Each of the two tasks waits (up to 10 s) for the other to start: run one after the other,
    // the first would time out and see only itself.
    std::atomic<int> started{0};
    std::vector<int> seen(2);
    parallel_for(
        2,
        [&](std::size_t i) {
            started.fetch_add(1);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (started.load() < 2 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::yield();
            seen[i] = started.load();
        },
        2);
    BOOST_TEST(seen[0] == 2);
    BOOST_TEST(seen[1] == 2);
}

BOOST_AUTO_TEST_CASE(an_exception_reaches_the_caller_and_stops_the_pool) {
    for (std::size_t threads : {1u, 2u}) {
        std::atomic<int> ran{0};
        try {
            parallel_for(
                1000,
                [&](std::size_t i) {
                    ran.fetch_add(1);
                    if (i == 5)
                        throw std::runtime_error("task 5 failed");
                },
                threads);
            BOOST_FAIL("parallel_for did not rethrow");
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()) == "task 5 failed");
        }
        // Tasks 0..5 ran. Other threads may start tasks until the failure is recorded (after
        // task 5's exception has unwound), so only one thread gives an exact count.
        BOOST_TEST(ran.load() >= 6);
        if (threads == 1)
            BOOST_TEST(ran.load() == 6); // in order: nothing after the failing task
    }
}

BOOST_AUTO_TEST_CASE(the_lowest_indexed_exception_wins) {
    // Every task throws its index; task 0 always runs (it is handed out first), so whatever else
    // ran, the caller sees task 0's exception.
    for (std::size_t threads : {1u, 2u}) {
        for (int repeat = 0; repeat < 20; ++repeat) {
            try {
                parallel_for(
                    100, [](std::size_t i) { throw std::out_of_range(std::to_string(i)); },
                    threads);
                BOOST_FAIL("parallel_for did not rethrow");
            } catch (const std::out_of_range& e) {
                BOOST_TEST(std::string(e.what()) == "0");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_the_thread_count) {
    // Each task writes its own slot: 1 and 2 threads give the same vector.
    auto run = [](std::size_t threads) {
        std::vector<double> out(333);
        parallel_for(
            out.size(), [&](std::size_t i) { out[i] = static_cast<double>(i * i) / 7.0; }, threads);
        return out;
    };
    BOOST_TEST(run(1) == run(2));
}

BOOST_AUTO_TEST_SUITE_END()
