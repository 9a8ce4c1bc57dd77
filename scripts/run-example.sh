#!/usr/bin/env bash
# Fresh Debian machine -> dependencies installed, ctnn built, the main examples run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
cmake --preset release -DCTNN_BUILD_TESTS=OFF -DCTNN_BUILD_BENCH=OFF > /dev/null
cmake --build --preset release --target classifier_inference mortgage_neuron tensor_basics
for example in tensor_basics mortgage_neuron classifier_inference; do
    echo "== examples/${example}"
    build/release/examples/${example}
done
