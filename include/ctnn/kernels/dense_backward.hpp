// ctnn/kernels/dense_backward.hpp - the dense backward pass for y = act(x · W + b), one call.
//
//   kernels::dense_backward<relu, 784, 128>(x, x_stride, nullptr, y, dy, dz, w, dw, db,
//                                           nullptr, 0, rows);  // first layer: no dX
//
// Three steps, each also a public kernel of its own (for benchmarks and custom training loops):
//   dZ  = dY ⊙ g'(·), db += Σ_rows dZ   one SIMD pass    dense_preactivation_gradient.hpp
//   dW += Xᵀ · dZ                       register tiles   dense_weight_gradient.hpp
//   dX  = dZ · Wᵀ (when dx is given)    register tiles   dense_input_gradient.hpp
// The fused call adds each dZ row to db while the row is in L1 instead of reading dZ again.
#pragma once

#include "ctnn/kernels/dense_forward.hpp"
#include "ctnn/kernels/dense_input_gradient.hpp"
#include "ctnn/kernels/dense_preactivation_gradient.hpp"
#include "ctnn/kernels/dense_weight_gradient.hpp"
#include "ctnn/policies/activation/activation.hpp"

#include <cstddef>

namespace ctnn::kernels {

// Backpropagates through `rows` samples of a dense layer with In inputs and Out outputs.
//   x:   the layer's inputs, rows x_stride floats apart, any alignment.
//   z:   the pre-activations x · W + b, read only when backward_reads_input_v<Act> (gelu, swish,
//        ...); otherwise it may be nullptr.
//   y:   the outputs act(z), as dense_forward wrote them.
//   dy:  the gradient of the loss with respect to y; its padding lanes may hold anything.
//   dz:  caller-provided scratch for dL/dz (rows × padded(Out) floats); it may be dy itself.
//   w:   the layer's kernel (dense_layout<In, Out>), read for dx only.
//   dw, db: gradients of W and b in W's and b's layouts, ACCUMULATED (zero them before a batch);
//        their padding stays exactly zero.
//   dx:  receives dL/dx (overwritten, In values per row, rows dx_stride floats apart, any
//        alignment), or nullptr when no layer below needs it.
// z, y, dy, dz rows are padded(Out) floats apart and aligned; w, dw, db aligned.
template <activation Act, std::size_t In, std::size_t Out>
void dense_backward(const float* x, std::size_t x_stride, const float* z, const float* y,
                    const float* dy, float* dz, const float* w, float* dw, float* db, float* dx,
                    std::size_t dx_stride, std::size_t rows) noexcept {
    detail::preactivation_gradient<Act, Out, true>(z, y, dy, dz, db, rows);
    dense_weight_gradient<In, Out>(x, x_stride, dz, dw, rows);
    if (dx != nullptr)
        dense_input_gradient<In, Out>(dz, w, dx, dx_stride, rows);
}

} // namespace ctnn::kernels
