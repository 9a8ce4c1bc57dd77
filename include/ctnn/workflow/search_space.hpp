// ctnn/workflow/search_space.hpp - where a hyperparameter search looks: named run-time values,
// as a grid (every combination) or as distributions to draw from (random search).
//
//   const ctnn::grid g{{"learning_rate", {1e-3, 3e-3, 1e-2}}, {"epochs", {5, 10}}}; // 6 configs
//   const ctnn::random_space r{{"learning_rate", ctnn::log_uniform{1e-4, 1e-1}},
//                              {"epochs", ctnn::uniform_int{5, 20}},
//                              {"optimizer", ctnn::choice{"adam", "sgd"}}};
//   const ctnn::hyperparameters p = g[4];         // learning_rate 0.01, epochs 5
//   p.get<float>("learning_rate");  p.get<std::size_t>("epochs");  p.get<std::string>("...");
//
// Only what is a run-time value in ctnn belongs here: the learning rate and the other fields of
// an optimizer, the fit_options (epochs, ...), a word the objective maps to a type (which
// optimizer). Layer sizes, activations, dropout rates, regularization factors and the batch size
// are template arguments; they are searched as a list of types (architecture_search.hpp).
//
// Values are drawn with ctnn::random_engine and arithmetic written here (not the standard
// distributions, whose algorithms differ between standard libraries), so a seed gives the same
// configurations everywhere.
#pragma once

#include "ctnn/policies/init/random.hpp"
#include "ctnn/workflow/split.hpp"

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace ctnn {

// One value of a hyperparameter: a number (a learning rate, a number of epochs, a flag) or a
// word (the name of an optimizer) that the objective turns into code.
class hyperparameter_value {
public:
    template <class T>
    requires std::is_arithmetic_v<T> hyperparameter_value(T number)
    noexcept // implicit on purpose
        : value_(static_cast<double>(number)) {}
    hyperparameter_value(std::string text) : value_(std::move(text)) {}
    hyperparameter_value(const char* text) : value_(std::string(text)) {}

    [[nodiscard]] bool is_number() const noexcept { return value_.index() == 0; }

    [[nodiscard]] double number() const {
        if (!is_number())
            throw std::invalid_argument("hyperparameter_value: '" + text() +
                                        "' is a word, not a number");
        return std::get<0>(value_);
    }
    [[nodiscard]] const std::string& text() const {
        if (is_number())
            throw std::invalid_argument("hyperparameter_value: " + to_string() +
                                        " is a number, not a word");
        return std::get<1>(value_);
    }

    // Numbers with 6 significant digits (0.003, 1e-05, 20), words as they are.
    [[nodiscard]] std::string to_string() const {
        if (!is_number())
            return std::get<1>(value_);
        char text[32];
        std::snprintf(text, sizeof text, "%.6g", std::get<0>(value_));
        return text;
    }

    friend bool operator==(const hyperparameter_value&, const hyperparameter_value&) = default;

private:
    std::variant<double, std::string> value_;
};

// The values of one configuration, by name, in the order the search space lists them.
class hyperparameters {
public:
    using entry = std::pair<std::string, hyperparameter_value>;

    hyperparameters() = default;
    hyperparameters(std::initializer_list<entry> entries) {
        for (const entry& e : entries)
            set(e.first, e.second);
    }

    // Sets `name` to `value`, replacing an earlier value of that name.
    void set(const std::string& name, hyperparameter_value value) {
        for (entry& e : entries_)
            if (e.first == name) {
                e.second = std::move(value);
                return;
            }
        entries_.emplace_back(name, std::move(value));
    }

    [[nodiscard]] bool has(std::string_view name) const noexcept {
        for (const entry& e : entries_)
            if (e.first == name)
                return true;
        return false;
    }

    [[nodiscard]] const hyperparameter_value& operator[](std::string_view name) const {
        for (const entry& e : entries_)
            if (e.first == name)
                return e.second;
        std::string known;
        for (const entry& e : entries_)
            known += (known.empty() ? "" : ", ") + e.first;
        throw std::out_of_range("hyperparameters: no value named '" + std::string(name) +
                                "' (the configuration has: " + (known.empty() ? "none" : known) +
                                ")");
    }

    // The value as T: a number converted to an arithmetic T (to an integer only when it is a
    // whole number within T's range), or the word for T = std::string.
    template <class T>
    [[nodiscard]] T get(std::string_view name) const {
        static_assert(std::is_arithmetic_v<T> || std::is_same_v<T, std::string>,
                      "hyperparameters::get<T>: T must be a number type (float, std::size_t, ...) "
                      "or std::string");
        const hyperparameter_value& v = (*this)[name];
        if constexpr (std::is_same_v<T, std::string>) {
            return v.text();
        } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            const double x = v.number();
            // Compared in double: 2^63 and 2^64 are exact, so the bounds are right at the top.
            const bool whole = std::isfinite(x) && std::floor(x) == x;
            const bool fits =
                x >= static_cast<double>(std::numeric_limits<T>::min()) &&
                x < static_cast<double>(std::numeric_limits<T>::max()) + 1.0; // max + 1: 2^k
            if (!whole || !fits)
                throw std::invalid_argument("hyperparameters: '" + std::string(name) + "' is " +
                                            v.to_string() +
                                            ", not a whole number in the range of the type asked "
                                            "for");
            return static_cast<T>(x);
        } else {
            return static_cast<T>(v.number());
        }
    }

    [[nodiscard]] const std::vector<entry>& entries() const noexcept { return entries_; }
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
    [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }

    // "learning_rate=0.003 epochs=10"
    [[nodiscard]] std::string to_string() const {
        std::string text;
        for (const entry& e : entries_)
            text += (text.empty() ? "" : " ") + e.first + "=" + e.second.to_string();
        return text;
    }

    friend bool operator==(const hyperparameters&, const hyperparameters&) = default;

private:
    std::vector<entry> entries_;
};

