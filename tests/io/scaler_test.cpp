// Tests ctnn/io/scaler.hpp: min_max_scaler and standard_scaler against hand-computed values
// and against statistics recomputed here in long double; statistics fitted on a training subset
// and applied unchanged to a test subset; constant columns; inverse transforms; misuse.
#include "ctnn/io/scaler.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace io = ctnn::io;

namespace {

void check_close(const std::vector<float>& got, const std::vector<double>& want, double tol) {
    BOOST_REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        BOOST_TEST(std::abs(double(got[i]) - want[i]) <= tol,
                   "value " << i << ": " << got[i] << " vs " << want[i]);
}

std::vector<float> random_matrix(std::size_t rows, std::size_t columns, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<float> m(rows * columns);
    for (std::size_t i = 0; i < m.size(); ++i) {
        // Each column its own location and spread, far from 0 and 1.
        const std::size_t j = i % columns;
        std::normal_distribution<float> d(100.0f * float(j) - 300.0f, 0.5f + float(j));
        m[i] = d(rng);
    }
    return m;
}

} // namespace

BOOST_AUTO_TEST_SUITE(scaler_test)

BOOST_AUTO_TEST_CASE(standard_scaler_hand_computed) {
    io::standard_scaler s;
    BOOST_TEST(!s.fitted());
    s.fit(std::vector<float>{1, 2, 3, 4}, 1);
    BOOST_TEST(s.fitted());
    BOOST_TEST(s.columns() == 1u);
    BOOST_TEST(s.mean()[0] == 2.5);
    BOOST_TEST(s.variance()[0] == 1.25); // population variance, as scikit-learn
    BOOST_TEST(std::abs(s.scale()[0] - 1.118033988749895) < 1e-15);
    check_close(s.transform(std::vector<float>{1, 2, 3, 4}),
                {-1.3416407865, -0.4472135955, 0.4472135955, 1.3416407865}, 1e-6);
}

