// Reinforcement learning, the lecture's fourth kind of learning: a network learns to play a brick
// breaker (examples/brick_breaker_game.hpp: a 10 × 12 board, a wall of 3 × 10 bricks, a 3-cell
// paddle; +1 per brick, -1 per lost ball, 3 balls, at most 2,000 steps) by deep Q-learning
// (examples/brick_breaker_dqn.hpp): a 35 → 64 relu → 64 relu → 3 network gives one value per action
// (left, stay, right) and is trained on its own experience with trainer::train_on_batch - replay
// memory, a target network, epsilon-greedy exploration, Huber loss, double DQN, Adam with a
// cosine-decayed learning rate.
//
//   brick_breaker [--quick] [--steps N] [--seed S]
//
// Prints the learning curve (mean return of the training episodes; the network's return on 20
// validation episodes, with 5 % random actions and greedy), then the trained network against a
// random policy and a hand-written "follow the ball" policy over 100 test episodes (other
// seeds), the time per decision at batch 1, and a few frames of a test episode as text. The
// network kept is the one with the best validation return with 5 % random actions. The curve
// goes to brick_breaker_curve.svg.
//
// Measured (seed 1, 500,000 steps, 35 s): with 5 % random actions the network clears 24.2 of the
// 30 bricks per test episode, following the ball 18.5; greedy 13.2 against 10.3 (both greedy
// policies fall into cycles that hit no brick); the random policy 1.5. 221 ns per decision.
#include "brick_breaker_dqn.hpp"
#include "brick_breaker_game.hpp"

#include <ctnn/ctnn.hpp>
#include <ctnn/io/atomic_file.hpp>
#include <ctnn/io/svg.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using game = examples::brick_breaker<10, 12, 3>;
using q_network = ctnn::network<ctnn::input<game::state_size>, ctnn::dense<64, ctnn::relu>,
                                ctnn::dense<64, ctnn::relu>, ctnn::dense<3>>;
using optimizer = ctnn::adam<ctnn::cosine_decay>;
using agent_type = examples::dqn_agent<game, q_network, 32, optimizer>;
using state_tensor = ctnn::tensor<float, ctnn::shape<game::state_size>>;

constexpr examples::brick_breaker_rules rules{.max_steps = 2000};
// Episode seeds: training draws its own (dqn_agent::episode_seed); the best network is chosen on
// the validation seeds and scored on the test seeds, which neither training nor choice saw.
constexpr std::uint64_t validation_seeds = 1'000'000, test_seeds = 2'000'000;
constexpr std::size_t validation_episodes = 20, test_episodes = 100;
constexpr double exploration_in_test = 0.05; // the rate of random actions in the "5 %" rows

// A network's greedy policy, optionally taking a random action with probability `epsilon`
// (seeded by the episode and step, so every evaluation is reproducible).
auto network_policy(const q_network& net, double epsilon = 0) {
    return [&net, epsilon](const game& g, std::size_t episode) {
        if (epsilon > 0 &&
            ctnn::uniform_unit(ctnn::counter_random(11, episode, g.steps())) < epsilon)
            return examples::random_action(12, episode, g.steps());
        state_tensor s;
        g.observe(s.data());
        return agent_type::greedy(net, s);
    };
}

auto follow_policy(double epsilon = 0) {
    return [epsilon](const game& g, std::size_t episode) {
        if (epsilon > 0 &&
            ctnn::uniform_unit(ctnn::counter_random(11, episode, g.steps())) < epsilon)
            return examples::random_action(12, episode, g.steps());
        return examples::follow_the_ball(g);
    };
}

auto random_policy() {
    return [](const game& g, std::size_t episode) {
        return examples::random_action(13, episode, g.steps());
    };
}

struct curve_point {
    double step;
    double training_return;   // mean over the training episodes that ended in the window
    double validation_return; // the network on the validation episodes, 5 % random actions
    double greedy_return;     // the same, greedy
};

// A horizontal reference line in the picture: a baseline policy's return.
struct baseline {
    const char* name;
    double value;
    const char* color;
    const char* dash; // SVG attributes, e.g. " stroke-dasharray=\"6 4\""
};

