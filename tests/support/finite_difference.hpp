// tests/support/finite_difference.hpp - central differences in double precision, the oracle for
// every derivative and gradient ctnn computes.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace ctnn::test {

// d f / d x at x, by the central difference (f(x + h) - f(x - h)) / 2h with h scaled to x.
template <class F>
double central_difference(F f, double x, double relative_step = 1e-5) {
    const double h = relative_step * std::max(1.0, std::abs(x));
    return (f(x + h) - f(x - h)) / (2.0 * h);
}

// Gradient of a scalar function of a vector: g[i] = d f(x) / d x[i].
template <class F>
std::vector<double> central_gradient(F f, std::vector<double> x, double relative_step = 1e-5) {
    std::vector<double> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double saved = x[i];
        const double h = relative_step * std::max(1.0, std::abs(saved));
        x[i] = saved + h;
        const double up = f(x);
        x[i] = saved - h;
        const double down = f(x);
        x[i] = saved;
        g[i] = (up - down) / (2.0 * h);
    }
    return g;
}

// |a - b| <= abs_tol + rel_tol * max(|a|, |b|)
inline bool close(double a, double b, double rel_tol, double abs_tol) {
    return std::abs(a - b) <= abs_tol + rel_tol * std::max(std::abs(a), std::abs(b));
}

} // namespace ctnn::test
