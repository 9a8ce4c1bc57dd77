// ctnn/io/svg.hpp - the small pieces every SVG picture ctnn writes is made of: XML escaping,
// locale-free coordinates and labels, and value axes with ticks at 1, 2 or 5 × 10^k.
//
//   const auto axis = ctnn::detail::nice_value_axis(0.03, 2.7);   // 0 .. 3, step 0.5
//   out << "<text>" << ctnn::detail::xml_escape(title) << "</text>";
//
// Used by the learning curves (training/learning_curves.hpp) and the examples' pictures.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace ctnn::detail {

// Text for XML content and attribute values. Control characters that XML 1.0 forbids become
// spaces, so any title gives a well-formed document.
[[nodiscard]] inline std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            const auto u = static_cast<unsigned char>(c);
            out += (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f ? ' ' : c;
        }
    }
    return out;
}

// A coordinate with two decimals; std::to_chars ignores the locale (no decimal commas).
[[nodiscard]] inline std::string svg_number(double v) {
    char buffer[64];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, v + 0.0, // -0 -> 0
                                 std::chars_format::fixed, 2);
    std::string s(buffer, r.ptr);
    while (s.back() == '0') // "12.50" -> "12.5", "3.00" -> "3"
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

// A value for people: `significant` digits, plain or with an exponent, whichever is shorter.
[[nodiscard]] inline std::string short_number(double v, int significant) {
    char buffer[64];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, v + 0.0,
                                 std::chars_format::general, significant);
    return std::string(buffer, r.ptr);
}

// The smallest step of 1, 2 or 5 × 10^k that is at least `raw` (> 0).
[[nodiscard]] inline double nice_step(double raw) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw * (1 - 1e-12))
            return m * magnitude;
    return 10 * magnitude;
}

// A value axis from lo to hi with ticks at whole multiples of step.
struct value_axis {
    double lo, hi, step;

    [[nodiscard]] long long first_tick() const { return std::llround(lo / step); }
    [[nodiscard]] long long last_tick() const { return std::llround(hi / step); }

    // Tick labels with as many decimals as the step needs (0.05 -> 2), or short scientific
    // notation for very large or very small values.
    [[nodiscard]] std::string label(long long i) const {
        const double v = static_cast<double>(i) * step;
        const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
        if (decimals > 6 || std::max(std::abs(lo), std::abs(hi)) >= 1e7)
            return short_number(v, 3);
        char buffer[64];
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, v + 0.0,
                                     std::chars_format::fixed, decimals);
        const std::string s(buffer, r.ptr);
        // A tiny negative value rounded to zero prints as "-0.00": drop the sign.
        return s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos ? s.substr(1)
                                                                                   : s;
    }
};

// About five ticks covering [min, max]; a zero or tiny range is padded around its value.
[[nodiscard]] inline value_axis nice_value_axis(double min, double max) {
    const double scale = std::max(std::abs(min), std::abs(max));
    if (!(max - min > scale * 1e-9) || max - min < 1e-200) {
        const double centre = min / 2 + max / 2;
        const double pad = scale < 1e-200 ? 1.0 : scale * 0.1;
        min = centre - pad;
        max = centre + pad;
    }
    const double step = nice_step((max - min) / 5);
    return {std::floor(min / step) * step, std::ceil(max / step) * step, step};
}

// Values this large are drawn at this size: their picture is "diverged" either way, and the
// clamp keeps every range and coordinate finite.
inline constexpr double largest_drawn = 1e150;

[[nodiscard]] inline double drawn_value(double v) {
    return std::clamp(v, -largest_drawn, largest_drawn);
}

} // namespace ctnn::detail
