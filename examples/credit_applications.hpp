// examples/credit_applications.hpp - the bank-customer exercise's data, shared by its examples:
// examples/data/creditcard.csv (or the file given as the program's first argument), without
// the two columns that leak the label (expenditure, share; see examples/data/README.md).
#pragma once

#include <ctnn/io/csv.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace examples {

struct credit_applications {
    std::vector<std::string> features; // the columns used, in order
    std::vector<float> x;              // rows × features.size(), row-major
    std::vector<float> y;              // 1 = accepted; one per application
};

inline credit_applications load_credit_applications(int argc, char** argv) {
    const std::filesystem::path file =
        argc > 1 ? std::filesystem::path(argv[1])
                 : std::filesystem::path(CTNN_EXAMPLES_DATA_DIR) / "creditcard.csv";
    const ctnn::io::csv_table table = ctnn::io::read_csv(file);
    credit_applications data;
    data.features = table.names_except({"label", "expenditure", "share"});
    data.x = table.select(data.features);
    data.y = table.column("label");
    return data;
}

} // namespace examples
