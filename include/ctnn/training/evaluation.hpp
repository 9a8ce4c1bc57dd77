// ctnn/training/evaluation.hpp - what trainer::evaluate returns: the mean loss over a data set
// and the accuracy that goes with the loss (NaN for a regression loss).
//
//   const ctnn::evaluation e = trainer->evaluate(test);
//   std::cout << e;   // loss: 0.3412 - accuracy: 0.8812   (as Keras's evaluate prints it)
#pragma once

#include "ctnn/training/history.hpp"

#include <cmath>
#include <ostream>
#include <string>

namespace ctnn {

struct evaluation {
    double loss = 0;
    double accuracy = std::nan(""); // NaN when the loss has no accuracy (regression)
};

inline std::ostream& operator<<(std::ostream& os, const evaluation& e) {
    std::string text = "loss: " + detail::logged_value_text(e.loss);
    if (!std::isnan(e.accuracy))
        text += " - accuracy: " + detail::logged_value_text(e.accuracy);
    return os << text;
}

} // namespace ctnn
