// expect: dense<Units, ...>: the number of units must be positive
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dense<0>> net;
