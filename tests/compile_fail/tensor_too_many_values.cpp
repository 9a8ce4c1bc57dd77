// expect: give exactly one value per element of the tensor's shape
#include <ctnn/ctnn.hpp>
// Four values for three elements: not truncated, refused.
const ctnn::tensor<float, ctnn::shape<3>> v{1, 2, 3, 4};
