// tests/policies/activation/activation_oracles.hpp - independent double-precision formulas for
// every elementwise activation, and the lists of activation types the law tests run over.
//
// The formulas are the textbook definitions evaluated in double with the C library (not xsimd,
// not the float code under test), rearranged only where double itself would overflow.
#pragma once

#include "ctnn/policies/activation/activations.hpp"
#include "ctnn/simd/memory.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <ratio>
#include <tuple>
#include <vector>

namespace ctnn::test {

// Every elementwise activation, with non-default parameters for the parameterised ones.
using elementwise_activations =
    std::tuple<ctnn::linear, ctnn::threshold, ctnn::sigmoid, ctnn::tanh, ctnn::relu,
               ctnn::leaky_relu, ctnn::leaky_relu_with<std::ratio<1, 100>>, ctnn::elu,
               ctnn::elu_with<std::ratio<3, 2>>, ctnn::softplus, ctnn::gelu, ctnn::swish>;

// oracle<A>::f(x) = g(x) in double; `kink` marks activations not differentiable at 0.
template <class A>
struct oracle;

template <>
struct oracle<ctnn::linear> {
    static double f(double x) { return x; }
    static constexpr bool kink = false;
};
template <>
struct oracle<ctnn::threshold> {
    static double f(double x) { return x >= 0.0 ? 1.0 : 0.0; }
    static constexpr bool kink = true;
};
template <>
struct oracle<ctnn::sigmoid> {
    static double f(double x) { return 1.0 / (1.0 + std::exp(-x)); }
    static constexpr bool kink = false;
};
template <>
struct oracle<ctnn::tanh> {
    static double f(double x) { return std::tanh(x); }
    static constexpr bool kink = false;
};
template <>
struct oracle<ctnn::relu> {
    static double f(double x) { return x > 0.0 ? x : 0.0; }
    static constexpr bool kink = true;
};
template <class Slope>
struct oracle<ctnn::leaky_relu_with<Slope>> {
    static double f(double x) {
        return x > 0.0 ? x : static_cast<double>(Slope::num) / static_cast<double>(Slope::den) * x;
    }
    static constexpr bool kink = true;
};
template <class Alpha>
struct oracle<ctnn::elu_with<Alpha>> {
    static double f(double x) {
        const double alpha = static_cast<double>(Alpha::num) / static_cast<double>(Alpha::den);
        return x > 0.0 ? x : alpha * (std::exp(x) - 1.0);
    }
    static constexpr bool kink = true;
};
template <>
struct oracle<ctnn::softplus> {
    // ln(1 + e^x) = x + ln(1 + e^-x); the second form only where e^x would overflow.
    static double f(double x) {
        return x > 30.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }
    static constexpr bool kink = false;
};
template <>
struct oracle<ctnn::gelu> {
    static double f(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }
    static constexpr bool kink = false;
};
template <>
struct oracle<ctnn::swish> {
    static double f(double x) { return x / (1.0 + std::exp(-x)); }
    static constexpr bool kink = false;
};

// The lanes of a batch, and a batch from lanes.
constexpr std::size_t W = simd::width_v<float>;
using lanes = std::array<float, W>;

inline lanes to_lanes(const simd::batch_t<float>& v) {
    alignas(simd::alignment) lanes out{};
    simd::store_aligned(out.data(), v);
    return out;
}
inline simd::batch_t<float> from_lanes(const lanes& l) {
    return simd::load_unaligned(l.data());
}

// The points the activation tests check: landmarks of both signs (0, small, the curved part,
// saturation, 1e4) and a sweep of `steps` points each side of 0 through the curved part, `step`
// apart and shifted by `step` / 25 so as not to hit 0 exactly.
inline std::vector<float> activation_grid(int steps, float step) {
    std::vector<float> xs = {0.0f, 1e-3f, 0.1f, 0.5f,  0.75f, 1.0f,  1.28f,  1.5f, 2.0f,
                             3.0f, 5.0f,  8.0f, 15.0f, 30.0f, 87.0f, 100.0f, 1e4f};
    const std::size_t n = xs.size();
    for (std::size_t i = 1; i < n; ++i)
        xs.push_back(-xs[i]);
    for (int i = -steps; i <= steps; ++i)
        xs.push_back(step * static_cast<float>(i) + step / 25.0f);
    return xs;
}

} // namespace ctnn::test
