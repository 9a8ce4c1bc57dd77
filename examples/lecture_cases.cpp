// The lecture's small cases, each checked against what the lecture says the answer is:
//  1. the chain rule on f = (a + b)(b + c): the library's backward pass gives df/da = 7,
//     df/db = 9, df/dc = 2 at a = 1, b = 1, c = 6;
//  2. study hours -> exam score: a single linear neuron trained by full-batch gradient descent
//     finds the least-squares line;
//  3. green vs red points (XOR-like): a linear model cannot separate them, a ReLU hidden layer can;
//  4. the mortgage table (money in the bank, age, has a job, salary -> mortgage granted): one
//     sigmoid neuron learns it.
#include <ctnn/ctnn.hpp>

#include <cstdio>
#include <random>
#include <vector>

namespace {

// f = y0 · y1 as a "loss": its gradient is (y1, y0). Only for the chain-rule demonstration.
struct product_of_outputs {
    static constexpr std::string_view name = "product";
    static constexpr std::size_t target_size(std::size_t outputs) noexcept { return outputs; }
    template <std::size_t N, class T>
    static T value(const T* y, const T*) noexcept {
        return y[0] * y[1];
    }
    template <std::size_t N, class T>
    static void gradient(const T* y, const T*, T* g) noexcept {
        g[0] = y[1];
        g[1] = y[0];
    }
};

void chain_rule() {
    // (a, b, c) are the weights of a 1 -> 3 linear layer fed with x = 1; a fixed 3 -> 2 layer
    // forms u = a + b and v = b + c; the "loss" is f = u · v. Backpropagation gives df/d(a, b, c)
    // as the first layer's weight gradient.
    ctnn::network<ctnn::input<1>, ctnn::dense<3>, ctnn::dense<2>> net;
    const float abc[3] = {1.0f, 1.0f, 6.0f};
    for (std::size_t j = 0; j < 3; ++j) {
        net.layer<0>().weight(0, j) = abc[j];
        net.layer<0>().bias(j) = 0.0f;
    }
    const float sums[3][2] = {{1, 0}, {1, 1}, {0, 1}}; // u = a + b, v = b + c
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            net.layer<1>().weight(i, j) = sums[i][j];
    net.layer<1>().bias(0) = net.layer<1>().bias(1) = 0.0f;
    auto trainer = ctnn::make_trainer<1>(net, product_of_outputs{}, ctnn::sgd<>{});
    const float x = 1.0f, unused[2] = {0, 0};
    trainer->zero_gradients();
    const float f = trainer->accumulate(&x, unused, 1, 1.0f).loss;
    const float* g = trainer->gradient<0>(0);
    std::printf("1. chain rule: f = (a+b)(b+c) at a=1, b=1, c=6: f = %.0f, df/da = %.0f, "
                "df/db = %.0f, df/dc = %.0f (lecture: 7, 9, 2)\n",
                f, g[0], g[1], g[2]);
}

void study_hours() {
    const std::vector<float> hours{1, 2, 3, 4, 5, 6, 7, 8};
    const std::vector<float> score{45, 50, 58, 62, 70, 74, 81, 86};
    std::vector<float> scaled;
    for (float s : score)
        scaled.push_back(s / 100.0f);
    ctnn::network<ctnn::input<1>, ctnn::dense<1>> line(1);
    auto trainer = ctnn::make_trainer<8>(line, ctnn::mean_squared_error{},
                                         ctnn::sgd<>{.learning_rate = 0.02f});
    trainer->fit(ctnn::dataset<ctnn::shape<1>, ctnn::shape<1>>(hours, scaled),
                 {.epochs = 5000, .shuffle = false, .mode = ctnn::gradient_descent::full_batch});
    // The closed-form least-squares line, for comparison.
    double mean_h = 0, mean_s = 0, sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < hours.size(); ++i) {
        mean_h += hours[i] / 8.0;
        mean_s += score[i] / 8.0;
    }
    for (std::size_t i = 0; i < hours.size(); ++i) {
        sxy += (hours[i] - mean_h) * (score[i] - mean_s);
        sxx += (hours[i] - mean_h) * (hours[i] - mean_h);
    }
    std::printf("2. study hours: score = %.2f * hours + %.2f (least squares: %.2f * hours + %.2f)"
                "; 10 hours -> %.0f\n",
                100 * line.layer<0>().weight(0, 0), 100 * line.layer<0>().bias(0), sxy / sxx,
                mean_s - sxy / sxx * mean_h,
                100 * line.predict(ctnn::tensor<float, ctnn::shape<1>>{10.0f})[0]);
}

void green_and_red_points() {
    std::mt19937_64 gen(3);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> x, y;
    for (int i = 0; i < 100; ++i) {
        const int a = i % 2, b = (i / 2) % 2;
        x.insert(x.end(), {static_cast<float>(a) + noise(gen), static_cast<float>(b) + noise(gen)});
        y.push_back(static_cast<float>(a ^ b)); // green where exactly one coordinate is high
    }
    const ctnn::dataset<ctnn::shape<2>, ctnn::shape<1>> points(x, y);
    ctnn::network<ctnn::input<2>, ctnn::dense<8, ctnn::linear>, ctnn::dense<1, ctnn::sigmoid>> lin(
        1);
    ctnn::network<ctnn::input<2>, ctnn::dense<8, ctnn::relu>, ctnn::dense<1, ctnn::sigmoid>> deep(
        1);
    auto tl = ctnn::make_trainer<10>(lin, ctnn::binary_crossentropy{},
                                     ctnn::adam<>{.learning_rate = 0.05f});
    auto td = ctnn::make_trainer<10>(deep, ctnn::binary_crossentropy{},
                                     ctnn::adam<>{.learning_rate = 0.05f});
    tl->fit(points, {.epochs = 200, .seed = 1});
    td->fit(points, {.epochs = 200, .seed = 1});
    std::printf("3. green vs red points: linear activations %.0f %% correct, ReLU hidden layer "
                "%.0f %% (linear activations give linear decisions)\n",
                100 * tl->evaluate(points).accuracy, 100 * td->evaluate(points).accuracy);
}

void mortgage_table() {
    // money in the bank (10k), age (decades), has a job, salary (10k/year) -> mortgage granted
    const std::vector<float> x{5.0f, 3.5f, 1, 6.0f, 0.2f, 2.2f, 0, 0.5f, 8.0f, 4.8f, 1, 9.0f,
                               0.5f, 3.0f, 0, 1.0f, 2.0f, 4.1f, 1, 4.5f, 0.1f, 6.5f, 0, 0.8f};
    const std::vector<float> granted{1, 0, 1, 0, 1, 0};
    const ctnn::dataset<ctnn::shape<4>, ctnn::shape<1>> table(x, granted);
    ctnn::network<ctnn::input<4>, ctnn::dense<1, ctnn::sigmoid>> neuron(1);
    auto trainer = ctnn::make_trainer<6>(neuron, ctnn::binary_crossentropy{},
                                         ctnn::adam<>{.learning_rate = 0.1f});
    trainer->fit(table, {.epochs = 300, .shuffle = false});
    std::printf("4. mortgage table: the neuron grants %.0f %% of the table right; a new applicant "
                "(3, 4.0, job, 5) -> P = %.2f\n",
                100 * trainer->evaluate(table).accuracy,
                neuron.predict(ctnn::tensor<float, ctnn::shape<4>>{3.0f, 4.0f, 1.0f, 5.0f})[0]);
}

} // namespace

int main() {
    chain_rule();
    study_hours();
    green_and_red_points();
    mortgage_table();
}
