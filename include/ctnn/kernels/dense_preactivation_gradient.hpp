// ctnn/kernels/dense_preactivation_gradient.hpp - the prologue of the dense backward pass:
// dZ = dY ⊙ g'(Z) (a row-wise vector-Jacobian product for softmax), and the bias gradient.
//
//   kernels::dense_preactivation_gradient<relu, 128>(nullptr, y, dy, dz, rows);
//   kernels::dense_bias_gradient<128>(dz, db, rows);   // db += Σ_rows dz
//
// Every row (z, y, dy, dz) is padded(Out) floats long and aligned, as dense_forward writes y.
// The padding lanes of dz are written as exact zeros whatever dy holds there, so that the
// gradients computed from dz (dW, db) keep their padding at zero and dX gets nothing from it.
#pragma once

#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/memory.hpp"

#include <array>
#include <cstddef>

namespace ctnn::kernels {

namespace detail {

// 0, 1, 2, ... one per lane: compared with a lane count it masks the tail of a row.
alignas(simd::alignment) inline constexpr auto row_tail_lane_index = [] {
    std::array<float, simd::width_v<float>> lanes{};
    for (std::size_t i = 0; i < lanes.size(); ++i)
        lanes[i] = static_cast<float>(i);
    return lanes;
}();

// v with lanes N and up set to +0 (also NaN or infinite ones, which a multiplication would keep).
template <std::size_t N>
[[nodiscard]] inline simd::batch_t<float> keep_lanes(simd::batch_t<float> v) noexcept {
    using V = simd::batch_t<float>;
    return simd::select(simd::load_aligned(row_tail_lane_index.data()) < V(static_cast<float>(N)),
                        v, V(0.0f));
}

// dz = dy ⊙ g'(z) over one padded row, padding lanes zero.
template <activation Act, std::size_t Out>
inline void preactivation_gradient_row(const float* z, const float* y, const float* dy,
                                       float* dz) noexcept {
    using V = simd::batch_t<float>;
    constexpr std::size_t lanes = simd::width_v<float>;
    constexpr std::size_t padded = simd::padded_size<float>(Out);
    if constexpr (rowwise_activation<Act>) {
        Act::template backward<Out>(y, dy, dz);
        for (std::size_t j = Out; j < padded; ++j)
            dz[j] = 0.0f;
    } else {
        const auto gradient = [&](std::size_t i) {
            const V yv = simd::load_aligned(y + i);
            // Derivatives of the output alone never read z (it may be null).
            V xv = yv;
            if constexpr (!Act::derivative_from_output)
                xv = simd::load_aligned(z + i);
            return simd::load_aligned(dy + i) * Act::df(xv, yv);
        };
        constexpr std::size_t full = Out / lanes * lanes;
        for (std::size_t i = 0; i < full; i += lanes)
            simd::store_aligned(dz + i, gradient(i));
        if constexpr (full != padded)
            simd::store_aligned(dz + full, keep_lanes<Out - full>(gradient(full)));
    }
}

// db[0..padded(Out)) += dz row.
template <std::size_t Out>
[[gnu::always_inline]] inline void add_row(const float* dz, float* db) noexcept {
    constexpr std::size_t lanes = simd::width_v<float>;
    for (std::size_t i = 0; i < simd::padded_size<float>(Out); i += lanes)
        simd::store_aligned(db + i, simd::load_aligned(db + i) + simd::load_aligned(dz + i));
}

// The prologue, optionally adding each dz row into db while it is still in L1 (the fused path).
template <activation Act, std::size_t Out, bool AddBias>
inline void preactivation_gradient(const float* z, const float* y, const float* dy, float* dz,
                                   float* db, std::size_t rows) noexcept {
    constexpr std::size_t stride = simd::padded_size<float>(Out);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t offset = r * stride;
        preactivation_gradient_row<Act, Out>(backward_reads_input_v<Act> ? z + offset : nullptr,
                                             y + offset, dy + offset, dz + offset);
        if constexpr (AddBias)
            add_row<Out>(dz + offset, db);
    }
}

} // namespace detail

// dz[r] = dy[r] ⊙ g'(z[r]) for r < rows (for softmax, the vector-Jacobian product from y[r]).
// z: the pre-activations, read only when backward_reads_input_v<Act> (gelu, swish, ...), else it
//    may be nullptr. y: the outputs of dense_forward. dy: the upstream gradient; its padding lanes
//    may hold anything. dz: receives the result, padding lanes zero; it may be dy (in place).
// All rows padded(Out) floats apart and aligned.
template <activation Act, std::size_t Out>
void dense_preactivation_gradient(const float* z, const float* y, const float* dy, float* dz,
                                  std::size_t rows) noexcept {
    detail::preactivation_gradient<Act, Out, false>(z, y, dy, dz, nullptr, rows);
}

// db[j] += Σ_r dz[r][j]: the bias gradient, accumulated (zero db before a batch). db is a
// dense_layout<In, Out>::bias_size array; dz rows padded(Out) floats apart, aligned, padding
// zero (as dense_preactivation_gradient writes them), which keeps db's padding zero.
template <std::size_t Out>
void dense_bias_gradient(const float* dz, float* db, std::size_t rows) noexcept {
    for (std::size_t r = 0; r < rows; ++r)
        detail::add_row<Out>(dz + r * simd::padded_size<float>(Out), db);
}

} // namespace ctnn::kernels
