// expect: for batch_normalization, export after fold_batch_normalization
#include <ctnn/ctnn.hpp>
int main() {
    ctnn::network<ctnn::input<4>, ctnn::dense<8>, ctnn::batch_normalization<ctnn::relu>,
                  ctnn::dense<2>>
        net;
    auto text = ctnn::export_header_text(net, "model");
}
