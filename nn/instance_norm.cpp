// InstanceNorm2d: argument checks, PyTorch's parameters when affine, forward through
// functional::instance_norm (an unbatched (C, H, W) input as a batch of one).
#include "descent/nn/instance_norm.hpp"

#include <ostream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/group_norm.hpp"

namespace descent::nn {

InstanceNorm2d::InstanceNorm2d(int64_t features, double eps_, double momentum_, bool affine_,
                               bool track)
    : Module("InstanceNorm2d"),
      num_features(features),
      eps(eps_),
      momentum(momentum_),
      affine(affine_),
      track_running_stats(track) {
    DESCENT_CHECK(num_features > 0, ValueError, "InstanceNorm2d(): num_features must be > 0, got ",
                  num_features);
    DESCENT_CHECK(eps >= 0, ValueError, "InstanceNorm2d(): eps must be >= 0, got ", eps);
    DESCENT_CHECK(!track_running_stats, ValueError,
                  "InstanceNorm2d(): track_running_stats=true is not supported (batch statistics "
                  "only)");
    if (affine) {
        weight = register_parameter("weight", empty({num_features}));
        bias = register_parameter("bias", empty({num_features}));
        reset_parameters();
    }
}

void InstanceNorm2d::reset_parameters() {
    if (!affine) return;
    NoGradGuard no_grad;
    weight.fill_(1.0);
    bias.fill_(0.0);
}

Tensor InstanceNorm2d::forward(const Tensor& x) {
    const bool batched = x.defined() && x.dim() == 4;
    DESCENT_CHECK(
        x.defined() && (x.dim() == 3 || x.dim() == 4) && x.shape()[x.dim() - 3] == num_features,
        ShapeError, "InstanceNorm2d: expected input (N, ", num_features, ", H, W) or (",
        num_features, ", H, W), got ", x.defined() ? x.shape() : Shape{});
    const Tensor xb = batched ? x : x.unsqueeze(0);
    const Tensor y =
        functional::detail::group_norm("InstanceNorm2d", xb, num_features, weight, bias, eps);
    return batched ? y : y.squeeze(0);
}

void InstanceNorm2d::pretty_print(std::ostream& os) const {
    os << "InstanceNorm2d(" << num_features << ", eps=" << eps << ", momentum=" << momentum
       << ", affine=" << (affine ? "true" : "false") << ", track_running_stats=false)";
}

}  // namespace descent::nn
