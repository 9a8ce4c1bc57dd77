// ctnn/io/atomic_file.hpp - replace a file all at once: a reader, a crash or a second writer
// sees the old contents or the new ones, never a mixture or half a file.
//
//   ctnn::io::write_file_atomically("run.csv", text);        // std::string_view
//   ctnn::io::write_file_atomically("w.ctnnw", bytes);       // std::span<const unsigned char>
//
//   ctnn::io::atomic_file out("big.bin");   // or piece by piece, without the whole in memory
//   out.write(header);
//   out.write(values);                      // each write is a system call: hand it large pieces
//   out.commit();                           // now "big.bin" holds both
//
// The bytes go to a new temporary file in the target's directory, named
// ".<name>.tmp.<process id>.<counter>" and created exclusively (O_EXCL), so two writers of the
// same target, threads or processes, never share one; then fsync, rename over the target (atomic
// on POSIX: the last rename wins) and fsync of the directory, so that the rename itself survives
// a power cut. An atomic_file destroyed without commit() - an exception while producing the
// bytes - removes its temporary file and leaves the target alone.
//
// Every failure is a ctnn::io_error naming the target, the step and the system's reason:
// "out/run.csv: cannot create the temporary file out/.run.csv.tmp.4242.0: No such file or
// directory". The temporary file is removed and the previous target is left as it was, with one
// exception: when flushing the directory fails after the rename, the target already holds the
// new contents (the error says so: the rename may not survive a crash). A process killed while
// writing leaves the previous target intact and possibly a stray temporary file.
// A symbolic link at the target is replaced, not followed; the new file gets the permissions
// 0666 minus the umask, not the old file's. Standard C++ and POSIX only (no zlib).
#pragma once

#include "ctnn/io/error.hpp"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace ctnn::io {

class atomic_file {
public:
    // Creates the temporary file beside `target`. Throws io_error.
    explicit atomic_file(std::filesystem::path target) : target_(std::move(target)) {
        const std::string name = target_.filename().string();
        if (name.empty() || name == "." || name == "..")
            throw io_error(target_, "", "cannot write: the path names a directory, not a file");
        // The process id keeps processes apart and the counter threads; O_EXCL catches what
        // neither can (a stale temporary of a killed process whose id was reused).
        static std::atomic<std::uint64_t> counter{0};
        // Short enough that the suffix never pushes a long name past the 255-byte limit.
        const std::string stem = "." + name.substr(0, 200) + ".tmp." + std::to_string(::getpid());
        for (int attempt = 0; attempt < 100; ++attempt) {
            temporary_ = target_.parent_path() / (stem + "." + std::to_string(counter++));
            fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ >= 0)
                return;
            const int error = errno;
            if (error != EEXIST)
                fail("cannot create the temporary file " + temporary_.string(), error);
        }
        fail("cannot create a temporary file beside it (100 names taken)", EEXIST);
    }

    // Not committed: the temporary file is removed and the target stays as it was.
    ~atomic_file() { discard(); }

    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;

    [[nodiscard]] const std::filesystem::path& target() const noexcept { return target_; }
    [[nodiscard]] const std::filesystem::path& temporary() const noexcept { return temporary_; }

    // Appends `bytes` to the temporary file. Throws io_error (the temporary file is then gone).
    void write(std::span<const unsigned char> bytes) {
        require_open();
        while (!bytes.empty()) {
            const ::ssize_t n = ::write(fd_, bytes.data(), bytes.size());
            if (n < 0) {
                const int error = errno;
                if (error == EINTR)
                    continue;
                abandon("cannot write the temporary file " + temporary_.string(), error);
            }
            bytes = bytes.subspan(static_cast<std::size_t>(n));
        }
    }
    void write(std::string_view text) {
        write(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
    }

    // Flushes the temporary file to disk and renames it over the target. Throws io_error.
    void commit() {
        require_open();
        int error = 0;
        while (::fsync(fd_) != 0)
            if ((error = errno) != EINTR)
                abandon("cannot flush the temporary file " + temporary_.string() + " to disk",
                        error);
        // Never retried: on Linux the descriptor is gone even after EINTR.
        const int closed = ::close(fd_);
        error = errno;
        fd_ = -1;
        if (closed != 0)
            abandon("cannot close the temporary file " + temporary_.string(), error);
        if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
            error = errno;
            abandon("cannot replace the file with the temporary file " + temporary_.string(),
                    error);
        }
        temporary_.clear();
        flush_directory();
    }

private:
    std::filesystem::path target_;
    std::filesystem::path temporary_; // empty once renamed or removed
    int fd_ = -1;

    [[noreturn]] void fail(const std::string& problem, int error) const {
        throw io_error(target_, "", problem + ": " + std::generic_category().message(error));
    }
    void discard() noexcept {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
        if (!temporary_.empty())
            ::unlink(temporary_.c_str());
        temporary_.clear();
    }
    [[noreturn]] void abandon(const std::string& problem, int error) {
        discard();
        fail(problem, error);
    }
    void require_open() const {
        if (fd_ < 0)
            throw io_error(target_, "",
                           "the atomic_file is closed (committed, or an earlier write failed)");
    }

    // The rename is durable only once the directory is on disk. A directory that cannot be
    // opened (no read permission) or a file system that cannot sync one (EINVAL) is skipped.
    void flush_directory() const {
        const std::filesystem::path directory =
            target_.parent_path().empty() ? std::filesystem::path(".") : target_.parent_path();
        const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return;
        const int rc = ::fsync(fd);
        const int error = errno;
        ::close(fd);
        if (rc != 0 && error != EINVAL && error != EINTR)
            fail("the file was replaced, but its directory " + directory.string() +
                     " could not be flushed to disk (the new file may not survive a crash)",
                 error);
    }
};

// Replaces `target` with `bytes` through an atomic_file. Throws io_error.
inline void write_file_atomically(const std::filesystem::path& target,
                                  std::span<const unsigned char> bytes) {
    atomic_file file(target);
    file.write(bytes);
    file.commit();
}
inline void write_file_atomically(const std::filesystem::path& target, std::string_view text) {
    atomic_file file(target);
    file.write(text);
    file.commit();
}

} // namespace ctnn::io
