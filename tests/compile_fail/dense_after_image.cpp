// expect: a dense layer needs a flat \(rank-1\) input.*put ctnn::flatten between them
#include <ctnn/ctnn.hpp>
ctnn::network<ctnn::input<28, 28>, ctnn::dense<10, ctnn::softmax>> net;
