// ctnn/training/history.hpp - what fit returns: every logged quantity per epoch, as Keras's
// History.history ("loss", "accuracy", "val_loss", "val_accuracy", ...).
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctnn {

struct history {
    std::map<std::string, std::vector<double>> values; // key -> one value per epoch
    std::size_t epochs = 0;                            // epochs completed
    std::string stop_reason;                           // empty when all epochs ran

    [[nodiscard]] bool has(const std::string& key) const { return values.count(key) != 0; }
    [[nodiscard]] const std::vector<double>& operator[](const std::string& key) const {
        const auto it = values.find(key);
        if (it == values.end())
            throw std::out_of_range("history has no quantity '" + key + "'");
        return it->second;
    }
    [[nodiscard]] double last(const std::string& key) const { return (*this)[key].back(); }
};

} // namespace ctnn
