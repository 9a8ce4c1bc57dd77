// ctnn/workflow/redundancy.hpp - finds validation samples that are also training samples.
//
//   ctnn::warn_if_shared(data.subset(s.train), data.subset(s.validation), std::cerr);
//   const std::size_t shared = ctnn::count_shared_samples(train, validation);
//
// The lecture's redundancy pitfall: when a data set holds the same sample twice (repeated rows,
// copied records) a split can put one copy in each part, and the model is then validated on
// data it was trained on; the validation score is optimistic. Samples are compared byte for
// byte (so 0.0f and -0.0f differ, and near-duplicates are not found); targets are not compared,
// since the same input is a leak whatever its label. Expected O(n): the training samples' bytes
// are hashed once, and a validation sample is compared exactly only with samples of equal hash.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/training/dataset.hpp"

#include <cstddef>
#include <cstring>
#include <functional>
#include <ostream>
#include <string_view>
#include <type_traits>
#include <unordered_map>

namespace ctnn {

namespace detail {

inline std::size_t hash_bytes(const float* sample, std::size_t count) noexcept {
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(sample), count * sizeof(float)));
}

} // namespace detail

// How many validation samples are byte-identical to some training sample (each validation
// sample counts once, however many copies of it the training set holds).
template <static_shape S, static_shape T, static_shape VS, static_shape VT>
std::size_t count_shared_samples(const dataset<S, T>& train, const dataset<VS, VT>& validation) {
    static_assert(std::is_same_v<S, VS>, "count_shared_samples: the training and validation "
                                         "samples must have the same shape");
    constexpr std::size_t size = S::size;
    constexpr std::size_t bytes = size * sizeof(float);
    std::unordered_multimap<std::size_t, std::size_t> by_hash;
    by_hash.reserve(train.size());
    for (std::size_t i = 0; i < train.size(); ++i)
        by_hash.emplace(detail::hash_bytes(train.sample(i), size), i);
    std::size_t shared = 0;
    for (std::size_t j = 0; j < validation.size(); ++j) {
        const float* v = validation.sample(j);
        const auto [first, last] = by_hash.equal_range(detail::hash_bytes(v, size));
        for (auto it = first; it != last; ++it)
            if (std::memcmp(train.sample(it->second), v, bytes) == 0) {
                ++shared;
                break;
            }
    }
    return shared;
}

// Counts the shared samples and, when there are any, writes one line to `out`:
//   redundancy: 3 validation samples also appear in the training set; the validation score is
//   optimistic
// ("1 validation sample also appears" for one). Returns the count.
template <static_shape S, static_shape T, static_shape VS, static_shape VT>
std::size_t warn_if_shared(const dataset<S, T>& train, const dataset<VS, VT>& validation,
                           std::ostream& out) {
    const std::size_t shared = count_shared_samples(train, validation);
    if (shared > 0)
        out << "redundancy: " << shared
            << (shared == 1 ? " validation sample also appears" : " validation samples also appear")
            << " in the training set; the validation score is optimistic\n";
    return shared;
}

} // namespace ctnn