namespace detail {

inline void check_axis_name(const char* who, const std::string& name,
                            const std::vector<std::string>& earlier) {
    if (name.empty())
        throw std::invalid_argument(std::string(who) + ": a hyperparameter has an empty name");
    for (const std::string& n : earlier)
        if (n == name)
            throw std::invalid_argument(std::string(who) + ": the hyperparameter '" + name +
                                        "' is named twice");
}

} // namespace detail

// One axis of a grid: a name and the values to try, in the order to try them.
struct grid_axis {
    std::string name;
    std::vector<hyperparameter_value> values;
};

// Every combination of the axes' values. Configuration i takes the axes as digits of i, the
// first axis varying slowest (as nested loops written in the axes' order). A grid without axes
// has one configuration with no values (for searches over compile-time variants alone).
class grid {
public:
    grid() = default;
    grid(std::initializer_list<grid_axis> axes) : grid(std::vector<grid_axis>(axes)) {}
    explicit grid(std::vector<grid_axis> axes) : axes_(std::move(axes)) {
        std::vector<std::string> names;
        for (const grid_axis& a : axes_) {
            detail::check_axis_name("grid", a.name, names);
            if (a.values.empty())
                throw std::invalid_argument("grid: the hyperparameter '" + a.name +
                                            "' has no values to try");
            names.push_back(a.name);
        }
    }

    [[nodiscard]] const std::vector<grid_axis>& axes() const noexcept { return axes_; }

    // The number of configurations: the product of the axes' sizes.
    [[nodiscard]] std::size_t size() const noexcept {
        std::size_t n = 1;
        for (const grid_axis& a : axes_)
            n *= a.values.size();
        return n;
    }

    [[nodiscard]] hyperparameters operator[](std::size_t i) const {
        if (i >= size())
            throw std::out_of_range("grid: configuration " + std::to_string(i) + " of a grid of " +
                                    std::to_string(size()));
        std::vector<std::size_t> digit(axes_.size());
        for (std::size_t a = axes_.size(); a-- > 0;) { // the last axis is the fastest digit
            digit[a] = i % axes_[a].values.size();
            i /= axes_[a].values.size();
        }
        hyperparameters p;
        for (std::size_t a = 0; a < axes_.size(); ++a)
            p.set(axes_[a].name, axes_[a].values[digit[a]]);
        return p;
    }

