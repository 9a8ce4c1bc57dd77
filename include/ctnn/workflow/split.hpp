// ctnn/workflow/split.hpp - validation protocols as lists of sample indices.
//
//   const ctnn::split s = ctnn::holdout_split(data.size(), 0.2, /*seed=*/7);
//   trainer->fit(data.subset(s.train), data.subset(s.validation), {.epochs = 10});
//
//   for (const ctnn::split& fold : ctnn::kfold_splits(data.size(), 5, /*seed=*/7)) { ... }
//
// A split is two disjoint lists of indices into one data set: what to train on and what to
// validate on. The protocols of the lecture produce them:
//   holdout_split / stratified_holdout_split   one split, shuffled (per class when stratified)
//   kfold_splits / stratified_kfold_splits     k splits whose validation parts partition [0, n)
//   iterated_kfold_splits                      k-fold repeated P times, each with a new shuffle
//   time_ordered_splits / time_ordered_holdout forward chaining: never shuffled, every
//                                              validation index after every training index
// Both lists of every split are in ascending order (a split says which samples, not in which
// order to visit them: fit shuffles every epoch). Shuffles use ctnn::random_engine and a
// Fisher-Yates shuffle written here, so a seed gives the same splits with every standard library.
// Mistakes (k < 2, k > n, a fraction outside (0, 1), no data, a class too small to stratify)
// throw std::invalid_argument naming the function and the values.
#pragma once

#include "ctnn/policies/init/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn {

struct split {
    std::vector<std::size_t> train, validation;
};

namespace detail {

// Uniform on [0, bound) by rejection: std::uniform_int_distribution's algorithm differs between
// standard libraries, and splits should not.
inline std::uint64_t uniform_below(random_engine& gen, std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound; // 2^64 mod bound
    for (;;) {
        const std::uint64_t r = gen();
        if (r >= threshold)
            return r % bound;
    }
}

inline void shuffle_indices(std::vector<std::size_t>& v, random_engine& gen) {
    for (std::size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[uniform_below(gen, i)]);
}

inline std::vector<std::size_t> iota_indices(std::size_t n) {
    std::vector<std::size_t> v(n);
    std::iota(v.begin(), v.end(), std::size_t{0});
    return v;
}

inline std::string number(double x) {
    std::string s = std::to_string(x);
    if (s.find('.') == std::string::npos)
        return s; // nan, inf
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s;
}

inline void check_folds(const char* who, std::size_t n, std::size_t k) {
    if (n == 0)
        throw std::invalid_argument(std::string(who) + ": the data set is empty");
    if (k < 2)
        throw std::invalid_argument(std::string(who) + ": k = " + std::to_string(k) +
                                    ", but k-fold validation needs at least 2 folds");
    if (k > n)
        throw std::invalid_argument(std::string(who) + ": k = " + std::to_string(k) +
                                    " folds but only " + std::to_string(n) +
                                    (n == 1 ? " sample" : " samples") +
                                    " (every fold needs at least one)");
}

// How many of n samples a hold-out validates on: n × fraction rounded to nearest (halves up),
// kept within [1, n - 1] so that neither part is empty.
inline std::size_t validation_count(const char* who, std::size_t n, double fraction) {
    if (!(fraction > 0.0 && fraction < 1.0))
        throw std::invalid_argument(std::string(who) + ": the validation fraction must be in " +
                                    "(0, 1), got " + number(fraction));
    if (n == 0)
        throw std::invalid_argument(std::string(who) + ": the data set is empty");
    if (n < 2)
        throw std::invalid_argument(std::string(who) +
                                    ": 1 sample cannot be split into a training and a "
                                    "validation part");
    const auto v = static_cast<std::size_t>(std::floor(static_cast<double>(n) * fraction + 0.5));
    return std::clamp<std::size_t>(v, 1, n - 1);
}

// Sorts the parts (see the header comment) and returns the split.
inline split sorted_split(std::vector<std::size_t> train, std::vector<std::size_t> validation) {
    std::sort(train.begin(), train.end());
    std::sort(validation.begin(), validation.end());
    return {std::move(train), std::move(validation)};
}

// The split whose validation part is `order[begin, end)` and whose training part is the rest.
inline split fold_of(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end) {
    std::vector<std::size_t> train, validation(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                               order.begin() + static_cast<std::ptrdiff_t>(end));
    train.reserve(order.size() - validation.size());
    train.insert(train.end(), order.begin(), order.begin() + static_cast<std::ptrdiff_t>(begin));
    train.insert(train.end(), order.begin() + static_cast<std::ptrdiff_t>(end), order.end());
    return sorted_split(std::move(train), std::move(validation));
}

// k folds of `order`: the first n mod k folds get one sample more, so sizes differ by at most 1.
inline std::vector<split> folds_of(const std::vector<std::size_t>& order, std::size_t k) {
    std::vector<split> splits;
    splits.reserve(k);
    const std::size_t n = order.size(), base = n / k, extra = n % k;
    std::size_t begin = 0;
    for (std::size_t f = 0; f < k; ++f) {
        const std::size_t end = begin + base + (f < extra ? 1 : 0);
        splits.push_back(fold_of(order, begin, end));
        begin = end;
    }
    return splits;
}

// The indices of each class (ascending label value), every list in ascending index order.
inline std::vector<std::vector<std::size_t>> indices_by_class(const char* who,
                                                              std::span<const float> labels) {
    if (labels.empty())
        throw std::invalid_argument(std::string(who) + ": the data set is empty");
    std::map<float, std::vector<std::size_t>> classes;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (!std::isfinite(labels[i]))
            throw std::invalid_argument(std::string(who) + ": label " + std::to_string(i) +
                                        " is not a finite number");
        classes[labels[i]].push_back(i);
    }
    std::vector<std::vector<std::size_t>> result;
    result.reserve(classes.size());
    for (auto& entry : classes)
        result.push_back(std::move(entry.second));
    return result;
}

} // namespace detail

