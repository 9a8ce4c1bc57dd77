// Tests ctnn/workflow/grid_search.hpp: a closed-form objective whose optimum is known gives
// the known ranking (both directions), the mean and spread over splits, the seeds every fit
// gets, a printed table whose columns line up; a real search on a separable problem ranks a
// useful learning rate above a tiny one; the same seed gives the same table on 1 and 2
// threads; an objective's exception reaches the caller.
#include "ctnn/workflow/grid_search.hpp"

#include "ctnn/ctnn.hpp"

#include "support/separable_points.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ctnn;

namespace {

// A bowl with its minimum at learning_rate 1e-2, epochs 10: error = (log10 lr + 2)² +
// ((epochs - 10) / 10)².
double bowl(const hyperparameters& p) {
    const double a = std::log10(p.get<double>("learning_rate")) + 2.0;
    const double b = (p.get<double>("epochs") - 10.0) / 10.0;
    return a * a + b * b;
}

const grid bowl_grid{{"learning_rate", {1e-4, 1e-3, 1e-2, 1e-1}}, {"epochs", {5, 10, 40}}};

std::vector<split> three_splits() {
    return kfold_splits(9, 3, /*seed=*/1);
}

// Rows compared in everything but their times.
void check_same_rows(const search_result& a, const search_result& b) {
    BOOST_TEST_REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t r = 0; r < a.rows.size(); ++r) {
        BOOST_TEST(a.rows[r].rank == b.rows[r].rank);
        BOOST_TEST(a.rows[r].index == b.rows[r].index);
        BOOST_TEST(a.rows[r].variant == b.rows[r].variant);
        BOOST_TEST((a.rows[r].params == b.rows[r].params));
        BOOST_TEST(a.rows[r].scores.scores == b.rows[r].scores.scores); // exactly
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(grid_search_test)

BOOST_AUTO_TEST_CASE(a_closed_form_objective_gives_the_known_ranking) {
    for (const monitor_mode mode : {monitor_mode::min, monitor_mode::max}) {
        const search_result result =
            grid_search(bowl_grid, three_splits(), [](const trial& t) { return bowl(t.params); },
                        {.metric = "error", .mode = mode, .threads = 2});
        BOOST_TEST(result.maximize == (mode == monitor_mode::max));
        BOOST_TEST_REQUIRE(result.rows.size() == 12u);
        // The expected order: every configuration's error, sorted (stable: grid order on ties).
        std::vector<std::size_t> order(12);
        for (std::size_t i = 0; i < 12; ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const double x = bowl(bowl_grid[a]), y = bowl(bowl_grid[b]);
            return mode == monitor_mode::min ? x < y : x > y;
        });
        for (std::size_t r = 0; r < 12; ++r) {
            BOOST_TEST(result.rows[r].rank == r + 1);
            BOOST_TEST(result.rows[r].index == order[r]);
            BOOST_TEST((result.rows[r].params == bowl_grid[order[r]]));
            BOOST_TEST(result.rows[r].scores.mean == bowl(bowl_grid[order[r]]),
                       boost::test_tools::tolerance(1e-12));
        }
        if (mode == monitor_mode::min) {
            BOOST_TEST(result.best().params.to_string() == "learning_rate=0.01 epochs=10");
            BOOST_TEST(result.best().scores.mean == 0.0);
        } else {
            BOOST_TEST(result.best().params.to_string() == "learning_rate=0.0001 epochs=40");
        }
    }
}

BOOST_AUTO_TEST_CASE(the_direction_follows_the_metric_name) {
    const auto objective = [](const trial& t) { return bowl(t.params); };
    BOOST_TEST(grid_search(bowl_grid, three_splits(), objective, {.metric = "accuracy"}).maximize);
    BOOST_TEST(grid_search(bowl_grid, three_splits(), objective, {.metric = "val_auc"}).maximize);
    BOOST_TEST(!grid_search(bowl_grid, three_splits(), objective, {.metric = "loss"}).maximize);
}

BOOST_AUTO_TEST_CASE(mean_and_spread_over_the_splits) {
    // Score = the configuration's index + 10 × the split's index: over 4 splits the mean is
    // index + 15 and the sample stddev is 10 × sd(0, 1, 2, 3) = 10 × sqrt(5 / 3).
    const std::vector<split> splits = kfold_splits(8, 4, 3);
    const search_result result = grid_search(grid{{"x", {1, 2, 3}}}, splits,
                                             [](const trial& t) {
                                                 return static_cast<double>(t.index) +
                                                        10.0 * static_cast<double>(t.split_index);
                                             },
                                             {.metric = "score", .mode = monitor_mode::max});
    BOOST_TEST(result.splits == 4u);
    for (const search_row& row : result.rows) {
        BOOST_TEST(row.scores.scores.size() == 4u);
        BOOST_TEST(row.scores.mean == static_cast<double>(row.index) + 15.0);
        BOOST_TEST(row.scores.stddev == 10.0 * std::sqrt(5.0 / 3.0),
                   boost::test_tools::tolerance(1e-12));
        BOOST_TEST(row.seconds >= 0.0);
    }
    BOOST_TEST(result.best().index == 2u);
}

BOOST_AUTO_TEST_CASE(every_fit_sees_its_split_and_its_own_seed) {
    const std::vector<split> splits = kfold_splits(10, 5, 2);
    std::vector<std::uint64_t> seeds(3 * 5);
    (void)grid_search(grid{{"x", {1, 2, 3}}}, splits,
                      [&](const trial& t) {
                          BOOST_TEST(t.split_index < 5u);
                          BOOST_TEST(t.fold.validation == splits[t.split_index].validation);
                          BOOST_TEST(t.seed == trial_seed(99, t.index, t.split_index));
                          seeds[t.index * 5 + t.split_index] =
                              t.seed; // each slot written by one fit only
                          return 0.0;
                      },
                      {.seed = 99, .threads = 1});
    BOOST_TEST(std::set<std::uint64_t>(seeds.begin(), seeds.end()).size() == seeds.size());
    BOOST_TEST(trial_seed(99, 1, 2) != trial_seed(98, 1, 2));
    BOOST_TEST(trial_seed(99, 1, 2) != trial_seed(99, 2, 1));
    static_assert(trial_seed(1, 2, 3) == trial_seed(1, 2, 3)); // a constant expression
}

BOOST_AUTO_TEST_CASE(the_table_lines_up_best_first) {
    const search_result result =
        grid_search(bowl_grid, {holdout_split(10, 0.3, 1)},
                    [](const trial& t) { return bowl(t.params); }, {.metric = "error"});
    const std::string text = result.to_string();
    BOOST_TEST(text.find("grid search: 12 configurations x 1 split = 12 fits") == 0u);
    BOOST_TEST(text.find("ranked by error (lower is better)") != std::string::npos);
    std::istringstream lines(text);
    std::string line;
    std::vector<std::string> all;
    while (std::getline(lines, line))
        all.push_back(line);
    BOOST_TEST_REQUIRE(all.size() == 2u + 2u + 12u); // heading, header, rule, rows
    BOOST_TEST(all[2].find("rank") == 0u);
    BOOST_TEST(all[2].find("learning_rate") != std::string::npos);
    BOOST_TEST(all[2].find("epochs") != std::string::npos);
    BOOST_TEST(all[2].find("error") != std::string::npos);
    BOOST_TEST(all[2].find("time (s)") != std::string::npos);
    for (std::size_t i = 3; i < all.size(); ++i)
        BOOST_TEST(all[i].size() == all[2].size(), "line " << i << ": " << all[i]);
    // The best row first, its values in their columns; one split: no spread, shown as "-".
    const std::size_t column = all[2].find("learning_rate");
    BOOST_TEST(all[4].find("1") == all[4].find_first_not_of(' '));
    BOOST_TEST(all[4].substr(column, 4) == "0.01");
    BOOST_TEST(all[4].find("0.0000") != std::string::npos);
    BOOST_TEST(all[4].find(" - ") != std::string::npos);
    BOOST_TEST(all[15].substr(0, 4) == "  12"); // the rank column is right-aligned
}

BOOST_AUTO_TEST_CASE(a_nan_score_ranks_last) {
    for (const monitor_mode mode : {monitor_mode::min, monitor_mode::max}) {
        const search_result result = grid_search(
            grid{{"x", {0, 1, 2}}}, three_splits(),
            [](const trial& t) { return t.index == 0 ? std::nan("") : double(t.index); },
            {.metric = "score", .mode = mode});
        BOOST_TEST(result.rows.back().index == 0u);
        BOOST_TEST(std::isnan(result.rows.back().scores.mean));
        BOOST_TEST(result.best().index == (mode == monitor_mode::max ? 2u : 1u));
    }
}

BOOST_AUTO_TEST_CASE(mistakes_and_exceptions_reach_the_caller) {
    const auto ok = [](const trial&) { return 0.0; };
    BOOST_CHECK_THROW((void)grid_search(bowl_grid, {}, ok), std::invalid_argument);
    for (std::size_t threads : {1u, 2u}) {
        try {
            (void)grid_search(bowl_grid, three_splits(),
                              [](const trial& t) -> double {
                                  if (t.index == 7)
                                      throw std::runtime_error("configuration 7 diverged");
                                  return 0.0;
                              },
                              {.threads = threads});
            BOOST_FAIL("no exception");
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()) == "configuration 7 diverged");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_tiny_learning_rate_ranks_below_a_useful_one) {
    // Logistic regression from zero weights on separable points, scored by validation loss
    // (binary cross-entropy): with learning rate 1e-4 the loss stays near log 2 = 0.693, with
    // 0.5 it falls far below; more epochs help the useful rate.
    using net_t = network<input<2>, dense<1, sigmoid, kernel_initializer<zeros>>>;
    const auto data = test::separable_points(100);
    const grid space{{"learning_rate", {1e-4, 0.5}}, {"epochs", {2, 10}}};
    const auto objective = [&](const trial& t) {
        net_t net(t.seed);
        auto trainer =
            make_trainer<8>(net, binary_crossentropy{},
                            sgd<>{.learning_rate = t.params.get<float>("learning_rate")});
        trainer->fit(data.subset(t.fold.train),
                     {.epochs = t.params.get<std::size_t>("epochs"), .seed = t.seed});
        return trainer->evaluate(data.subset(t.fold.validation)).loss;
    };
    const std::vector<split> splits = kfold_splits(data.size(), 5, 4);
    const search_result one =
        grid_search(space, splits, objective, {.metric = "val_loss", .seed = 5, .threads = 1});
    const search_result two =
        grid_search(space, splits, objective, {.metric = "val_loss", .seed = 5, .threads = 2});
    BOOST_TEST_MESSAGE(one.to_string());
    BOOST_TEST(!one.maximize);
    BOOST_TEST(one.threads == 1u);
    BOOST_TEST(two.threads == 2u);
    check_same_rows(one, two);
    BOOST_TEST(one.best().params.to_string() == "learning_rate=0.5 epochs=10");
    BOOST_TEST(one.rows[1].params.get<double>("learning_rate") == 0.5);
    BOOST_TEST(one.rows[2].params.get<double>("learning_rate") == 1e-4);
    BOOST_TEST(one.rows[3].params.get<double>("learning_rate") == 1e-4);
    BOOST_TEST(one.best().scores.mean < 0.3);
    BOOST_TEST(one.rows[3].scores.mean > 0.65);
    // A different seed changes the shuffles (and so the scores) but not the conclusion.
    const search_result other =
        grid_search(space, splits, objective, {.metric = "val_loss", .seed = 6, .threads = 2});
    BOOST_TEST(other.best().params.to_string() == "learning_rate=0.5 epochs=10");
    BOOST_TEST(other.rows[0].scores.scores != one.rows[0].scores.scores);
}

BOOST_AUTO_TEST_SUITE_END()
