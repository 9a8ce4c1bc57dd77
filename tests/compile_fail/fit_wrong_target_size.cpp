// expect: fit: the data set's sample or target shape does not match the network
#include <ctnn/ctnn.hpp>
using net_t = ctnn::network<ctnn::input<4>, ctnn::dense<3, ctnn::softmax>>;
void train(net_t& net, const ctnn::dataset<ctnn::shape<4>, ctnn::shape<1>>& labels) {
    // categorical cross-entropy wants one-hot targets of 3 values, not class indices
    auto trainer = ctnn::make_trainer<8>(net, ctnn::categorical_crossentropy{}, ctnn::sgd<>{});
    (void)trainer->fit(labels);
}
