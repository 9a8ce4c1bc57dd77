// tests/support/reference.hpp - the reference values in tests/reference/ (PyTorch float64), read
// with nlohmann-json. CTNN_TEST_REFERENCE_DIR is set by tests/CMakeLists.txt.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn::test {

// The whole optimizers_losses.json document, parsed once.
inline const nlohmann::json& reference() {
    static const nlohmann::json doc = [] {
        const std::string path = std::string(CTNN_TEST_REFERENCE_DIR) + "/optimizers_losses.json";
        std::ifstream in(path);
        if (!in)
            throw std::runtime_error("cannot open reference file " + path);
        return nlohmann::json::parse(in);
    }();
    return doc;
}

// A JSON array of numbers, or an array of arrays (row-major), flattened to floats.
inline std::vector<float> flat_floats(const nlohmann::json& value) {
    std::vector<float> out;
    if (value.is_number()) {
        out.push_back(value.get<float>());
    } else {
        for (const auto& item : value) {
            const auto inner = flat_floats(item);
            out.insert(out.end(), inner.begin(), inner.end());
        }
    }
    return out;
}

} // namespace ctnn::test
