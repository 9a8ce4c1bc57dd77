// tests/support/layer_probe.hpp - what a trainer hands to a layer's train_backward, for tests
// that call the layer training protocol (layers/training_protocol.hpp) directly.
#pragma once

#include "ctnn/simd/batch.hpp"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace ctnn::test {

// n floats (zeros) aligned for the SIMD kernels, which load and store gradient rows aligned as
// the trainer's buffers are (std::vector guarantees only alignof(float)).
class aligned_floats {
public:
    explicit aligned_floats(std::size_t n)
        : size_(n),
          data_(static_cast<float*>(::operator new[](std::max<std::size_t>(n, 1) * sizeof(float),
                                                     std::align_val_t{simd::alignment}))) {
        std::fill_n(data_.get(), n, 0.0f);
    }
    [[nodiscard]] float* data() noexcept { return data_.get(); }
    [[nodiscard]] const float* data() const noexcept { return data_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    float& operator[](std::size_t i) noexcept { return data_[i]; }
    float operator[](std::size_t i) const noexcept { return data_[i]; }

private:
    struct release {
        void operator()(float* p) const noexcept {
            ::operator delete[](p, std::align_val_t{simd::alignment});
        }
    };
    std::size_t size_;
    std::unique_ptr<float[], release> data_;
};

// Parameter gradients accumulated into aligned blocks of the sizes the test gives.
struct gradient_probe {
    static constexpr bool dy_is_preactivation = false;
    static constexpr bool may_fuse = false;
    std::vector<aligned_floats> blocks;
    float* operator[](std::size_t b) noexcept { return blocks[b].data(); }
    [[nodiscard]] bool fused() const noexcept { return false; }
};

} // namespace ctnn::test
