// tests/support/child_process.hpp - run part of a test in a forked child process, for what must
// not touch the test process itself: a file size limit (setrlimit), a crash, a kill.
//
//   const int status = test::run_in_child([&] {
//       test::limit_file_size(4096);
//       ...
//       return 0; // the child's exit status, 0..255
//   });
//   BOOST_TEST(status == 0);
//
// The child never returns into the test framework: it leaves with _exit, with status 125 when
// its body throws. POSIX only.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <stdexcept>

namespace ctnn::test {

// The exit status of body() run in a child process, or minus the signal that ended it.
template <class Body>
int run_in_child(Body body) {
    const pid_t child = ::fork();
    if (child < 0)
        throw std::runtime_error("fork failed");
    if (child == 0) {
        int status = 125;
        try {
            status = body();
        } catch (...) {
        }
        ::_exit(status);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// In this process, a write that would make a file larger than `bytes` fails with EFBIG (and no
// SIGXFSZ ends the process). Meant for a child of run_in_child: the limit cannot be raised again.
inline void limit_file_size(std::uint64_t bytes) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
        throw std::runtime_error("setrlimit(RLIMIT_FSIZE) failed");
}

} // namespace ctnn::test
