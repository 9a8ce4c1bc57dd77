// ctnn/core/array_text.hpp - the text of a row-major array of numbers as NumPy prints it, for
// `std::cout << tensor` and `std::cout << predictions`:
//
//   [[1.   2.5  3.  ]        nested brackets, one row per line, columns aligned
//    [4.   5.   6.25]]       on the decimal point; every value in its shortest form
//
// As numpy.array2string with its defaults: at most 8 fraction digits, scientific notation when
// the largest magnitude is 1e8 or more, the smallest non-zero one below 1e-4 or their ratio above
// 1000, lines wrapped at 75 columns, and an array of more than 1,000 values summarised to the
// first and last 3 entries of each long axis around "...". Internal: the printing operators
// call it.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ctnn::detail {

inline constexpr std::size_t print_threshold = 1000; // more values than this are summarised
inline constexpr std::size_t print_edge_items = 3;   // entries kept at each end of a long axis
inline constexpr std::size_t print_line_width = 75;
inline constexpr int print_precision = 8; // at most this many fraction digits

// How every value of one array is written: chosen once from the values that are printed, so
// that the columns line up.
class value_format {
public:
    template <class T>
    explicit value_format(const std::vector<T>& shown) {
        if constexpr (std::is_integral_v<T>) {
            style_ = style::integer;
        } else {
            double largest = 0, smallest = std::numeric_limits<double>::infinity();
            for (const T v : shown)
                if (std::isfinite(v) && v != T{0}) {
                    largest = std::max(largest, std::abs(static_cast<double>(v)));
                    smallest = std::min(smallest, std::abs(static_cast<double>(v)));
                }
            if (largest >= 1e8 || (largest > 0 && (smallest < 1e-4 || largest / smallest > 1e3)))
                style_ = style::scientific;
            if (style_ == style::scientific)
                for (const T v : shown)
                    if (std::isfinite(v))
                        digits_ = std::max(digits_, fraction_digits(shortest(v)));
        }
        for (const T v : shown) {
            const std::string t = text(v);
            const std::size_t point = t.find('.');
            if (style_ == style::fixed && point != std::string::npos) {
                left_ = std::max(left_, point);
                right_ = std::max(right_, t.size() - point - 1);
            } else {
                other_ = std::max(other_, t.size()); // integers, scientific, nan and inf
            }
        }
    }

    // The value's text, padded to the array's column width.
    template <class T>
    [[nodiscard]] std::string operator()(T v) const {
        const std::string t = text(v);
        const std::size_t point = t.find('.');
        const std::size_t width = std::max(other_, left_ == 0 ? 0 : left_ + 1 + right_);
        if (style_ == style::fixed && point != std::string::npos) {
            // Integer parts right-aligned, fraction parts left-aligned: points in one column.
            const std::size_t fraction = t.size() - point - 1;
            return std::string(width - (left_ + 1 + right_) + left_ - point, ' ') + t +
                   std::string(right_ - fraction, ' ');
        }
        return std::string(width - std::min(width, t.size()), ' ') + t;
    }

private:
    enum class style { integer, fixed, scientific };

    // The shortest text that reads back as v (std::to_chars), in the array's notation.
    template <class T>
    [[nodiscard]] std::string shortest(T v) const {
        char buffer[64];
        const auto format =
            style_ == style::scientific ? std::chars_format::scientific : std::chars_format::fixed;
        return {buffer, std::to_chars(buffer, buffer + sizeof buffer, v, format).ptr};
    }

    // Digits after the point (before any exponent).
    static int fraction_digits(const std::string& t) {
        const std::size_t point = t.find('.');
        if (point == std::string::npos)
            return 0;
        return static_cast<int>(std::min(t.find('e'), t.size()) - point - 1);
    }

    template <class T>
    [[nodiscard]] std::string text(T v) const {
        char buffer[64];
        if constexpr (std::is_integral_v<T>) {
            return {buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr};
        } else {
            if (std::isnan(v))
                return "nan";
            if (std::isinf(v))
                return v < 0 ? "-inf" : "inf";
            std::string t;
            if (style_ == style::scientific) {
                // Every mantissa with the digits the longest needs, as NumPy: 1.0e-05 1.5e+10.
                const int digits = std::min(digits_, print_precision);
                t = {buffer, std::to_chars(buffer, buffer + sizeof buffer, v,
                                           std::chars_format::scientific, digits)
                                 .ptr};
                if (digits == 0)
                    t.insert(t.find('e'), ".");
                return t;
            }
            t = shortest(v);
            if (fraction_digits(t) > print_precision) {
                // Longer than the precision: rounded to it, trailing zeros dropped.
                t = {buffer, std::to_chars(buffer, buffer + sizeof buffer, v,
                                           std::chars_format::fixed, print_precision)
                                 .ptr};
                t.erase(t.find_last_not_of('0') + 1);
            }
            if (t.find('.') == std::string::npos)
                t += '.'; // 3 -> "3.", a float as NumPy writes it
            return t;
        }
    }

