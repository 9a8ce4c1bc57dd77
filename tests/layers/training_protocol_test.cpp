// Tests ctnn/layers/training_protocol.hpp: a layer kind defined only in this file - a learned
// scale and shift per feature, y = a * x + c - trains through trainer::fit (one thread and two)
// with nothing in ctnn knowing it; its gradients match central differences; the protocol's
// concept tells trainable layers from the rest.
#include "ctnn/ctnn.hpp"

#include "support/trainer_gradients.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ctnn;

template <std::size_t N>
struct scale_shift_layer {
    using input_shape = shape<N>;
    using output_shape = shape<N>;
    static constexpr std::size_t param_count = 2 * N;
    static constexpr bool is_view = false;
    static constexpr std::size_t stride = simd::padded_size<float>(N);
    static std::string name() { return "scale_shift"; }

    std::array<float, N> a{}, c{};

    void initialize(random_engine&) noexcept {
        a.fill(1.0f);
        c.fill(0.0f);
    }

    template <std::size_t MaxRows>
    void forward(const float* x, std::size_t x_stride, float* y, std::size_t y_stride,
                 std::size_t rows) const noexcept {
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < N; ++j)
                y[r * y_stride + j] = a[j] * x[r * x_stride + j] + c[j];
    }

    // The training protocol.
    static constexpr std::array<std::size_t, 2> parameter_sizes{N, N};
    std::array<float*, 2> parameter_blocks() noexcept { return {a.data(), c.data()}; }

    template <std::size_t Rows>
    struct workspace {
        std::array<float, Rows * stride> y;
    };

    template <std::size_t Rows>
    rows_view train_forward(rows_view x, workspace<Rows>& ws,
                            const pass_context& p) const noexcept {
        float* y = ws.y.data() + p.first * stride;
        forward<Rows>(x.data, x.stride, y, stride, p.rows);
        return {y, stride};
    }

    template <std::size_t Rows, class Gradients>
    float* train_backward(rows_view x, workspace<Rows>&, float* dy, float* dx, Gradients& g,
                          const pass_context& p) const noexcept {
        float* da = g[0];
        float* dc = g[1];
        for (std::size_t r = 0; r < p.rows; ++r)
            for (std::size_t j = 0; j < N; ++j) {
                const float d = dy[r * stride + j];
                da[j] += d * x.row(r)[j];
                dc[j] += d;
                if (dx != nullptr)
                    dx[r * stride + j] = d * a[j];
            }
        return dx;
    }
};

struct scale_shift {
    static constexpr std::string_view kind = "scale_shift";
    template <static_shape In>
    using bound = scale_shift_layer<In::size>;
};

// A layer that predicts but does not train: no train_forward / train_backward.
template <std::size_t N>
struct inference_only_layer : scale_shift_layer<N> {
    template <std::size_t Rows>
    void train_forward() = delete;
};

} // namespace

BOOST_AUTO_TEST_SUITE(training_protocol_test)

BOOST_AUTO_TEST_CASE(the_concept_knows_trainable_layers) {
    static_assert(trainable_layer<scale_shift_layer<3>>);
    static_assert(trainable_layer<dense<4, relu>::bound<shape<3>>>);
    static_assert(trainable_layer<flatten::bound<shape<2, 3>>>); // a view: the identity
    static_assert(trainable_layer<dropout<std::ratio<1, 2>>::bound<shape<3>>>);
    static_assert(trainable_layer<batch_normalization<relu>::bound<shape<3>>>);
    static_assert(!trainable_layer<inference_only_layer<3>>);
    static_assert(parameter_block_count_v<scale_shift_layer<3>> == 2);
    static_assert(parameter_block_count_v<flatten::bound<shape<2, 3>>> == 0);
    static_assert(rows_independent_v<scale_shift_layer<3>>);
    static_assert(!rows_independent_v<batch_normalization<relu>::bound<shape<3>>>);
}

BOOST_AUTO_TEST_CASE(a_layer_of_a_test_file_backpropagates_exactly) {
    using net =
        network<input<5>, dense<4, ctnn::tanh>, scale_shift, dense<3, softmax>, scale_shift>;
    test::check_trainer_gradients<net, mean_squared_error, 4>(
        3, test::random_values(3 * 3, 8, 0.0f, 1.0f), 6);
}

BOOST_AUTO_TEST_CASE(a_layer_of_a_test_file_trains_through_fit_on_one_and_two_threads) {
    // y = 3x + 1 feature by feature: the scale and shift are learned.
    using net = network<input<2>, scale_shift>;
    std::vector<float> x, y;
    for (int i = 0; i < 64; ++i) {
        const float u = static_cast<float>(i % 16) / 8 - 1, v = static_cast<float>(i % 7) / 3 - 1;
        x.insert(x.end(), {u, v});
        y.insert(y.end(), {3 * u + 1, 3 * v + 1});
    }
    const dataset<shape<2>, shape<2>> data(x, y);
    const auto train = [&](std::size_t threads) {
        auto model = std::make_unique<net>(1);
        auto t = make_trainer<32>(*model, mean_squared_error{}, sgd<>{.learning_rate = 0.1f});
        t->fit(data, {.epochs = 200, .seed = 2, .threads = threads});
        return std::array<float, 4>{model->layer<0>().a[0], model->layer<0>().a[1],
                                    model->layer<0>().c[0], model->layer<0>().c[1]};
    };
    const auto one = train(1), two = train(2);
    for (std::size_t k = 0; k < 4; ++k) {
        BOOST_TEST(one[k] == (k < 2 ? 3.0f : 1.0f), boost::test_tools::tolerance(1e-3f));
        BOOST_TEST(two[k] == one[k], boost::test_tools::tolerance(1e-5f));
    }
}

BOOST_AUTO_TEST_SUITE_END()
