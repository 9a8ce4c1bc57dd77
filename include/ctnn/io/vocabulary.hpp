// ctnn/io/vocabulary.hpp - the N most frequent tokens of the training texts, each with an index.
//
//   const auto train = ctnn::io::read_labelled_text("train.tsv");
//   const auto vocab = ctnn::io::vocabulary::fit(train.texts, 1000); // training split only
//   vocab.index("great");    // std::optional<std::size_t>: 0 for the most frequent token
//   vocab.tokens()[0];       // the most frequent token
//   vocab.idf(i);            // log(1 + documents / (1 + document_frequency(i)))
//
// fit() tokenizes every text with ctnn::io::tokenize (see tokenizer.hpp), counts each token's
// occurrences over all texts and keeps the `max_tokens` most frequent ones (all of them if there
// are fewer), ranked by count, most frequent first; equal counts are ranked by the tokens' bytes
// in ascending order, so the result never depends on hashing or on the order of the texts.
// Fit it on the training split only: tokens that occur only in validation or test texts must
// be unknown, as they would be for new data. Unlike Keras, no index is reserved for padding or
// for out-of-vocabulary tokens: indices are 0 .. size()-1, and the vectorizers (text_vectors.hpp)
// ignore unknown tokens.
#pragma once

#include "ctnn/io/tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ctnn::io {

// A range of texts: std::vector<std::string>, std::span<const std::string_view>, ...
template <class R>
concept text_range = std::ranges::input_range<R> &&
    std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>;

class vocabulary {
public:
    vocabulary() = default; // empty: every token is unknown

    // The `max_tokens` most frequent tokens of `texts` (see the top of this file).
    template <class R>
    [[nodiscard]] static vocabulary fit(R&& texts, std::size_t max_tokens) {
        static_assert(text_range<R>, "vocabulary::fit(texts, max_tokens) requires texts to be a "
                                     "range of strings (anything convertible to string_view)");
        if (max_tokens == 0)
            throw std::invalid_argument("vocabulary::fit: max_tokens must be at least 1");

        struct tally {
            std::size_t count = 0;
            std::size_t documents = 0;
            std::size_t last_document = 0; // 1-based number of the last text that counted it
        };
        std::unordered_map<std::string, tally> tallies;
        vocabulary v;
        for (auto&& text : texts) {
            const std::size_t document = ++v.documents_;
            for_each_token(std::string_view(text), [&](std::string_view token) {
                auto [it, inserted] = tallies.try_emplace(std::string(token));
                tally& t = it->second;
                ++t.count;
                if (t.last_document != document) {
                    t.last_document = document;
                    ++t.documents;
                }
            });
        }

        std::vector<std::pair<const std::string*, const tally*>> ranked;
        ranked.reserve(tallies.size());
        for (const auto& [token, t] : tallies)
            ranked.emplace_back(&token, &t);
        const std::size_t kept = std::min(max_tokens, ranked.size());
        // Tokens are unique, so this order is total and the result deterministic.
        std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept),
                          ranked.end(), [](const auto& a, const auto& b) {
                              if (a.second->count != b.second->count)
                                  return a.second->count > b.second->count;
                              return *a.first < *b.first;
                          });
        v.tokens_.reserve(kept);
        v.counts_.reserve(kept);
        v.document_counts_.reserve(kept);
        for (std::size_t i = 0; i < kept; ++i) {
            v.tokens_.push_back(*ranked[i].first);
            v.counts_.push_back(ranked[i].second->count);
            v.document_counts_.push_back(ranked[i].second->documents);
        }
        v.build_lookup();
        return v;
    }

    [[nodiscard]] std::size_t size() const noexcept { return tokens_.size(); }
    [[nodiscard]] bool empty() const noexcept { return tokens_.empty(); }

    // The tokens by index: most frequent first.
    [[nodiscard]] const std::vector<std::string>& tokens() const noexcept { return tokens_; }

    // The index of `token` (already standardized: lower case, no punctuation), or nothing.
    [[nodiscard]] std::optional<std::size_t> index(std::string_view token) const noexcept {
        const auto it =
            std::lower_bound(by_token_.begin(), by_token_.end(), token,
                             [this](std::size_t i, std::string_view t) { return tokens_[i] < t; });
        if (it != by_token_.end() && tokens_[*it] == token)
            return *it;
        return std::nullopt;
    }
    [[nodiscard]] bool contains(std::string_view token) const noexcept {
        return index(token).has_value();
    }

    // How many times token i occurred in the training texts, and in how many of them.
    [[nodiscard]] std::size_t frequency(std::size_t i) const { return counts_.at(i); }
    [[nodiscard]] std::size_t document_frequency(std::size_t i) const {
        return document_counts_.at(i);
    }
    // The number of training texts fit() saw.
    [[nodiscard]] std::size_t documents() const noexcept { return documents_; }

    // Keras' inverse document frequency of token i: log(1 + documents / (1 + document_frequency)),
    // natural log, computed in double. Always > 0, smaller for tokens in more texts.
    [[nodiscard]] double idf(std::size_t i) const {
        return std::log(1.0 + static_cast<double>(documents_) /
                                  (1.0 + static_cast<double>(document_frequency(i))));
    }

private:
    void build_lookup() {
        by_token_.resize(tokens_.size());
        for (std::size_t i = 0; i < by_token_.size(); ++i)
            by_token_[i] = i;
        std::sort(by_token_.begin(), by_token_.end(),
                  [this](std::size_t a, std::size_t b) { return tokens_[a] < tokens_[b]; });
    }

    std::vector<std::string> tokens_;
    std::vector<std::size_t> counts_;
    std::vector<std::size_t> document_counts_;
    std::vector<std::size_t> by_token_; // indices ordered by token, for binary search
    std::size_t documents_ = 0;
};

} // namespace ctnn::io
