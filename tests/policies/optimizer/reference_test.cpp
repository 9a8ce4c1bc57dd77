// Tests every optimizer in include/ctnn/policies/optimizer/ against the "optimizers" section of
// tests/reference/optimizers_losses.json: three full-batch steps on the JSON's 3-2-1 network.
//
// The JSON gives parameter trajectories, not gradients, so the test computes each step's gradient
// itself: a hand-written forward/backward of h = sigmoid(X W1 + b1), yhat = h W2 + b2,
// loss = mean((yhat - Y)^2) in double, from the current float parameters. That gradient is first
// checked against the JSON's initial_loss/initial_grads and against central differences. The
// parameters are updated in float by the optimizer, one `update` call per block (W1, b1, W2, b2),
// as a trainer would.
//
// Entries checked:
// - "keras_formula" trajectory of every entry that has one: sgd, sgd_momentum, sgd_nesterov,
//   rmsprop_{torch_defaults, keras_defaults, eps_sensitive}, adam_{torch_defaults, keras_defaults,
//   eps_sensitive}, nadam_{torch_defaults, keras_defaults}, adagrad_{torch_defaults,
//   keras_defaults}, adamw_{torch_defaults, keras_defaults, wd_sensitive}. The *_keras_defaults
//   entries run default-constructed optimizers, so they also check our defaults are Keras'.
// - "torch" trajectory where torch's formula is Keras': sgd, sgd_momentum, sgd_nesterov and
//   nadam_keras_defaults (torch NAdam with momentum_decay 1.0).
// - and, as negative controls, that we do NOT follow torch where the conventions differ visibly:
//   rmsprop_eps_sensitive, adam_eps_sensitive, nadam_keras_hparams_torch_schedule.
// nadam_torch113_singletensor_bug is a recorded PyTorch bug and is not used.
#include "ctnn/policies/optimizer/optimizers.hpp"

#include "support/finite_difference.hpp"
#include "support/reference.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <string>
#include <vector>

using namespace ctnn;
using nlohmann::json;

