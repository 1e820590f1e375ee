// GroupNorm: argument checks, PyTorch's parameters (ones and zeros), forward through
// functional::group_norm.
#include "descent/nn/group_norm.hpp"

#include <ostream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/group_norm.hpp"

namespace descent::nn {

GroupNorm::GroupNorm(int64_t groups, int64_t channels, double eps_, bool affine_)
    : Module("GroupNorm"), num_groups(groups), num_channels(channels), eps(eps_), affine(affine_) {
    DESCENT_CHECK(num_groups > 0 && num_channels > 0 && num_channels % num_groups == 0, ValueError,
                  "GroupNorm(): num_channels ", num_channels, " must be divisible by num_groups ",
                  num_groups, " (both > 0)");
    DESCENT_CHECK(eps >= 0, ValueError, "GroupNorm(): eps must be >= 0, got ", eps);
    if (affine) {
        weight = register_parameter("weight", empty({num_channels}));
        bias = register_parameter("bias", empty({num_channels}));
        reset_parameters();
    }
}

void GroupNorm::reset_parameters() {
    if (!affine) return;
    NoGradGuard no_grad;
    weight.fill_(1.0);
    bias.fill_(0.0);
}

Tensor GroupNorm::forward(const Tensor& x) {
    DESCENT_CHECK(x.defined() && x.dim() >= 2 && x.shape()[1] == num_channels, ShapeError,
                  "GroupNorm: expected input (N, ", num_channels, ", *), got ",
                  x.defined() ? x.shape() : Shape{});
    return functional::detail::group_norm("GroupNorm", x, num_groups, weight, bias, eps);
}

void GroupNorm::pretty_print(std::ostream& os) const {
    os << "GroupNorm(" << num_groups << ", " << num_channels << ", eps=" << eps
       << ", affine=" << (affine ? "true" : "false") << ")";
}

}  // namespace descent::nn
