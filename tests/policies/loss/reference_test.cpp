// Tests every loss against tests/reference/optimizers_losses.json ("losses": Keras semantics
// computed in float64): per-sample values, the batch value (the mean of the per-sample values,
// Keras' sum_over_batch_size) and the gradient of that batch mean, which is the per-sample
// gradient divided by the batch size. Each entry runs in float (what a trainer uses, ~1e-5) and
// in double (the same formulas, ~1e-11).
#include "ctnn/policies/loss/losses.hpp"
#include "support/finite_difference.hpp"
#include "support/reference.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

using namespace ctnn;
using nlohmann::json;

namespace {

struct reference_case {
    std::size_t batch = 0;
    std::size_t outputs = 0;
    std::vector<double> pred;       // batch x outputs: probabilities, values or logits
    std::vector<double> target;     // batch x target_size
    double value = 0;               // mean over the batch
    std::vector<double> per_sample; // batch
    std::vector<double> grad;       // batch x outputs, of the batch mean
};

std::vector<double> flat_doubles(const json& value) {
    std::vector<double> out;
    if (value.is_number()) {
        out.push_back(value.get<double>());
    } else {
        for (const auto& item : value) {
            const auto inner = flat_doubles(item);
            out.insert(out.end(), inner.begin(), inner.end());
        }
    }
    return out;
}

reference_case read_case(const json& entry) {
    reference_case c;
    const json& pred = entry.contains("logits") ? entry.at("logits") : entry.at("y_pred");
    c.batch = pred.size();
    c.outputs = pred.at(0).size();
    c.pred = flat_doubles(pred);
    c.target = flat_doubles(entry.contains("labels") ? entry.at("labels") : entry.at("y_true"));
    const json& keras = entry.at("keras");
    c.value = keras.at("value").get<double>();
    c.per_sample = flat_doubles(keras.at("per_sample"));
    c.grad = flat_doubles(keras.at("grad"));
    return c;
}

template <class L, std::size_t N, class T>
void check_in(const reference_case& c, double rel_tol, double abs_tol) {
    BOOST_TEST_CONTEXT((sizeof(T) == 4 ? "float" : "double")) {
        constexpr std::size_t targets = L::target_size(N);
        BOOST_REQUIRE_EQUAL(c.target.size(), c.batch * targets);
        BOOST_REQUIRE_EQUAL(c.per_sample.size(), c.batch);
        BOOST_REQUIRE_EQUAL(c.grad.size(), c.batch * N);
        const std::vector<T> pred(c.pred.begin(), c.pred.end());
        const std::vector<T> target(c.target.begin(), c.target.end());
        double sum = 0;
        for (std::size_t b = 0; b < c.batch; ++b) {
            const T value = L::template value<N>(pred.data() + b * N, target.data() + b * targets);
            BOOST_TEST(test::close(value, c.per_sample[b], rel_tol, abs_tol),
                       "sample " << b << ": value " << value << ", reference " << c.per_sample[b]);
            sum += value;
            std::array<T, N> grad{};
            L::template gradient<N>(pred.data() + b * N, target.data() + b * targets, grad.data());
            for (std::size_t j = 0; j < N; ++j) {
                const double batch_grad = grad[j] / static_cast<double>(c.batch);
                BOOST_TEST(test::close(batch_grad, c.grad[b * N + j], rel_tol, abs_tol),
                           "sample " << b << ", output " << j << ": gradient / batch " << batch_grad
                                     << ", reference " << c.grad[b * N + j]);
            }
        }
        const double batch_value = sum / static_cast<double>(c.batch);
        BOOST_TEST(test::close(batch_value, c.value, rel_tol, abs_tol),
                   "batch value " << batch_value << ", reference " << c.value);
    }
}

template <class L, std::size_t N>
void check(const json& entry) {
    const reference_case c = read_case(entry);
    BOOST_REQUIRE_EQUAL(c.outputs, N);
    check_in<L, N, float>(c, 1e-5, 1e-7);
    check_in<L, N, double>(c, 1e-11, 1e-14);
}

// Every "losses" entry of the reference, by its key, and the ctnn loss it checks.
const std::map<std::string, void (*)(const json&)>& checkers() {
    static const std::map<std::string, void (*)(const json&)> table = {
        {"mean_squared_error", check<mean_squared_error, 3>},
        {"mean_absolute_error", check<mean_absolute_error, 3>},
        {"mean_squared_logarithmic_error", check<mean_squared_logarithmic_error, 3>},
        {"binary_crossentropy_from_probabilities", check<binary_crossentropy, 3>},
        {"binary_crossentropy_from_logits", check<binary_crossentropy_from_logits, 3>},
        {"hinge_labels_pm1", check<hinge, 3>},
        {"hinge_labels_01", check<hinge, 3>},
        {"squared_hinge_labels_pm1", check<squared_hinge, 3>},
        {"squared_hinge_labels_01", check<squared_hinge, 3>},
        {"categorical_crossentropy_from_probabilities", check<categorical_crossentropy, 4>},
        {"categorical_crossentropy_from_logits", check<categorical_crossentropy_from_logits, 4>},
        {"sparse_categorical_crossentropy_from_probabilities",
         check<sparse_categorical_crossentropy, 4>},
        {"sparse_categorical_crossentropy_from_logits",
         check<sparse_categorical_crossentropy_from_logits, 4>},
        {"kl_divergence", check<kl_divergence, 4>},
    };
    return table;
}

} // namespace

BOOST_AUTO_TEST_SUITE(reference_test)

BOOST_AUTO_TEST_CASE(every_reference_loss_matches) {
    const json& losses = test::reference().at("losses");
    BOOST_REQUIRE(!losses.empty());
    for (const auto& [key, entry] : losses.items()) {
        BOOST_TEST_CONTEXT("reference entry " << key) {
            const auto found = checkers().find(key);
            BOOST_TEST_REQUIRE((found != checkers().end()), "no ctnn loss checks entry " << key);
            found->second(entry);
        }
    }
}

// The table above must not go stale: each of its keys is still in the reference.
BOOST_AUTO_TEST_CASE(every_checker_has_a_reference_entry) {
    const json& losses = test::reference().at("losses");
    for (const auto& [key, check] : checkers())
        BOOST_TEST(losses.contains(key), "reference has no entry " << key);
}

// The reference's categorical cross-entropy gradient includes Keras' row normalisation; without
// it the gradient would be -y / p (recorded as grad_without_row_normalisation). Make sure the
// two really differ, so the match above means the normalisation is there.
BOOST_AUTO_TEST_CASE(categorical_gradient_includes_the_row_normalisation) {
    const json& entry =
        test::reference().at("losses").at("categorical_crossentropy_from_probabilities");
    const auto with = flat_doubles(entry.at("keras").at("grad"));
    const auto without = flat_doubles(entry.at("grad_without_row_normalisation"));
    BOOST_REQUIRE_EQUAL(with.size(), without.size());
    double largest_difference = 0;
    for (std::size_t i = 0; i < with.size(); ++i)
        largest_difference = std::max(largest_difference, std::abs(with[i] - without[i]));
    BOOST_TEST(largest_difference > 0.1);
}

BOOST_AUTO_TEST_SUITE_END()
