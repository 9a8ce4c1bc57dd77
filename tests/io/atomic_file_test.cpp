// Tests ctnn/io/atomic_file.hpp: the bytes arrive (whole, in pieces, empty, over an older file);
// every failure - a missing directory, a directory at the target, a write cut short by a file
// size limit, an abandoned writer - leaves the previous target and no temporary file, with an
// io_error naming the target and the system's reason; two threads and two processes writing the
// same target over and over always leave one whole version, as a concurrent reader sees too.
#include "ctnn/io/atomic_file.hpp"

#include "io_test_files.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

using namespace ctnn::test;
namespace io = ctnn::io;
namespace fs = std::filesystem;

namespace {

// The names in `dir` (a stray temporary file shows up here).
std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    return names;
}

std::string read_text(const fs::path& file) {
    const bytes_t bytes = read_raw(file);
    return std::string(bytes.begin(), bytes.end());
}

std::string reason(int error) {
    return std::generic_category().message(error);
}

// A version of a file that is recognisably whole: its size and every byte say which one it is.
std::string version(char id, std::size_t size) {
    return std::string(size, id);
}

// A file that writers replace while a reader checks each read against the whole versions.
struct contended_target {
    temp_dir dir;
    fs::path file = dir / "shared.txt";
    std::string initial = version('i', 10), a = version('a', 50000), b = version('b', 30000);
    std::atomic<bool> writing{true};

    contended_target() { io::write_file_atomically(file, initial); }

    // Reads the file until `writing` is false: how many reads were not a whole version.
    int torn_reads() const {
        int reads = 0, torn = 0;
        while (writing) {
            const std::string seen = read_text(file);
            torn += seen != initial && seen != a && seen != b;
            ++reads;
        }
        BOOST_TEST_MESSAGE(reads << " reads while writing");
        return torn;
    }

