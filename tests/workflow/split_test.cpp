// Tests ctnn/workflow/split.hpp: every split's parts are disjoint and cover [0, n); k-fold
// validation parts partition [0, n) with sizes counted by hand; a seed reproduces its splits and
// another seed gives others; stratification keeps the per-class counts worked out in the
// header's rounding rule; time-ordered splits never validate before they train; mistakes throw.
#include "ctnn/workflow/split.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ctnn;

namespace {

// train and validation are ascending, disjoint, non-empty and together exactly [0, n).
bool covers(const split& s, std::size_t n) {
    if (s.train.empty() || s.validation.empty())
        return false;
    if (!std::is_sorted(s.train.begin(), s.train.end()) ||
        !std::is_sorted(s.validation.begin(), s.validation.end()))
        return false;
    std::vector<int> seen(n, 0);
    for (std::size_t i : s.train)
        if (i >= n || seen[i]++ != 0)
            return false;
    for (std::size_t i : s.validation)
        if (i >= n || seen[i]++ != 0)
            return false;
    return std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; });
}

// Every index of [0, n) is in exactly one validation part, and every split covers [0, n).
bool validation_partitions(const std::vector<split>& splits, std::size_t n) {
    std::vector<int> seen(n, 0);
    for (const split& s : splits) {
        if (!covers(s, n))
            return false;
        for (std::size_t i : s.validation)
            ++seen[i];
    }
    return std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; });
}

std::size_t count_label(const std::vector<std::size_t>& indices, const std::vector<float>& labels,
                        float label) {
    return static_cast<std::size_t>(std::count_if(
        indices.begin(), indices.end(), [&](std::size_t i) { return labels[i] == label; }));
}

bool same(const split& a, const split& b) {
    return a.train == b.train && a.validation == b.validation;
}

std::vector<float> labels_30_10() {
    std::vector<float> labels;
    for (int i = 0; i < 40; ++i)
        labels.push_back(i % 4 == 3 ? 1.0f : 0.0f); // 30 zeros, 10 ones, interleaved
    return labels;
}

template <class F>
bool throws_with(F f, const std::string& part) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return std::string(e.what()).find(part) != std::string::npos;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(split_test)

BOOST_AUTO_TEST_CASE(holdout_sizes_round_to_nearest_and_parts_cover_the_data) {
    // n × fraction rounded to nearest, halves up, within [1, n - 1].
    const struct {
        std::size_t n;
        double fraction;
        std::size_t validation;
    } cases[] = {{2, 0.5, 1},  {3, 0.25, 1},   {3, 0.5, 2},    {3, 0.9, 2},    {17, 0.25, 4},
                 {17, 0.2, 3}, {40, 0.25, 10}, {100, 0.01, 1}, {100, 0.001, 1}};
    for (const auto& c : cases) {
        for (bool shuffle : {true, false}) {
            const split s = holdout_split(c.n, c.fraction, 5, shuffle);
            BOOST_TEST(covers(s, c.n));
            BOOST_TEST(s.validation.size() == c.validation);
            BOOST_TEST(s.train.size() == c.n - c.validation);
        }
    }
    // Without shuffling the last samples validate, as Keras's validation_split.
    const split last = holdout_split(17, 0.25, 5, false);
    BOOST_TEST(last.validation == (std::vector<std::size_t>{13, 14, 15, 16}));
}

BOOST_AUTO_TEST_CASE(holdout_is_reproducible_and_depends_on_the_seed) {
    BOOST_TEST(same(holdout_split(17, 0.25, 1), holdout_split(17, 0.25, 1)));
    BOOST_TEST(!same(holdout_split(100, 0.25, 1), holdout_split(100, 0.25, 2)));
    // A shuffled hold-out is not the unshuffled one (100 choose 25 outcomes).
    BOOST_TEST(!same(holdout_split(100, 0.25, 1), holdout_split(100, 0.25, 1, false)));
}

