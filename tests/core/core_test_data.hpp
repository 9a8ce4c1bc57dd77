// tests/core/core_test_data.hpp - shapes and random data shared by the core tests.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/core/tensor.hpp"

#include <cmath>
#include <cstddef>
#include <random>
#include <tuple>

namespace ctnn::test {

// Element counts 1, 3, 17, 784 and ranks 0 to 5; none but 784 and 16 a multiple of 16 lanes.
using core_test_shapes =
    std::tuple<shape<>, shape<1>, shape<3>, shape<17>, shape<784>, shape<28, 28>, shape<3, 17>,
               shape<2, 3, 5>, shape<1, 3, 1, 17>, shape<2, 1, 3, 2, 5>, shape<4, 2, 2>>;

// A tensor of uniform random values in [lo, hi), reproducible from `seed`.
template <static_shape S>
tensor<float, S> random_tensor(unsigned seed, float lo = -2.0f, float hi = 2.0f) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    tensor<float, S> t;
    for (std::size_t i = 0; i < S::size; ++i)
        t[i] = dist(gen);
    return t;
}

// Relative closeness for results that may differ by rounding (e.g. an FMA contraction).
inline bool close(double actual, double expected, double tolerance = 1e-6) {
    return std::abs(actual - expected) <= tolerance * (1.0 + std::abs(expected));
}

// Padding lanes past the elements: zero unless something wrote them.
template <class T, static_shape S>
bool padding_is_zero(const tensor<T, S>& t) {
    for (std::size_t i = S::size; i < tensor<T, S>::storage_size; ++i)
        if (t.data()[i] != T(0))
            return false;
    return true;
}

} // namespace ctnn::test