    // After the writers: one of their versions, and no temporary file.
    void check_the_end() const {
        const std::string last = read_text(file);
        BOOST_TEST((last == a || last == b));
        BOOST_TEST((listing(dir.path) == std::vector<std::string>{"shared.txt"}));
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(atomic_file_test)

BOOST_AUTO_TEST_CASE(the_bytes_arrive_and_replace_an_older_file) {
    const temp_dir dir;
    const fs::path file = dir / "out.bin";
    const bytes_t bytes{0, 1, 2, 0xff, '\n', 0};
    io::write_file_atomically(file, bytes);
    BOOST_TEST((read_raw(file) == bytes));

    io::write_file_atomically(file, std::string_view("shorter"));
    BOOST_TEST(read_text(file) == "shorter");
    io::write_file_atomically(file, std::string_view());
    BOOST_TEST(fs::exists(file));
    BOOST_TEST(fs::file_size(file) == 0u);

    // Piece by piece: nothing reaches the target before commit().
    {
        io::atomic_file out(file);
        BOOST_TEST(out.target() == file);
        BOOST_TEST(out.temporary().parent_path() == dir.path); // same directory: rename works
        BOOST_TEST(out.temporary().filename().string().starts_with(".out.bin.tmp."));
        out.write(std::string_view("first, "));
        out.write(std::span<const unsigned char>(bytes).first(3));
        out.write(std::string(100000, 'x'));
        BOOST_TEST(fs::file_size(file) == 0u);
        out.commit();
        BOOST_TEST(out.temporary().empty());
    }
    BOOST_TEST(read_text(file) == "first, " + std::string("\0\1\2", 3) + std::string(100000, 'x'));
    BOOST_TEST((listing(dir.path) == std::vector<std::string>{"out.bin"}));
}

BOOST_AUTO_TEST_CASE(two_writers_of_one_target_get_their_own_temporary_files) {
    const temp_dir dir;
    io::atomic_file a(dir / "t"), b(dir / "t");
    BOOST_TEST(a.temporary() != b.temporary());
    a.write(std::string_view("a"));
    b.write(std::string_view("b"));
    b.commit();
    a.commit(); // the last rename wins
    BOOST_TEST(read_text(dir / "t") == "a");
    BOOST_TEST((listing(dir.path) == std::vector<std::string>{"t"}));
}

BOOST_AUTO_TEST_CASE(an_abandoned_writer_leaves_the_previous_file_and_no_temporary) {
    const temp_dir dir;
    const fs::path file = dir / "keep.txt";
    io::write_file_atomically(file, std::string_view("previous"));
    try {
        io::atomic_file out(file);
        out.write(std::string_view("half of the new"));
        throw std::runtime_error("the producer of the bytes failed");
    } catch (const std::runtime_error&) {
    }
    BOOST_TEST(read_text(file) == "previous");
    BOOST_TEST((listing(dir.path) == std::vector<std::string>{"keep.txt"}));

    // Once committed, the writer is closed.
    io::atomic_file out(file);
    out.commit();
    BOOST_TEST(fs::file_size(file) == 0u);
    check_io_error([&] { out.write(std::string_view("more")); }, file, {"closed"});
    check_io_error([&] { out.commit(); }, file, {"closed"});
}

BOOST_AUTO_TEST_CASE(failures_name_the_target_and_the_reason_and_keep_the_previous_file) {
    const temp_dir dir;
    // A directory that does not exist: nothing is created.
    const fs::path missing = dir / "no_such_directory" / "out.txt";
    check_io_error([&] { io::write_file_atomically(missing, std::string_view("x")); }, missing,
                   {"cannot create the temporary file", reason(ENOENT)});
    BOOST_TEST(!fs::exists(missing.parent_path()));

    // A directory where the file should go: the rename fails and the directory stays.
    const fs::path occupied = dir / "occupied";
    fs::create_directories(occupied / "inside");
    check_io_error([&] { io::write_file_atomically(occupied, std::string_view("x")); }, occupied,
                   {"cannot replace the file", reason(EISDIR)});
    BOOST_TEST(fs::is_directory(occupied / "inside"));

    // A path that names a directory.
    const fs::path slash = dir.path / "";
    check_io_error([&] { io::write_file_atomically(slash, std::string_view("x")); }, slash,
                   {"names a directory, not a file"});
    BOOST_TEST((listing(dir.path) == std::vector<std::string>{"occupied"}));

    // A regular file where a directory should be.
    io::write_file_atomically(dir / "plain", std::string_view("plain"));
    const fs::path under_file = dir / "plain" / "out.txt";
    check_io_error([&] { io::write_file_atomically(under_file, std::string_view("x")); },
                   under_file, {"cannot create the temporary file", reason(ENOTDIR)});
    BOOST_TEST(read_text(dir / "plain") == "plain");
}

// The write fails half way (RLIMIT_FSIZE, in a child process so that the limit stays there).
BOOST_AUTO_TEST_CASE(a_write_cut_short_by_a_size_limit_keeps_the_previous_file) {
    const temp_dir dir;
    const fs::path file = dir / "limited.bin";
    const std::string previous = version('p', 1000);
    io::write_file_atomically(file, previous);

    const int status = run_in_child([&] {
        limit_file_size(4096);
        try {
            io::write_file_atomically(file, version('n', 1 << 16));
            return 10; // the write should have failed
        } catch (const ctnn::io_error& e) {
            const std::string what = e.what();
            return e.file() == file && what.starts_with(file.string() + ": ") &&
                           what.find("cannot write the temporary file") != std::string::npos &&
                           what.find(reason(EFBIG)) != std::string::npos
                       ? 0
                       : 11;
        }
    });
    BOOST_TEST(status == 0);
    BOOST_TEST(read_text(file) == previous);
    BOOST_TEST((listing(dir.path) == std::vector<std::string>{"limited.bin"}));
}

// A symbolic link at the target is replaced by the file; what it pointed to stays.
BOOST_AUTO_TEST_CASE(a_symbolic_link_at_the_target_is_replaced_not_followed) {
    const temp_dir dir;
    io::write_file_atomically(dir / "real", std::string_view("real"));
    fs::create_symlink(dir / "real", dir / "link");
    io::write_file_atomically(dir / "link", std::string_view("new"));
    BOOST_TEST(!fs::is_symlink(dir / "link"));
    BOOST_TEST(read_text(dir / "link") == "new");
    BOOST_TEST(read_text(dir / "real") == "real");
}

// Two threads replace one file over and over while this thread reads it: every read and the
// end result are one whole version, and no temporary file is left.
BOOST_AUTO_TEST_CASE(two_threads_writing_one_target_leave_one_whole_version) {
    contended_target target;
    constexpr int rounds = 60;
    std::atomic<int> running{2}, failures{0};
    const auto writer = [&](const std::string& text) {
        try {
            for (int i = 0; i < rounds; ++i)
                io::write_file_atomically(target.file, text);
        } catch (...) {
            ++failures;
        }
        if (--running == 0)
            target.writing = false;
    };
    std::thread first(writer, std::cref(target.a)), second(writer, std::cref(target.b));
    BOOST_TEST(target.torn_reads() == 0);
    first.join();
    second.join();
    BOOST_TEST(failures == 0);
    target.check_the_end();
}

// The same with two processes (their temporary names differ by process id).
BOOST_AUTO_TEST_CASE(two_processes_writing_one_target_leave_one_whole_version) {
    contended_target target;
    constexpr int rounds = 40;
    int torn = -1;
    std::thread reader([&] { torn = target.torn_reads(); });
    const auto writer = [&](const std::string& text) {
        return run_in_child([&] {
            for (int i = 0; i < rounds; ++i)
                io::write_file_atomically(target.file, text);
            return 0;
        });
    };
    int status_a = -1;
    // Forked from two threads, so that the children run at the same time.
    std::thread parent_of_a([&] { status_a = writer(target.a); });
    const int status_b = writer(target.b);
    parent_of_a.join();
    target.writing = false;
    reader.join();
    BOOST_TEST(status_a == 0);
    BOOST_TEST(status_b == 0);
    BOOST_TEST(torn == 0);
    target.check_the_end();
}

BOOST_AUTO_TEST_SUITE_END()
