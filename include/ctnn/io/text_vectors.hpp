// ctnn/io/text_vectors.hpp - texts as fixed-size vectors over a vocabulary: multi-hot, counts
// or TF-IDF, the output modes of Keras' TextVectorization.
//
//   constexpr std::size_t n = 1000;
//   const auto vocab = ctnn::io::vocabulary::fit(train.texts, n);   // training split only
//   ctnn::tensor<float, ctnn::shape<n>> x;
//   ctnn::io::multi_hot("a great movie", vocab, x.span());          // one text
//   std::vector<float> rows =                                       // train.size() rows of n
//       ctnn::io::text_vectors<n>(train.texts, vocab, ctnn::io::text_encoding::multi_hot);
//   ctnn::dataset<ctnn::shape<n>, ctnn::shape<1>> data(std::move(rows), train.labels);
//
// Value i of a text's vector is about token i of the vocabulary (see vocabulary.hpp):
//   multi_hot: 1 if the token occurs in the text, else 0;
//   count:     the number of times it occurs;
//   tf_idf:    count * vocab.idf(i), idf = log(1 + documents / (1 + document_frequency)) as
//              fitted on the training texts (Keras' formula).
// Tokens not in the vocabulary are ignored (no out-of-vocabulary slot). The output size N is a
// compile-time constant and must hold the vocabulary: vocab.size() <= N, or std::invalid_argument
// is thrown before anything is written; values vocab.size() .. N-1 are set to 0.
#pragma once

#include "ctnn/io/tokenizer.hpp"
#include "ctnn/io/vocabulary.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn::io {

enum class text_encoding { multi_hot, count, tf_idf };

[[nodiscard]] constexpr const char* text_encoding_name(text_encoding e) noexcept {
    switch (e) {
    case text_encoding::multi_hot:
        return "multi_hot";
    case text_encoding::count:
        return "count";
    case text_encoding::tf_idf:
        return "tf_idf";
    }
    return "unknown";
}

namespace detail {

inline void check_vocabulary_fits(const vocabulary& vocab, std::size_t n, const char* who) {
    if (vocab.size() > n)
        throw std::invalid_argument(
            std::string(who) + ": the vocabulary has " + std::to_string(vocab.size()) +
            " tokens but a text vector holds only " + std::to_string(n) +
            " values (fit the vocabulary with max_tokens <= " + std::to_string(n) + ")");
}

} // namespace detail

// Writes the `encoding` vector of `text` into `out` (see the top of this file).
template <std::size_t N>
void encode_text(std::string_view text, const vocabulary& vocab, text_encoding encoding,
                 std::span<float, N> out) {
    static_assert(N != std::dynamic_extent,
                  "text vectors have a compile-time size: pass a std::span<float, N> of static "
                  "extent (tensor.span(), std::span(array))");
    static_assert(N > 0, "a text vector needs N >= 1 values");
    detail::check_vocabulary_fits(vocab, N, text_encoding_name(encoding));
    std::fill(out.begin(), out.end(), 0.0f);
    for_each_token(text, [&](std::string_view token) {
        if (const auto i = vocab.index(token)) {
            if (encoding == text_encoding::multi_hot)
                out[*i] = 1.0f;
            else
                out[*i] += 1.0f;
        }
    });
    if (encoding == text_encoding::tf_idf)
        for (std::size_t i = 0; i < vocab.size(); ++i)
            if (out[i] != 0.0f)
                out[i] = static_cast<float>(static_cast<double>(out[i]) * vocab.idf(i));
}

// 1 for each vocabulary token that occurs in `text`, else 0.
template <std::size_t N>
void multi_hot(std::string_view text, const vocabulary& vocab, std::span<float, N> out) {
    encode_text(text, vocab, text_encoding::multi_hot, out);
}

// How many times each vocabulary token occurs in `text`.
template <std::size_t N>
void count(std::string_view text, const vocabulary& vocab, std::span<float, N> out) {
    encode_text(text, vocab, text_encoding::count, out);
}

// count(text) * idf for each vocabulary token.
template <std::size_t N>
void tf_idf(std::string_view text, const vocabulary& vocab, std::span<float, N> out) {
    encode_text(text, vocab, text_encoding::tf_idf, out);
}

// The vectors of all `texts`, row after row: texts.size() * N floats, ready for ctnn::dataset.
template <std::size_t N, class R>
[[nodiscard]] std::vector<float> text_vectors(R&& texts, const vocabulary& vocab,
                                              text_encoding encoding) {
    static_assert(N > 0, "text_vectors<N> needs N >= 1 values per text");
    static_assert(text_range<R>, "text_vectors<N>(texts, vocab, encoding) requires texts to be a "
                                 "range of strings (anything convertible to string_view)");
    detail::check_vocabulary_fits(vocab, N, text_encoding_name(encoding));
    std::vector<float> rows;
    if constexpr (std::ranges::sized_range<R>)
        rows.reserve(std::ranges::size(texts) * N);
    for (auto&& text : texts) {
        rows.resize(rows.size() + N);
        encode_text(std::string_view(text), vocab, encoding,
                    std::span<float, N>(rows.data() + rows.size() - N, N));
    }
    return rows;
}

} // namespace ctnn::io
