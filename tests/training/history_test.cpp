// Tests ctnn/training/history.hpp: the lookups, the column order every printer shares (loss,
// accuracy, the rest alphabetically, then the val_ ones) and the table `std::cout << h` prints.
#include "ctnn/training/history.hpp"

#include "support/printed.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace ctnn;

using test::printed;

BOOST_AUTO_TEST_SUITE(history_test)

BOOST_AUTO_TEST_CASE(looks_up_quantities_by_name) {
    history h;
    h.values["loss"] = {0.5, 0.25};
    h.epochs = 2;
    BOOST_TEST(h.has("loss"));
    BOOST_TEST(!h.has("accuracy"));
    BOOST_TEST(h.last("loss") == 0.25);
    BOOST_CHECK_THROW((void)h["accuracy"], std::out_of_range);
}

BOOST_AUTO_TEST_CASE(columns_come_in_keras_order) {
    history h;
    for (const char* key :
         {"val_auc", "auc", "val_loss", "accuracy", "loss", "val_accuracy", "mae"})
        h.values[key] = {1.0};
    BOOST_TEST(
        (history_columns(h) == std::vector<std::string>{"loss", "accuracy", "auc", "mae",
                                                        "val_loss", "val_accuracy", "val_auc"}));
}

BOOST_AUTO_TEST_CASE(prints_one_row_per_epoch) {
    history h;
    h.values["loss"] = {0.52131, 0.4};
    h.values["accuracy"] = {0.817, 0.85};
    h.values["val_loss"] = {0.451, 0.43};
    h.values["val_accuracy"] = {0.8372, 0.84};
    h.epochs = 2;
    BOOST_TEST(printed(h) == "epoch    loss  accuracy  val_loss  val_accuracy\n"
                             "    1  0.5213    0.8170    0.4510        0.8372\n"
                             "    2  0.4000    0.8500    0.4300        0.8400\n");
}

BOOST_AUTO_TEST_CASE(prints_tiny_and_huge_values_in_scientific_notation_and_the_stop_reason) {
    history h;
    h.values["loss"] = {1.5e-5, 12345678.0, 0.0};
    h.epochs = 3;
    h.stop_reason = "stopped by a callback after epoch 3";
    BOOST_TEST(printed(h) == "epoch        loss\n"
                             "    1  1.5000e-05\n"
                             "    2  1.2346e+07\n"
                             "    3      0.0000\n"
                             "stopped by a callback after epoch 3\n");
    BOOST_TEST(printed(history{}) == "epoch\n");
}

BOOST_AUTO_TEST_SUITE_END()
