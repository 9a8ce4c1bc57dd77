// expect: constexpr_predict: a layer or activation of this network has no constant-expression form
#include <ctnn/ctnn.hpp>
using net_t = ctnn::network<ctnn::input<2>, ctnn::dense<1, ctnn::gelu>>;
inline constexpr std::array<float, 2> k{1, 1};
inline constexpr std::array<float, 1> b{0};
inline constexpr ctnn::constant_parameters<net_t> p{ctnn::layer_constants_t<net_t, 0>{k, b}};
int main() {
    auto y = ctnn::constexpr_predict<net_t>(p, {1, 2});
}
