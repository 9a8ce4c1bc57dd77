// ctnn/kernels/dense_forward.hpp - the fused dense forward kernel: y = act(x · W + b).
//
//   kernels::dense_forward<relu, 784, 128>(x, x_stride, w, b, y, y_stride, rows);
//
// W is stored [In][padded(Out)] (see dense_layout), so one row of W is the contribution of one
// input to every output: each input value is broadcast and multiplied into a tile of output
// vectors held in registers (no horizontal reductions). Bias is the accumulators' start value
// and an element-wise activation is applied in registers before the single store; a row-wise
// activation (softmax) runs once per row right after. Several samples use a rows × vectors
// register tile that reuses each loaded weight vector for every row of the tile; one sample uses
// up to 16 vectors and splits the input dimension when the layer is narrow (dense_tile.hpp).
// A single output (Out = 1, a regression or binary head) is a dot product per sample instead:
// W's rows are one useful lane in a padded vector, so the broadcast kernel would spend 15 of 16
// lanes of every load and FMA on padding.
#pragma once

#include "ctnn/kernels/dense_tile.hpp"
#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"
#include "ctnn/util/static_for.hpp"

#include <cstddef>

namespace ctnn::kernels {

// How a dense layer with In inputs and Out outputs lays out its parameters for the kernels.
template <std::size_t In, std::size_t Out>
struct dense_layout {
    static constexpr std::size_t inputs = In;
    static constexpr std::size_t outputs = Out;
    static constexpr std::size_t padded_outputs = simd::padded_size<float>(Out);
    static constexpr std::size_t output_vectors = padded_outputs / simd::width_v<float>;
    static constexpr std::size_t kernel_size = In * padded_outputs; // floats in W
    static constexpr std::size_t bias_size = padded_outputs;        // floats in b
};

namespace detail {

// acc[r][v] += x[r * x_stride] * wk[v]: one input's contribution to a tile of accumulators.
// acc holds Rows × Vectors accumulators, row-major.
template <std::size_t Rows, std::size_t Vectors>
[[gnu::always_inline]] inline void accumulate_input(simd::batch_t<float>* acc, const float* x,
                                                    std::size_t x_stride,
                                                    const float* wk) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    V w[Vectors];
    static_for<Vectors>([&](auto v) { w[v] = simd::load_aligned(wk + v * lanes); });
    static_for<Rows>([&](auto r) {
        const V xk(x[r * x_stride]);
        static_for<Vectors>(
            [&](auto v) { acc[r * Vectors + v] = simd::fma(xk, w[v], acc[r * Vectors + v]); });
    });
}

// One register tile: Rows samples × Vectors output vectors, the input dimension split into
// KSplit interleaved partial sums. x rows are x_stride apart (any alignment); w and b point at
// the tile's first column (aligned), y at its first output (aligned, rows y_stride apart).
template <activation Act, std::size_t In, std::size_t WStride, std::size_t Rows,
          std::size_t Vectors, std::size_t KSplit>
inline void dense_forward_tile(const float* x, std::size_t x_stride, const float* w, const float* b,
                               float* y, std::size_t y_stride) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    constexpr std::size_t tile = Rows * Vectors;
    // acc[s * tile + r * Vectors + v]: partial sum s of row r, vector v. One flat array (a
    // three-dimensional one sends GCC 12's PRE pass into an internal compiler error).
    V acc[KSplit * tile];

    static_for<Rows>([&](auto r) {
        static_for<Vectors>([&](auto v) {
            acc[r * Vectors + v] = simd::load_aligned(b + v * lanes);
            static_for<KSplit - 1>(
                [&](auto s) { acc[(s + 1) * tile + r * Vectors + v] = V(0.0f); });
        });
    });

    constexpr std::size_t k_main = In / KSplit * KSplit;
    for (std::size_t k = 0; k < k_main; k += KSplit)
        static_for<KSplit>([&](auto s) {
            accumulate_input<Rows, Vectors>(acc + s * tile, x + k + s, x_stride,
                                            w + (k + s) * WStride);
        });
    for (std::size_t k = k_main; k < In; ++k)
        accumulate_input<Rows, Vectors>(acc, x + k, x_stride, w + k * WStride);

    static_for<Rows>([&](auto r) {
        static_for<Vectors>([&](auto v) {
            V z = acc[r * Vectors + v];
            static_for<KSplit - 1>([&](auto s) { z += acc[(s + 1) * tile + r * Vectors + v]; });
            if constexpr (Act::elementwise)
                z = Act::f(z);
            simd::store_aligned(y + r * y_stride + v * lanes, z);
        });
    });
}

// All column blocks of a group of Rows rows: full blocks of BlockVectors vectors, then the
// remainder block. KSplit is chosen per block width (only single rows split the input).
template <activation Act, std::size_t In, std::size_t Out, std::size_t Rows,
          std::size_t BlockVectors>
inline void dense_forward_rows(const float* x, std::size_t x_stride, const float* w, const float* b,
                               float* y, std::size_t y_stride) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr std::size_t stride = layout::padded_outputs;
    for_each_column_block<layout::output_vectors, BlockVectors>([&](
        auto vectors, std::size_t col) __attribute__((always_inline)) {
        constexpr std::size_t k_split = Rows == 1 ? row_tile(vectors, In).k_split : 1;
        dense_forward_tile<Act, In, stride, Rows, vectors, k_split>(x, x_stride, w + col, b + col,
                                                                    y + col, y_stride);
    });
}

