// ctnn/serialize/npz.hpp - NumPy .npz archives, and weights from Keras or PyTorch into a network.
//
// Bringing a trained Keras or PyTorch MLP into ctnn. Write the weights with NumPy:
//
//   # Keras: get_weights() lists each layer's kernel [in, out] and bias, in layer order
//   model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(128, "relu"),
//                             keras.layers.Dense(10, "softmax")])
//   np.savez("mlp.npz", *model.get_weights())           # entries arr_0, arr_1, arr_2, arr_3
//
//   # PyTorch: state_dict() holds each Linear's weight [out, in] and bias, in module order
//   model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(),
//                               torch.nn.Linear(128, 10))
//   np.savez("mlp.npz", **{k: v.detach().cpu().numpy() for k, v in model.state_dict().items()})
//   # entries "0.weight", "0.bias", "2.weight", "2.bias"
//
// then declare the same network in C++ and state the layout the file uses:
//
//   using mlp = ctnn::network<ctnn::input<784>, ctnn::dense<128, ctnn::relu>,
//                             ctnn::dense<10, ctnn::softmax>>;
//   auto net = std::make_unique<mlp>();
//   ctnn::import_npz(*net, "mlp.npz", ctnn::weight_layout::keras);    // [in, out] matrices
//   ctnn::import_npz(*net, "mlp.npz", ctnn::weight_layout::pytorch);  // [out, in] matrices
//   ctnn::import_npz(*net, "mlp.npz", ctnn::weight_layout::pytorch,   // or name the entries
//                    {"0.weight", "0.bias", "2.weight", "2.bias"});
//   ctnn::save_weights(*net, "mlp.ctnnw");   // from now on, ctnn's own checked format
//
// Entries go to the network's arrays (net.visit_parameters order: per layer, a dense kernel
// then its bias; batch normalization's gamma, beta, moving mean, moving variance) one to one:
// either the names you list, or by convention all entries except PyTorch's
// "*num_batches_tracked" counters, ordered by number when all are named arr_<n> (what
// np.savez(f, *arrays) writes) and otherwise in the order they were written (np.savez keeps a
// dict's order). The layout matters only for matrices: vectors are the same in both. Every
// shape is checked before anything is copied; on an error (which names the entry, the layer,
// the array and both shapes) the network is unchanged. Activations are not in the file: the
// C++ type decides them (a PyTorch model whose softmax is inside CrossEntropyLoss gives logits,
// dense<10, softmax> gives probabilities).
//
// The archive itself is read by io::zip_archive (io/zip.hpp): stored and deflated
// (np.savez_compressed) entries, Zip64 (np.savez forces Zip64 entries), every entry's CRC-32
// checked. This header needs zlib: link with ctnn::io.
#pragma once

#include "ctnn/io/error.hpp"
#include "ctnn/io/zip.hpp"
#include "ctnn/serialize/architecture.hpp"
#include "ctnn/serialize/npy.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctnn {

// How a file stores a dense kernel (a matrix; vectors are the same in both).
enum class weight_layout {
    in_out,           // [inputs, units]: Keras get_weights(), TensorFlow, ctnn
    out_in,           // [units, inputs]: PyTorch state_dict() (nn.Linear.weight)
    keras = in_out,   // the same, by framework
    pytorch = out_in, //
};

// One entry of an archive, or any array with a name for error messages.
struct named_array {
    std::string name;
    npy_array array;
};

namespace detail {

// An entry's name as np.load gives it: "arr_0.npy" -> "arr_0".
inline std::string npz_key(std::string_view file_name) {
    if (file_name.size() >= 4 && file_name.substr(file_name.size() - 4) == ".npy")
        file_name.remove_suffix(4);
    return std::string(file_name);
}

} // namespace detail

