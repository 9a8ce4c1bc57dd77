// ctnn/workflow/grid_search.hpp - grid_search: every configuration of a grid, scored on every
// split, on all cores, as a table ranked best first. Also what every search shares: the `trial`
// an objective receives, search_options and the ranked search_result.
//
//   const auto result = ctnn::grid_search(
//       ctnn::grid{{"learning_rate", {1e-3, 1e-2, 1e-1}}, {"epochs", {10, 30}}},
//       ctnn::kfold_splits(data.size(), 5, /*seed=*/1),
//       [&](const ctnn::trial& t) {
//           auto net = std::make_unique<net_t>(t.seed); // a fresh model for every fit
//           auto trainer = ctnn::make_trainer<32>(
//               *net, ctnn::binary_crossentropy{},
//               ctnn::adam<>{.learning_rate = t.params.get<float>("learning_rate")});
//           trainer->fit(data.subset(t.fold.train),
//                        {.epochs = t.params.get<std::size_t>("epochs"), .seed = t.seed});
//           return trainer->evaluate(data.subset(t.fold.validation)).accuracy;
//       },
//       {.metric = "accuracy", .seed = 7});
//   result.print();                                  // the aligned table, best first
//   result.best().params.get<float>("learning_rate");
//
// The objective trains one model on t.fold.train and returns its score on t.fold.validation;
// it is called once per configuration and split (from several threads at once: it must build
// its own network and trainer and only read what it shares). Every fit gets its own seed,
// trial_seed(options.seed, configuration, split), and writes its own slot of the results, so the
// table is the same for any number of threads. Each configuration's scores over the splits are
// summarised by summarize_scores (cross_validation.hpp): mean and sample standard deviation.
// The splits come from split.hpp: `{ctnn::holdout_split(n, 0.2, seed)}` for a hold-out,
// kfold_splits, stratified_kfold_splits or iterated_kfold_splits for cross-validation.
#pragma once

#include "ctnn/training/early_stopping.hpp"
#include "ctnn/workflow/cross_validation.hpp"
#include "ctnn/workflow/search_space.hpp"
#include "ctnn/workflow/split.hpp"
#include "ctnn/util/thread_pool.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn {

// One fit of a search: the configuration, the split to train and score on, and the seed for
// the model's initialisation and fit's shuffles.
struct trial {
    const hyperparameters& params;
    const split& fold;       // train on fold.train, score on fold.validation
    std::uint64_t seed;      // trial_seed(search seed, configuration, split_index)
    std::size_t index;       // the configuration's position in the search (grid order)
    std::size_t split_index; // the split's position in the list of splits
};

namespace detail {

inline constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

} // namespace detail

// The seed of the fit of configuration `configuration` on split `split_index`: a hash of the
// three, so that it depends on nothing else (not on the thread that runs it, nor on the order).
[[nodiscard]] constexpr std::uint64_t
trial_seed(std::uint64_t search_seed, std::size_t configuration, std::size_t split_index) noexcept {
    std::uint64_t h = detail::splitmix64(search_seed);
    h = detail::splitmix64(h ^ static_cast<std::uint64_t>(configuration));
    return detail::splitmix64(h ^ static_cast<std::uint64_t>(split_index));
}

struct search_options {
    // What the objective returns, for the table's heading, and which way is better: `automatic`
    // maximises names containing "acc" or "auc" and minimises the rest (as early stopping).
    std::string metric = "accuracy";
    monitor_mode mode = monitor_mode::automatic;
    std::uint64_t seed = 0;  // every trial's seed derives from it (trial_seed)
    std::size_t threads = 0; // 0: every hardware thread (parallel_for)
};

// One configuration's line of the table.
struct search_row {
    std::size_t rank = 0;  // 1 = best
    std::size_t index = 0; // the configuration's position in the search (its trial index)
    std::string variant;   // the compile-time variant (architecture_search), else empty
    hyperparameters params;
    fold_scores scores; // one score per split (in split order), their mean and sample stddev
    double seconds = 0; // training and scoring time of this configuration, all splits summed
};