namespace {

// The network's parameters as four blocks, each flattened row-major ([in][out], as Keras).
constexpr std::array<const char*, 4> block_names{"W1", "b1", "W2", "b2"};
constexpr std::array<std::size_t, 5> block_offsets{0, 6, 8, 10, 11};
constexpr std::size_t parameter_count = 11;

const json& network() {
    return test::reference().at("network");
}
const json& entry(const std::string& name) {
    return test::reference().at("optimizers").at(name);
}

std::vector<double> flat_doubles(const json& params) {
    std::vector<double> out;
    for (const char* name : block_names) {
        const json& block = params.at(name);
        if (block.at(0).is_array()) {
            for (const auto& row : block)
                for (const auto& v : row)
                    out.push_back(v.get<double>());
        } else {
            for (const auto& v : block)
                out.push_back(v.get<double>());
        }
    }
    return out;
}

struct loss_and_gradient {
    double loss;
    std::vector<double> gradient; // same layout as the parameters
};

// Forward and backward of the 3 -> 2 (sigmoid) -> 1 (linear) net with MSE, in double.
loss_and_gradient forward_backward(const std::vector<double>& p) {
    const json& x = network().at("X");
    const json& y = network().at("Y");
    const double* w1 = p.data();     // [3][2]
    const double* b1 = p.data() + 6; // [2]
    const double* w2 = p.data() + 8; // [2][1]
    const double b2 = p[10];
    const std::size_t samples = x.size();
    loss_and_gradient out{0.0, std::vector<double>(parameter_count, 0.0)};
    double* dw1 = out.gradient.data();
    double* db1 = out.gradient.data() + 6;
    double* dw2 = out.gradient.data() + 8;
    double& db2 = out.gradient[10];
    for (std::size_t s = 0; s < samples; ++s) {
        std::array<double, 3> xs{};
        for (std::size_t i = 0; i < 3; ++i)
            xs[i] = x.at(s).at(i).get<double>();
        std::array<double, 2> h{};
        for (std::size_t j = 0; j < 2; ++j) {
            double z = b1[j];
            for (std::size_t i = 0; i < 3; ++i)
                z += xs[i] * w1[i * 2 + j];
            h[j] = 1.0 / (1.0 + std::exp(-z));
        }
        const double yhat = h[0] * w2[0] + h[1] * w2[1] + b2;
        const double error = yhat - y.at(s).at(0).get<double>();
        out.loss += error * error / static_cast<double>(samples);
        const double dy = 2.0 * error / static_cast<double>(samples);
        db2 += dy;
        for (std::size_t j = 0; j < 2; ++j) {
            dw2[j] += dy * h[j];
            const double dz = dy * w2[j] * h[j] * (1.0 - h[j]);
            db1[j] += dz;
            for (std::size_t i = 0; i < 3; ++i)
                dw1[i * 2 + j] += xs[i] * dz;
        }
    }
    return out;
}

std::vector<double> to_double(const std::vector<float>& v) {
    return {v.begin(), v.end()};
}

// Runs `opt` for the trajectory's steps from the JSON's initial parameters; returns the float
// parameters after each step and the loss before each step.
template <optimizer O>
std::pair<std::vector<std::vector<float>>, std::vector<double>> run(const O& opt,
                                                                    std::size_t steps) {
    const std::vector<double> initial = flat_doubles(network());
    std::vector<float> params(initial.begin(), initial.end());
    std::array<std::vector<float>, O::state_slots> state;
    for (auto& slot : state)
        slot.assign(parameter_count, 0.0f);
    for (std::size_t b = 0; b < block_names.size(); ++b) {
        std::array<float*, O::state_slots> ptrs{};
        for (std::size_t s = 0; s < O::state_slots; ++s)
            ptrs[s] = state[s].data() + block_offsets[b];
        reset_optimizer_state(opt, std::span<float* const, O::state_slots>(ptrs),
                              block_offsets[b + 1] - block_offsets[b]);
    }
    std::vector<std::vector<float>> trajectory;
    std::vector<double> losses;
    for (std::size_t step = 1; step <= steps; ++step) {
        const loss_and_gradient lg = forward_backward(to_double(params));
        losses.push_back(lg.loss);
        const std::vector<float> grads(lg.gradient.begin(), lg.gradient.end());
        for (std::size_t b = 0; b < block_names.size(); ++b) {
            const std::size_t offset = block_offsets[b];
            std::array<float*, O::state_slots> ptrs{};
            for (std::size_t s = 0; s < O::state_slots; ++s)
                ptrs[s] = state[s].data() + offset;
            apply_update(opt, params.data() + offset, grads.data() + offset,
                       std::span<float* const, O::state_slots>(ptrs), block_offsets[b + 1] - offset,
                       step);
        }
        trajectory.push_back(params);
    }
    return {trajectory, losses};
}

// Parameter tolerance: float32 arithmetic over three steps of a double-precision reference.
constexpr double rel_tol = 1e-5;
constexpr double abs_tol = 1e-7;

template <optimizer O>
void check_trajectory(const O& opt, const std::string& name, const std::string& which) {
    const json& trajectory = entry(name).at(which).at("trajectory");
    const auto [ours, losses] = run(opt, trajectory.size());
    for (std::size_t t = 0; t < trajectory.size(); ++t) {
        const std::vector<double> expected = flat_doubles(trajectory.at(t).at("params"));
        BOOST_TEST_CONTEXT(name << " " << which << " step " << t + 1) {
            BOOST_TEST(trajectory.at(t).at("step").get<std::size_t>() == t + 1);
            BOOST_TEST(test::close(losses[t], trajectory.at(t).at("loss_before_step").get<double>(),
                                   rel_tol, 0.0));
            for (std::size_t i = 0; i < parameter_count; ++i)
                BOOST_TEST(test::close(ours[t][i], expected[i], rel_tol, abs_tol),
                           "parameter " << i << ": ours " << ours[t][i] << " reference "
                                        << expected[i]);
        }
    }
}

// Largest |ours - torch| after the last step: used to show a convention differs on purpose.
template <optimizer O>
double distance_to_torch(const O& opt, const std::string& name) {
    const json& trajectory = entry(name).at("torch").at("trajectory");
    const auto ours = run(opt, trajectory.size()).first.back();
    const std::vector<double> expected = flat_doubles(trajectory.back().at("params"));
    double distance = 0.0;
    for (std::size_t i = 0; i < parameter_count; ++i)
        distance = std::max(distance, std::abs(ours[i] - expected[i]));
    return distance;
}

float hp(const std::string& name, const char* key, const char* which = "keras_formula") {
    return entry(name).at(which).at("hyperparameters").at(key).get<float>();
}

} // namespace

BOOST_AUTO_TEST_SUITE(reference_test)

