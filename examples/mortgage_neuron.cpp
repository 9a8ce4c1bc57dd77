// The lecture's first neuron: should the bank give this person a mortgage?
//
// Five inputs (money in the bank, age, has a job, salary, existing debt), one sigmoid output:
// the probability that the answer is yes. The weights here are set by hand to show what a
// single neuron computes: a weighted sum plus a bias, squashed into (0, 1).
#include <ctnn/ctnn.hpp>

#include <cstdio>

int main() {
    using neuron = ctnn::network<ctnn::input<5>, ctnn::dense<1, ctnn::sigmoid>>;
    neuron net;

    // Features are scaled to about [0, 1]: savings / 100k, age / 100, job (0 or 1),
    // salary / 100k, debt / 100k.
    const float weights[5] = {2.0f, -0.5f, 1.5f, 3.0f, -2.5f};
    for (std::size_t i = 0; i < 5; ++i)
        net.layer<0>().weight(i, 0) = weights[i];
    net.layer<0>().bias(0) = -2.0f;

    struct applicant {
        const char* who;
        ctnn::tensor<float, ctnn::shape<5>> features;
    };
    const applicant applicants[] = {
        {"saver with a job   ", {0.80f, 0.35f, 1.0f, 0.60f, 0.05f}},
        {"student, no savings", {0.02f, 0.21f, 0.0f, 0.05f, 0.10f}},
        {"high debt          ", {0.10f, 0.45f, 1.0f, 0.50f, 0.90f}},
    };

    std::printf("%s", neuron::summary().c_str());
    for (const auto& a : applicants) {
        const float p = net.predict(a.features)[0];
        std::printf("%s  P(mortgage) = %.3f  -> %s\n", a.who, p, p >= 0.5f ? "yes" : "no");
    }
}
