// examples/brick_breaker_game.hpp - a small brick-breaker game on a grid, deterministic for a
// seed, for the reinforcement-learning example (examples/brick_breaker.cpp) and its test.
//
//   examples::brick_breaker<10, 12, 3> game(/*seed=*/7);   // 10 columns, 12 rows, 3 brick rows
//   auto s = game.state();                                 // std::array<float, state_size>
//   const auto [reward, ball_lost, done] = game.step(examples::paddle_action::right);
//   std::puts(game.draw().c_str());
//
// The board: a wall of Columns × BrickRows bricks starting at row 1 (row 0 stays free, so the
// ball can bounce behind the wall), the paddle (3 cells wide) on the bottom row, one ball. Each
// step the paddle moves one cell left, stays or moves one cell right, then the ball moves one
// cell in each direction of its velocity (vx in {-1, 0, 1}, vy in {-1, 1}): it reflects off the
// side walls and the ceiling; a brick it would enter is removed (reward +1) and the ball bounces
// back vertically without moving that step; on reaching the paddle row it bounces when the
// paddle covers that cell - off the paddle's left cell to the left, its middle straight up, its
// right cell to the right, so the agent can aim - and is lost otherwise: a penalty and a life
// (3 by default). A new ball then starts below the wall, heading down, with the paddle centred;
// the episode ends with the last life, when the wall is cleared, or after max_steps steps
// (truncated: not a terminal state of the game, which matters to value learning).
//
// The seed sets where each ball starts (column, and direction left or right); nothing else is
// random, so a seed and a sequence of actions give one trajectory on every platform
// (ctnn::counter_random, not a standard distribution).
//
// state(): a fixed-size vector of floats in [-1, 1]: ball column and row scaled to [0, 1], vx,
// vy, the paddle's left cell scaled to [0, 1], then the brick bitmap row by row (1 = brick).
#pragma once

#include <ctnn/policies/init/random.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace examples {

// The game's three actions; the value is the index of the action's output in a Q network.
enum class paddle_action : int { left = 0, stay = 1, right = 2 };
inline constexpr std::size_t paddle_actions = 3;

struct brick_breaker_rules {
    float brick_reward = 1.0f;      // per brick removed
    float lost_ball_penalty = 1.0f; // subtracted when the ball passes the paddle
    int lives = 3;                  // balls per episode (at least 1)
    int max_steps = 1000;           // the episode is truncated after this many steps
};

struct brick_breaker_step {
    float reward = 0;
    bool ball_lost = false; // this step lost a ball (and a life)
    bool done = false;      // no lives left, cleared or truncated: reset before stepping again
};

template <int Columns, int Rows, int BrickRows>
class brick_breaker {
    static_assert(Columns >= 4, "brick_breaker: the board needs at least 4 columns");
    static_assert(BrickRows >= 1, "brick_breaker: the wall needs at least one row of bricks");
    static_assert(Rows >= BrickRows + 4,
                  "brick_breaker: the board needs a free row above the wall, one below it for "
                  "the ball to start in, one for the ball above the paddle and the paddle's row");

public:
    static constexpr int columns = Columns, rows = Rows, brick_rows = BrickRows;
    static constexpr int paddle_width = 3;
    static constexpr int wall_top = 1;                 // the first row of bricks
    static constexpr int paddle_row = Rows - 1;        // the bottom row
    static constexpr int bricks = Columns * BrickRows; // at the start
    static constexpr std::size_t state_size = 5 + static_cast<std::size_t>(bricks);
    using state_type = std::array<float, state_size>;

    explicit brick_breaker(std::uint64_t seed, brick_breaker_rules rules = {}) : rules_(rules) {
        reset(seed);
    }

    void reset(std::uint64_t seed) {
        seed_ = seed;
        bricks_.fill(true);
        remaining_ = bricks;
        steps_ = 0;
        balls_lost_ = 0;
        truncated_ = false;
        serve();
    }

    // Puts the ball and the paddle somewhere (tests and demonstrations; the wall is kept).
    // Positions must be on the board, the ball off the paddle row and the bricks, vx in
    // {-1, 0, 1} and vy in {-1, 1}.
    void place(int ball_x, int ball_y, int vx, int vy, int paddle) noexcept {
        ball_x_ = ball_x;
        ball_y_ = ball_y;
        vx_ = vx;
        vy_ = vy;
        paddle_ = paddle;
    }

