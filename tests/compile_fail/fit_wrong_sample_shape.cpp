// expect: fit: the data set's sample or target shape does not match the network
#include <ctnn/ctnn.hpp>
using net_t = ctnn::network<ctnn::input<784>, ctnn::dense<10, ctnn::softmax>>;
void train(net_t& net, const ctnn::dataset<ctnn::shape<28, 28>, ctnn::shape<1>>& images) {
    auto trainer = ctnn::make_trainer<32>(net, ctnn::sparse_categorical_crossentropy{}, ctnn::adam<>{});
    (void)trainer->fit(images);
}
