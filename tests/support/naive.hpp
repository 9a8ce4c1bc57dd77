// tests/support/naive.hpp - plain double-precision loops: the reference every kernel is
// compared with.
#pragma once

#include "ctnn/policies/activation/activations.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <type_traits>
#include <vector>

namespace ctnn::test {

// Uniform values in [lo, hi) from a fixed seed.
inline std::vector<float> random_values(std::size_t n, std::uint64_t seed, float lo = -1.0f,
                                        float hi = 1.0f) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(gen);
    return v;
}

// z[r][j] = b[j] + sum_k x[r][k] w[k][j] in double; w is [in][out] without padding.
inline std::vector<double> naive_affine(const std::vector<float>& x, const std::vector<float>& w,
                                        const std::vector<float>& b, std::size_t rows,
                                        std::size_t in, std::size_t out) {
    std::vector<double> z(rows * out);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < out; ++j) {
            double acc = b[j];
            for (std::size_t k = 0; k < in; ++k)
                acc += static_cast<double>(x[r * in + k]) * w[k * out + j];
            z[r * out + j] = acc;
        }
    return z;
}

// Row-wise softmax in double, in place.
inline void naive_softmax(std::vector<double>& z, std::size_t rows, std::size_t n) {
    for (std::size_t r = 0; r < rows; ++r) {
        double* row = z.data() + r * n;
        const double m = *std::max_element(row, row + n);
        double sum = 0;
        for (std::size_t j = 0; j < n; ++j)
            sum += (row[j] = std::exp(row[j] - m));
        for (std::size_t j = 0; j < n; ++j)
            row[j] /= sum;
    }
}

// g(z) in double, in place, for rows of n values (softmax row by row): the activations the
// reference tests use.
template <class Act>
void naive_activation(std::vector<double>& z, std::size_t rows, std::size_t n) {
    if constexpr (std::is_same_v<Act, softmax>) {
        naive_softmax(z, rows, n);
    } else {
        for (double& v : z) {
            if constexpr (std::is_same_v<Act, relu>)
                v = v > 0 ? v : 0;
            else if constexpr (std::is_same_v<Act, sigmoid>)
                v = 1 / (1 + std::exp(-v));
            else if constexpr (std::is_same_v<Act, ctnn::tanh>)
                v = std::tanh(v);
            else if constexpr (std::is_same_v<Act, gelu>)
                v = 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
            else
                static_assert(std::is_same_v<Act, linear>, "naive_activation: no reference");
        }
    }
}

} // namespace ctnn::test
