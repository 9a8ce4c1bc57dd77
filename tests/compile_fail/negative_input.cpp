// expect: input<Dims...>: every size must be positive
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<28, -1>, ctnn::flatten, ctnn::dense<1>> net;