BOOST_AUTO_TEST_CASE(stratified_holdout_keeps_each_class_share) {
    // 30 of class 0 and 10 of class 1 at 0.25: total round(10) = 10, shares 7.5 and 2.5, floors
    // 7 and 2, the leftover sample to the larger class: 8 + 2 validate, 22 + 8 train.
    const std::vector<float> labels = labels_30_10();
    const split s = stratified_holdout_split(labels, 0.25, 3);
    BOOST_TEST(covers(s, 40));
    BOOST_TEST(count_label(s.validation, labels, 0.0f) == 8u);
    BOOST_TEST(count_label(s.validation, labels, 1.0f) == 2u);
    BOOST_TEST(count_label(s.train, labels, 0.0f) == 22u);
    BOOST_TEST(count_label(s.train, labels, 1.0f) == 8u);
    BOOST_TEST(same(s, stratified_holdout_split(labels, 0.25, 3)));
    BOOST_TEST(!same(s, stratified_holdout_split(labels, 0.25, 4)));

    // 17 samples, classes 2 (10), 5 (4), 7 (3) at 0.3: total round(5.1) = 5; shares 50/17, 20/17,
    // 15/17 → floors 2, 1, 0 and remainders 16, 3, 15: the 2 leftovers go to classes 2 and 7.
    std::vector<float> three(17, 2.0f);
    for (std::size_t i : {1u, 6u, 11u, 16u})
        three[i] = 5.0f;
    for (std::size_t i : {3u, 8u, 13u})
        three[i] = 7.0f;
    const split t = stratified_holdout_split(three, 0.3, 9);
    BOOST_TEST(covers(t, 17));
    BOOST_TEST(count_label(t.validation, three, 2.0f) == 3u);
    BOOST_TEST(count_label(t.validation, three, 5.0f) == 1u);
    BOOST_TEST(count_label(t.validation, three, 7.0f) == 1u);
}

BOOST_AUTO_TEST_CASE(stratified_holdout_keeps_every_class_of_two_in_both_parts) {
    // 18 of class 0, 2 of class 1, fraction 0.1: total 2, class 1's share 0.2 rounds to 0 by the
    // quota, so it is raised to 1; class 0 keeps its 2 (share 1.8 + the leftover).
    std::vector<float> labels(20, 0.0f);
    labels[4] = labels[15] = 1.0f;
    const split s = stratified_holdout_split(labels, 0.1, 1);
    BOOST_TEST(covers(s, 20));
    BOOST_TEST(count_label(s.validation, labels, 1.0f) == 1u);
    BOOST_TEST(count_label(s.train, labels, 1.0f) == 1u);
    BOOST_TEST(count_label(s.validation, labels, 0.0f) == 2u);
    // A class of one sample trains; a class of two at fraction 0.9 keeps one in training.
    const std::vector<float> small{0, 0, 1, 2, 2};
    const split u = stratified_holdout_split(small, 0.9, 1);
    BOOST_TEST(covers(u, 5));
    BOOST_TEST(count_label(u.train, small, 1.0f) == 1u);
    BOOST_TEST(count_label(u.validation, small, 0.0f) == 1u);
    BOOST_TEST(count_label(u.validation, small, 2.0f) == 1u);
}

BOOST_AUTO_TEST_CASE(kfold_validation_parts_partition_the_data) {
    for (std::size_t n : {3u, 17u, 100u}) {
        for (std::size_t k : {2u, 3u, 5u}) {
            if (k > n)
                continue;
            for (bool shuffle : {true, false}) {
                const auto splits = kfold_splits(n, k, 11, shuffle);
                BOOST_TEST(splits.size() == k);
                BOOST_TEST(validation_partitions(splits, n));
                // The first n mod k folds hold n / k + 1 samples, the others n / k.
                for (std::size_t f = 0; f < k; ++f)
                    BOOST_TEST(splits[f].validation.size() == n / k + (f < n % k ? 1 : 0));
            }
        }
    }
    // 17 samples in 5 unshuffled folds: blocks of 4, 4, 3, 3, 3.
    const auto blocks = kfold_splits(17, 5, 0, false);
    BOOST_TEST(blocks[0].validation == (std::vector<std::size_t>{0, 1, 2, 3}));
    BOOST_TEST(blocks[2].validation == (std::vector<std::size_t>{8, 9, 10}));
    BOOST_TEST(blocks[4].validation == (std::vector<std::size_t>{14, 15, 16}));
    // k = n is leave-one-out.
    const auto loo = kfold_splits(3, 3, 1);
    for (const split& s : loo)
        BOOST_TEST(s.validation.size() == 1u);
}

