// ctnn/kernels/dense_tile.hpp - how a dense kernel blocks its output for the register file.
//
// A tile is `rows` samples × `vectors` output vectors of accumulators, optionally with
// `k_split` independent partial sums over the input dimension. Batch 1 has one row, so short
// rows of outputs (say 10 softmax outputs = 1 vector) would be a single chain of dependent FMAs
// waiting on the FMA latency; splitting the input dimension into k_split chains hides it.
#pragma once

#include "ctnn/simd/batch.hpp"

#include <algorithm>
#include <cstddef>

namespace ctnn::kernels {

struct tile_shape {
    std::size_t rows;    // samples per tile
    std::size_t vectors; // output vectors per tile
    std::size_t k_split; // independent accumulator sets over the input dimension
};

// Independent FMA chains needed to keep the FMA units busy: 2 units × 4 cycles latency.
inline constexpr std::size_t fma_chains = 8;

// The accumulators a tile may use: the register file less a few for weights and broadcasts.
inline constexpr std::size_t accumulator_budget = simd::register_count - 4;

// Tile for a batch of several samples: as many rows × vectors as fit (a 6×4 tile of 24 zmm
// accumulators with AVX-512, 6×2 with 16 registers), narrower when the layer is narrower.
constexpr tile_shape batch_tile(std::size_t output_vectors) {
    const std::size_t max_vectors = simd::register_count == 32 ? 4 : 2;
    const std::size_t vectors = std::min(output_vectors, max_vectors);
    const std::size_t rows =
        std::min<std::size_t>(accumulator_budget / vectors, vectors == 1 ? 8 : 6);
    return {rows, vectors, 1};
}

// Tile for one sample: up to 16 output vectors stay in registers while each input is broadcast
// once; narrow layers split the input dimension so that at least fma_chains chains run.
constexpr tile_shape row_tile(std::size_t output_vectors, std::size_t inputs) {
    const std::size_t max_vectors = std::min<std::size_t>(16, accumulator_budget);
    const std::size_t vectors = std::min(output_vectors, max_vectors);
    std::size_t k_split = (fma_chains + vectors - 1) / vectors;
    k_split = std::min({k_split, accumulator_budget / vectors, inputs});
    return {1, vectors, std::max<std::size_t>(k_split, 1)};
}

} // namespace ctnn::kernels
