// expect: the regularizers must be policies such as ctnn::l2
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::relu, ctnn::glorot_uniform, ctnn::zeros, int>> net;
