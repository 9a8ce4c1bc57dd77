// ctnn/kernels/dense_input_gradient.hpp - the gradient a dense layer passes back, dX = dZ · Wᵀ.
//
//   kernels::dense_input_gradient<128, 10>(dz, w, dx, dx_stride, rows);
//
// dx[r][k] = Σ_j dz[r][j] · W[k][j] is a dot product of two contiguous padded rows (a dz row and
// a row of W), so it runs along whole vectors. A tile of a few samples × a few inputs keeps one
// accumulator per dot product: each loaded dz vector serves every input of the tile and each W
// vector every sample, and there are enough independent FMA chains to hide their latency. Each
// accumulator is reduced horizontally once, at the end. Samples go in chunks whose dz rows stay
// in L1 while W (often too big for L1) is read once per chunk.
// A narrow layer (Out within one vector, a classifier head) would make every dot product one FMA
// and a horizontal reduction; there Wᵀ is formed once per call (Out rows of In floats, in L1)
// and dX is built as the forward kernel builds y: dz[r][j] broadcast times row j of Wᵀ.
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

// Samples × inputs per tile: 24 accumulators with 32 registers, 12 with 16, leaving room for one
// dz vector per sample and one W vector.
inline constexpr std::size_t input_tile_rows = simd::register_count == 32 ? 4 : 2;
inline constexpr std::size_t input_tile_inputs = 6;

// dx[r][i] = <dz[r], w[i]> for r < Rows, i < Inputs. dz rows and w rows are Stride floats apart
// and aligned, Vectors vectors long; dx rows dx_stride apart.
template <std::size_t Stride, std::size_t Vectors, std::size_t Rows, std::size_t Inputs>
inline void input_gradient_tile(const float* dz, const float* w, float* dx,
                                std::size_t dx_stride) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    V acc[Rows * Inputs];
    static_for<Rows * Inputs>([&](auto a) { acc[a] = V(0.0f); });
    for (std::size_t v = 0; v < Vectors; ++v) {
        V d[Rows];
        static_for<Rows>([&](auto r) { d[r] = simd::load_aligned(dz + r * Stride + v * lanes); });
        static_for<Inputs>([&](auto i) {
            const V wi = simd::load_aligned(w + i * Stride + v * lanes);
            static_for<Rows>(
                [&](auto r) { acc[r * Inputs + i] = simd::fma(d[r], wi, acc[r * Inputs + i]); });
        });
    }
    static_for<Rows>([&](auto r) {
        static_for<Inputs>(
            [&](auto i) { dx[r * dx_stride + i] = simd::reduce_add(acc[r * Inputs + i]); });
    });
}

// dx for a block of Inputs inputs (Inputs rows of W, which stay in L1) and every sample of a
// chunk: tiles of input_tile_rows samples, then one sample at a time.
template <std::size_t Stride, std::size_t Vectors, std::size_t Inputs>
inline void input_gradient_block(const float* dz, const float* w, float* dx, std::size_t dx_stride,
                                 std::size_t rows) noexcept {
    constexpr std::size_t tile = input_tile_rows;
    const std::size_t tiled = rows / tile * tile;
    for (std::size_t r = 0; r < tiled; r += tile)
        input_gradient_tile<Stride, Vectors, tile, Inputs>(dz + r * Stride, w, dx + r * dx_stride,
                                                           dx_stride);
    for (std::size_t r = tiled; r < rows; ++r)
        input_gradient_tile<Stride, Vectors, 1, Inputs>(dz + r * Stride, w, dx + r * dx_stride,
                                                        dx_stride);
}

// Samples per chunk: about 16 KB of dz rows (half an L1 cache), a whole number of tiles. W is
// read once per chunk, and the chunk's dz rows are read from L1 for every block of inputs.
template <std::size_t Stride>
inline constexpr std::size_t input_chunk_rows =
    std::max<std::size_t>(1, 16384 / (Stride * sizeof(float)) / input_tile_rows) * input_tile_rows;

// Wᵀ for a narrow layer: Out rows of padded(In) floats (padding zero). Small enough for the
// stack up to this many bytes; wider inputs take the dot-product kernel.
inline constexpr std::size_t narrow_transpose_bytes = 64 * 1024;

