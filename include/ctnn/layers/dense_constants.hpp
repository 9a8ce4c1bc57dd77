// ctnn/layers/dense_constants.hpp - a dense layer's parameters as constant arrays, and its
// pre-activations computed from them in a constant expression.
//
//   inline constexpr std::array<float, 4> k{1, 1, 1, 1};  // [In][Units] row-major, as Keras
//   inline constexpr std::array<float, 2> b{0, -1};
//   inline constexpr ctnn::dense_constants<2, 2> c{k, b};
//   detail::dense_constant_preactivation<multiply_add::fused>(c, x, z);   // z = b + x K
//
// The pre-activations follow the batch-1 kernel's arithmetic (kernels/dense_forward.hpp): the
// same interleaved partial sums, each step one multiply-add rounded as Mode says
// (simd/constant_math.hpp), so that they agree bit for bit with network::predict wherever both
// round the multiply-add the same way. dense_layer's constant_forward (dense.hpp) applies its
// activation's constant form to them.
#pragma once

#include "ctnn/kernels/dense_tile.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/constant_math.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

namespace ctnn {

// The constant parameters of one dense layer: kernel [In][Units] row-major (Keras), bias [Units].
template <std::size_t In, std::size_t Units>
struct dense_constants {
    std::span<const float, In * Units> kernel;
    std::span<const float, Units> bias;
};

namespace detail {

// z[j] = b[j] + sum_i x[i] W[i][j] in the batch-1 kernel's order: output vectors in blocks of
// row_tile's width, each block's inputs split into k_split interleaved partial sums (partial
// sum 0 starts from the bias, the others from 0), the partial sums added in order at the end.
// A single output is the kernel's dot path (kernels/dense_forward.hpp, dense_forward_dot):
// min(In, fma_chains) interleaved chains from 0, each a correctly rounded fma (std::fma in every
// build), the remainder on the first chains, a pairwise sum of the chains, then the bias.
template <std::size_t In>
constexpr float dense_constant_dot(const float* x, const float* w, float bias) noexcept {
    using simd::constant_math::fused_multiply_add;
    constexpr std::size_t chains = In < kernels::fma_chains ? In : kernels::fma_chains;
    constexpr std::size_t k_main = In / chains * chains;
    std::array<float, chains> acc{};
    for (std::size_t k = 0; k < k_main; ++k)
        acc[k % chains] = fused_multiply_add(x[k], w[k], acc[k % chains]);
    for (std::size_t s = 0; s < In - k_main; ++s)
        acc[s] = fused_multiply_add(x[k_main + s], w[k_main + s], acc[s]);
    for (std::size_t width = chains; width > 1; width = (width + 1) / 2)
        for (std::size_t i = 0; i < width / 2; ++i)
            acc[i] += acc[i + (width + 1) / 2];
    return acc[0] + bias;
}

template <multiply_add Mode, std::size_t In, std::size_t Units>
constexpr void dense_constant_preactivation(const dense_constants<In, Units>& p, const float* x,
                                            float* z) noexcept {
    if constexpr (Units == 1) {
        z[0] = dense_constant_dot<In>(x, p.kernel.data(), p.bias[0]);
        return;
    }
    constexpr std::size_t width = simd::width_v<float>;
    constexpr std::size_t vectors = simd::padded_size<float>(Units) / width;
    constexpr std::size_t block = kernels::row_tile(vectors, In).vectors;
    constexpr std::size_t full_blocks = vectors / block;
    constexpr std::size_t full_split = kernels::row_tile(block, In).k_split;
    constexpr std::size_t rest_split =
        vectors % block == 0 ? 1 : kernels::row_tile(vectors % block, In).k_split;
    constexpr std::size_t max_split = std::max(full_split, rest_split);
    for (std::size_t j = 0; j < Units; ++j) {
        const std::size_t k_split = j / width / block < full_blocks ? full_split : rest_split;
        std::array<float, max_split> acc{};
        acc[0] = p.bias[j];
        const std::size_t k_main = In / k_split * k_split;
        for (std::size_t k = 0; k < In; ++k) {
            float& a = acc[k < k_main ? k % k_split : 0];
            a = simd::constant_math::multiply_add_as<Mode>(x[k], p.kernel[k * Units + j], a);
        }
        float sum = acc[0];
        for (std::size_t s = 1; s < k_split; ++s)
            sum += acc[s];
        z[j] = sum;
    }
}

} // namespace detail

} // namespace ctnn
