// expect: every layer of a network must be a layer type
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, double> net;
