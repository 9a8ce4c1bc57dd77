// expect: dropout<Rate>: the rate must be in \[0, 1\)
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::dropout<std::ratio<1>>, ctnn::dense<1>> net;
