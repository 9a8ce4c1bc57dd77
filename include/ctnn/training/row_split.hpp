// ctnn/training/row_split.hpp - a training batch split between the threads of a team.
//
// Each member takes a contiguous part of the batch's rows, runs their forward and backward
// passes and adds their parameter gradients to its own copy of the flat gradient buffer
// (training/parameter_blocks.hpp: Floats floats). Afterwards every member sums one part of the
// copies into the trainer's buffer, so the sum is split too, and (for an elementwise optimizer)
// updates the same part while it is in cache. Parts of the buffer are cut at 16-float (64-byte)
// boundaries so that every part stays aligned. Internal to the trainer.
#pragma once

#include "ctnn/simd/batch.hpp"
#include "ctnn/util/denormals.hpp"
#include "ctnn/util/thread_team.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <utility>

namespace ctnn::detail {

template <std::size_t Floats>
class row_split {
public:
    explicit row_split(std::size_t members)
        : team_(members), copies_(std::make_unique<gradient_copy[]>(members)) {} // zeroed

    [[nodiscard]] std::size_t size() const noexcept { return team_.size(); }

    // Runs task(member) on every member (the caller is member 0), each with denormals flushed
    // to zero as the calling thread's step has them (util/denormals.hpp).
    template <class Task>
    void run(const Task& task) noexcept {
        team_.run([&](std::size_t member) noexcept {
            const flush_denormals scope;
            task(member);
        });
    }

    // Member m's gradient buffer (zero after every gather).
    [[nodiscard]] float* copy(std::size_t member) noexcept { return copies_[member].values.data(); }

    // Member m's rows of a batch of `rows`: [first, first + count).
    [[nodiscard]] std::pair<std::size_t, std::size_t> rows(std::size_t member,
                                                           std::size_t rows) const noexcept {
        const std::size_t first = member * rows / size();
        return {first, (member + 1) * rows / size() - first};
    }

    // Member m's part [begin, end) of an array of n floats, cut at 16-float boundaries.
    [[nodiscard]] std::pair<std::size_t, std::size_t> part(std::size_t member,
                                                           std::size_t n) const noexcept {
        constexpr std::size_t grain = 16;
        const std::size_t units = (n + grain - 1) / grain;
        return {std::min(n, member * units / size() * grain),
                std::min(n, (member + 1) * units / size() * grain)};
    }

    // Floats [begin, end) of every member's copy summed into `target` (replacing what it held
    // with `assign`, else added to it); the copies' floats are zeroed for the next batch.
    void gather(float* target, std::size_t begin, std::size_t end, bool assign) noexcept {
        for (std::size_t c = 0; c < size(); ++c) {
            float* from = copies_[c].values.data();
            if (assign && c == 0)
                std::copy(from + begin, from + end, target + begin);
            else
                for (std::size_t k = begin; k < end; ++k)
                    target[k] += from[k];
            std::fill(from + begin, from + end, 0.0f);
        }
    }

private:
    struct gradient_copy {
        alignas(simd::alignment) std::array<float, Floats> values{};
    };
    thread_team team_;
    std::unique_ptr<gradient_copy[]> copies_;
};

} // namespace ctnn::detail