// What a search returns: its rows best first (a NaN mean last, ties in search order).
struct search_result {
    std::string method; // "grid search", "random search", "architecture search"
    std::string metric;
    bool maximize = true;
    std::size_t splits = 0;  // fits per configuration
    std::size_t threads = 0; // threads the fits ran on
    double seconds = 0;      // wall time of the whole search
    std::vector<search_row> rows;

    [[nodiscard]] const search_row& best() const {
        if (rows.empty())
            throw std::logic_error("search_result::best: the result has no rows");
        return rows.front();
    }

    // A heading, then one aligned line per configuration: rank, variant (when there are
    // variants), each hyperparameter, the mean score, its standard deviation over the splits
    // ("-" for one split) and the time.
    [[nodiscard]] std::string to_string() const;

    void print(std::FILE* out = stdout) const {
        std::fputs(to_string().c_str(), out);
        std::fflush(out);
    }
};

namespace detail {

inline std::string fixed(double x, int digits) {
    if (std::isnan(x))
        return "nan";
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", digits, x);
    return text;
}

struct text_table {
    std::vector<std::string> header;
    std::vector<bool> right; // right-aligned (numbers) or left-aligned
    std::vector<std::vector<std::string>> lines;

    [[nodiscard]] std::string render() const {
        std::vector<std::size_t> width(header.size());
        for (std::size_t c = 0; c < header.size(); ++c) {
            width[c] = header[c].size();
            for (const auto& line : lines)
                width[c] = std::max(width[c], line[c].size());
        }
        std::string text;
        auto add = [&](const std::vector<std::string>& cells) {
            std::string line;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                const std::string padding(width[c] - cells[c].size(), ' ');
                line += (c == 0 ? "" : "  ") + (right[c] ? padding + cells[c] : cells[c] + padding);
            }
            while (!line.empty() && line.back() == ' ')
                line.pop_back();
            text += line + "\n";
        };
        add(header);
        std::size_t total = 0;
        for (std::size_t c = 0; c < width.size(); ++c)
            total += width[c] + (c == 0 ? 0 : 2);
        text += std::string(total, '-') + "\n";
        for (const auto& line : lines)
            add(line);
        return text;
    }
};

} // namespace detail

inline std::string search_result::to_string() const {
    const std::size_t fits = rows.size() * splits;
    auto count = [](std::size_t n, const char* noun) {
        return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
    };
    const std::string heading = method + ": " + count(rows.size(), "configuration") + " x " +
                                count(splits, "split") + " = " + count(fits, "fit") + " on " +
                                count(threads, "thread") + ", " + detail::fixed(seconds, 2) +
                                " s\nranked by " + metric + " (" + (maximize ? "higher" : "lower") +
                                " is better)\n";

    bool variants = false;
    std::vector<std::string> names; // every hyperparameter, in order of first appearance
    for (const search_row& row : rows) {
        variants |= !row.variant.empty();
        for (const auto& [name, value] : row.params.entries())
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(name);
    }
    detail::text_table table;
    table.header.push_back("rank");
    table.right.push_back(true);
    if (variants) {
        table.header.push_back("variant");
        table.right.push_back(false);
    }
    for (const std::string& name : names) {
        table.header.push_back(name);
        table.right.push_back(false);
    }
    for (const char* column : {metric.c_str(), "std", "time (s)"}) {
        table.header.push_back(column);
        table.right.push_back(true);
    }
    for (const search_row& row : rows) {
        std::vector<std::string> line{std::to_string(row.rank)};
        if (variants)
            line.push_back(row.variant);
        for (const std::string& name : names)
            line.push_back(row.params.has(name) ? row.params[name].to_string() : "-");
        line.push_back(detail::fixed(row.scores.mean, 4));
        line.push_back(row.scores.scores.size() < 2 ? "-" : detail::fixed(row.scores.stddev, 4));
        line.push_back(detail::fixed(row.seconds, 3));
        table.lines.push_back(std::move(line));
    }
    return heading + table.render();
}