    brick_breaker_step step(paddle_action action) noexcept {
        brick_breaker_step result;
        if (done())
            return {.done = true};
        ++steps_;
        paddle_ = std::clamp(paddle_ + static_cast<int>(action) - 1, 0, Columns - paddle_width);

        int nx = ball_x_ + vx_;
        if (nx < 0 || nx >= Columns) { // side wall
            vx_ = -vx_;
            nx = ball_x_ + vx_;
        }
        int ny = ball_y_ + vy_;
        if (ny < 0) { // ceiling
            vy_ = 1;
            ny = ball_y_ + vy_;
        }
        if (brick_at(nx, ny)) {
            bricks_[index(nx, ny)] = false;
            --remaining_;
            result.reward += rules_.brick_reward;
            vy_ = -vy_; // the ball stays in its (free) cell this step
        } else if (ny == paddle_row) {
            const int offset = nx - paddle_;
            if (offset >= 0 && offset < paddle_width) {
                vx_ = offset - 1; // left cell: left, middle: straight up, right cell: right
                vy_ = -1;
                ball_x_ = nx; // one row above the paddle
            } else {
                result.reward -= rules_.lost_ball_penalty;
                result.ball_lost = true;
                ++balls_lost_;
                ball_x_ = nx;
                ball_y_ = ny;
                if (!lost())
                    serve();
            }
        } else {
            ball_x_ = nx;
            ball_y_ = ny;
        }
        truncated_ = !lost() && remaining_ > 0 && steps_ >= rules_.max_steps;
        result.done = done();
        return result;
    }

    // The observation the agent sees (see the header comment).
    void observe(float* out) const noexcept {
        out[0] = static_cast<float>(ball_x_) / static_cast<float>(Columns - 1);
        out[1] = static_cast<float>(ball_y_) / static_cast<float>(Rows - 1);
        out[2] = static_cast<float>(vx_);
        out[3] = static_cast<float>(vy_);
        out[4] = static_cast<float>(paddle_) / static_cast<float>(Columns - paddle_width);
        for (int i = 0; i < bricks; ++i)
            out[5 + i] = bricks_[static_cast<std::size_t>(i)] ? 1.0f : 0.0f;
    }
    [[nodiscard]] state_type state() const noexcept {
        state_type s;
        observe(s.data());
        return s;
    }

    // The board as text: '#' brick, 'o' ball, '=' paddle, '.' empty, inside a frame.
    [[nodiscard]] std::string draw() const {
        std::string out = "+" + std::string(Columns, '-') + "+\n";
        for (int y = 0; y < Rows; ++y) {
            out += '|';
            for (int x = 0; x < Columns; ++x) {
                char c = '.';
                if (brick_at(x, y))
                    c = '#';
                if (y == paddle_row && x >= paddle_ && x < paddle_ + paddle_width)
                    c = '=';
                if (x == ball_x_ && y == ball_y_)
                    c = 'o';
                out += c;
            }
            out += "|\n";
        }
        return out + "+" + std::string(Columns, '-') + "+\n";
    }

    [[nodiscard]] bool done() const noexcept { return lost() || remaining_ == 0 || truncated_; }
    // Every life lost.
    [[nodiscard]] bool lost() const noexcept { return balls_lost_ >= rules_.lives; }
    [[nodiscard]] int balls_lost() const noexcept { return balls_lost_; }
    [[nodiscard]] bool cleared() const noexcept { return remaining_ == 0; }
    // Stopped by max_steps, not by the game: a value learner should bootstrap from this state.
    [[nodiscard]] bool truncated() const noexcept { return truncated_; }
    [[nodiscard]] int bricks_cleared() const noexcept { return bricks - remaining_; }
    [[nodiscard]] int steps() const noexcept { return steps_; }
    [[nodiscard]] int ball_x() const noexcept { return ball_x_; }
    [[nodiscard]] int ball_y() const noexcept { return ball_y_; }
    [[nodiscard]] int paddle() const noexcept { return paddle_; } // its left cell
    [[nodiscard]] const brick_breaker_rules& rules() const noexcept { return rules_; }

private:
    // A new ball in the row below the wall, heading down, and the paddle centred: the paddle has
    // rows - wall_top - brick_rows - 2 steps to get under it. Ball k's start is drawn from the
    // seed's stream k.
    void serve() noexcept {
        const auto ball = static_cast<std::uint64_t>(balls_lost_);
        paddle_ = (Columns - paddle_width) / 2;
        ball_x_ = static_cast<int>(ctnn::counter_random(seed_, ball, 0) % Columns);
        ball_y_ = wall_top + BrickRows;
        vx_ = ctnn::counter_random(seed_, ball, 1) % 2 == 0 ? -1 : 1;
        vy_ = 1;
    }

