// expect: Regularizer must be a regularizer policy such as ctnn::l2
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::relu, ctnn::kernel_regularizer<int>>> net;