BOOST_AUTO_TEST_CASE(hand_written_gradient_matches_the_reference_and_central_differences) {
    const std::vector<double> p = flat_doubles(network());
    const loss_and_gradient lg = forward_backward(p);
    BOOST_TEST(test::close(lg.loss, network().at("initial_loss").get<double>(), 1e-12, 0.0));
    const std::vector<double> expected = flat_doubles(network().at("initial_grads"));
    const std::vector<double> numeric = test::central_gradient(
        [](const std::vector<double>& q) { return forward_backward(q).loss; }, p);
    for (std::size_t i = 0; i < parameter_count; ++i) {
        BOOST_TEST(test::close(lg.gradient[i], expected[i], 1e-10, 1e-14), "gradient " << i);
        BOOST_TEST(test::close(lg.gradient[i], numeric[i], 1e-6, 1e-10), "gradient " << i);
    }
}

BOOST_AUTO_TEST_CASE(sgd_matches_keras_and_torch) {
    const float lr = hp("sgd", "learning_rate");
    check_trajectory(sgd<>{.learning_rate = lr}, "sgd", "keras_formula");
    check_trajectory(sgd<>{.learning_rate = lr}, "sgd", "torch");
    const sgd<> momentum{.learning_rate = hp("sgd_momentum", "learning_rate"),
                         .momentum = hp("sgd_momentum", "momentum")};
    check_trajectory(momentum, "sgd_momentum", "keras_formula");
    check_trajectory(momentum, "sgd_momentum", "torch");
    const sgd<> nesterov{.learning_rate = hp("sgd_nesterov", "learning_rate"),
                         .momentum = hp("sgd_nesterov", "momentum"),
                         .nesterov = true};
    BOOST_TEST(entry("sgd_nesterov").at("keras_formula").at("hyperparameters").at("nesterov") ==
               true);
    check_trajectory(nesterov, "sgd_nesterov", "keras_formula");
    check_trajectory(nesterov, "sgd_nesterov", "torch");
}

BOOST_AUTO_TEST_CASE(rmsprop_matches_keras) {
    const rmsprop<> keras_defaults{};
    BOOST_TEST(keras_defaults.learning_rate.value == hp("rmsprop_keras_defaults", "learning_rate"));
    BOOST_TEST(keras_defaults.rho == hp("rmsprop_keras_defaults", "rho"));
    BOOST_TEST(keras_defaults.epsilon == hp("rmsprop_keras_defaults", "epsilon"));
    check_trajectory(keras_defaults, "rmsprop_keras_defaults", "keras_formula");
    for (const char* name : {"rmsprop_torch_defaults", "rmsprop_eps_sensitive"})
        check_trajectory(rmsprop<>{.learning_rate = hp(name, "learning_rate"),
                                   .rho = hp(name, "rho"),
                                   .epsilon = hp(name, "epsilon")},
                         name, "keras_formula");
    // epsilon inside the root (Keras), not outside (torch): a large epsilon shows it.
    const rmsprop<> sensitive{.learning_rate = hp("rmsprop_eps_sensitive", "learning_rate"),
                              .rho = hp("rmsprop_eps_sensitive", "rho"),
                              .epsilon = hp("rmsprop_eps_sensitive", "epsilon")};
    BOOST_TEST(distance_to_torch(sensitive, "rmsprop_eps_sensitive") > 1e-2);
}

BOOST_AUTO_TEST_CASE(adam_matches_keras) {
    const adam<> keras_defaults{};
    BOOST_TEST(keras_defaults.learning_rate.value == hp("adam_keras_defaults", "learning_rate"));
    BOOST_TEST(keras_defaults.beta_1 == hp("adam_keras_defaults", "beta_1"));
    BOOST_TEST(keras_defaults.beta_2 == hp("adam_keras_defaults", "beta_2"));
    BOOST_TEST(keras_defaults.epsilon == hp("adam_keras_defaults", "epsilon"));
    check_trajectory(keras_defaults, "adam_keras_defaults", "keras_formula");
    for (const char* name : {"adam_torch_defaults", "adam_eps_sensitive"})
        check_trajectory(adam<>{.learning_rate = hp(name, "learning_rate"),
                                .beta_1 = hp(name, "beta_1"),
                                .beta_2 = hp(name, "beta_2"),
                                .epsilon = hp(name, "epsilon")},
                         name, "keras_formula");
    // Keras' epsilon-hat, not torch's epsilon: a large epsilon shows it.
    const adam<> sensitive{.learning_rate = hp("adam_eps_sensitive", "learning_rate"),
                           .epsilon = hp("adam_eps_sensitive", "epsilon")};
    BOOST_TEST(distance_to_torch(sensitive, "adam_eps_sensitive") > 1e-1);
}

