// Tests ctnn/serialize/npz.hpp: .npz archives built by hand (tests/support/zip_builder.hpp:
// stored, deflated, Zip64 fields as np.savez writes them) and two written by Python's own
// zipfile module, their entries named as np.load names them and read as arrays, errors from the
// archive and from its arrays, and importing Keras [in, out] and PyTorch [out, in] weights into a
// network, checked against a forward pass computed here in double precision. The ZIP layer
// itself (every zip style, damage, truncation) is tested in tests/io/zip_test.cpp.
#include "ctnn/serialize/npz.hpp"

#include "ctnn/core/tensor.hpp"
#include "ctnn/layers/dense.hpp"
#include "ctnn/network/network.hpp"
#include "ctnn/policies/activation/activations.hpp"

#include "support/temp_dir.hpp"
#include "support/zip_builder.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

using namespace ctnn;
namespace fs = std::filesystem;

namespace {

using bytes_t = std::vector<unsigned char>;
using test::from_hex;
using test::make_zip;
using test::python_deflated_hex;
using test::python_stored_hex;
using test::zip_member;
using test::zip_style;

fs::path write_bytes(const fs::path& file, const bytes_t& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return file;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A .npy file of any dtype, built by hand (npy_test.cpp tests the format itself).
bytes_t npy_raw(const std::string& descr, const std::string& shape, const bytes_t& data) {
    const std::string header =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    bytes_t b{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<unsigned char>(header.size()), 0};
    b.insert(b.end(), header.begin(), header.end());
    b.insert(b.end(), data.begin(), data.end());
    return b;
}
bytes_t npy_f4(std::vector<std::size_t> shape, const std::vector<float>& values) {
    return npy_bytes(npy_array{std::move(shape), values});
}

std::vector<float> iota_values(std::size_t n, float start, float step) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = start + step * static_cast<float>(i);
    return v;
}

// An archive must be refused with an io_error naming the file and containing `part`.
void expect_archive_error(const fs::path& file, const std::string& part,
                          const std::string& entry = "") {
    try {
        const npz_archive archive(file);
        if (!entry.empty())
            static_cast<void>(archive.read(entry));
        else
            static_cast<void>(archive.read_all());
        BOOST_ERROR("accepted " << file << "; expected: " << part);
    } catch (const io_error& e) {
        BOOST_TEST(contains(e.what(), part), "message: " << e.what() << "\nexpected: " << part);
        BOOST_TEST(contains(e.what(), file.string()));
    }
}

// --- the network and its weights ---------------------------------------------------------

using mlp = network<input<5>, dense<17, relu>, dense<3, softmax>>;

// Logical weights in Keras's [in][out] indexing, from a fixed seed.
struct mlp_weights {
    std::vector<float> w0 = std::vector<float>(5 * 17), b0 = std::vector<float>(17),
                       w1 = std::vector<float>(17 * 3), b1 = std::vector<float>(3);
    mlp_weights() {
        std::mt19937 gen(2024);
        std::uniform_real_distribution<float> u(-0.8f, 0.8f);
        for (auto* v : {&w0, &b0, &w1, &b1})
            for (float& x : *v)
                x = u(gen);
    }
    static std::vector<float> transposed(const std::vector<float>& m, std::size_t rows,
                                         std::size_t columns) {
        std::vector<float> t(m.size());
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < columns; ++j)
                t[j * rows + i] = m[i * columns + j];
        return t;
    }
    // np.savez(f, *model.get_weights())
    bytes_t keras_zip() const {
        return make_zip({{"arr_0.npy", npy_f4({5, 17}, w0)},
                         {"arr_1.npy", npy_f4({17}, b0)},
                         {"arr_2.npy", npy_f4({17, 3}, w1)},
                         {"arr_3.npy", npy_f4({3}, b1)}},
                        zip_style::zip64_local);
    }
    // np.savez_compressed(f, **state_dict), with a BatchNorm-style counter that must be skipped
    bytes_t pytorch_zip() const {
        return make_zip({{"0.weight.npy", npy_f4({17, 5}, transposed(w0, 5, 17)), 8},
                         {"0.bias.npy", npy_f4({17}, b0), 8},
                         {"1.num_batches_tracked.npy", npy_raw("<i8", "()", bytes_t(8, 0)), 8},
                         {"2.weight.npy", npy_f4({3, 17}, transposed(w1, 17, 3)), 8},
                         {"2.bias.npy", npy_f4({3}, b1), 8}},
                        zip_style::zip64_local);
    }
    // The forward pass in double: relu(x W0 + b0) W1 + b1, softmax.
    std::vector<double> predict(const std::vector<float>& x) const {
        std::vector<double> h(17), z(3), p(3);
        for (std::size_t j = 0; j < 17; ++j) {
            double s = b0[j];
            for (std::size_t i = 0; i < 5; ++i)
                s += double{x[i]} * w0[i * 17 + j];
            h[j] = std::max(s, 0.0);
        }
        double total = 0;
        for (std::size_t j = 0; j < 3; ++j) {
            z[j] = b1[j];
            for (std::size_t i = 0; i < 17; ++i)
                z[j] += h[i] * w1[i * 3 + j];
        }
        const double top = *std::max_element(z.begin(), z.end());
        for (std::size_t j = 0; j < 3; ++j)
            total += p[j] = std::exp(z[j] - top);
        for (double& v : p)
            v /= total;
        return p;
    }
};