    [[nodiscard]] static std::size_t index(int x, int y) noexcept {
        return static_cast<std::size_t>((y - wall_top) * Columns + x);
    }
    [[nodiscard]] bool brick_at(int x, int y) const noexcept {
        return y >= wall_top && y < wall_top + BrickRows && bricks_[index(x, y)];
    }

    brick_breaker_rules rules_;
    std::uint64_t seed_ = 0;
    std::array<bool, static_cast<std::size_t>(bricks)> bricks_{};
    int remaining_ = bricks;
    int steps_ = 0;
    int paddle_ = 0;
    int ball_x_ = 0, ball_y_ = 0, vx_ = 1, vy_ = 1;
    int balls_lost_ = 0;
    bool truncated_ = false;
};

// The hand-written baseline: move the paddle's middle cell towards the ball's column.
template <class Game>
[[nodiscard]] paddle_action follow_the_ball(const Game& game) noexcept {
    const int middle = game.paddle() + Game::paddle_width / 2;
    if (game.ball_x() < middle)
        return paddle_action::left;
    if (game.ball_x() > middle)
        return paddle_action::right;
    return paddle_action::stay;
}

// A uniformly random action, the n-th of stream `stream` under `seed` (reproducible anywhere).
[[nodiscard]] inline paddle_action random_action(std::uint64_t seed, std::uint64_t stream,
                                                 std::uint64_t n) noexcept {
    return static_cast<paddle_action>(
        static_cast<int>(ctnn::uniform_unit(ctnn::counter_random(seed, stream, n)) * 3.0));
}

// Means over seeded episodes of a policy: policy(game, episode) -> paddle_action.
struct policy_score {
    double bricks = 0;       // bricks cleared per episode
    double length = 0;       // steps per episode
    double total_reward = 0; // return per episode (undiscounted)
    double balls_lost = 0;   // balls lost per episode
    double lost = 0;         // fraction of episodes that ended with every life lost
    double cleared = 0;      // fraction that cleared the wall
    // Steps after the episode's last brick: a deterministic policy whose ball has fallen into a
    // cycle that hits no brick piles them up until the step limit.
    double steps_after_last_brick = 0;
};

template <class Game, class Policy>
[[nodiscard]] policy_score evaluate_policy(Policy&& policy, std::size_t episodes,
                                           std::uint64_t first_seed,
                                           brick_breaker_rules rules = {}) {
    policy_score sum;
    for (std::size_t e = 0; e < episodes; ++e) {
        Game game(first_seed + e, rules);
        int last_brick = 0;
        while (!game.done()) {
            const int before = game.bricks_cleared();
            sum.total_reward += game.step(policy(game, e)).reward;
            if (game.bricks_cleared() != before)
                last_brick = game.steps();
        }
        sum.bricks += game.bricks_cleared();
        sum.length += game.steps();
        sum.balls_lost += game.balls_lost();
        sum.lost += game.lost() ? 1 : 0;
        sum.cleared += game.cleared() ? 1 : 0;
        sum.steps_after_last_brick += game.steps() - last_brick;
    }
    const auto n = static_cast<double>(episodes);
    return {.bricks = sum.bricks / n,
            .length = sum.length / n,
            .total_reward = sum.total_reward / n,
            .balls_lost = sum.balls_lost / n,
            .lost = sum.lost / n,
            .cleared = sum.cleared / n,
            .steps_after_last_brick = sum.steps_after_last_brick / n};
}

} // namespace examples
