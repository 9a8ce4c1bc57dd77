// examples/brick_breaker_dqn.hpp - a deep Q-network agent (Mnih et al. 2015) for the brick
// breaker of brick_breaker_game.hpp, on a ctnn network: used by examples/brick_breaker.cpp and
// its test.
//
//   using q_net = ctnn::network<ctnn::input<game::state_size>, ctnn::dense<64, ctnn::relu>,
//                               ctnn::dense<3>>;
//   examples::dqn_agent<game, q_net, 32> agent(ctnn::adam<>{.learning_rate = 5e-4f},
//                                              {.steps = 100'000, .seed = 1});
//   agent.train([](const examples::episode_summary& e) { ... });   // after each episode
//   examples::paddle_action a = agent.act(game);                    // greedy, batch 1
//
// The network maps a state to one value per action, Q(s, a): the discounted return expected
// after taking a in s and acting greedily afterwards. Training follows DQN: epsilon-greedy
// actions (epsilon falls linearly), every transition (s, a, r, s', terminal) kept in a replay
// memory, and each step one gradient step (trainer::train_on_batch, Huber loss, which is
// quadratic for small errors and linear for large ones) on a batch drawn uniformly from that
// memory towards r + gamma max_a' Q_target(s', a') (r alone at a terminal state), where Q_target
// is a copy of the network refreshed every target_update_every steps (a plain assignment), so
// the targets do not chase the weights being trained. Double DQN (van Hasselt et al. 2016; on by
// default): the online network picks argmax_a' and the target network values it, which curbs
// the overestimation of the max. A lost ball is terminal for learning; a truncated episode
// (max_steps) is not: its last transition bootstraps.
//
// Everything random - episode seeds, exploration, replay draws - comes from ctnn::counter_random
// under the options' seed, so a run is reproducible on one build.
#pragma once

#include "brick_breaker_game.hpp"

#include <ctnn/ctnn.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

namespace examples {

struct dqn_options {
    std::size_t steps = 100'000;              // environment steps of training
    std::size_t replay_capacity = 50'000;     // transitions kept (the oldest are overwritten)
    std::size_t warmup = 1'000;               // steps before the first update
    std::size_t train_every = 1;              // environment steps per gradient step
    std::size_t target_update_every = 1'000;  // steps between copies into the target network
    float gamma = 0.99f;                      // discount
    float epsilon_start = 1.0f;               // exploration at step 0 ...
    float epsilon_end = 0.05f;                // ... falling linearly to this
    std::size_t epsilon_decay_steps = 30'000; // ... over these steps
    bool double_dqn = true; // the online network picks a', the target network values it
    std::uint64_t seed = 1;
};

// What train reports after each episode.
struct episode_summary {
    std::size_t episode = 0; // 0-based
    std::size_t step = 0;    // environment steps so far, this episode's included
    float total_reward = 0;
    int bricks = 0;
    int length = 0;
    int balls_lost = 0;
    float epsilon = 0;
    float mean_loss = 0; // over this episode's gradient steps (0 before the first)
};

template <class Game, class Net, std::size_t Batch, class Optimizer = ctnn::adam<>>
class dqn_agent {
    static constexpr std::size_t state_size = Game::state_size;
    static constexpr std::size_t actions = paddle_actions;
    static_assert(std::is_same_v<typename Net::input_shape, ctnn::shape<state_size>>,
                  "dqn_agent: the network's input must be the game's state vector");
    static_assert(std::is_same_v<typename Net::output_shape, ctnn::shape<actions>>,
                  "dqn_agent: the network must have one output (a Q value) per action");

public:
    using trainer_type = ctnn::trainer<Net, ctnn::huber, Optimizer, Batch>;

    dqn_agent(Optimizer optimizer, dqn_options options, brick_breaker_rules rules = {})
        : options_(options), rules_(rules),
          online_(std::make_unique<Net>(ctnn::counter_random(options.seed, 3, 0))),
          target_(std::make_unique<Net>(*online_)),
          trainer_(std::make_unique<trainer_type>(*online_, optimizer)),
          states_(options.replay_capacity * state_size),
          next_states_(options.replay_capacity * state_size), actions_(options.replay_capacity),
          rewards_(options.replay_capacity), terminal_(options.replay_capacity) {}

    [[nodiscard]] const Net& network() const noexcept { return *online_; }

    // The greedy action in the game's current state: one batch-1 predict, no allocation.
    [[nodiscard]] paddle_action act(const Game& game) const noexcept {
        ctnn::tensor<float, ctnn::shape<state_size>> s;
        game.observe(s.data());
        return greedy(*online_, s);
    }

    template <class Network>
    [[nodiscard]] static paddle_action
    greedy(const Network& net, const ctnn::tensor<float, ctnn::shape<state_size>>& s) noexcept {
        return static_cast<paddle_action>(ctnn::argmax(net.predict(s)));
    }

    [[nodiscard]] float epsilon(std::size_t step) const noexcept {
        const float t = std::min(1.0f, static_cast<float>(step) /
                                           static_cast<float>(options_.epsilon_decay_steps));
        return options_.epsilon_start + t * (options_.epsilon_end - options_.epsilon_start);
    }