// One sample's dx[k] for Vectors vectors of inputs from k0: Σ_j dz[j] · wt[j][k].
template <std::size_t Out, std::size_t InStride, std::size_t Vectors>
inline void narrow_input_gradient_block(const float* dz, const float* wt, float* dx, std::size_t k0,
                                        std::size_t in) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    V acc[Vectors];
    static_for<Vectors>([&](auto v) { acc[v] = V(0.0f); });
    static_for<Out>([&](auto j) {
        const V d(dz[j]);
        static_for<Vectors>([&](auto v) {
            acc[v] = simd::fma(d, simd::load_aligned(wt + j * InStride + k0 + v * lanes), acc[v]);
        });
    });
    static_for<Vectors>([&](auto v) {
        const std::size_t k = k0 + v * lanes;
        if (k + lanes <= in)
            simd::store_unaligned(dx + k, acc[v]);
        else
            simd::store_partial(dx + k, acc[v], in - k); // only the In values of the row
    });
}

template <std::size_t In, std::size_t Out>
void narrow_input_gradient(const float* dz, const float* w, float* dx, std::size_t dx_stride,
                           std::size_t rows) noexcept {
    constexpr std::size_t lanes = simd::width_v<float>;
    constexpr std::size_t stride = dense_layout<In, Out>::padded_outputs;
    constexpr std::size_t in_stride = simd::padded_size<float>(In);
    constexpr std::size_t in_vectors = in_stride / lanes;
    constexpr std::size_t block = 8; // accumulators per sample: 8 chains hide the FMA latency
    alignas(simd::alignment) float wt[Out * in_stride];
    for (std::size_t j = 0; j < Out; ++j) {
        for (std::size_t k = 0; k < In; ++k)
            wt[j * in_stride + k] = w[k * stride + j];
        for (std::size_t k = In; k < in_stride; ++k)
            wt[j * in_stride + k] = 0.0f;
    }
    for (std::size_t r = 0; r < rows; ++r) {
        const float* dz_row = dz + r * stride;
        float* dx_row = dx + r * dx_stride;
        for_each_column_block<in_vectors, block>([&](
            auto vectors, std::size_t k0) __attribute__((always_inline)) {
            narrow_input_gradient_block<Out, in_stride, vectors>(dz_row, wt, dx_row, k0, In);
        });
    }
}

} // namespace detail

// dx[r][k] = Σ_j dz[r][j] · W[k][j] for r < rows, k < In: overwrites dx (it is not accumulated).
// dz: rows padded(Out) floats apart, aligned, padding lanes zero (as
// dense_preactivation_gradient writes them). w: the layer's dense_layout<In, Out> kernel,
// aligned. dx: rows dx_stride floats apart, any alignment; only the In values of each row are
// written.
template <std::size_t In, std::size_t Out>
void dense_input_gradient(const float* dz, const float* w, float* dx, std::size_t dx_stride,
                          std::size_t rows) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr std::size_t stride = layout::padded_outputs;
    constexpr std::size_t vectors = layout::output_vectors;
    if constexpr (vectors == 1 && Out * simd::padded_size<float>(In) * sizeof(float) <=
                                      detail::narrow_transpose_bytes) {
        if (rows >= 2) { // the transpose pays from two samples on
            detail::narrow_input_gradient<In, Out>(dz, w, dx, dx_stride, rows);
            return;
        }
    }
    constexpr std::size_t chunk = detail::input_chunk_rows<stride>;
    for (std::size_t r = 0; r < rows; r += chunk) {
        const std::size_t n = std::min(chunk, rows - r);
        const float* dz_chunk = dz + r * stride;
        float* dx_chunk = dx + r * dx_stride;
        for_each_tile<In, detail::input_tile_inputs>([&](
            auto inputs, std::size_t k) __attribute__((always_inline)) {
            detail::input_gradient_block<stride, vectors, inputs>(dz_chunk, w + k * stride,
                                                                  dx_chunk + k, dx_stride, n);
        });
    }
}

} // namespace ctnn::kernels
