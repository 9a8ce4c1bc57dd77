// The one Boost.Test main shared by every test executable. Written out instead of
// BOOST_TEST_MODULE so it still works when unit_test.hpp comes from the precompiled header.
#include <boost/test/unit_test.hpp>

namespace {
bool init_ctnn_tests() {
    boost::unit_test::framework::master_test_suite().p_name.value = "ctnn";
    return true;
}
} // namespace

int main(int argc, char* argv[]) {
    return boost::unit_test::unit_test_main(&init_ctnn_tests, argc, argv);
}
