// expect: a network needs an input<...> followed by at least one layer
#include <ctnn/ctnn.hpp>
ctnn::network<> net;
