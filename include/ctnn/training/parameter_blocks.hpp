// ctnn/training/parameter_blocks.hpp - every trainable array of a network as a block of one flat
// gradient buffer, with the optimizer's state beside it.
//
// The layers name their trainable arrays through the training protocol
// (layers/training_protocol.hpp: parameter_sizes, parameter_blocks()). Here they are laid end to
// end: block k's gradient starts at offset(k), a multiple of 16 floats (64 bytes), in one buffer
// of `total` floats, and state slot s of the optimizer keeps the same layout in its own buffer.
// One buffer means that summing threads' gradients (or an all-reduce between processes) is one
// loop over `total` floats, and that an update walks blocks without knowing any layer kind.
// Internal to the trainer.
#pragma once

#include "ctnn/layers/training_protocol.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/simd/batch.hpp"
#include "ctnn/util/static_for.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

namespace ctnn::detail {

// Where every block of Net lies in the flat buffer (all compile-time).
template <class Net>
struct block_layout {
    template <std::size_t I>
    using layer_t = typename Net::template layer_type<I>;
    static constexpr std::size_t grain = 16; // floats: every block starts on a cache line

    struct block {
        std::size_t layer = 0;  // index of the layer after the input
        std::size_t index = 0;  // which of the layer's blocks
        std::size_t offset = 0; // first float in the buffer
        std::size_t size = 0;   // floats
    };

    static constexpr std::size_t count = [] {
        std::size_t n = 0;
        static_for<Net::layer_count>([&](auto i) { n += parameter_block_count_v<layer_t<i>>; });
        return n;
    }();

    static constexpr std::array<block, count> blocks = [] {
        std::array<block, count> all{};
        std::size_t k = 0, offset = 0;
        static_for<Net::layer_count>([&](auto i) {
            for (std::size_t b = 0; b < parameter_block_count_v<layer_t<i>>; ++b) {
                const std::size_t size = parameter_sizes_v<layer_t<i>>[b];
                all[k++] = {i, b, offset, size};
                offset += (size + grain - 1) / grain * grain;
            }
        });
        return all;
    }();

    static constexpr std::size_t total =
        count == 0
            ? 0
            : blocks[count - 1].offset + (blocks[count - 1].size + grain - 1) / grain * grain;

    // The index of layer I's first block (its blocks follow it).
    template <std::size_t I>
    static constexpr std::size_t first_block = [] {
        std::size_t k = 0;
        static_for<I>([&](auto j) { k += parameter_block_count_v<layer_t<j>>; });
        return k;
    }();
};

// What train_backward adds a layer's parameter gradients to: g[b] for block b. With the fused
// optimizer step (fused(), possible only when MayFuse), the layer may instead update block b in
// the pass that forms its gradient (optimizer(), state(b), step()); the blocks it reads through
// g[b] then are zeroed at first use, and the trainer updates them after the layer's pass.
template <std::size_t K, optimizer O, bool DyIsPreactivation, bool MayFuse>
class layer_gradients {
    static constexpr std::size_t slots = O::state_slots;

public:
    static constexpr bool dy_is_preactivation = DyIsPreactivation;
    static constexpr bool may_fuse = MayFuse;

    // Accumulating into the K blocks (the usual pass).
    explicit layer_gradients(const std::array<float*, K>& blocks) noexcept : blocks_(blocks) {}

    // The fused step: gradients formed for this batch alone, the update applied in the pass.
    layer_gradients(const std::array<float*, K>& blocks, const std::array<std::size_t, K>& sizes,
                    const std::array<std::array<float*, slots>, K>& state, const O& opt,
                    std::size_t step) noexcept
        : blocks_(blocks), sizes_(sizes), state_(state), optimizer_(&opt), step_(step) {}

    [[nodiscard]] float* operator[](std::size_t b) noexcept {
        if (optimizer_ != nullptr && !used_[b]) {
            used_[b] = true;
            std::fill_n(blocks_[b], sizes_[b], 0.0f);
        }
        return blocks_[b];
    }
    [[nodiscard]] bool fused() const noexcept { return optimizer_ != nullptr; }
    [[nodiscard]] const O& optimizer() const noexcept { return *optimizer_; }
    [[nodiscard]] std::span<float* const, slots> state(std::size_t b) const noexcept {
        return std::span<float* const, slots>(state_[b]);
    }
    [[nodiscard]] std::size_t step() const noexcept { return step_; }
    // Fused: whether block b's gradient was left to the trainer's update.
    [[nodiscard]] bool used(std::size_t b) const noexcept { return used_[b]; }

private:
    std::array<float*, K> blocks_;
    std::array<std::size_t, K> sizes_{};
    std::array<std::array<float*, slots>, K> state_{};
    const O* optimizer_ = nullptr;
    std::size_t step_ = 0;
    std::array<bool, K> used_{};
};

// The gradient buffer, the optimizer's state and the network's arrays, block by block.
template <class Net, optimizer O>
class parameter_blocks {
public:
    using layout = block_layout<Net>;
    static constexpr std::size_t slots = O::state_slots;
    static constexpr std::size_t count = layout::count;
    static constexpr std::size_t total = layout::total;

