// The course's first tensor examples: a 3×3 matrix, its element-wise square and its dot product
// with itself. Element-wise expressions are fused: `a * a + 1` is one SIMD pass, no temporaries.
#include <ctnn/ctnn.hpp>

#include <cstdio>

template <class Tensor>
void print(const char* title, const Tensor& m) {
    std::printf("%s\n", title);
    for (std::size_t i = 0; i < 3; ++i)
        std::printf("  %6.1f %6.1f %6.1f\n", m(i, 0), m(i, 1), m(i, 2));
}

int main() {
    const ctnn::tensor<float, ctnn::shape<3, 3>> a{1, 2, 3, 4, 5, 6, 7, 8, 9};
    print("a", a);

    const ctnn::tensor<float, ctnn::shape<3, 3>> squared = a * a;
    print("a * a (element-wise)", squared);

    const auto product = ctnn::dot(a, a); // 30 36 42 / 66 81 96 / 102 126 150
    print("dot(a, a)", product);

    std::printf("sum(a) = %.1f, max = %.1f at flat index %zu\n", ctnn::sum(a), ctnn::max_value(a),
                ctnn::argmax(a));
}