// A .npz file: a zip archive (io/zip.hpp) of .npy files. Entries are named as np.load names
// them, without ".npy", and listed in the archive's order.
class npz_archive {
public:
    explicit npz_archive(const std::filesystem::path& file,
                         std::uint64_t max_bytes = default_npy_max_bytes)
        : zip_(file, max_bytes) {}
    // An archive held in memory; `name` only names it in errors.
    [[nodiscard]] static npz_archive from_bytes(std::vector<unsigned char> bytes,
                                                const std::filesystem::path& name,
                                                std::uint64_t max_bytes = default_npy_max_bytes) {
        return npz_archive(io::zip_archive::from_bytes(std::move(bytes), name, max_bytes));
    }

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return zip_.file(); }

    [[nodiscard]] std::vector<std::string> names() const {
        std::vector<std::string> keys;
        for (const io::zip_entry& e : zip_.entries())
            keys.push_back(detail::npz_key(e.name));
        return keys;
    }
    [[nodiscard]] bool contains(std::string_view name) const noexcept { return find(name); }

    // The array of entry `name` ("arr_0" or "arr_0.npy"); throws io_error if it is missing or
    // not a float array.
    [[nodiscard]] npy_array read(std::string_view name) const {
        const io::zip_entry* entry = find(name);
        if (entry == nullptr) {
            std::string known;
            for (const std::string& key : names())
                known += (known.empty() ? "'" : ", '") + key + "'";
            throw io_error(file(), "",
                           "no entry '" + std::string(name) + "' (the archive holds " +
                               (known.empty() ? std::string("nothing") : known) + ")");
        }
        const std::vector<unsigned char> data = zip_.read(*entry);
        return parse_npy(data, file(), "entry '" + entry->name + "', ");
    }

    // Every entry, in the archive's order.
    [[nodiscard]] std::vector<named_array> read_all() const {
        std::vector<named_array> arrays;
        for (const io::zip_entry& e : zip_.entries())
            arrays.push_back({detail::npz_key(e.name), read(e.name)});
        return arrays;
    }

private:
    explicit npz_archive(io::zip_archive zip) : zip_(std::move(zip)) {}

    io::zip_archive zip_;

    const io::zip_entry* find(std::string_view name) const noexcept {
        for (const io::zip_entry& e : zip_.entries())
            if (e.name == name || detail::npz_key(e.name) == name)
                return &e;
        return nullptr;
    }
};

namespace detail {

inline std::string layout_text(weight_layout layout) {
    return layout == weight_layout::in_out ? "weight_layout::in_out ([in, out], Keras)"
                                           : "weight_layout::out_in ([out, in], PyTorch)";
}

// Copies arrays[k] into the k-th of the network arrays chosen by `take(layer)`, after checking
// every shape (so the network is unchanged on error).
template <class Net, class Take>
void import_selected(Net& net, std::span<const named_array> arrays, weight_layout layout,
                     const std::filesystem::path& source, Take take) {
    std::vector<const architecture_array*> targets;
    for (const architecture_array& a : architecture_arrays<Net>())
        if (take(a.layer))
            targets.push_back(&a);
    const auto listing = [&] {
        std::string text = "\n  network arrays ([in, out]):";
        for (const architecture_array* t : targets)
            text += " " + std::to_string(t->layer) + "." + t->name + " " +
                    shape_text(t->rows == 1 ? std::vector<std::size_t>{t->columns}
                                            : std::vector<std::size_t>{t->rows, t->columns});
        text += "\n  given arrays:              ";
        for (const named_array& a : arrays)
            text += " " + a.name + " " + shape_text(a.array.shape);
        return text;
    };
    if (arrays.size() != targets.size())
        throw io_error(source, "",
                       std::to_string(arrays.size()) + " arrays for the " +
                           std::to_string(targets.size()) + " arrays of the network" + listing());

    for (std::size_t k = 0; k < targets.size(); ++k) {
        const architecture_array& t = *targets[k];
        const npy_array& a = arrays[k].array;
        const bool fits = (a.rank() == 1 && t.rows == 1 && a.shape[0] == t.columns) ||
                          (a.rank() == 2 && layout == weight_layout::in_out &&
                           a.shape[0] == t.rows && a.shape[1] == t.columns) ||
                          (a.rank() == 2 && layout == weight_layout::out_in &&
                           a.shape[0] == t.columns && a.shape[1] == t.rows);
        if (fits)
            continue;
        const std::vector<std::size_t> in_out{t.rows, t.columns}, out_in{t.columns, t.rows};
        std::string needed = t.rows == 1
                                 ? shape_text(std::vector<std::size_t>{t.columns})
                                 : shape_text(layout == weight_layout::in_out ? in_out : out_in);
        std::string hint;
        if (a.rank() == 2 && t.rows != 1 &&
            a.shape == (layout == weight_layout::in_out ? out_in : in_out))
            hint = " (the other layout: is the file " +
                   layout_text(layout == weight_layout::in_out ? weight_layout::out_in
                                                               : weight_layout::in_out) +
                   "?)";
        throw io_error(source, "entry '" + arrays[k].name + "'",
                       "shape " + shape_text(a.shape) + " does not fit layer " +
                           std::to_string(t.layer) + " (" + t.layer_name + ") '" + t.name +
                           "', which needs " + needed + " in " + layout_text(layout) + hint +
                           listing());
    }

    std::size_t k = 0;
    net.visit_parameters([&](std::size_t layer, parameter_array<float> target) {
        if (!take(layer))
            return;
        const npy_array& a = arrays[k++].array;
        for (std::size_t r = 0; r < target.rows; ++r)
            for (std::size_t c = 0; c < target.columns; ++c)
                target(r, c) = a.rank() == 1 || layout == weight_layout::in_out
                                   ? a.values[r * target.columns + c]
                                   : a.values[c * target.rows + r];
    });
}

} // namespace detail

