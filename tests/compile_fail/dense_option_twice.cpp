// expect: an option is given twice
#include <ctnn/ctnn.hpp>
using once = ctnn::kernel_regularizer<ctnn::l2<std::ratio<1, 1000>>>;
using twice = ctnn::kernel_regularizer<ctnn::l1<std::ratio<1, 100>>>;
ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::relu, once, twice>> net;
