// ctnn/io/tokenizer.hpp - split a text into tokens the way Keras' TextVectorization does by
// default (standardize="lower_and_strip_punctuation", split="whitespace").
//
//   ctnn::io::tokenize("Don't  STOP - 2 times!") == {"dont", "stop", "2", "times"}
//   ctnn::io::for_each_token(text, [](std::string_view token) { ... }); // no vector built
//
// The rules, applied byte by byte (so a text needs no decoding and nothing here can fail):
//  1. ASCII letters A-Z are lower-cased; every other byte keeps its value.
//  2. The 32 ASCII punctuation characters !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ are deleted, not
//     replaced by a space, as Keras does: "don't" -> "dont", "slow-moving" -> "slowmoving".
//  3. The text is split at runs of ASCII whitespace (space, \t, \n, \v, \f, \r); empty tokens
//     are never produced.
// Bytes >= 0x80 always belong to tokens, so a multi-byte UTF-8 character is never split and is
// never a separator (U+0085 and U+00A0 are kept inside tokens). Invalid UTF-8 is not an error:
// its bytes are kept as they are. Other ASCII control bytes are kept as token bytes too.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ctnn::io {

// One of the 32 ASCII punctuation characters that the standardization deletes.
[[nodiscard]] constexpr bool is_stripped_punctuation(char c) noexcept {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

// ASCII whitespace, where tokens end.
[[nodiscard]] constexpr bool is_token_separator(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

[[nodiscard]] constexpr char to_lower_ascii(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The standardized text: lower-cased, punctuation deleted, whitespace kept as it was.
[[nodiscard]] inline std::string standardize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text)
        if (!is_stripped_punctuation(c))
            out += to_lower_ascii(c);
    return out;
}

// Calls `f(std::string_view token)` for each token of `text`, in order. The view is valid only
// during the call (tokens are assembled in one reused buffer, since deleting punctuation makes
// them differ from any slice of the text).
template <class F>
void for_each_token(std::string_view text, F&& f) {
    static_assert(std::is_invocable_v<F&, std::string_view>,
                  "for_each_token(text, f) requires f to be callable with a std::string_view");
    std::string token;
    for (const char c : text) {
        if (is_token_separator(c)) {
            if (!token.empty()) {
                f(std::string_view(token));
                token.clear();
            }
        } else if (!is_stripped_punctuation(c)) {
            token += to_lower_ascii(c);
        }
    }
    if (!token.empty())
        f(std::string_view(token));
}

// The tokens of `text`, in order, repeats included.
[[nodiscard]] inline std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> tokens;
    for_each_token(text, [&](std::string_view token) { tokens.emplace_back(token); });
    return tokens;
}

} // namespace ctnn::io