    // Runs options.steps environment steps of DQN; on_episode(episode_summary) after each
    // finished episode.
    template <class OnEpisode>
    void train(OnEpisode&& on_episode) {
        std::size_t episode = 0;
        Game game(episode_seed(episode), rules_);
        ctnn::tensor<float, ctnn::shape<state_size>> s;
        game.observe(s.data());
        episode_summary summary;
        double loss_sum = 0;
        std::size_t losses = 0;
        for (std::size_t step = 0; step < options_.steps; ++step) {
            const float eps = epsilon(step);
            const bool explore =
                ctnn::uniform_unit(ctnn::counter_random(options_.seed, 1, step)) < eps;
            const paddle_action a =
                explore ? random_action(options_.seed, 2, step) : greedy(*online_, s);
            const brick_breaker_step result = game.step(a);
            // A lost ball ends the return that is learnt, as DQN's Atari agents treat a lost
            // life: Q counts the bricks until the ball is lost, which the state (without the
            // lives left) determines; a truncated episode is not an end, it bootstraps.
            remember(s.data(), a, result.reward, game,
                     result.ball_lost || (result.done && !game.truncated()));
            game.observe(s.data());
            summary.total_reward += result.reward;

            if (step >= options_.warmup && step % options_.train_every == 0) {
                loss_sum += learn(step);
                ++losses;
            }
            if (step % options_.target_update_every == 0)
                *target_ = *online_; // networks are values: the copy is the whole model

            if (result.done) {
                summary.episode = episode;
                summary.step = step + 1;
                summary.bricks = game.bricks_cleared();
                summary.length = game.steps();
                summary.balls_lost = game.balls_lost();
                summary.epsilon = eps;
                summary.mean_loss = losses > 0 ? static_cast<float>(loss_sum / losses) : 0.0f;
                on_episode(summary);
                summary = {};
                loss_sum = 0;
                losses = 0;
                game.reset(episode_seed(++episode));
                game.observe(s.data());
            }
        }
    }

    // The training episodes' seeds; evaluate on others.
    [[nodiscard]] std::uint64_t episode_seed(std::size_t episode) const noexcept {
        return ctnn::counter_random(options_.seed, 4, episode);
    }

private:
    void remember(const float* s, paddle_action a, float r, const Game& next, bool terminal) {
        const std::size_t i = stored_ % options_.replay_capacity;
        std::copy_n(s, state_size, states_.data() + i * state_size);
        next.observe(next_states_.data() + i * state_size);
        actions_[i] = static_cast<std::uint8_t>(a);
        rewards_[i] = r;
        terminal_[i] = terminal ? 1 : 0;
        ++stored_;
    }

    // One gradient step on a batch drawn from the replay memory; returns its loss.
    float learn(std::size_t step) {
        const std::size_t available = std::min(stored_, options_.replay_capacity);
        std::array<std::size_t, Batch> picked;
        for (std::size_t b = 0; b < Batch; ++b) {
            picked[b] = ctnn::counter_random(options_.seed, 5, step * Batch + b) % available;
            std::copy_n(states_.data() + picked[b] * state_size, state_size,
                        x_.data() + b * state_size);
            std::copy_n(next_states_.data() + picked[b] * state_size, state_size,
                        x_next_.data() + b * state_size);
        }
        online_->template predict_rows<Batch>(x_.data(), q_.data(), Batch);
        target_->template predict_rows<Batch>(x_next_.data(), q_next_.data(), Batch);
        if (options_.double_dqn)
            online_->template predict_rows<Batch>(x_next_.data(), q_pick_.data(), Batch);
        // The network has an output per action but a transition says something about the taken
        // action only. The target row is the network's own prediction with the taken action's
        // value replaced: Huber's gradient (prediction - target) is zero at every other output,
        // so only the taken action's Q value moves. (Per-sample weights cannot do this: they
        // weigh whole rows.) The mean over the 3 outputs scales that gradient by 1/3, which the
        // learning rate absorbs.
        for (std::size_t b = 0; b < Batch; ++b) {
            const std::size_t i = picked[b];
            const float* next = q_next_.data() + b * actions;
            const float* pick = options_.double_dqn ? q_pick_.data() + b * actions : next;
            const float best_next = next[std::max_element(pick, pick + actions) - pick];
            float* y = q_.data() + b * actions;
            y[actions_[i]] = rewards_[i] + (terminal_[i] != 0 ? 0.0f : options_.gamma * best_next);
        }
        return trainer_->train_on_batch(x_, q_);
    }

    dqn_options options_;
    brick_breaker_rules rules_;
    std::unique_ptr<Net> online_, target_;
    std::unique_ptr<trainer_type> trainer_;
    // The replay memory, one array per field.
    std::vector<float> states_, next_states_;
    std::vector<std::uint8_t> actions_;
    std::vector<float> rewards_;
    std::vector<std::uint8_t> terminal_;
    std::size_t stored_ = 0;
    // One batch: inputs, next inputs, predictions (then targets), the target network's values.
    std::array<float, Batch * state_size> x_{}, x_next_{};
    std::array<float, Batch * actions> q_{}, q_next_{}, q_pick_{};
};

} // namespace examples
