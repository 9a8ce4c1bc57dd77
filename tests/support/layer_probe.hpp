// tests/support/layer_probe.hpp - what a trainer hands to a layer's train_backward, for tests
// that call the layer training protocol (layers/training_protocol.hpp) directly.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace ctnn::test {

// Parameter gradients accumulated into plain vectors (blocks sized by the test).
struct gradient_probe {
    static constexpr bool dy_is_preactivation = false;
    static constexpr bool may_fuse = false;
    std::vector<std::vector<float>> blocks;
    float* operator[](std::size_t b) noexcept { return blocks[b].data(); }
    [[nodiscard]] bool fused() const noexcept { return false; }
};

} // namespace ctnn::test
