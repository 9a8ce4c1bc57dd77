// expect: kernel_initializer<Initializer>: Initializer must be an initializer policy
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::relu, ctnn::kernel_initializer<ctnn::relu>>> net;
