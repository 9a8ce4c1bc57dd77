// ctnn/kernels/dense_tile.hpp - how a dense kernel blocks its output for the register file,
// and the loops over those blocks that every kernel shares.
//
//   for_each_tile<In, 6>([&](auto inputs, std::size_t k) { tile<inputs>(w + k * stride); });
//   for_each_column_block<vectors, 4>([&](auto v, std::size_t col) { tile<v>(y + col); });
//
// A tile is `rows` samples × `vectors` output vectors of accumulators, optionally with
// `k_split` independent partial sums over the input dimension. Batch 1 has one row, so short
// rows of outputs (say 10 softmax outputs = 1 vector) would be a single chain of dependent FMAs
// waiting on the FMA latency; splitting the input dimension into k_split chains hides it.
#pragma once

#include "ctnn/simd/batch.hpp"

#include <algorithm>
#include <cstddef>
#include <type_traits>

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

// [0, N) in tiles of Tile, then one tile with the rest: body(integral_constant<Size>, start) for
// each, Size = Tile for the full tiles (a run-time loop over start) and N % Tile for the last.
// Sizes stay compile-time constants, so each size instantiates its own register-blocked tile.
template <std::size_t N, std::size_t Tile, class Body>
[[gnu::always_inline]] inline void for_each_tile(Body&& body) {
    constexpr std::size_t tiled = N / Tile * Tile;
    for (std::size_t start = 0; start < tiled; start += Tile)
        body(std::integral_constant<std::size_t, Tile>{}, start);
    if constexpr (tiled != N)
        body(std::integral_constant<std::size_t, N - tiled>{}, tiled);
}

// OutputVectors output vectors in column blocks of BlockVectors, then the remainder block:
// body(integral_constant<Vectors>, column), column the block's first float in a row.
template <std::size_t OutputVectors, std::size_t BlockVectors, class Body>
[[gnu::always_inline]] inline void for_each_column_block(Body&& body) {
    for_each_tile<OutputVectors, BlockVectors>([&](
        auto vectors, std::size_t first_vector) __attribute__((always_inline)) {
        body(vectors, first_vector * simd::width_v<float>);
    });
}

} // namespace ctnn::kernels