namespace detail {

// One candidate of a search: its configuration, and which evaluator (compile-time variant)
// trains it.
struct search_candidate {
    std::string variant;
    hyperparameters params;
    std::size_t evaluator = 0;
};

using trial_evaluator = std::function<double(const trial&)>;

// Whether f(trial) returns a score; false (not an error) when f cannot be called with a trial.
template <class F>
consteval bool returns_trial_score() {
    if constexpr (std::is_invocable_v<const F&, const trial&>)
        return std::convertible_to<std::invoke_result_t<const F&, const trial&>, double>;
    else
        return false;
}

// The objective's checks, shared by grid and random search.
template <class Objective>
consteval bool check_trial_objective() {
    constexpr bool callable = std::is_invocable_v<const Objective&, const trial&>;
    static_assert(callable, "search: the objective must be callable as objective(trial) (and "
                            "const: it runs on several threads at once), training a fresh model on "
                            "trial.fold.train and scoring it on trial.fold.validation");
    static_assert(!callable || returns_trial_score<Objective>(),
                  "search: objective(trial) must return the fit's score as a number (e.g. "
                  "trainer->evaluate(validation).accuracy)");
    return returns_trial_score<Objective>();
}

// Runs every candidate on every split (candidate-major, on options.threads threads), then
// summarises and ranks.
inline search_result run_search(const char* method, const std::vector<search_candidate>& candidates,
                                const std::vector<trial_evaluator>& evaluators,
                                const std::vector<split>& splits, const search_options& options) {
    if (splits.empty())
        throw std::invalid_argument(std::string(method) +
                                    ": no splits to score on (e.g. {holdout_split(n, 0.2, seed)} "
                                    "or kfold_splits(n, 5, seed))");
    if (candidates.empty())
        throw std::invalid_argument(std::string(method) + ": no configurations to try");
    const std::size_t k = splits.size(), fits = candidates.size() * k;
    std::vector<double> scores(fits), seconds(fits);
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    parallel_for(
        fits,
        [&](std::size_t task) {
            const std::size_t c = task / k, s = task % k;
            const trial t{candidates[c].params, splits[s], trial_seed(options.seed, c, s), c, s};
            const auto begin = clock::now();
            scores[task] = evaluators[candidates[c].evaluator](t);
            seconds[task] = std::chrono::duration<double>(clock::now() - begin).count();
        },
        options.threads);

    search_result result;
    result.seconds = std::chrono::duration<double>(clock::now() - start).count();
    result.method = method;
    result.metric = options.metric;
    result.maximize = early_stopping{.monitor = options.metric, .mode = options.mode}.maximizes();
    result.splits = k;
    result.threads = parallel_threads(fits, options.threads);
    result.rows.reserve(candidates.size());
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        search_row row;
        row.index = c;
        row.variant = candidates[c].variant;
        row.params = candidates[c].params;
        row.scores = summarize_scores(
            std::vector<double>(scores.begin() + static_cast<std::ptrdiff_t>(c * k),
                                scores.begin() + static_cast<std::ptrdiff_t>((c + 1) * k)));
        for (std::size_t s = 0; s < k; ++s)
            row.seconds += seconds[c * k + s];
        result.rows.push_back(std::move(row));
    }
    const bool maximize = result.maximize;
    std::stable_sort(result.rows.begin(), result.rows.end(),
                     [maximize](const search_row& a, const search_row& b) {
                         const double x = a.scores.mean, y = b.scores.mean;
                         if (std::isnan(x) || std::isnan(y))
                             return !std::isnan(x) && std::isnan(y);
                         return maximize ? x > y : x < y;
                     });
    for (std::size_t r = 0; r < result.rows.size(); ++r)
        result.rows[r].rank = r + 1;
    return result;
}

} // namespace detail

// Scores every configuration of `space` on every split; see the header comment.
template <class Objective>
search_result grid_search(const grid& space, const std::vector<split>& splits,
                          const Objective& objective, const search_options& options = {}) {
    if constexpr (detail::check_trial_objective<Objective>()) {
        std::vector<detail::search_candidate> candidates;
        candidates.reserve(space.size());
        for (std::size_t i = 0; i < space.size(); ++i)
            candidates.push_back({"", space[i], 0});
        const std::vector<detail::trial_evaluator> evaluators{
            [&objective](const trial& t) { return static_cast<double>(objective(t)); }};
        return detail::run_search("grid search", candidates, evaluators, splits, options);
    } else {
        return {};
    }
}

} // namespace ctnn