    explicit parameter_blocks(Net& net) noexcept {
        static_for<Net::layer_count>([&](auto i) {
            const auto arrays = parameter_blocks_of(net.template layer<i>());
            for (std::size_t b = 0; b < arrays.size(); ++b)
                params_[layout::template first_block<i> + b] = arrays[b];
        });
    }

    [[nodiscard]] float* gradients() noexcept { return gradients_.data(); }
    [[nodiscard]] const float* gradients() const noexcept { return gradients_.data(); }
    [[nodiscard]] float* parameters(std::size_t k) const noexcept { return params_[k]; }
    [[nodiscard]] std::array<float*, slots> state(std::size_t k) noexcept {
        std::array<float*, slots> s{};
        for (std::size_t i = 0; i < slots; ++i)
            s[i] = state_.data() + i * total + layout::blocks[k].offset;
        return s;
    }

    void zero_gradients() noexcept { gradients_.fill(0.0f); }

    void reset_state(const O& opt) noexcept {
        for (std::size_t k = 0; k < count; ++k) {
            const auto s = state(k);
            reset_optimizer_state(opt, std::span<float* const, slots>(s), layout::blocks[k].size);
        }
    }

    // The optimizer's update of [begin, end) of block k from its gradient.
    void update(const O& opt, std::size_t k, std::size_t begin, std::size_t end,
                std::size_t step) noexcept {
        if (begin >= end)
            return;
        const std::size_t offset = layout::blocks[k].offset + begin;
        std::array<float*, slots> s = state(k);
        for (float*& slot : s)
            slot += begin;
        apply_update(opt, params_[k] + begin, gradients_.data() + offset,
                     std::span<float* const, slots>(s), end - begin, step);
    }
    void update(const O& opt, std::size_t k, std::size_t step) noexcept {
        update(opt, k, 0, layout::blocks[k].size, step);
    }
    void update_all(const O& opt, std::size_t step) noexcept {
        for (std::size_t k = 0; k < count; ++k)
            update(opt, k, step);
    }

    // Layer I's sink for train_backward, accumulating into `buffer` (this layout).
    template <std::size_t I, bool DyIsPreactivation, bool MayFuse>
    [[nodiscard]] auto accumulating(float* buffer) const noexcept {
        constexpr std::size_t k0 = layout::template first_block<I>;
        constexpr std::size_t K = parameter_block_count_v<typename layout::template layer_t<I>>;
        std::array<float*, K> blocks{};
        for (std::size_t b = 0; b < K; ++b)
            blocks[b] = buffer + layout::blocks[k0 + b].offset;
        return layer_gradients<K, O, DyIsPreactivation, MayFuse>(blocks);
    }

    // Layer I's sink for a pass with the fused optimizer step.
    template <std::size_t I, bool DyIsPreactivation>
    [[nodiscard]] auto fusing(const O& opt, std::size_t step) noexcept {
        constexpr std::size_t k0 = layout::template first_block<I>;
        constexpr std::size_t K = parameter_block_count_v<typename layout::template layer_t<I>>;
        std::array<float*, K> blocks{};
        std::array<std::size_t, K> sizes{};
        std::array<std::array<float*, slots>, K> s{};
        for (std::size_t b = 0; b < K; ++b) {
            blocks[b] = gradients_.data() + layout::blocks[k0 + b].offset;
            sizes[b] = layout::blocks[k0 + b].size;
            s[b] = state(k0 + b);
        }
        return layer_gradients<K, O, DyIsPreactivation, true>(blocks, sizes, s, opt, step);
    }

private:
    std::array<float*, count> params_{};
    alignas(simd::alignment) std::array<float, total> gradients_{};
    alignas(simd::alignment) std::array<float, slots * total> state_{};
};

} // namespace ctnn::detail