// One hold-out split of n samples: round(n × validation_fraction) of them (halves up, kept in
// [1, n - 1]) validate, the rest train. Shuffled with `seed`; with shuffle = false the last ones
// validate, as Keras's validation_split does (see also time_ordered_holdout).
inline split holdout_split(std::size_t n, double validation_fraction, std::uint64_t seed,
                           bool shuffle = true) {
    const std::size_t v = detail::validation_count("holdout_split", n, validation_fraction);
    std::vector<std::size_t> order = detail::iota_indices(n);
    if (shuffle) {
        random_engine gen{seed};
        detail::shuffle_indices(order, gen);
    }
    return detail::fold_of(order, n - v, n);
}

// A hold-out split that keeps each class's share in both parts (labels: one class label per
// sample, any float values, compared exactly). Rounding: the total validation size is
// round(n × fraction) as in holdout_split; each class c of n_c samples gets the floor of its
// exact share n_c × total / n, and the samples left over go one each to the classes with the
// largest fractional parts (ties: the larger class, then the smaller label), so the total is
// kept. Then every class of ≥ 2 samples is kept in both parts (its share clamped to
// [1, n_c - 1]) and a class of one sample trains; these clamps may move the total by a few.
// Example: 30 of class 0 and 10 of class 1 at 0.25 → total 10, shares 7.5 and 2.5, floors 7
// and 2, the leftover sample to class 0 (tie, larger class): 8 + 2 validate, 22 + 8 train.
// Each class is shuffled with one engine seeded with `seed`, classes in ascending label order.
inline split stratified_holdout_split(std::span<const float> labels, double validation_fraction,
                                      std::uint64_t seed) {
    constexpr const char* who = "stratified_holdout_split";
    auto classes = detail::indices_by_class(who, labels);
    const std::size_t n = labels.size();
    const std::size_t total = detail::validation_count(who, n, validation_fraction);
    const std::size_t c = classes.size();
    std::vector<std::size_t> share(c), remainder(c);
    std::size_t assigned = 0;
    for (std::size_t i = 0; i < c; ++i) {
        share[i] = classes[i].size() * total / n; // exact integer floor of n_c × total / n
        remainder[i] = classes[i].size() * total % n;
        assigned += share[i];
    }
    std::vector<std::size_t> by_remainder = detail::iota_indices(c);
    std::stable_sort(by_remainder.begin(), by_remainder.end(), [&](std::size_t a, std::size_t b) {
        if (remainder[a] != remainder[b])
            return remainder[a] > remainder[b];
        return classes[a].size() > classes[b].size();
    });
    for (std::size_t j = 0; assigned < total && j < c; ++j, ++assigned)
        ++share[by_remainder[j]];

    random_engine gen{seed};
    std::vector<std::size_t> train, validation;
    for (std::size_t i = 0; i < c; ++i) {
        const std::size_t n_c = classes[i].size();
        const std::size_t v = n_c < 2 ? 0 : std::clamp<std::size_t>(share[i], 1, n_c - 1);
        detail::shuffle_indices(classes[i], gen);
        validation.insert(validation.end(), classes[i].begin(),
                          classes[i].begin() + static_cast<std::ptrdiff_t>(v));
        train.insert(train.end(), classes[i].begin() + static_cast<std::ptrdiff_t>(v),
                     classes[i].end());
    }
    if (validation.empty())
        throw std::invalid_argument(std::string(who) + ": no class has 2 or more samples, so no " +
                                    "class can appear in both the training and validation part");
    return detail::sorted_split(std::move(train), std::move(validation));
}

// k-fold cross-validation over n samples: k splits whose validation parts partition [0, n),
// of sizes n / k or n / k + 1 (the first n mod k folds are the larger). With shuffle the samples
// are shuffled once with `seed` before cutting; without, fold f validates a consecutive block.
inline std::vector<split> kfold_splits(std::size_t n, std::size_t k, std::uint64_t seed,
                                       bool shuffle = true) {
    detail::check_folds("kfold_splits", n, k);
    std::vector<std::size_t> order = detail::iota_indices(n);
    if (shuffle) {
        random_engine gen{seed};
        detail::shuffle_indices(order, gen);
    }
    return detail::folds_of(order, k);
}

