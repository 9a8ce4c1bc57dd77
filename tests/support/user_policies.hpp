// tests/support/user_policies.hpp - an activation, a layer and an optimizer written outside the
// library, as a user would write them. The activation and the layer take part in
// constexpr_predict and export_header through their own members (constant_f, spelling(),
// constants, constant_forward, load_constants) with no edit of ctnn:
// tests/network/constexpr_predict_test.cpp predicts with them in constant expressions,
// tests/serialize/export_header_test.cpp exports them, and the export consumer
// (tests/serialize/export/) compiles a generated header that spells them. The optimizer is one
// element rule: tests/kernels/dense_weight_update_test.cpp fuses it into the weight-gradient
// pass, tests/training/threads_test.cpp splits its update over two threads, and
// tests/policies/optimizer/optimizer_laws_test.cpp checks it against its formula in double.
#pragma once

#include "ctnn/core/shape.hpp"
#include "ctnn/layers/constant_layer.hpp"
#include "ctnn/layers/parameter_array.hpp"
#include "ctnn/policies/activation/activation.hpp"
#include "ctnn/policies/init/random.hpp"
#include "ctnn/policies/optimizer/element_rule.hpp"
#include "ctnn/policies/optimizer/optimizer.hpp"
#include "ctnn/simd/constant_math.hpp"
#include "ctnn/simd/math.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace user {

// clamp(x, -1, 1) (Keras 3's hard_tanh). Piecewise linear, so its constant form is exact: for
// finite x (and -0) simd::min / simd::max and the comparisons below give the same bits.
struct hard_tanh {
    static constexpr std::string_view name = "hard_tanh";
    static constexpr bool elementwise = true;
    static constexpr bool derivative_from_output = true;

    template <class V>
    [[nodiscard]] static V f(V x) noexcept {
        return ctnn::simd::min(ctnn::simd::max(x, V(-1.0f)), V(1.0f));
    }
    template <class V>
    [[nodiscard]] static V df(V, V y) noexcept {
        return ctnn::simd::select(ctnn::simd::abs(y) < V(1.0f), V(1.0f), V(0.0f));
    }
    static constexpr float constant_f(float x) noexcept {
        return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
    }
    static std::string spelling() { return "user::hard_tanh"; }
};

// The constants of `scale`: one factor per feature.
template <std::size_t N>
struct scale_constants {
    std::span<const float, N> factor;
};

// y = factor ⊙ x: one trainable factor per feature (a diagonal dense layer without bias). One
// multiplication per value, so the constant form equals predict bit for bit.
template <ctnn::static_shape In>
struct scale_layer {
    static constexpr std::size_t size = In::size;
    using input_shape = In;
    using output_shape = In;
    static constexpr std::size_t param_count = size;
    static constexpr bool is_view = false;
    static std::string name() { return "scale"; }

    template <std::size_t MaxRows = static_cast<std::size_t>(-1)>
    void forward(const float* x, std::size_t x_stride, float* y, std::size_t y_stride,
                 std::size_t rows) const noexcept {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < size; ++j)
                y[r * y_stride + j] = factor_[j] * x[r * x_stride + j];
    }
    void initialize(ctnn::random_engine&) noexcept { factor_.fill(1.0f); }
    template <class F>
    void visit_parameters(F&& f) {
        f(ctnn::parameter_array<float>{"factor", 1, size, size, factor_.data()});
    }
    template <class F>
    void visit_parameters(F&& f) const {
        f(ctnn::parameter_array<const float>{"factor", 1, size, size, factor_.data()});
    }

    using constants = scale_constants<size>;
    static std::string spelling() { return "user::scale"; }
    template <ctnn::multiply_add>
    static constexpr void constant_forward(const constants& c, const float* x, float* y) noexcept {
        for (std::size_t j = 0; j < size; ++j)
            y[j] = c.factor[j] * x[j];
    }
    void load_constants(const constants& c) noexcept {
        for (std::size_t j = 0; j < size; ++j)
            factor_[j] = c.factor[j];
    }

private:
    std::array<float, size> factor_{};
};

struct scale {
    static constexpr std::string_view kind = "scale";
    template <ctnn::static_shape In>
    using bound = scale_layer<In>;
};

// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"; Keras 3's
// keras.optimizers.Lion and its defaults): the update is the sign of an interpolation of the
// momentum and the gradient, the momentum then moves with its own rate.
//     c = beta_1 * m + (1 - beta_1) * g;   p -= lr * sign(c);   m = beta_2 * m + (1 - beta_2) * g
// with Keras's decoupled weight decay p -= lr * weight_decay * p first. sign(0) = 0.
struct lion {
    static constexpr std::string_view name = "lion";
    static constexpr std::size_t state_slots = 1; // m

    float learning_rate = 0.001f;
    float beta_1 = 0.9f;
    float beta_2 = 0.99f;
    float weight_decay = 0.0f;

    [[nodiscard]] constexpr float initial_state(std::size_t) const noexcept { return 0.0f; }

    template <class Visit>
    decltype(auto) with_rule(std::size_t, Visit&& visit) const noexcept {
        return visit(ctnn::make_rule<1>(
            {.decay = learning_rate * weight_decay},
            [lr = learning_rate, b1 = beta_1,
             b2 = beta_2]<class V>(V& p, V g, std::array<V, 1>& m) noexcept {
                const V c = V(b1) * m[0] + V(1.0f - b1) * g;
                const V sign = ctnn::simd::select(c > V(0.0f), V(1.0f), V(0.0f)) -
                               ctnn::simd::select(c < V(0.0f), V(1.0f), V(0.0f));
                p = p - V(lr) * sign;
                m[0] = V(b2) * m[0] + V(1.0f - b2) * g;
            }));
    }
};

static_assert(ctnn::optimizer<lion>);

static_assert(ctnn::elementwise_activation<hard_tanh> && ctnn::constant_activation<hard_tanh> &&
              ctnn::spelled_activation<hard_tanh>);
static_assert(ctnn::constant_layer<scale_layer<ctnn::shape<3>>>);

} // namespace user
