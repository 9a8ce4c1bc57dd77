// expect: every parameter after the activation must be a named option
#include <ctnn/ctnn.hpp>
// The positional form of old: an initializer without its kernel_initializer<...>.
ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::relu, ctnn::he_normal>> net;