BOOST_AUTO_TEST_CASE(kfold_is_reproducible_and_depends_on_the_seed) {
    const auto a = kfold_splits(17, 4, 21), b = kfold_splits(17, 4, 21),
               c = kfold_splits(17, 4, 22);
    bool all_same = true, any_differs = false;
    for (std::size_t f = 0; f < 4; ++f) {
        all_same = all_same && same(a[f], b[f]);
        any_differs = any_differs || !same(a[f], c[f]);
    }
    BOOST_TEST(all_same);
    BOOST_TEST(any_differs);
}

BOOST_AUTO_TEST_CASE(stratified_kfold_deals_every_class_evenly) {
    // 30 zeros and 10 ones in 5 folds: each fold validates 6 zeros and 2 ones.
    const std::vector<float> labels = labels_30_10();
    const auto splits = stratified_kfold_splits(labels, 5, 7);
    BOOST_TEST(splits.size() == 5u);
    BOOST_TEST(validation_partitions(splits, 40));
    for (const split& s : splits) {
        BOOST_TEST(count_label(s.validation, labels, 0.0f) == 6u);
        BOOST_TEST(count_label(s.validation, labels, 1.0f) == 2u);
    }
    // 17 samples, 11 of class 0 and 6 of class 1, in 3 folds: class 0 in folds of 4, 4, 3;
    // class 1 continues the dealing at fold 2: 2, 2, 2; fold sizes 6, 6, 5.
    std::vector<float> odd(17, 0.0f);
    for (std::size_t i = 0; i < 6; ++i)
        odd[i * 3] = 1.0f;
    const auto folds = stratified_kfold_splits(odd, 3, 7);
    BOOST_TEST(validation_partitions(folds, 17));
    std::vector<std::size_t> zeros, ones, sizes;
    for (const split& s : folds) {
        zeros.push_back(count_label(s.validation, odd, 0.0f));
        ones.push_back(count_label(s.validation, odd, 1.0f));
        sizes.push_back(s.validation.size());
    }
    BOOST_TEST(zeros == (std::vector<std::size_t>{4, 4, 3}));
    BOOST_TEST(ones == (std::vector<std::size_t>{2, 2, 2}));
    BOOST_TEST(sizes == (std::vector<std::size_t>{6, 6, 5}));
    // Reproducible, and another seed deals other samples.
    const auto again = stratified_kfold_splits(odd, 3, 7),
               other = stratified_kfold_splits(odd, 3, 8);
    BOOST_TEST(same(folds[0], again[0]));
    BOOST_TEST(!(same(folds[0], other[0]) && same(folds[1], other[1])));
}

BOOST_AUTO_TEST_CASE(iterated_kfold_gives_k_times_p_partitions_each_freshly_shuffled) {
    const std::size_t n = 17, k = 4, p = 3;
    const auto splits = iterated_kfold_splits(n, k, p, 5);
    BOOST_TEST(splits.size() == k * p);
    for (std::size_t r = 0; r < p; ++r) {
        const std::vector<split> round(splits.begin() + static_cast<std::ptrdiff_t>(r * k),
                                       splits.begin() + static_cast<std::ptrdiff_t>((r + 1) * k));
        BOOST_TEST(validation_partitions(round, n));
    }
    // Each round is a new shuffle: its first fold differs from the previous round's.
    BOOST_TEST(!same(splits[0], splits[k]));
    BOOST_TEST(!same(splits[k], splits[2 * k]));
    // The whole list is reproducible from the seed.
    const auto again = iterated_kfold_splits(n, k, p, 5);
    for (std::size_t i = 0; i < k * p; ++i)
        BOOST_TEST(same(splits[i], again[i]));
    BOOST_TEST(iterated_kfold_splits(3, 3, 1, 0).size() == 3u);
}

