// expect: the first layer of a network must be ctnn::input<...>
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::dense<10>, ctnn::dense<5>> net;