BOOST_AUTO_TEST_CASE(standard_scaler_against_long_double_statistics) {
    for (const std::size_t columns : {1u, 3u, 17u}) {
        for (const std::size_t rows : {2u, 5u, 100u}) {
            BOOST_TEST_CONTEXT(rows << " rows x " << columns << " columns") {
                const std::vector<float> x = random_matrix(rows, columns, unsigned(rows + columns));
                io::standard_scaler s;
                const std::vector<float> z = s.fit_transform(x, columns);
                std::vector<double> want(x.size());
                for (std::size_t j = 0; j < columns; ++j) {
                    long double sum = 0, sq = 0;
                    for (std::size_t r = 0; r < rows; ++r)
                        sum += x[r * columns + j];
                    const long double mean = sum / rows;
                    for (std::size_t r = 0; r < rows; ++r)
                        sq += (x[r * columns + j] - mean) * (x[r * columns + j] - mean);
                    const long double sd = std::sqrt(sq / rows);
                    BOOST_TEST(std::abs(s.mean()[j] - double(mean)) <= 1e-9 * (1 + std::abs(mean)));
                    BOOST_TEST(std::abs(s.scale()[j] - double(sd)) <= 1e-9 * double(sd));
                    for (std::size_t r = 0; r < rows; ++r)
                        want[r * columns + j] = double((x[r * columns + j] - mean) / sd);
                }
                check_close(z, want, 2e-6);
                // The result has mean 0 and population standard deviation 1 per column.
                for (std::size_t j = 0; j < columns; ++j) {
                    double m = 0, v = 0;
                    for (std::size_t r = 0; r < rows; ++r)
                        m += z[r * columns + j];
                    m /= double(rows);
                    for (std::size_t r = 0; r < rows; ++r)
                        v += (z[r * columns + j] - m) * (z[r * columns + j] - m);
                    BOOST_TEST(std::abs(m) < 1e-5);
                    BOOST_TEST(std::abs(v / double(rows) - 1) < 1e-5);
                }
                check_close(s.inverse_transform(z), std::vector<double>(x.begin(), x.end()), 1e-4);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(training_statistics_are_applied_unchanged_to_the_test_split) {
    // Two columns; train rows [0, 10], [10, 30]; test rows [20, 20], [-5, 10].
    io::standard_scaler s;
    s.fit(std::vector<float>{0, 10, 10, 30}, 2);
    BOOST_TEST(s.mean() == (std::vector<double>{5, 20}));
    BOOST_TEST(s.scale() == (std::vector<double>{5, 10}));
    std::vector<float> test{20, 20, -5, 10};
    s.transform_in_place(test);
    BOOST_TEST(test == (std::vector<float>{3, 0, -2, -1}));
    BOOST_TEST(s.mean() == (std::vector<double>{5, 20})); // transform does not refit

    io::min_max_scaler m;
    m.fit(std::vector<float>{0, 10, 10, 30}, 2);
    BOOST_TEST(m.transform(std::vector<float>{20, 20, -5, 10}) ==
               (std::vector<float>{2, 0.5f, -0.5f, 0}));
    BOOST_TEST(m.data_min() == (std::vector<double>{0, 10}));
    BOOST_TEST(m.data_max() == (std::vector<double>{10, 30}));
}

BOOST_AUTO_TEST_CASE(constant_columns_get_scale_one) {
    io::standard_scaler s;
    s.fit(std::vector<float>{5, 1, 5, 2, 5, 3}, 2);
    BOOST_TEST(s.mean()[0] == 5.0);
    BOOST_TEST(s.variance()[0] == 0.0);
    BOOST_TEST(s.scale()[0] == 1.0);
    const std::vector<float> z = s.transform(std::vector<float>{5, 1, 7, 2});
    BOOST_TEST(z[0] == 0.0f);
    BOOST_TEST(z[2] == 2.0f); // (7 - 5) / 1
    for (const float v : z)
        BOOST_TEST(std::isfinite(v));

    io::min_max_scaler m(-1, 1);
    m.fit(std::vector<float>{4, 4, 4}, 1);
    // The range counts as 1 (scikit-learn): 4 -> -1, 5 -> -1 + (5 - 4) * 2.
    BOOST_TEST(m.transform(std::vector<float>{4, 5}) == (std::vector<float>{-1, 1}));

    io::standard_scaler one_row;
    one_row.fit(std::vector<float>{1, 2, 3}, 3);
    BOOST_TEST(one_row.transform(std::vector<float>{1, 2, 3}) == (std::vector<float>{0, 0, 0}));
}

BOOST_AUTO_TEST_CASE(min_max_ranges) {
    io::min_max_scaler unit;
    BOOST_TEST(unit.low() == 0.0f);
    BOOST_TEST(unit.high() == 1.0f);
    check_close(unit.fit_transform(std::vector<float>{1, 2, 3, 4}, 1), {0, 1 / 3., 2 / 3., 1},
                1e-7);

    io::min_max_scaler sym(-1, 1);
    check_close(sym.fit_transform(std::vector<float>{1, 2, 3, 4}, 1), {-1, -1 / 3., 1 / 3., 1},
                1e-7);
    // Test values outside the training range stay outside [-1, 1].
    check_close(sym.transform(std::vector<float>{5, 0}), {-1 + 4 * 2 / 3., -1 - 2 / 3.}, 1e-6);

    io::min_max_scaler odd(2, 3);
    check_close(odd.fit_transform(std::vector<float>{-4, 0, 4}, 1), {2, 2.5, 3}, 1e-7);

    // Many columns (17, not a multiple of any SIMD width), each to exactly [-1, 1].
    const std::size_t columns = 17, rows = 31;
    const std::vector<float> x = random_matrix(rows, columns, 7);
    io::min_max_scaler s(-1, 1);
    const std::vector<float> y = s.fit_transform(x, columns);
    for (std::size_t j = 0; j < columns; ++j) {
        float lo = 2, hi = -2;
        for (std::size_t r = 0; r < rows; ++r) {
            const float v = y[r * columns + j];
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            const double want = -1 + 2 * (double(x[r * columns + j]) - s.data_min()[j]) /
                                         (s.data_max()[j] - s.data_min()[j]);
            BOOST_TEST(std::abs(v - want) < 1e-6);
        }
        BOOST_TEST(lo == -1.0f);
        BOOST_TEST(std::abs(hi - 1.0f) <= 1e-6f);
    }
    const std::vector<float> back = s.inverse_transform(y);
    for (std::size_t i = 0; i < x.size(); ++i)
        BOOST_TEST(std::abs(back[i] - x[i]) <= 1e-4f * (1 + std::abs(x[i])));
}

BOOST_AUTO_TEST_CASE(nan_passes_through_transform) {
    io::standard_scaler s;
    s.fit(std::vector<float>{1, 3}, 1);
    const std::vector<float> z = s.transform(std::vector<float>{std::nanf(""), 3});
    BOOST_TEST(std::isnan(z[0]));
    BOOST_TEST(z[1] == 1.0f);
}

BOOST_AUTO_TEST_CASE(misuse) {
    io::standard_scaler s;
    std::vector<float> v{1, 2};
    BOOST_CHECK_THROW(s.transform_in_place(v), std::logic_error);
    BOOST_CHECK_THROW((void)s.transform(v), std::logic_error);
    BOOST_CHECK_THROW((void)s.inverse_transform(v), std::logic_error);
    BOOST_CHECK_THROW((void)s.mean(), std::logic_error);
    BOOST_CHECK_THROW((void)s.scale(), std::logic_error);
    io::min_max_scaler m;
    BOOST_CHECK_THROW((void)m.transform(v), std::logic_error);
    BOOST_CHECK_THROW((void)m.data_min(), std::logic_error);
    // std::logic_error but not its subclass std::invalid_argument: the order of calls is wrong.
    try {
        (void)m.transform(v);
    } catch (const std::invalid_argument&) {
        BOOST_ERROR("transform before fit must not be reported as a bad argument");
    } catch (const std::logic_error& e) {
        BOOST_TEST(std::string(e.what()).find("before fit()") != std::string::npos);
    }

    BOOST_CHECK_THROW(s.fit(std::vector<float>{1, 2, 3}, 2), std::invalid_argument);
    BOOST_CHECK_THROW(s.fit(std::vector<float>{1, 2}, 0), std::invalid_argument);
    BOOST_CHECK_THROW(s.fit(std::vector<float>{}, 2), std::invalid_argument);
    try {
        s.fit(std::vector<float>{1, 2, std::numeric_limits<float>::quiet_NaN(), 4}, 2);
        BOOST_ERROR("NaN accepted by fit");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("row 1, column 0 is NaN") != std::string::npos);
    }
    BOOST_CHECK_THROW(m.fit(std::vector<float>{1, std::numeric_limits<float>::infinity()}, 1),
                      std::invalid_argument);
    BOOST_TEST(!s.fitted());

    s.fit(std::vector<float>{1, 2, 3, 4}, 2);
    BOOST_CHECK_THROW((void)s.transform(std::vector<float>{1, 2, 3}), std::invalid_argument);
    BOOST_CHECK_NO_THROW((void)s.transform(std::vector<float>{}));

    BOOST_CHECK_THROW(io::min_max_scaler(1, 0), std::invalid_argument);
    BOOST_CHECK_THROW(io::min_max_scaler(0, 0), std::invalid_argument);
    BOOST_CHECK_THROW(io::min_max_scaler(std::nanf(""), 1), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
