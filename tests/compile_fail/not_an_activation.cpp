// expect: Activation must be an activation policy such as ctnn::relu
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dense<3, int>> net;
