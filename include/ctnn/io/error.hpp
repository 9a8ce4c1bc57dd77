// ctnn/io/error.hpp - `ctnn::io_error`, the one exception every ctnn reader throws.
//
// Its message always has the form "<file>: <position>: <problem>", for example
//   "train-images-idx3-ubyte.gz: byte 16: file ends after 1000 of 47040000 data bytes (truncated?)"
// so a user can find the place without a debugger. The position is free text built by the
// reader ("byte 16", "line 3, column 7"; empty when the whole file is at fault, such as a file
// that does not exist) and the parts are also available separately for programs that react
// to them:
//   try { auto images = ctnn::io::read_idx_images(path, 28, 28); }
//   catch (const ctnn::io_error& e) { std::cerr << e.what() << '\n'; }
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace ctnn {

struct io_error : std::runtime_error {
    io_error(const std::filesystem::path& file, std::string position, std::string problem)
        : std::runtime_error(compose(file, position, problem)),
          parts_(
              std::make_shared<const parts>(parts{file, std::move(position), std::move(problem)})) {
    }

    // The file as the caller named it, the position text ("" if none) and the problem alone.
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return parts_->file; }
    [[nodiscard]] const std::string& position() const noexcept { return parts_->position; }
    [[nodiscard]] const std::string& problem() const noexcept { return parts_->problem; }

private:
    // Shared and immutable, so copying the exception cannot throw (std::exception's contract).
    struct parts {
        std::filesystem::path file;
        std::string position;
        std::string problem;
    };
    std::shared_ptr<const parts> parts_;

    static std::string compose(const std::filesystem::path& file, const std::string& position,
                               const std::string& problem) {
        std::string message = file.string();
        message += ": ";
        if (!position.empty()) {
            message += position;
            message += ": ";
        }
        message += problem;
        return message;
    }
};

namespace io {

// Position texts for io_error, so that every reader words them the same way.
[[nodiscard]] inline std::string byte_position(std::uint64_t offset) {
    return "byte " + std::to_string(offset);
}
[[nodiscard]] inline std::string line_column_position(std::uint64_t line, std::uint64_t column) {
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace io
} // namespace ctnn