template <class Net>
std::vector<float> parameters(const Net& net) {
    std::vector<float> values;
    net.visit_parameters([&](std::size_t, parameter_array<const float> a) {
        for (std::size_t r = 0; r < a.rows; ++r)
            for (std::size_t c = 0; c < a.columns; ++c)
                values.push_back(a(r, c));
    });
    return values;
}

template <class Net>
void expect_import_error(Net& net, const fs::path& file, weight_layout layout,
                         const std::vector<std::string>& parts) {
    const auto before = parameters(net);
    try {
        import_npz(net, file, layout);
        BOOST_ERROR("import accepted " << file);
    } catch (const io_error& e) {
        for (const std::string& part : parts)
            BOOST_TEST(contains(e.what(), part), "message: " << e.what() << "\nexpected: " << part);
    }
    BOOST_TEST((parameters(net) == before));
}

bool numpy_available() {
    return std::system("python3 -c 'import numpy' > /dev/null 2>&1") == 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(npz_test)

BOOST_AUTO_TEST_CASE(archives_written_by_pythons_zipfile) {
    test::temp_dir dir;
    for (const char* hex : {python_stored_hex, python_deflated_hex}) {
        const npz_archive archive(write_bytes(dir / "python.npz", from_hex(hex)));
        BOOST_TEST((archive.names() == std::vector<std::string>{"kernel", "bias"}));
        const npy_array kernel = archive.read("kernel");
        BOOST_TEST((kernel.shape == std::vector<std::size_t>{2, 3}));
        BOOST_TEST((kernel.values == std::vector<float>{1, 2, 3, 4, 5, 6}));
        const npy_array bias = archive.read("bias.npy");
        BOOST_TEST((bias.values == std::vector<float>{0.5f, -0.25f, 8}));
    }
}

BOOST_AUTO_TEST_CASE(stored_and_deflated_archives) {
    test::temp_dir dir;
    const std::vector<float> big = iota_values(1000, -1.0f, 0.0f); // compresses well
    const bytes_t kernel = npy_f4({2, 3}, {1, 2, 3, 4, 5, 6});
    const bytes_t bias = npy_raw(
        "<f8", "(2,)", {0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0xc0}); // 1.0, -2.0
    const bytes_t large = npy_f4({1000}, big);
    for (int method : {0, 8}) {
        const bytes_t zip = make_zip({{"arr_0.npy", kernel, method},
                                      {"arr_1.npy", bias, method},
                                      {"big.npy", large, method}},
                                     zip_style::zip64_local);
        const npz_archive archive(write_bytes(dir / "a.npz", zip));
        BOOST_TEST((archive.names() == std::vector<std::string>{"arr_0", "arr_1", "big"}));
        BOOST_TEST(archive.contains("arr_1"));
        BOOST_TEST(archive.contains("arr_1.npy"));
        BOOST_TEST(!archive.contains("arr_2"));
        const std::vector<named_array> all = archive.read_all();
        BOOST_TEST_REQUIRE(all.size() == 3u);
        BOOST_TEST((all[0].array.values == std::vector<float>{1, 2, 3, 4, 5, 6}));
        BOOST_TEST((all[1].array.values == std::vector<float>{1, -2}));
        BOOST_TEST((all[2].array.values == big));
        BOOST_TEST(all[2].name == "big");
        if (method == 8)
            BOOST_TEST(zip.size() < large.size());
    }
}

// Damage to the archive itself is io/zip.hpp's (tests/io/zip_test.cpp); here, that its errors
// reach the caller of npz_archive, and the errors of the .npz layer.
BOOST_AUTO_TEST_CASE(damaged_archives_name_the_file_and_the_problem) {
    test::temp_dir dir;
    const bytes_t entry = npy_f4({2, 3}, {1, 2, 3, 4, 5, 6});
    const bytes_t good = make_zip({{"arr_0.npy", entry}, {"arr_1.npy", entry}});

    expect_archive_error(write_bytes(dir / "text.npz", bytes_t(100, 'x')),
                         "not a zip archive: no end-of-central-directory record");
    bytes_t corrupt = good;
    corrupt[30 + 9 + 60] ^= 0x01; // a byte of arr_0's header text (stored, so in place)
    expect_archive_error(write_bytes(dir / "crc.npz", corrupt),
                         "entry 'arr_0.npy': CRC-32 mismatch", "arr_0");
    BOOST_CHECK_THROW(static_cast<void>(npz_archive::from_bytes(
                          bytes_t(good.begin(), good.end() - 1), "cut.npz")),
                      io_error);

    expect_archive_error(write_bytes(dir / "missing.npz", good),
                         "no entry 'kernel' (the archive holds 'arr_0', 'arr_1')", "kernel");
    expect_archive_error(
        write_bytes(dir / "int.npz",
                    make_zip({{"arr_0.npy", npy_raw("<i4", "(1,)", bytes_t(4, 0))}})),
        "entry 'arr_0.npy', byte 10: unsupported dtype '<i4'", "arr_0");

    try {
        const npz_archive archive(write_bytes(dir / "limit.npz", make_zip({{"a.npy", entry}})),
                                  1000);
        static_cast<void>(npz_archive(dir / "limit.npz", 100));
        BOOST_ERROR("the size limit was ignored");
    } catch (const io_error& e) {
        BOOST_TEST(contains(e.what(), "larger than the limit of 100 bytes"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(keras_and_pytorch_layouts_give_the_same_network) {
    test::temp_dir dir;
    const mlp_weights w;
    auto keras_net = std::make_unique<mlp>(1);
    auto torch_net = std::make_unique<mlp>(2);
    import_npz(*keras_net, write_bytes(dir / "keras.npz", w.keras_zip()), weight_layout::keras);
    import_npz(*torch_net, write_bytes(dir / "torch.npz", w.pytorch_zip()), weight_layout::pytorch);

    // The logical weights, exactly.
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 17; ++j)
            BOOST_TEST(keras_net->layer<0>().weight(i, j) == w.w0[i * 17 + j]);
    for (std::size_t j = 0; j < 3; ++j)
        BOOST_TEST(keras_net->layer<1>().bias(j) == w.b1[j]);
    BOOST_TEST((parameters(*keras_net) == parameters(*torch_net)));

    // The same predictions, bit for bit, and those of the double-precision forward pass.
    tensor<float, shape<4, 5>> x;
    for (std::size_t i = 0; i < 20; ++i)
        x[i] = 0.3f * static_cast<float>(i % 7) - 0.9f;
    const auto pk = keras_net->predict(x);
    const auto pt = torch_net->predict(x);
    for (std::size_t r = 0; r < 4; ++r) {
        const std::vector<double> expected =
            w.predict(std::vector<float>(&x[r * 5], &x[r * 5] + 5));
        for (std::size_t j = 0; j < 3; ++j) {
            BOOST_TEST(std::bit_cast<std::uint32_t>(pk[r * 3 + j]) ==
                       std::bit_cast<std::uint32_t>(pt[r * 3 + j]));
            BOOST_TEST(std::abs(pk[r * 3 + j] - expected[j]) < 1e-5);
        }
    }

    // Naming the entries explicitly gives the same.
    auto named_net = std::make_unique<mlp>(3);
    import_npz(*named_net, dir / "torch.npz", weight_layout::out_in,
               {"0.weight", "0.bias", "2.weight", "2.bias"});
    BOOST_TEST((parameters(*named_net) == parameters(*torch_net)));
}

BOOST_AUTO_TEST_CASE(arr_entries_are_taken_in_numeric_order) {
    using deep = network<input<3>, dense<4>, dense<4>, dense<4>, dense<4>, dense<4>, dense<2>>;
    // Written out of order (arr_10 sorts before arr_2 as text): array k holds the value k.
    const std::vector<std::vector<std::size_t>> shapes{{3, 4}, {4}, {4, 4}, {4}, {4, 4}, {4},
                                                       {4, 4}, {4}, {4, 4}, {4}, {4, 2}, {2}};
    std::vector<zip_member> members;
    for (std::size_t k : {10u, 2u, 0u, 11u, 1u, 3u, 4u, 5u, 6u, 7u, 8u, 9u}) {
        std::size_t n = 1;
        for (std::size_t e : shapes[k])
            n *= e;
        members.push_back({"arr_" + std::to_string(k) + ".npy",
                           npy_f4(shapes[k], std::vector<float>(n, static_cast<float>(k)))});
    }
    test::temp_dir dir;
    const fs::path file = write_bytes(dir / "deep.npz", make_zip(members));
    BOOST_TEST(conventional_order(npz_archive(file)).front() == "arr_0");
    auto net = std::make_unique<deep>(1);
    import_npz(*net, file, weight_layout::keras);
    std::size_t k = 0;
    net->visit_parameters([&](std::size_t, parameter_array<float> a) {
        BOOST_TEST(a(0, 0) == static_cast<float>(k));
        BOOST_TEST(a(a.rows - 1, a.columns - 1) == static_cast<float>(k));
        ++k;
    });
    BOOST_TEST(k == 12u);
}

BOOST_AUTO_TEST_CASE(shape_and_count_mismatches_name_both_and_change_nothing) {
    test::temp_dir dir;
    const mlp_weights w;
    auto net = std::make_unique<mlp>(1);

    expect_import_error(*net, write_bytes(dir / "keras.npz", w.keras_zip()), weight_layout::pytorch,
                        {"entry 'arr_0'",
                         "shape (5, 17) does not fit layer 0 (dense<17, relu>) "
                         "'kernel', which needs (17, 5) in weight_layout::out_in",
                         "the other layout"});
    expect_import_error(*net, write_bytes(dir / "torch.npz", w.pytorch_zip()), weight_layout::keras,
                        {"shape (17, 5)", "needs (5, 17)"});

    // A kernel of the wrong size: both shapes appear.
    const bytes_t wrong = make_zip({{"arr_0.npy", npy_f4({6, 17}, std::vector<float>(102))},
                                    {"arr_1.npy", npy_f4({17}, w.b0)},
                                    {"arr_2.npy", npy_f4({17, 3}, w.w1)},
                                    {"arr_3.npy", npy_f4({3}, w.b1)}});
    expect_import_error(*net, write_bytes(dir / "wrong.npz", wrong), weight_layout::keras,
                        {"shape (6, 17) does not fit", "needs (5, 17)"});

    // A bias given as a matrix, a missing array.
    const bytes_t matrix_bias = make_zip({{"arr_0.npy", npy_f4({5, 17}, w.w0)},
                                          {"arr_1.npy", npy_f4({17, 1}, w.b0)},
                                          {"arr_2.npy", npy_f4({17, 3}, w.w1)},
                                          {"arr_3.npy", npy_f4({3}, w.b1)}});
    expect_import_error(*net, write_bytes(dir / "matrix_bias.npz", matrix_bias),
                        weight_layout::keras, {"entry 'arr_1'", "shape (17, 1)", "needs (17,)"});
    const bytes_t three = make_zip({{"arr_0.npy", npy_f4({5, 17}, w.w0)},
                                    {"arr_1.npy", npy_f4({17}, w.b0)},
                                    {"arr_2.npy", npy_f4({17, 3}, w.w1)}});
    expect_import_error(
        *net, write_bytes(dir / "three.npz", three), weight_layout::keras,
        {"3 arrays for the 4 arrays of the network",
         "network arrays ([in, out]): 0.kernel (5, 17) 0.bias (17,) 1.kernel (17, 3) 1.bias (3,)",
         "arr_0 (5, 17) arr_1 (17,) arr_2 (17, 3)"});

    // Naming an entry that is not there.
    const auto before = parameters(*net);
    try {
        import_npz(*net, dir / "torch.npz", weight_layout::pytorch,
                   {"0.weight", "0.bias", "2.weight", "3.bias"});
        BOOST_ERROR("a missing entry was accepted");
    } catch (const io_error& e) {
        BOOST_TEST(contains(e.what(), "no entry '3.bias'"), e.what());
    }
    BOOST_TEST((parameters(*net) == before));
}

BOOST_AUTO_TEST_CASE(one_layer_or_arrays_from_memory) {
    const mlp_weights w;
    auto net = std::make_unique<mlp>(1);
    const auto before = parameters(*net);
    const std::vector<named_array> layer1{{"W1", {{3, 17}, mlp_weights::transposed(w.w1, 17, 3)}},
                                          {"b1", {{3}, w.b1}}};
    import_layer<1>(*net, layer1, weight_layout::out_in);
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            BOOST_TEST(net->layer<1>().weight(i, j) == w.w1[i * 3 + j]);
    // Layer 0 untouched.
    const auto after = parameters(*net);
    BOOST_TEST((std::vector<float>(after.begin(), after.begin() + 5 * 17 + 17) ==
                std::vector<float>(before.begin(), before.begin() + 5 * 17 + 17)));

    const std::vector<named_array> all{{"W0", {{5, 17}, w.w0}},
                                       {"b0", {{17}, w.b0}},
                                       {"W1", {{17, 3}, w.w1}},
                                       {"b1", {{3}, w.b1}}};
    import_arrays(*net, all, weight_layout::in_out);
    BOOST_TEST(net->layer<0>().weight(4, 16) == w.w0[4 * 17 + 16]);
    try {
        import_layer<0>(*net, layer1, weight_layout::out_in, "layer1.npz");
        BOOST_ERROR("layer 1's arrays were accepted for layer 0");
    } catch (const io_error& e) {
        BOOST_TEST(contains(e.what(), "layer1.npz: entry 'W1': shape (3, 17) does not fit layer 0"),
                   e.what());
    }
}

// Files written by NumPy itself, when it is installed (it is not required: everything above
// uses archives built byte by byte and by Python's zipfile).
BOOST_AUTO_TEST_CASE(files_written_by_numpy,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                         return numpy_available();
                     })) {
    test::temp_dir dir;
    const std::string script =
        "import numpy as np, sys\n"
        "d = sys.argv[1]\n"
        "k = np.arange(85, dtype=np.float64).reshape(5, 17) / 7\n"
        "b = np.linspace(-1, 1, 17).astype(np.float32)\n"
        "np.save(d + '/k.npy', np.asfortranarray(k))\n"
        "np.savez(d + '/keras.npz', k.astype(np.float32), b, np.ones((17, 3), np.float32),\n"
        "         np.zeros(3, np.float32))\n"
        "np.savez_compressed(d + '/torch.npz', **{'0.weight': k.T.copy(), '0.bias': b,\n"
        "    '2.weight': np.ones((3, 17)), '2.bias': np.zeros(3)})\n";
    std::ofstream(dir / "make.py") << script;
    BOOST_TEST_REQUIRE(
        std::system(("python3 " + (dir / "make.py").string() + " " + dir.path.string()).c_str()) ==
        0);
    const npy_array k = read_npy(dir / "k.npy");
    BOOST_TEST((k.shape == std::vector<std::size_t>{5, 17}));
    BOOST_TEST(k(2, 3) == static_cast<float>(37.0 / 7));
    auto keras_net = std::make_unique<mlp>(1);
    auto torch_net = std::make_unique<mlp>(2);
    import_npz(*keras_net, dir / "keras.npz", weight_layout::keras);
    import_npz(*torch_net, dir / "torch.npz", weight_layout::pytorch);
    BOOST_TEST((parameters(*keras_net) == parameters(*torch_net)));
    BOOST_TEST(keras_net->layer<0>().weight(2, 3) == static_cast<float>(37.0 / 7));
}

BOOST_AUTO_TEST_SUITE_END()