// Out == 1: y = act(x · w + b) for one sample, a dot product along W's only column (In floats
// Stride apart) with split accumulators so that the chain is not one FMA latency per input.
// Scalar on purpose: the column is strided, and the sample's row is read once.
template <activation Act, std::size_t In, std::size_t Stride>
inline void dense_forward_dot(const float* x, const float* w, const float* b, float* y) noexcept {
    constexpr std::size_t chains = In < fma_chains ? In : fma_chains;
    constexpr std::size_t k_main = In / chains * chains;
    float acc[chains];
    static_for<chains>([&](auto s) { acc[s] = 0.0f; });
    for (std::size_t k = 0; k < k_main; k += chains)
        static_for<chains>(
            [&](auto s) { acc[s] = simd::fma(x[k + s], w[(k + s) * Stride], acc[s]); });
    static_for<In - k_main>(
        [&](auto s) { acc[s] = simd::fma(x[k_main + s], w[(k_main + s) * Stride], acc[s]); });
    // Pairwise sum of the chains: log2(chains) dependent adds rather than chains - 1.
    for (std::size_t width = chains; width > 1; width = (width + 1) / 2)
        for (std::size_t i = 0; i < width / 2; ++i)
            acc[i] += acc[i + (width + 1) / 2];
    float z = acc[0] + b[0];
    // Lanes past the output hold act(0), as the vector kernel leaves them (bias padding is 0).
    using V = simd::batch_t<float>;
    if constexpr (Act::elementwise) {
        simd::store_aligned(y, V(Act::f(0.0f)));
        z = Act::f(z);
    } else {
        simd::store_aligned(y, V(0.0f));
    }
    y[0] = z;
}

} // namespace detail

// y[r][0..Out) = act(x[r][0..In) · W + b) for r < rows.
// x: rows x_stride floats apart, any alignment. w, b: dense_layout<In, Out> arrays, aligned.
// y: aligned, rows y_stride floats apart (a multiple of the SIMD width), padded(Out) writable
// floats per row; lanes past Out hold act(0) and are not part of the result.
// MaxRows, when the caller knows it (a network predicting one sample), removes the batch-tile
// path that could never run.
template <activation Act, std::size_t In, std::size_t Out,
          std::size_t MaxRows = static_cast<std::size_t>(-1)>
void dense_forward(const float* x, std::size_t x_stride, const float* w, const float* b, float* y,
                   std::size_t y_stride, std::size_t rows) noexcept {
    using layout = dense_layout<In, Out>;
    constexpr tile_shape tile = batch_tile(layout::output_vectors);
    constexpr tile_shape one_row = row_tile(layout::output_vectors, In);

    if constexpr (MaxRows == 1) {
        // One sample, with no loop over rows: in a loop GCC hoists every weight load out of it
        // and, for a small layer, spills the whole of W to the stack and back on each call
        // (measured: most of W1's time).
        if (rows == 1) {
            if constexpr (Out == 1)
                detail::dense_forward_dot<Act, In, layout::padded_outputs>(x, w, b, y);
            else
                detail::dense_forward_rows<Act, In, Out, 1, one_row.vectors>(x, x_stride, w, b, y,
                                                                             y_stride);
        }
    } else if constexpr (Out == 1) {
        for (std::size_t r = 0; r < rows; ++r)
            detail::dense_forward_dot<Act, In, layout::padded_outputs>(x + r * x_stride, w, b,
                                                                       y + r * y_stride);
    } else {
        // Rows in groups of the batch tile's height, the leftover rows in tiles of 4 and 2 rows
        // (one row at a time reads all of W per row: 4 leftover rows of a 64-row batch took 11 %
        // of W3), the last row (and batch 1) alone.
        std::size_t tiled_rows = 0;
        if constexpr (MaxRows >= tile.rows) {
            tiled_rows = rows / tile.rows * tile.rows;
            for (std::size_t r = 0; r < tiled_rows; r += tile.rows)
                detail::dense_forward_rows<Act, In, Out, tile.rows, tile.vectors>(
                    x + r * x_stride, x_stride, w, b, y + r * y_stride, y_stride);
            static_for<2>([&](auto step) {
                constexpr std::size_t height = step == 0 ? 4 : 2;
                if constexpr (tile.rows > height) {
                    for (; rows - tiled_rows >= height; tiled_rows += height)
                        detail::dense_forward_rows<Act, In, Out, height, tile.vectors>(
                            x + tiled_rows * x_stride, x_stride, w, b, y + tiled_rows * y_stride,
                            y_stride);
                }
            });
        }
        for (std::size_t r = tiled_rows; r < rows; ++r)
            detail::dense_forward_rows<Act, In, Out, 1, one_row.vectors>(
                x + r * x_stride, x_stride, w, b, y + r * y_stride, y_stride);
    }
    if constexpr (!Act::elementwise) {
        for (std::size_t r = 0; r < rows; ++r)
            Act::template apply<Out>(y + r * y_stride, y + r * y_stride);
    }
}

} // namespace ctnn::kernels