// The learning curve as an SVG: return against environment steps, of the training episodes
// (epsilon-greedy) and of the network on the validation episodes, with baselines as dashed lines
// and the legend under the plot (curves on the left, baselines on the right).
std::string curve_svg(const std::vector<curve_point>& points,
                      const std::vector<baseline>& baselines) {
    using ctnn::detail::svg_number;
    using ctnn::detail::xml_escape;
    struct series {
        const char* name;
        const char* color;
        double curve_point::*value;
    };
    const series curves[] = {
        {"training episodes (epsilon falls from 1 to 0.05)", "#1f77b4",
         &curve_point::training_return},
        {"network, 5 % random actions (validation episodes)", "#d62728",
         &curve_point::validation_return},
        {"network, greedy (validation episodes)", "#ff7f0e", &curve_point::greedy_return}};

    constexpr double width = 760, height = 500, left = 64, right = 20, top = 48, bottom = 112;
    double lo = 0, hi = 1;
    for (const baseline& b : baselines) {
        lo = std::min(lo, b.value);
        hi = std::max(hi, b.value);
    }
    for (const curve_point& p : points)
        for (const series& c : curves) {
            lo = std::min(lo, p.*c.value);
            hi = std::max(hi, p.*c.value);
        }
    const auto ya = ctnn::detail::nice_value_axis(lo, hi);
    const auto xa = ctnn::detail::nice_value_axis(0, points.empty() ? 1 : points.back().step);
    const auto x = [&](double v) {
        return svg_number(left + (v - xa.lo) / (xa.hi - xa.lo) * (width - left - right));
    };
    const auto y = [&](double v) {
        return svg_number(height - bottom -
                          (v - ya.lo) / (ya.hi - ya.lo) * (height - top - bottom));
    };
    const auto n = [](double v) { return svg_number(v); };
    std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      n(width) + "\" height=\"" + n(height) + "\" viewBox=\"0 0 " + n(width) + " " +
                      n(height) +
                      "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                      "font-size=\"12\" fill=\"#222\">\n"
                      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                      "<text x=\"" +
                      n(width / 2) +
                      "\" y=\"26\" text-anchor=\"middle\" font-size=\"15\" "
                      "font-weight=\"bold\">" +
                      xml_escape("brick_breaker, DQN: return per episode (30 bricks: +1 each, -1 "
                                 "per lost ball, 3 balls)") +
                      "</text>\n";
    for (long long i = ya.first_tick(); i <= ya.last_tick(); ++i) {
        const std::string at = y(static_cast<double>(i) * ya.step);
        svg += "<line x1=\"" + n(left) + "\" y1=\"" + at + "\" x2=\"" + n(width - right) +
               "\" y2=\"" + at + "\" stroke=\"#e4e4e4\"/>\n<text x=\"" + n(left - 8) + "\" y=\"" +
               at + "\" dy=\"4\" text-anchor=\"end\">" + ya.label(i) + "</text>\n";
    }
    for (long long i = xa.first_tick(); i <= xa.last_tick(); ++i) {
        const std::string at = x(static_cast<double>(i) * xa.step);
        svg += "<line x1=\"" + at + "\" y1=\"" + n(height - bottom) + "\" x2=\"" + at + "\" y2=\"" +
               n(height - bottom + 5) + "\" stroke=\"#444\"/>\n<text x=\"" + at + "\" y=\"" +
               n(height - bottom + 18) + "\" text-anchor=\"middle\">" + xa.label(i) + "</text>\n";
    }
    svg += "<text x=\"" + n((left + width - right) / 2) + "\" y=\"" + n(height - bottom + 36) +
           "\" text-anchor=\"middle\">environment steps</text>\n"
           "<text transform=\"translate(16 " +
           n((top + height - bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">mean return per episode</text>\n";
    for (const baseline& b : baselines)
        svg += "<line x1=\"" + n(left) + "\" y1=\"" + y(b.value) + "\" x2=\"" + n(width - right) +
               "\" y2=\"" + y(b.value) + "\" stroke=\"" + b.color + "\" stroke-width=\"1.5\"" +
               b.dash + "/>\n";
    for (const series& c : curves) {
        svg += "<polyline fill=\"none\" stroke=\"" + std::string(c.color) +
               "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"";
        for (const curve_point& p : points)
            svg += x(p.step) + "," + y(p.*c.value) + " ";
        svg += "\"/>\n";
    }
    svg += "<rect x=\"" + n(left) + "\" y=\"" + n(top) + "\" width=\"" + n(width - left - right) +
           "\" height=\"" + n(height - top - bottom) + "\" fill=\"none\" stroke=\"#444\"/>\n";

    const auto legend = [&](double at_x, double at_y, const char* name, const std::string& color,
                            const char* dash) {
        svg += "<line x1=\"" + n(at_x) + "\" y1=\"" + n(at_y - 4) + "\" x2=\"" + n(at_x + 26) +
               "\" y2=\"" + n(at_y - 4) + "\" stroke=\"" + color + "\" stroke-width=\"2\"" + dash +
               "/>\n<text x=\"" + n(at_x + 32) + "\" y=\"" + n(at_y) + "\">" + xml_escape(name) +
               "</text>\n";
    };
    double at = height - bottom + 62;
    for (const series& c : curves) {
        legend(left, at, c.name, c.color, "");
        at += 16;
    }
    at = height - bottom + 62;
    for (const baseline& b : baselines) {
        legend(left + 390, at, b.name, b.color, b.dash);
        at += 16;
    }
    return svg + "</svg>\n";
}

// Frames printed next to each other, `per_row` to a row, each under its caption.
void print_frames(const std::vector<std::string>& frames, const std::vector<std::string>& captions,
                  std::size_t per_row) {
    std::vector<std::vector<std::string>> lines(frames.size());
    for (std::size_t f = 0; f < frames.size(); ++f) {
        std::istringstream in(frames[f]);
        for (std::string line; std::getline(in, line);)
            lines[f].push_back(line);
    }
    std::size_t column = lines.front().front().size();
    for (const std::string& caption : captions)
        column = std::max(column, caption.size());
    const int width = static_cast<int>(column + 3);
    for (std::size_t first = 0; first < frames.size(); first += per_row) {
        const std::size_t last = std::min(frames.size(), first + per_row);
        // Padded to the column width, except the last in a row (no trailing blanks).
        const auto cell = [&](std::size_t f, const std::string& text) {
            std::printf("%-*s", f + 1 < last ? width : 0, text.c_str());
        };
        for (std::size_t f = first; f < last; ++f)
            cell(f, captions[f]);
        std::printf("\n");
        for (std::size_t row = 0; row < lines[first].size(); ++row) {
            for (std::size_t f = first; f < last; ++f)
                cell(f, lines[f][row]);
            std::printf("\n");
        }
    }
}

void print_score(const char* name, const examples::policy_score& s) {
    std::printf("  %-36s %6.2f %7.1f %7.2f %6.2f %8.0f %% %11.1f\n", name, s.bricks, s.length,
                s.total_reward, s.balls_lost, 100 * s.cleared, s.steps_after_last_brick);
}

int usage() {
    std::fprintf(stderr, "usage: brick_breaker [--quick] [--steps N] [--seed S]\n"
                         "  --quick    a short run: 100,000 training steps instead of 500,000\n"
                         "  --steps N  training steps (environment steps)\n"
                         "  --seed S   the training seed (default 1)\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    examples::dqn_options options{.steps = 500'000,
                                  .replay_capacity = 500'000,
                                  .warmup = 5'000,
                                  .train_every = 1,
                                  .target_update_every = 2'000,
                                  .gamma = 0.995f,
                                  .epsilon_start = 1.0f,
                                  .epsilon_end = 0.05f,
                                  .epsilon_decay_steps = 150'000,
                                  .double_dqn = true,
                                  .seed = 1};
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view arg = argv[i];
            if (arg == "--quick")
                options.steps = 100'000;
            else if (arg == "--steps" && i + 1 < argc)
                options.steps = std::stoul(argv[++i]);
            else if (arg == "--seed" && i + 1 < argc)
                options.seed = std::stoull(argv[++i]);
            else
                return usage();
        }
    } catch (const std::exception&) {
        return usage();
    }
    if (options.steps < 10'000) {
        std::fprintf(stderr, "brick_breaker: train for at least 10,000 steps\n");
        return 2;
    }
    options.replay_capacity = options.steps; // remember everything: old failures stay in memory
    options.epsilon_decay_steps = options.steps * 3 / 10;

    const auto start = std::chrono::steady_clock::now();
    const auto seconds_since = [](auto t) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    };
    std::printf("brick breaker: %d × %d board, %d bricks, paddle %d cells, at most %d steps\n"
                "Q network (one output per action: left, stay, right):\n%s",
                game::columns, game::rows, game::bricks, game::paddle_width, rules.max_steps,
                q_network::summary().c_str());
    std::printf("DQN: %zu steps, replay %zu, batch 32, target copy every %zu steps, epsilon 1 -> "
                "0.05 over %zu steps, gamma %.3f, Huber loss, double DQN, Adam 2.5e-4 cosine "
                "decay to 2.5e-5, seed %llu\n\n",
                options.steps, options.replay_capacity, options.target_update_every,
                options.epsilon_decay_steps, static_cast<double>(options.gamma),
                static_cast<unsigned long long>(options.seed));

    const auto follow_validation = examples::evaluate_policy<game>(
        follow_policy(), validation_episodes, validation_seeds, rules);
    const auto follow_random_validation = examples::evaluate_policy<game>(
        follow_policy(exploration_in_test), validation_episodes, validation_seeds, rules);
    const auto random_validation = examples::evaluate_policy<game>(
        random_policy(), validation_episodes, validation_seeds, rules);

    const optimizer adam{.learning_rate = {.initial_learning_rate = 2.5e-4f,
                                           .decay_steps = options.steps,
                                           .alpha = 0.1f}};
    const auto agent = std::make_unique<agent_type>(adam, options, rules);
    const auto best = std::make_unique<q_network>(agent->network());
    double best_return = -1e300;
    std::size_t best_step = 0;

    // The curve: a point per 2 % of the steps, with the network evaluated on the validation
    // episodes; the one kept is the best with 5 % random actions (how it is scored below).
    const std::size_t window = options.steps / 50;
    std::vector<curve_point> curve;
    double window_return = 0;
    std::size_t window_episodes = 0, next_window = window;
    std::printf("%9s %8s %9s %9s %31s\n", "", "", "", "training", "validation: return (bricks)");
    std::printf("%9s %8s %9s %9s %15s %15s\n", "step", "epsilon", "episodes", "return",
                "5 % random", "greedy");
    agent->train([&](const examples::episode_summary& e) {
        window_return += e.total_reward;
        ++window_episodes;
        if (e.step < next_window)
            return;
        const auto v =
            examples::evaluate_policy<game>(network_policy(agent->network(), exploration_in_test),
                                            validation_episodes, validation_seeds, rules);
        const auto g = examples::evaluate_policy<game>(
            network_policy(agent->network()), validation_episodes, validation_seeds, rules);
        curve.push_back({static_cast<double>(e.step),
                         window_return / static_cast<double>(window_episodes), v.total_reward,
                         g.total_reward});
        if (v.total_reward > best_return) {
            best_return = v.total_reward;
            best_step = e.step;
            *best = agent->network(); // a plain copy of the weights
        }
        if (curve.size() % 5 == 0)
            std::printf("%9zu %8.3f %9zu %9.2f %7.2f (%5.2f) %7.2f (%5.2f)\n", e.step,
                        static_cast<double>(e.epsilon), e.episode + 1, curve.back().training_return,
                        v.total_reward, v.bricks, g.total_reward, g.bricks);
        window_return = 0;
        window_episodes = 0;
        while (next_window <= e.step)
            next_window += window;
    });
    const double training_seconds = seconds_since(start);
    std::printf("trained in %.1f s; kept the network of step %zu (validation return %.2f with "
                "5 %% random actions)\n\n",
                training_seconds, best_step, best_return);

    std::printf("%zu test episodes (seeds %llu...), means:\n", test_episodes,
                static_cast<unsigned long long>(test_seeds));
    std::printf("  %-36s %6s %7s %7s %6s %10s %11s\n", "", "", "", "", "balls", "", "steps after");
    std::printf("  %-36s %6s %7s %7s %6s %10s %11s\n", "policy", "bricks", "length", "return",
                "lost", "cleared", "last brick");
    print_score("DQN network, 5 % random actions",
                examples::evaluate_policy<game>(network_policy(*best, exploration_in_test),
                                                test_episodes, test_seeds, rules));
    print_score(
        "DQN network, greedy",
        examples::evaluate_policy<game>(network_policy(*best), test_episodes, test_seeds, rules));
    print_score("follow the ball, 5 % random actions",
                examples::evaluate_policy<game>(follow_policy(exploration_in_test), test_episodes,
                                                test_seeds, rules));
    print_score("follow the ball",
                examples::evaluate_policy<game>(follow_policy(), test_episodes, test_seeds, rules));
    print_score("random",
                examples::evaluate_policy<game>(random_policy(), test_episodes, test_seeds, rules));

    // Time per decision: observe, predict at batch 1, argmax, over the states of a test episode.
    std::vector<state_tensor> states;
    game g(test_seeds, rules);
    std::vector<std::string> frames, captions;
    const auto policy = network_policy(*best);
    const auto caption = [](const game& at) {
        const int n = at.bricks_cleared();
        return "step " + std::to_string(at.steps()) + ": " + std::to_string(n) +
               (n == 1 ? " brick" : " bricks");
    };
    while (!g.done()) {
        states.emplace_back();
        g.observe(states.back().data());
        if (g.steps() % 3 == 0 && frames.size() < 7) { // the first ball's way to the paddle
            frames.push_back(g.draw());
            captions.push_back(caption(g));
        }
        g.step(policy(g, 0));
    }
    frames.push_back(g.draw());
    captions.push_back(caption(g));
    const char* ending = g.lost()      ? "the last ball lost"
                         : g.cleared() ? "the wall cleared"
                                       : "the step limit";
    // The fastest of 5 rounds, in wall and in CPU time: on a shared machine a round that another
    // process interrupted measures that process too.
    constexpr std::size_t repeats = 50'000;
    std::array<std::size_t, examples::paddle_actions> chosen{};
    double ns = 1e300, cpu_ns = 1e300;
    for (int round = 0; round < 5; ++round) {
        const auto timer = std::chrono::steady_clock::now();
        const std::clock_t cpu = std::clock();
        for (std::size_t i = 0; i < repeats; ++i) // counting the choices keeps the loop alive
            ++chosen[static_cast<std::size_t>(
                agent_type::greedy(*best, states[i % states.size()]))];
        cpu_ns = std::min(cpu_ns,
                          static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC * 1e9 / repeats);
        ns = std::min(ns, seconds_since(timer) * 1e9 / repeats);
    }
    const auto share = [&](std::size_t a) {
        return 100.0 * static_cast<double>(chosen[a]) / (5.0 * repeats);
    };
    std::printf("\ntime per decision (predict at batch 1 + argmax): %.0f ns wall, %.0f ns CPU "
                "(%s, %zu floats per vector); on the %zu states of test episode 1: left %.0f %%, "
                "stay %.0f %%, right %.0f %%\n\n",
                ns, cpu_ns, ctnn::simd::arch_name, ctnn::simd::width_v<float>, states.size(),
                share(0), share(1), share(2));

    std::printf("test episode 1, greedy network (ended by %s):\n", ending);
    print_frames(frames, captions, 4);

    ctnn::io::write_file_atomically(
        "brick_breaker_curve.svg",
        curve_svg(curve,
                  {{"follow the ball, 5 % random actions", follow_random_validation.total_reward,
                    "#2ca02c", " stroke-dasharray=\"6 4\""},
                   {"follow the ball", follow_validation.total_reward, "#2ca02c",
                    " stroke-dasharray=\"2 3\""},
                   {"random policy", random_validation.total_reward, "#7f7f7f",
                    " stroke-dasharray=\"6 4\""}}));
    std::printf("\nlearning curve: brick_breaker_curve.svg; total %.1f s\n", seconds_since(start));
}