    [[nodiscard]] std::vector<hyperparameters> configurations() const {
        std::vector<hyperparameters> all;
        all.reserve(size());
        for (std::size_t i = 0; i < size(); ++i)
            all.push_back((*this)[i]);
        return all;
    }

private:
    std::vector<grid_axis> axes_;
};

// The distributions a random search draws from.
struct uniform { // a real number in [low, high)
    double low, high;
};
struct log_uniform {  // a real number in [low, high] whose logarithm is uniform; 0 < low
    double low, high; // (the usual prior for learning rates: 1e-4..1e-3 as likely as 1e-2..1e-1)
};
struct uniform_int {        // every integer in [low, high] equally likely (held as a double: exact
    std::int64_t low, high; // up to 2^53)
};
struct choice { // one of the values, each equally likely
    std::vector<hyperparameter_value> values;
    choice(std::initializer_list<hyperparameter_value> v) : values(v) {}
    explicit choice(std::vector<hyperparameter_value> v) : values(std::move(v)) {}
};
using distribution = std::variant<uniform, log_uniform, uniform_int, choice>;

struct random_axis {
    std::string name;
    ctnn::distribution distribution;
};

namespace detail {

inline void check_distribution(const std::string& name, const distribution& d) {
    const std::string who = "random_space: '" + name + "'";
    if (const auto* u = std::get_if<uniform>(&d)) {
        if (!(std::isfinite(u->low) && std::isfinite(u->high) && u->low < u->high))
            throw std::invalid_argument(who + ": uniform{low, high} needs finite low < high");
    } else if (const auto* l = std::get_if<log_uniform>(&d)) {
        if (!(l->low > 0 && std::isfinite(l->high) && l->low <= l->high))
            throw std::invalid_argument(who + ": log_uniform{low, high} needs 0 < low <= high");
    } else if (const auto* i = std::get_if<uniform_int>(&d)) {
        if (i->low > i->high)
            throw std::invalid_argument(who + ": uniform_int{low, high} needs low <= high");
    } else if (std::get<choice>(d).values.empty()) {
        throw std::invalid_argument(who + ": choice{...} has no values");
    }
}

inline hyperparameter_value draw(const distribution& d, random_engine& gen) {
    if (const auto* u = std::get_if<uniform>(&d)) {
        const double x = u->low + (u->high - u->low) * uniform_unit(gen());
        return x < u->high ? x : std::nextafter(u->high, u->low); // rounding may reach `high`
    }
    if (const auto* l = std::get_if<log_uniform>(&d)) {
        const double lo = std::log(l->low), hi = std::log(l->high);
        const double x = std::exp(lo + (hi - lo) * uniform_unit(gen()));
        return std::min(std::max(x, l->low), l->high); // exp(log(x)) may round past a bound
    }
    if (const auto* i = std::get_if<uniform_int>(&d)) {
        // The span as unsigned: high - low + 1 can exceed INT64_MAX; the full range is 2^64.
        const std::uint64_t span =
            static_cast<std::uint64_t>(i->high) - static_cast<std::uint64_t>(i->low) + 1;
        const std::uint64_t offset = span == 0 ? gen() : uniform_below(gen, span);
        return static_cast<double>(
            static_cast<std::int64_t>(static_cast<std::uint64_t>(i->low) + offset));
    }
    const auto& values = std::get<choice>(d).values;
    return values[uniform_below(gen, values.size())];
}

} // namespace detail

// Named distributions; sample() draws one configuration, the axes in order.
class random_space {
public:
    random_space(std::initializer_list<random_axis> axes)
        : random_space(std::vector<random_axis>(axes)) {}
    explicit random_space(std::vector<random_axis> axes) : axes_(std::move(axes)) {
        std::vector<std::string> names;
        for (const random_axis& a : axes_) {
            detail::check_axis_name("random_space", a.name, names);
            detail::check_distribution(a.name, a.distribution);
            names.push_back(a.name);
        }
    }

    [[nodiscard]] const std::vector<random_axis>& axes() const noexcept { return axes_; }

    [[nodiscard]] hyperparameters sample(random_engine& gen) const {
        hyperparameters p;
        for (const random_axis& a : axes_)
            p.set(a.name, detail::draw(a.distribution, gen));
        return p;
    }

private:
    std::vector<random_axis> axes_;
};

} // namespace ctnn
