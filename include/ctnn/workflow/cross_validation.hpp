// ctnn/workflow/cross_validation.hpp - one score per split, with their mean and spread.
//
//   const ctnn::fold_scores r = ctnn::cross_validate(
//       ctnn::kfold_splits(data.size(), 5, /*seed=*/1), [&](const ctnn::split& s) {
//           net_t net(/*seed=*/1);  // a fresh model per fold
//           auto t = ctnn::make_trainer<32>(net, loss, optimizer);
//           t->fit(data.subset(s.train), {.epochs = 20});
//           return t->evaluate(data.subset(s.validation)).accuracy;
//       });
//   std::printf("%.3f ± %.3f\n", r.mean, r.stddev);
//
// The callback trains and scores; cross_validate only runs it once per split, in order, and
// summarises. Nothing is shared between folds unless the callback shares it: build a new
// network and trainer inside it, or the later folds start from weights that saw their
// validation samples.
#pragma once

#include "ctnn/workflow/split.hpp"

#include <cmath>
#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn {

// The score of every fold (in split order), their mean and their sample standard deviation
// sqrt(Σ (x - mean)² / (K - 1)): the folds are a sample of the possible training sets, so the
// unbiased variance is the one to report. With a single score the spread cannot be estimated
// and stddev is NaN.
struct fold_scores {
    std::vector<double> scores;
    double mean = 0;
    double stddev = 0;
};

// Mean and sample standard deviation of the given scores (at least one).
inline fold_scores summarize_scores(std::vector<double> scores) {
    if (scores.empty())
        throw std::invalid_argument("summarize_scores: no scores to summarise");
    const double k = static_cast<double>(scores.size());
    double sum = 0;
    for (double x : scores)
        sum += x;
    const double mean = sum / k;
    double squares = 0; // two passes: no cancellation when the scores are close to each other
    for (double x : scores)
        squares += (x - mean) * (x - mean);
    const double stddev = scores.size() < 2 ? std::nan("") : std::sqrt(squares / (k - 1));
    return {std::move(scores), mean, stddev};
}

namespace detail {

// Whether f(split) returns a score; false (not an error) when f cannot be called with a split.
template <class F>
consteval bool returns_score() {
    if constexpr (std::is_invocable_v<F&, const split&>)
        return std::convertible_to<std::invoke_result_t<F&, const split&>, double>;
    else
        return false;
}

} // namespace detail

// Calls f(split) for every split, in order, and summarises the returned scores.
template <class TrainAndScore>
fold_scores cross_validate(const std::vector<split>& splits, TrainAndScore f) {
    constexpr bool callable = std::is_invocable_v<TrainAndScore&, const split&>;
    static_assert(callable, "cross_validate: f must be callable as f(split), training a fresh "
                            "model on split.train and scoring it on split.validation");
    static_assert(!callable || detail::returns_score<TrainAndScore>(),
                  "cross_validate: f(split) must return the fold's score as a number (e.g. "
                  "trainer->evaluate(validation).accuracy)");
    if constexpr (detail::returns_score<TrainAndScore>()) { // no second error after the first
        if (splits.empty())
            throw std::invalid_argument("cross_validate: no splits to validate on");
        std::vector<double> scores;
        scores.reserve(splits.size());
        for (const split& s : splits)
            scores.push_back(static_cast<double>(f(s)));
        return summarize_scores(std::move(scores));
    } else {
        return {};
    }
}

} // namespace ctnn
