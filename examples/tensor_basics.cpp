// The course's first tensor examples: a 3×3 matrix, its element-wise square and its dot product
// with itself. Element-wise expressions are fused: `a * a + 1` is one SIMD pass, no temporaries.
// Tensors print as NumPy prints arrays.
#include <ctnn/ctnn.hpp>

#include <iostream>

int main() {
    const ctnn::tensor<float, ctnn::shape<3, 3>> a{1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::cout << "a, of shape " << ctnn::shape<3, 3>{} << ":\n" << a << "\n";

    const ctnn::tensor<float, ctnn::shape<3, 3>> squared = a * a;
    std::cout << "a * a (element-wise):\n" << squared << "\n";

    const auto product = ctnn::dot(a, a); // 30 36 42 / 66 81 96 / 102 126 150
    std::cout << "dot(a, a):\n" << product << "\n";

    std::cout << "sum(a) = " << ctnn::sum(a) << ", max = " << ctnn::max_value(a)
              << " at flat index " << ctnn::argmax(a) << "\n";
}
