// tests/support/printed.hpp - what `std::ostream << x` writes, as a string, for the tests of the
// printing operators.
#pragma once

#include <sstream>
#include <string>

namespace ctnn::test {

template <class T>
std::string printed(const T& x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

} // namespace ctnn::test
