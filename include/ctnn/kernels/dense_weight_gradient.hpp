// ctnn/kernels/dense_weight_gradient.hpp - the kernel gradient of a dense layer, dW += Xᵀ · dZ.
//
//   kernels::dense_weight_gradient<784, 128>(x, x_stride, dz, dw, rows);
//
// dw has W's layout (dense_layout<In, Out>: [In][padded(Out)]), so row k of dw is
// Σ_r x[r][k] · dz[r][:], a sum of whole dz rows scaled by one input each. A tile of dw (a few
// inputs × a few output vectors) stays in registers while every sample is streamed through it:
// each dz vector loaded is reused for all inputs of the tile, each broadcast x for all vectors,
// and dw is read and written once per chunk of samples (whose dz rows stay in L1). No
// horizontal reductions.
#pragma once

#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_tile.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <cstddef>

namespace ctnn::kernels {

namespace detail {

// acc[i][v] += Σ_r x[r][i] · dz[r][v] for r < rows, i < Inputs, v < Vectors (acc row-major):
// each dz vector loaded serves every input of the tile, each broadcast x every vector. x points
// at the tile's first input of row 0 (rows x_stride apart), dz at its first column (aligned, rows
// Stride floats apart). Always inlined, bodies included, so that acc stays in registers.
template <std::size_t Stride, std::size_t Inputs, std::size_t Vectors>
[[gnu::always_inline]] inline void
accumulate_weight_gradient(simd::batch_t<float>* acc, const float* x, std::size_t x_stride,
                           const float* dz, std::size_t rows) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    for (std::size_t r = 0; r < rows; ++r) {
        V d[Vectors];
        static_for<Vectors>([&](auto v) __attribute__((always_inline)) {
            d[v] = simd::load_aligned(dz + r * Stride + v * lanes);
        });
        static_for<Inputs>([&](auto i) __attribute__((always_inline)) {
            const V xi(x[r * x_stride + i]);
            static_for<Vectors>([&](auto v) __attribute__((always_inline)) {
                acc[i * Vectors + v] = simd::fma(xi, d[v], acc[i * Vectors + v]);
            });
        });
    }
}

// dw[i][v] += Σ_r x[r][i] · dz[r][v] for i < Inputs, v < Vectors. x points at the tile's first
// input of row 0 (rows x_stride apart); dz and dw at the tile's first column (aligned, rows
// Stride floats apart).
template <std::size_t Stride, std::size_t Inputs, std::size_t Vectors>
inline void weight_gradient_tile(const float* x, std::size_t x_stride, const float* dz, float* dw,
                                 std::size_t rows) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    V acc[Inputs * Vectors];
    static_for<Inputs>([&](auto i) {
        static_for<Vectors>([&](auto v) {
            acc[i * Vectors + v] = simd::load_aligned(dw + i * Stride + v * lanes);
        });
    });
    accumulate_weight_gradient<Stride, Inputs, Vectors>(acc, x, x_stride, dz, rows);
    static_for<Inputs>([&](auto i) {
        static_for<Vectors>([&](auto v) {
            simd::store_aligned(dw + i * Stride + v * lanes, acc[i * Vectors + v]);
        });
    });
}

// Every input of one column block of Vectors vectors: blocks of as many inputs as the register
// tile holds, then one block with the remaining inputs (In is a constant, so is the remainder).
template <std::size_t In, std::size_t Stride, std::size_t Vectors>
inline void weight_gradient_columns(const float* x, std::size_t x_stride, const float* dz,
                                    float* dw, std::size_t rows) noexcept {
    for_each_tile<In, batch_tile(Vectors).rows>([&](auto inputs,
                                                    std::size_t k) __attribute__((always_inline)) {
        weight_gradient_tile<Stride, inputs, Vectors>(x + k, x_stride, dz, dw + k * Stride, rows);
    });
}

// Samples per chunk: about 16 KB of a column block of dz (half an L1 cache), which every
// block of inputs then reads from L1; dw is read and written once per chunk.
template <std::size_t BlockVectors>
inline constexpr std::size_t weight_chunk_rows =
    std::max<std::size_t>(1, 16384 / (BlockVectors * simd::width_v<float> * sizeof(float)));

} // namespace detail

// dw[k][j] += Σ_r x[r][k] · dz[r][j] for r < rows: accumulates (zero dw before a batch).
// x: rows x_stride floats apart, any alignment. dz: rows padded(Out) floats apart, aligned,
// padding lanes zero (as dense_preactivation_gradient writes them), which keeps dw's padding
// columns exactly zero. dw: a dense_layout<In, Out>::kernel_size array, aligned.
template <std::size_t In, std::size_t Out>
void dense_weight_gradient(const float* x, std::size_t x_stride, const float* dz, float* dw,
                           std::size_t rows) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr std::size_t stride = layout::padded_outputs;
    constexpr std::size_t block = batch_tile(layout::output_vectors).vectors;
    constexpr std::size_t chunk = detail::weight_chunk_rows<block>;
    for (std::size_t r = 0; r < rows; r += chunk) {
        const std::size_t n = std::min(chunk, rows - r);
        const float* x_chunk = x + r * x_stride;
        const float* dz_chunk = dz + r * stride;
        for_each_column_block<layout::output_vectors, block>([&](
            auto vectors, std::size_t col) __attribute__((always_inline)) {
            detail::weight_gradient_columns<In, stride, vectors>(x_chunk, x_stride, dz_chunk + col,
                                                                 dw + col, n);
        });
    }
}

} // namespace ctnn::kernels