// Stratified k-fold: each class (labels compared exactly) is shuffled with `seed` and its
// samples dealt to the folds in turn, continuing from class to class (classes in ascending label
// order). So each fold holds n_c / k or n_c / k + 1 samples of every class c, fold sizes differ
// by at most 1, and the validation parts partition [0, n). Every class needs at least k samples.
inline std::vector<split> stratified_kfold_splits(std::span<const float> labels, std::size_t k,
                                                  std::uint64_t seed) {
    constexpr const char* who = "stratified_kfold_splits";
    auto classes = detail::indices_by_class(who, labels);
    detail::check_folds(who, labels.size(), k);
    for (const auto& members : classes)
        if (members.size() < k)
            throw std::invalid_argument(
                std::string(who) + ": class " + detail::number(labels[members.front()]) + " has " +
                std::to_string(members.size()) + " sample" + (members.size() == 1 ? "" : "s") +
                ", fewer than the k = " + std::to_string(k) +
                " folds (each fold must see every class)");
    random_engine gen{seed};
    std::vector<std::vector<std::size_t>> fold_members(k);
    std::size_t position = 0;
    for (auto& members : classes) {
        detail::shuffle_indices(members, gen);
        for (std::size_t i : members)
            fold_members[position++ % k].push_back(i);
    }
    std::vector<split> splits;
    splits.reserve(k);
    for (std::size_t f = 0; f < k; ++f) {
        std::vector<std::size_t> train;
        train.reserve(labels.size() - fold_members[f].size());
        for (std::size_t g = 0; g < k; ++g)
            if (g != f)
                train.insert(train.end(), fold_members[g].begin(), fold_members[g].end());
        splits.push_back(detail::sorted_split(std::move(train), fold_members[f]));
    }
    return splits;
}

// Iterated k-fold with shuffling: `repetitions` (P) rounds of k-fold, each on a fresh shuffle
// drawn from one engine seeded with `seed`: K × P splits, round p's folds at [p × k, (p+1) × k).
// Training K × P models and averaging their scores lowers the variance of the estimate.
inline std::vector<split> iterated_kfold_splits(std::size_t n, std::size_t k,
                                                std::size_t repetitions, std::uint64_t seed) {
    detail::check_folds("iterated_kfold_splits", n, k);
    if (repetitions == 0)
        throw std::invalid_argument("iterated_kfold_splits: repetitions = 0, but at least 1 "
                                    "round of k-fold is needed");
    random_engine gen{seed};
    std::vector<split> splits;
    splits.reserve(k * repetitions);
    for (std::size_t p = 0; p < repetitions; ++p) {
        std::vector<std::size_t> order = detail::iota_indices(n);
        detail::shuffle_indices(order, gen);
        for (split& s : detail::folds_of(order, k))
            splits.push_back(std::move(s));
    }
    return splits;
}

// Forward chaining for data in time order (the arrow of time: never validate on the past of
// what was trained on). The n samples are cut into k + 1 consecutive blocks: k validation
// blocks of n / (k + 1) samples at the end, the first block taking the rest. Split f trains on
// everything before validation block f and validates on that block, so the training part grows
// and every validation index exceeds every training index. Nothing is shuffled. Needs n ≥ k + 1.
inline std::vector<split> time_ordered_splits(std::size_t n, std::size_t k) {
    constexpr const char* who = "time_ordered_splits";
    if (n == 0)
        throw std::invalid_argument(std::string(who) + ": the data set is empty");
    if (k < 2)
        throw std::invalid_argument(std::string(who) + ": k = " + std::to_string(k) +
                                    ", but forward chaining needs at least 2 folds (for one, "
                                    "use time_ordered_holdout)");
    if (n < k + 1)
        throw std::invalid_argument(std::string(who) + ": k = " + std::to_string(k) +
                                    " validation blocks after a first training block need at "
                                    "least " +
                                    std::to_string(k + 1) + " samples, got " + std::to_string(n));
    const std::size_t block = n / (k + 1), first = n - k * block;
    std::vector<split> splits;
    splits.reserve(k);
    for (std::size_t f = 0; f < k; ++f) {
        const std::size_t begin = first + f * block;
        split s;
        s.train = detail::iota_indices(begin);
        s.validation.resize(block);
        std::iota(s.validation.begin(), s.validation.end(), begin);
        splits.push_back(std::move(s));
    }
    return splits;
}

// The time-ordered hold-out: the last round(n × fraction) samples (halves up, kept in
// [1, n - 1]) validate, the earlier ones train. Never shuffled.
inline split time_ordered_holdout(std::size_t n, double validation_fraction) {
    const std::size_t v = detail::validation_count("time_ordered_holdout", n, validation_fraction);
    split s;
    s.train = detail::iota_indices(n - v);
    s.validation.resize(v);
    std::iota(s.validation.begin(), s.validation.end(), n - v);
    return s;
}

} // namespace ctnn