BOOST_AUTO_TEST_CASE(nadam_matches_keras_and_torch_with_keras_schedule) {
    const nadam<> keras_defaults{};
    BOOST_TEST(keras_defaults.learning_rate.value == hp("nadam_keras_defaults", "learning_rate"));
    BOOST_TEST(keras_defaults.beta_1 == hp("nadam_keras_defaults", "beta_1"));
    BOOST_TEST(keras_defaults.beta_2 == hp("nadam_keras_defaults", "beta_2"));
    BOOST_TEST(keras_defaults.epsilon == hp("nadam_keras_defaults", "epsilon"));
    check_trajectory(keras_defaults, "nadam_keras_defaults", "keras_formula");
    // torch NAdam with momentum_decay 1.0 has Keras 3's momentum schedule.
    BOOST_TEST(hp("nadam_keras_defaults", "momentum_decay", "torch") == 1.0f);
    check_trajectory(keras_defaults, "nadam_keras_defaults", "torch");
    check_trajectory(nadam<>{.learning_rate = hp("nadam_torch_defaults", "learning_rate"),
                             .beta_1 = hp("nadam_torch_defaults", "beta_1"),
                             .beta_2 = hp("nadam_torch_defaults", "beta_2"),
                             .epsilon = hp("nadam_torch_defaults", "epsilon")},
                     "nadam_torch_defaults", "keras_formula");
    // torch's default schedule 0.96^(0.004 t) is not Keras': same hyperparameters, other path.
    BOOST_TEST(distance_to_torch(keras_defaults, "nadam_keras_hparams_torch_schedule") > 1e-5);
}

BOOST_AUTO_TEST_CASE(adagrad_matches_keras) {
    const adagrad<> keras_defaults{};
    BOOST_TEST(keras_defaults.learning_rate.value == hp("adagrad_keras_defaults", "learning_rate"));
    BOOST_TEST(keras_defaults.initial_accumulator_value ==
               hp("adagrad_keras_defaults", "initial_accumulator_value"));
    BOOST_TEST(keras_defaults.epsilon == hp("adagrad_keras_defaults", "epsilon"));
    check_trajectory(keras_defaults, "adagrad_keras_defaults", "keras_formula");
    check_trajectory(adagrad<>{.learning_rate = hp("adagrad_torch_defaults", "learning_rate"),
                               .initial_accumulator_value =
                                   hp("adagrad_torch_defaults", "initial_accumulator_value"),
                               .epsilon = hp("adagrad_torch_defaults", "epsilon")},
                     "adagrad_torch_defaults", "keras_formula");
}

BOOST_AUTO_TEST_CASE(adamw_matches_keras) {
    const adamw<> keras_defaults{};
    BOOST_TEST(keras_defaults.learning_rate.value == hp("adamw_keras_defaults", "learning_rate"));
    BOOST_TEST(keras_defaults.weight_decay == hp("adamw_keras_defaults", "weight_decay"));
    BOOST_TEST(keras_defaults.beta_1 == hp("adamw_keras_defaults", "beta_1"));
    BOOST_TEST(keras_defaults.beta_2 == hp("adamw_keras_defaults", "beta_2"));
    BOOST_TEST(keras_defaults.epsilon == hp("adamw_keras_defaults", "epsilon"));
    check_trajectory(keras_defaults, "adamw_keras_defaults", "keras_formula");
    for (const char* name : {"adamw_torch_defaults", "adamw_wd_sensitive"})
        check_trajectory(adamw<>{.learning_rate = hp(name, "learning_rate"),
                                 .weight_decay = hp(name, "weight_decay"),
                                 .beta_1 = hp(name, "beta_1"),
                                 .beta_2 = hp(name, "beta_2"),
                                 .epsilon = hp(name, "epsilon")},
                         name, "keras_formula");
    // adam with weight_decay is the same rule (Keras: weight_decay is a base-optimizer option).
    check_trajectory(adam<>{.learning_rate = hp("adamw_wd_sensitive", "learning_rate"),
                            .epsilon = hp("adamw_wd_sensitive", "epsilon"),
                            .weight_decay = hp("adamw_wd_sensitive", "weight_decay")},
                     "adamw_wd_sensitive", "keras_formula");
}

BOOST_AUTO_TEST_SUITE_END()
