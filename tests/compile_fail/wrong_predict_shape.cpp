// expect: predict: the tensor's shape is neither the network's input shape
#include <ctnn/ctnn.hpp>
using net_t = ctnn::network<ctnn::input<784>, ctnn::dense<10, ctnn::softmax>>;
float f(const net_t& net, const ctnn::tensor<float, ctnn::shape<783>>& x) { return net.predict(x)[0]; }
