#!/usr/bin/env bash
# Fresh Debian machine -> dependencies and Fashion-MNIST installed, ctnn built, the examples run:
# the tensor basics, the lecture's neuron, inference with the 784-128-10 classifier, and the
# main example, training that classifier on Fashion-MNIST for 10 epochs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --with-data
cmake --preset release -DCTNN_BUILD_TESTS=OFF -DCTNN_BUILD_BENCH=OFF > /dev/null
cmake --build --preset release --target tensor_basics mortgage_neuron classifier_inference fashion_mnist
for example in tensor_basics mortgage_neuron classifier_inference fashion_mnist; do
    echo "== examples/${example}"
    build/release/examples/${example}
done