BOOST_AUTO_TEST_CASE(time_ordered_splits_chain_forward_and_never_shuffle) {
    // 17 samples, 3 splits: 4 blocks, validation blocks of 17 / 4 = 4 at the end, the first
    // block 5: train [0, 5) validate [5, 9); train [0, 9) validate [9, 13); train [0, 13)
    // validate [13, 17).
    const auto splits = time_ordered_splits(17, 3);
    BOOST_TEST(splits.size() == 3u);
    const std::size_t train_sizes[] = {5, 9, 13};
    for (std::size_t f = 0; f < 3; ++f) {
        const split& s = splits[f];
        BOOST_TEST(s.train.size() == train_sizes[f]);
        BOOST_TEST(s.validation.size() == 4u);
        BOOST_TEST(s.train.back() < s.validation.front()); // the arrow of time
        for (std::size_t i = 0; i < s.train.size(); ++i)
            BOOST_TEST(s.train[i] == i);
        for (std::size_t i = 0; i < s.validation.size(); ++i)
            BOOST_TEST(s.validation[i] == train_sizes[f] + i);
    }
    BOOST_TEST(splits[2].validation.back() == 16u);
    // The smallest case: 3 samples in 2 splits, one sample per block.
    const auto tiny = time_ordered_splits(3, 2);
    BOOST_TEST(tiny[0].train == (std::vector<std::size_t>{0}));
    BOOST_TEST(tiny[0].validation == (std::vector<std::size_t>{1}));
    BOOST_TEST(tiny[1].train == (std::vector<std::size_t>{0, 1}));
    BOOST_TEST(tiny[1].validation == (std::vector<std::size_t>{2}));
}

BOOST_AUTO_TEST_CASE(time_ordered_holdout_validates_on_the_last_samples) {
    const split s = time_ordered_holdout(17, 0.25);
    BOOST_TEST(covers(s, 17));
    BOOST_TEST(s.train.size() == 13u);
    BOOST_TEST(s.validation == (std::vector<std::size_t>{13, 14, 15, 16}));
    const split t = time_ordered_holdout(3, 0.5);
    BOOST_TEST(t.train == (std::vector<std::size_t>{0}));
    BOOST_TEST(t.validation == (std::vector<std::size_t>{1, 2}));
}

BOOST_AUTO_TEST_CASE(mistakes_throw_with_a_message_that_names_them) {
    const std::vector<float> labels = labels_30_10();
    const std::vector<float> none;
    BOOST_TEST(throws_with([] { (void)kfold_splits(17, 1, 0); }, "at least 2 folds"));
    BOOST_TEST(throws_with([] { (void)kfold_splits(3, 4, 0); }, "4 folds but only 3 samples"));
    BOOST_TEST(throws_with([] { (void)kfold_splits(0, 2, 0); }, "empty"));
    BOOST_TEST(throws_with([] { (void)kfold_splits(1, 2, 0); }, "2 folds but only 1 sample "));
    BOOST_TEST(throws_with([] { (void)iterated_kfold_splits(17, 0, 2, 0); }, "at least 2 folds"));
    BOOST_TEST(throws_with([] { (void)iterated_kfold_splits(17, 3, 0, 0); }, "repetitions = 0"));
    BOOST_TEST(throws_with([] { (void)holdout_split(17, 0.0, 0); }, "(0, 1), got 0"));
    BOOST_TEST(throws_with([] { (void)holdout_split(17, 1.0, 0); }, "(0, 1), got 1"));
    BOOST_TEST(throws_with([] { (void)holdout_split(17, -0.5, 0); }, "got -0.5"));
    BOOST_TEST(throws_with([] { (void)holdout_split(0, 0.5, 0); }, "empty"));
    BOOST_TEST(throws_with([] { (void)holdout_split(1, 0.5, 0); }, "1 sample cannot be split"));
    BOOST_TEST(throws_with([] { (void)time_ordered_holdout(1, 0.5); }, "1 sample"));
    BOOST_TEST(throws_with([] { (void)time_ordered_holdout(10, 1.5); }, "got 1.5"));
    BOOST_TEST(throws_with([] { (void)time_ordered_splits(0, 2); }, "empty"));
    BOOST_TEST(throws_with([] { (void)time_ordered_splits(17, 1); }, "at least 2 folds"));
    BOOST_TEST(throws_with([] { (void)time_ordered_splits(3, 3); }, "at least 4 samples, got 3"));
    BOOST_TEST(throws_with([&] { (void)stratified_kfold_splits(labels, 11, 0); },
                           "class 1 has 10 samples, fewer than the k = 11 folds"));
    BOOST_TEST(throws_with([&] { (void)stratified_kfold_splits(none, 2, 0); }, "empty"));
    BOOST_TEST(throws_with([&] { (void)stratified_holdout_split(none, 0.5, 0); }, "empty"));
    BOOST_TEST(throws_with(
        [] {
            (void)stratified_holdout_split(std::vector<float>{0, 1, 2}, 0.5, 0);
        },
        "no class has 2 or more samples"));
}

BOOST_AUTO_TEST_SUITE_END()
