// Tests ctnn/util/denormals.hpp: inside the scope a denormal result is 0 and a denormal input
// reads as 0 (x86); the previous mode comes back when the scope ends, also when nested.
#include "ctnn/util/denormals.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

namespace {
// Through volatile, so that the compiler computes at run time, under the thread's mode.
float product(float a, float b) {
    volatile float x = a, y = b;
    return x * y;
}
} // namespace

BOOST_AUTO_TEST_SUITE(denormals_test)

BOOST_AUTO_TEST_CASE(denormals_are_flushed_inside_the_scope_only) {
    const float tiny = std::numeric_limits<float>::min(); // the smallest normal float
    const float denormal = tiny / 4;
    BOOST_TEST(std::fpclassify(product(tiny, 0.25f)) == FP_SUBNORMAL);
    {
        const ctnn::flush_denormals scope;
#if defined(CTNN_HAS_MXCSR)
        BOOST_TEST(product(tiny, 0.25f) == 0.0f);  // a denormal result is 0
        BOOST_TEST(product(denormal, 4.0f) == 0.0f); // a denormal input reads as 0
        {
            const ctnn::flush_denormals inner;
            BOOST_TEST(product(tiny, 0.25f) == 0.0f);
        }
        BOOST_TEST(product(tiny, 0.25f) == 0.0f); // still flushed: the outer scope's mode
#endif
        BOOST_TEST(product(tiny, 2.0f) == 2 * tiny); // normal numbers are untouched
    }
    BOOST_TEST(std::fpclassify(product(tiny, 0.25f)) == FP_SUBNORMAL); // restored
}

BOOST_AUTO_TEST_SUITE_END()
