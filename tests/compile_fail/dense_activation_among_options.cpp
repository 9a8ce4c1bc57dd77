// expect: the activation is the second parameter, right after Units
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::kernel_initializer<ctnn::he_normal>, ctnn::relu>>
    net;
