// expect: ctnn::input<...> may only appear once
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<4>, ctnn::input<4>, ctnn::dense<1>> net;