// Every array of the network, in visit_parameters order (see the top of this file). `source`
// names the arrays' origin in error messages.
template <class Net>
void import_arrays(Net& net, std::span<const named_array> arrays, weight_layout layout,
                   const std::filesystem::path& source = "arrays") {
    detail::import_selected(net, arrays, layout, source, [](std::size_t) { return true; });
}

// The arrays of layer Layer only (e.g. {kernel, bias} of a dense layer).
template <std::size_t Layer, class Net>
void import_layer(Net& net, std::span<const named_array> arrays, weight_layout layout,
                  const std::filesystem::path& source = "arrays") {
    static_assert(Layer < Net::layer_count, "import_layer<Layer>: the network has no such layer "
                                            "(layers are counted from 0 after the input)");
    detail::import_selected(net, arrays, layout, source,
                            [](std::size_t layer) { return layer == Layer; });
}

// The entries of a .npz archive in the conventional order: without PyTorch's
// "num_batches_tracked" counters, by number if all are arr_<n>, else as written.
[[nodiscard]] inline std::vector<std::string> conventional_order(const npz_archive& archive) {
    std::vector<std::string> names;
    for (std::string& name : archive.names()) {
        constexpr std::string_view counter = "num_batches_tracked";
        if (name.size() < counter.size() || name.substr(name.size() - counter.size()) != counter)
            names.push_back(std::move(name));
    }
    const auto number = [](const std::string& name) -> std::optional<std::size_t> {
        if (name.size() < 5 || name.size() > 13 || name.compare(0, 4, "arr_") != 0)
            return std::nullopt;
        std::size_t n = 0;
        for (std::size_t i = 4; i < name.size(); ++i) {
            if (name[i] < '0' || name[i] > '9')
                return std::nullopt;
            n = n * 10 + static_cast<std::size_t>(name[i] - '0');
        }
        return n;
    };
    if (std::all_of(names.begin(), names.end(), [&](const std::string& n) { return number(n); }))
        std::stable_sort(
            names.begin(), names.end(),
            [&](const std::string& a, const std::string& b) { return *number(a) < *number(b); });
    return names;
}

// The named entries of `file`, one per network array in visit_parameters order.
template <class Net>
void import_npz(Net& net, const std::filesystem::path& file, weight_layout layout,
                const std::vector<std::string>& names) {
    const npz_archive archive(file);
    std::vector<named_array> arrays;
    arrays.reserve(names.size());
    for (const std::string& name : names)
        arrays.push_back({name, archive.read(name)});
    import_arrays(net, arrays, layout, file);
}

// All entries of `file` in the conventional order (see conventional_order).
template <class Net>
void import_npz(Net& net, const std::filesystem::path& file, weight_layout layout) {
    const npz_archive archive(file);
    std::vector<named_array> arrays;
    for (const std::string& name : conventional_order(archive))
        arrays.push_back({name, archive.read(name)});
    import_arrays(net, arrays, layout, file);
}

} // namespace ctnn
