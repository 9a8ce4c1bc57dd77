// ctnn/util/thread_team.hpp - a fixed team of threads that runs one short task per member,
// again and again, without starting threads each time.
//
//   ctnn::thread_team team(2);                     // the caller + 1 worker
//   team.run([&](std::size_t member) noexcept { process_half(member); });
//
// parallel_for starts its threads on every call, which costs tens of microseconds: right for
// tasks that take milliseconds (a fit per configuration), too slow for a training step of
// 100 µs split in two. A team keeps its workers: run() publishes the task, each worker runs
// task(member) and the caller runs task(0), and run() returns when all have finished. Workers
// spin briefly for the next task (a training loop posts one every few microseconds), then sleep
// on an atomic wait, so an idle team costs no CPU. Tasks must not throw (a worker cannot hand an
// exception back in the middle of a step); run() is not reentrant.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <type_traits>
#include <vector>

namespace ctnn {

class thread_team {
public:
    // A team of `size` members (the calling thread and size - 1 workers); 0 means 1.
    explicit thread_team(std::size_t size) {
        const std::size_t members = size == 0 ? 1 : size;
        workers_.reserve(members - 1);
        for (std::size_t member = 1; member < members; ++member)
            workers_.emplace_back([this, member] { serve(member); });
    }
    thread_team(const thread_team&) = delete;
    thread_team& operator=(const thread_team&) = delete;

    ~thread_team() {
        stopping_.store(true, std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
        generation_.notify_all();
        // The jthreads join here.
    }

    [[nodiscard]] std::size_t size() const noexcept { return workers_.size() + 1; }

    // Calls task(member) for every member in [0, size()), task(0) on the calling thread, and
    // returns when all calls have returned.
    template <class Task>
    void run(Task&& task) noexcept {
        static_assert(std::is_nothrow_invocable_v<Task&, std::size_t>,
                      "thread_team::run: the task must be callable as task(member) with a "
                      "std::size_t and be noexcept (a worker cannot pass an exception back)");
        if (workers_.empty()) {
            task(std::size_t{0});
            return;
        }
        using task_type = std::remove_reference_t<Task>; // may be const
        task_ = const_cast<void*>(static_cast<const void*>(&task));
        call_ = [](void* t, std::size_t member) noexcept { (*static_cast<task_type*>(t))(member); };
        running_.store(workers_.size(), std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release); // publishes task_ and call_
        generation_.notify_all();
        task(std::size_t{0});
        wait_until(running_, [](std::size_t left) { return left == 0; });
    }

private:
    // Spins while the wait is likely short, then sleeps on `flag` until done(its value). It
    // sleeps on the very value it found not done: a value loaded again for the wait could be
    // the final one, whose notification has already passed, and the wait would never end.
    template <class Flag, class Done>
    static void wait_until(const std::atomic<Flag>& flag, Done done) noexcept {
        for (int spin = 0; spin < spin_limit; ++spin) {
            if (done(flag.load(std::memory_order_acquire)))
                return;
            pause();
        }
        for (;;) {
            const Flag value = flag.load(std::memory_order_acquire);
            if (done(value))
                return;
            flag.wait(value, std::memory_order_relaxed);
        }
    }

    void serve(std::size_t member) noexcept {
        std::uint64_t seen = 0;
        for (;;) {
            wait_until(generation_, [&](std::uint64_t generation) { return generation != seen; });
            seen = generation_.load(std::memory_order_acquire);
            if (stopping_.load(std::memory_order_relaxed))
                return;
            call_(task_, member);
            if (running_.fetch_sub(1, std::memory_order_acq_rel) == 1)
                running_.notify_one();
        }
    }

    static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        std::this_thread::yield();
#endif
    }

    // About 50 µs of spinning (a pause takes 26 ns on Zen 4): longer than the gap between two
    // steps of a training loop.
    static constexpr int spin_limit = 2000;

    void* task_ = nullptr;
    void (*call_)(void*, std::size_t) noexcept = nullptr;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::size_t> running_{0};
    std::atomic<bool> stopping_{false};
    std::vector<std::jthread> workers_; // last: joined before the state above goes away
};

} // namespace ctnn
