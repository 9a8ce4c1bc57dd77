// expect: give exactly one value per element of the tensor's shape
#include <ctnn/ctnn.hpp>
// Eight values for nine elements: not zero-filled, refused.
const ctnn::tensor<float, ctnn::shape<3, 3>> m{1, 2, 3, 4, 5, 6, 7, 8};
