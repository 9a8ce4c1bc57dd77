// Tests ctnn/training/history_csv.hpp: the exact text of a small history, column order, values
// that read back bit for bit, NaN and infinities, the refusal of ragged histories, and
// save_csv's atomic write and its errors.
#include "ctnn/training/history_csv.hpp"

#include <boost/test/unit_test.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace ctnn;

namespace {

std::string csv_of(const history& h) {
    std::ostringstream out;
    write_csv(h, out);
    return out.str();
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts(1);
    for (char c : text)
        if (c == separator)
            parts.emplace_back();
        else
            parts.back() += c;
    return parts;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A fresh empty directory under the system's temporary directory, removed at scope exit.
struct scratch_directory {
    std::filesystem::path path;
    scratch_directory() {
        std::random_device entropy;
        path = std::filesystem::temp_directory_path() /
               ("ctnn_history_csv_test_" + std::to_string(entropy()));
        std::filesystem::create_directories(path);
    }
    ~scratch_directory() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

history three_epochs() {
    history h;
    h.values["val_accuracy"] = {0.5, 0.625, 0.75};
    h.values["loss"] = {0.75, 0.5, 0.25};
    h.values["val_loss"] = {0.875, 0.625, 0.6875};
    h.values["accuracy"] = {0.5, 0.75, 1};
    h.epochs = 3;
    return h;
}

} // namespace

BOOST_AUTO_TEST_SUITE(history_csv_test)

BOOST_AUTO_TEST_CASE(three_epochs_give_the_exact_table) {
    BOOST_TEST(csv_of(three_epochs()) == "epoch,loss,accuracy,val_loss,val_accuracy\n"
                                         "1,0.75,0.5,0.875,0.5\n"
                                         "2,0.5,0.75,0.625,0.625\n"
                                         "3,0.25,1,0.6875,0.75\n");
}

BOOST_AUTO_TEST_CASE(columns_are_loss_accuracy_others_alphabetically_then_validation) {
    history h;
    for (const char* key : {"val_mae", "zeta", "val_loss", "mae", "accuracy", "loss", "auc",
                            "val_zeta", "val_accuracy", "val_auc"})
        h.values[key] = {1.0};
    BOOST_TEST(csv_of(h) == "epoch,loss,accuracy,auc,mae,zeta,val_loss,val_accuracy,val_auc,"
                            "val_mae,val_zeta\n1,1,1,1,1,1,1,1,1,1,1\n");
    // A val_ key without its training partner still sorts with the val_ keys.
    history only_val;
    only_val.values["val_loss"] = {2.0};
    only_val.values["loss"] = {1.0};
    only_val.values["val_precision"] = {3.0};
    BOOST_TEST(csv_of(only_val) == "epoch,loss,val_loss,val_precision\n1,1,2,3\n");
}

BOOST_AUTO_TEST_CASE(empty_history_is_a_header_only) {
    BOOST_TEST(csv_of(history{}) == "epoch\n");
    history no_epochs;
    no_epochs.values["loss"] = {};
    BOOST_TEST(csv_of(no_epochs) == "epoch,loss\n");
}

BOOST_AUTO_TEST_CASE(values_read_back_bit_for_bit) {
    // Values that need all 17 significant digits, tiny and huge ones, and 784 epochs.
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    history h;
    auto& loss = h.values["loss"];
    auto& val = h.values["val_loss"];
    for (int i = 0; i < 784; ++i) {
        loss.push_back(unit(gen) * std::pow(10.0, i % 40 - 20));
        val.push_back(1.0 / 3.0 + unit(gen));
    }
    loss[0] = 0.1 + 0.2; // 0.30000000000000004
    loss[1] = std::numeric_limits<double>::denorm_min();
    loss[2] = std::numeric_limits<double>::max();
    loss[3] = -0.0;

    const auto lines = split(csv_of(h), '\n');
    BOOST_REQUIRE_EQUAL(lines.size(), 786u); // header, 784 rows, "" after the last '\n'
    BOOST_TEST(lines.back().empty());
    BOOST_TEST(lines[1].substr(0, 22) == "1,0.30000000000000004,");
    for (std::size_t row = 0; row < 784; ++row) {
        const auto fields = split(lines[row + 1], ',');
        BOOST_REQUIRE_EQUAL(fields.size(), 3u);
        BOOST_TEST(fields[0] == std::to_string(row + 1));
        for (std::size_t c = 0; c < 2; ++c) {
            double parsed = 0;
            const auto& f = fields[c + 1];
            const auto r = std::from_chars(f.data(), f.data() + f.size(), parsed);
            BOOST_REQUIRE(r.ec == std::errc{});
            BOOST_REQUIRE(r.ptr == f.data() + f.size());
            const double expected = (c == 0 ? loss : val)[row];
            BOOST_TEST(parsed == expected, "row " << row + 1 << " column " << c + 1);
            BOOST_TEST(std::signbit(parsed) == std::signbit(expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(nan_is_an_empty_field_and_infinities_are_inf) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    history h;
    h.values["loss"] = {nan, 0.5, inf};
    h.values["val_loss"] = {1.5, nan, -inf};
    BOOST_TEST(csv_of(h) == "epoch,loss,val_loss\n1,,1.5\n2,0.5,\n3,inf,-inf\n");
}

BOOST_AUTO_TEST_CASE(keys_that_need_quoting_are_quoted) {
    history h;
    h.values["loss"] = {1.0};
    h.values["f1, \"macro\""] = {0.5};
    BOOST_TEST(csv_of(h) == "epoch,loss,\"f1, \"\"macro\"\"\"\n1,1,0.5\n");
}

BOOST_AUTO_TEST_CASE(quantities_of_different_lengths_are_refused) {
    history h = three_epochs();
    h.values["val_accuracy"].pop_back();
    std::ostringstream out;
    BOOST_CHECK_EXCEPTION(write_csv(h, out), std::invalid_argument, [](const auto& e) {
        const std::string what = e.what();
        return what.find("val_accuracy") != std::string::npos &&
               what.find("has 2 values") != std::string::npos;
    });
    BOOST_TEST(out.str().empty()); // nothing half-written
}

BOOST_AUTO_TEST_CASE(save_csv_writes_the_same_text_and_leaves_no_temporary_file) {
    const scratch_directory dir;
    const auto path = dir.path / "run.csv";
    save_csv(three_epochs(), path);
    BOOST_TEST(read_file(path) == csv_of(three_epochs()));

    // Overwriting replaces the whole file.
    history shorter;
    shorter.values["loss"] = {2.0};
    save_csv(shorter, path);
    BOOST_TEST(read_file(path) == "epoch,loss\n1,2\n");
    BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir.path),
                             std::filesystem::directory_iterator{}) == 1);
}

BOOST_AUTO_TEST_CASE(save_csv_names_the_path_it_cannot_write) {
    const scratch_directory dir;
    const auto missing = dir.path / "no_such_directory" / "run.csv";
    BOOST_CHECK_EXCEPTION(
        save_csv(three_epochs(), missing), std::runtime_error, [&](const std::runtime_error& e) {
            return std::string(e.what()).find(missing.string()) != std::string::npos;
        });
    // A directory where the file should go: the rename fails, and no temporary is left over.
    const auto occupied = dir.path / "taken";
    std::filesystem::create_directories(occupied / "inside");
    BOOST_CHECK_EXCEPTION(
        save_csv(three_epochs(), occupied), std::runtime_error, [&](const std::runtime_error& e) {
            return std::string(e.what()).find(occupied.string()) != std::string::npos;
        });
    BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir.path),
                             std::filesystem::directory_iterator{}) == 1);
    // A ragged history writes nothing at all.
    history ragged = three_epochs();
    ragged.values["loss"].push_back(0.0);
    BOOST_CHECK_THROW(save_csv(ragged, dir.path / "ragged.csv"), std::invalid_argument);
    BOOST_TEST(!std::filesystem::exists(dir.path / "ragged.csv"));
}

BOOST_AUTO_TEST_SUITE_END()