    style style_ = style::fixed;
    int digits_ = 0;        // scientific: mantissa fraction digits
    std::size_t left_ = 0;  // fixed: widest integer part
    std::size_t right_ = 0; // fixed: widest fraction part
    std::size_t other_ = 0; // widest text without a point (integers, scientific, nan, inf)
};

// Writes values[0, product of extents) as nested rows (see the top of this file).
template <class T>
class array_writer {
public:
    array_writer(const T* values, std::span<const std::size_t> extents)
        : values_(values), extents_(extents.begin(), extents.end()), strides_(extents.size(), 1) {
        std::size_t count = 1;
        for (std::size_t axis = extents_.size(); axis-- > 0;) {
            strides_[axis] = count;
            count *= extents_[axis];
        }
        summarise_ = count > print_threshold;
    }

    [[nodiscard]] std::string text() const {
        std::vector<T> shown;
        visit(0, 0, [&](std::size_t offset) { shown.push_back(values_[offset]); });
        const value_format format(shown);
        if (extents_.empty())
            return format(values_[0]);
        std::string out;
        std::size_t column = 0;
        append(out, 0, 0, column, format);
        return out;
    }

private:
    // Entries of an axis that are printed: all, or the first and last edge items around a
    // "..." (the index `extent` stands for it; the caller skips to the last ones after it).
    template <class F>
    void for_each_entry(std::size_t axis, const F& f) const {
        const std::size_t n = extents_[axis];
        const bool cut = summarise_ && n > 2 * print_edge_items;
        for (std::size_t i = 0; i < n; ++i) {
            if (cut && i == print_edge_items) {
                f(n); // the ellipsis
                i = n - print_edge_items - 1;
                continue;
            }
            f(i);
        }
    }

    template <class F>
    void visit(std::size_t axis, std::size_t offset, const F& f) const {
        if (axis == extents_.size()) {
            f(offset);
            return;
        }
        for_each_entry(axis, [&](std::size_t i) {
            if (i < extents_[axis])
                visit(axis + 1, offset + i * strides_[axis], f);
        });
    }

    void append(std::string& out, std::size_t axis, std::size_t offset, std::size_t& column,
                const value_format& format) const {
        const bool last = axis + 1 == extents_.size();
        out += '[';
        ++column;
        bool first = true;
        for_each_entry(axis, [&](std::size_t i) {
            const bool ellipsis = i == extents_[axis];
            if (last) {
                const std::string word = ellipsis ? "..." : format(values_[offset + i]);
                if (!first && column + 1 + word.size() + 1 > print_line_width) {
                    out.erase(out.find_last_not_of(' ') + 1); // no trailing blanks
                    out += '\n' + std::string(axis + 1, ' '); // wrapped under the bracket
                    column = axis + 1;
                } else if (!first) {
                    out += ' ';
                    ++column;
                }
                out += word;
                column += word.size();
            } else {
                if (!first) {
                    // A blank line between blocks of rank 2 and more, as NumPy.
                    out +=
                        std::string(extents_.size() - axis - 1, '\n') + std::string(axis + 1, ' ');
                    column = axis + 1;
                }
                if (ellipsis) {
                    out += "...";
                    column += 3;
                } else {
                    append(out, axis + 1, offset + i * strides_[axis], column, format);
                }
            }
            first = false;
        });
        out += ']';
        ++column;
    }

    const T* values_;
    std::vector<std::size_t> extents_;
    std::vector<std::size_t> strides_;
    bool summarise_ = false;
};

// The text of the row-major array `values` with the given extents (none: one value).
template <class T>
[[nodiscard]] std::string array_text(const T* values, std::span<const std::size_t> extents) {
    return array_writer<T>(values, extents).text();
}

} // namespace ctnn::detail
