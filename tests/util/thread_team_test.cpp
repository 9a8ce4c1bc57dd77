// thread_team: every member runs once per run(), the caller is member 0, the members' writes
// are visible when run() returns, and workers that fell asleep wake up for the next task (and
// are joined when the team goes: a hang there would time the test out).
#include "ctnn/util/thread_team.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

BOOST_AUTO_TEST_SUITE(thread_team_test)

BOOST_AUTO_TEST_CASE(a_team_of_one_runs_on_the_caller) {
    ctnn::thread_team team(1);
    BOOST_TEST(team.size() == 1u);
    std::thread::id ran_on;
    team.run([&](std::size_t member) noexcept {
        BOOST_TEST(member == 0u);
        ran_on = std::this_thread::get_id();
    });
    BOOST_TEST((ran_on == std::this_thread::get_id()));
    BOOST_TEST(ctnn::thread_team(0).size() == 1u);
}

BOOST_AUTO_TEST_CASE(every_member_runs_once_per_run_and_its_writes_are_seen) {
    ctnn::thread_team team(3);
    BOOST_TEST(team.size() == 3u);
    std::vector<std::size_t> counts(3, 0);
    std::vector<long> partial(3, 0);
    for (long round = 1; round <= 2000; ++round) {
        team.run([&](std::size_t member) noexcept {
            ++counts[member];
            partial[member] = round * static_cast<long>(member + 1);
        });
        // Plain (non-atomic) writes of the workers, read right after run() returns.
        BOOST_REQUIRE(partial[0] + partial[1] + partial[2] == 6 * round);
    }
    BOOST_TEST(counts == std::vector<std::size_t>(3, 2000), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_caller_is_member_zero_and_the_others_are_other_threads) {
    ctnn::thread_team team(2);
    std::vector<std::thread::id> ids(2);
    team.run([&](std::size_t member) noexcept { ids[member] = std::this_thread::get_id(); });
    BOOST_TEST((ids[0] == std::this_thread::get_id()));
    BOOST_TEST((ids[1] != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(sleeping_workers_wake_for_the_next_task) {
    ctnn::thread_team team(2);
    int done = 0;
    for (int round = 0; round < 3; ++round) {
        // Longer than the workers spin: they are asleep on the atomic wait when the task comes.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        team.run([&](std::size_t member) noexcept {
            if (member == 1)
                ++done;
        });
    }
    BOOST_TEST(done == 3);
}

BOOST_AUTO_TEST_CASE(the_caller_never_sleeps_through_the_last_member_finishing) {
    // The caller sleeps on the count of running members once its spin is over. It once read
    // that count twice - to test it, then to wait on it - and slept for ever when the last
    // member finished in between (a fit on two threads hung after thousands of steps). The
    // window is nanoseconds wide: this runs members that finish around the end of the spin
    // many times over, so that a regression has its chances; the CTest timeout catches a hang.
    ctnn::thread_team team(2);
    std::size_t finished = 0;
    for (int run = 0; run < 4000; ++run) {
        const auto delay = std::chrono::microseconds(30 + run % 40);
        team.run([&](std::size_t member) noexcept {
            if (member == 1)
                std::this_thread::sleep_for(delay);
        });
        ++finished;
    }
    BOOST_TEST(finished == 4000u);
}

BOOST_AUTO_TEST_SUITE_END()
