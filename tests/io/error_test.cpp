// Tests ctnn/io/error.hpp: the message is "<file>: <position>: <problem>" (no position part when
// the position is empty), the parts stay available, and copying cannot throw.
#include "ctnn/io/error.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

static_assert(std::is_base_of_v<std::runtime_error, ctnn::io_error>);
static_assert(std::is_nothrow_copy_constructible_v<ctnn::io_error>,
              "exceptions must copy without throwing");

BOOST_AUTO_TEST_SUITE(error_test)

BOOST_AUTO_TEST_CASE(message_names_file_position_and_problem) {
    const ctnn::io_error e("data/train-images-idx3-ubyte.gz", ctnn::io::byte_position(16),
                           "file ends after 1000 of 47040000 data bytes (truncated?)");
    BOOST_TEST(std::string(e.what()) == "data/train-images-idx3-ubyte.gz: byte 16: file ends "
                                        "after 1000 of 47040000 data bytes (truncated?)");
    BOOST_TEST(e.file() == "data/train-images-idx3-ubyte.gz");
    BOOST_TEST(e.position() == "byte 16");
    BOOST_TEST(e.problem() == "file ends after 1000 of 47040000 data bytes (truncated?)");
}

BOOST_AUTO_TEST_CASE(empty_position_is_left_out) {
    const ctnn::io_error e("missing.csv", "", "no such file");
    BOOST_TEST(std::string(e.what()) == "missing.csv: no such file");
    BOOST_TEST(e.position().empty());
}

BOOST_AUTO_TEST_CASE(position_texts) {
    BOOST_TEST(ctnn::io::byte_position(0) == "byte 0");
    BOOST_TEST(ctnn::io::byte_position(18446744073709551615ull) == "byte 18446744073709551615");
    BOOST_TEST(ctnn::io::line_column_position(3, 7) == "line 3, column 7");
    const ctnn::io_error e("a.csv", ctnn::io::line_column_position(12, 1), "expected a number");
    BOOST_TEST(std::string(e.what()) == "a.csv: line 12, column 1: expected a number");
}

BOOST_AUTO_TEST_CASE(copies_share_the_parts) {
    const ctnn::io_error e("f", "byte 1", "bad");
    const ctnn::io_error copy = e; // NOLINT: the copy is the point
    BOOST_TEST(std::string(copy.what()) == e.what());
    BOOST_TEST(copy.problem() == "bad");
    BOOST_CHECK_THROW(throw copy, std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
