// The losses of a distribution against observations: kl_div, poisson_nll_loss and
// gaussian_nll_loss, composed from descent's ops with PyTorch's formulas and conventions.
#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/loss.hpp"

namespace descent::nn::functional {

const char* to_string(KLDivReduction r) {
    switch (r) {
        case KLDivReduction::Mean: return "mean";
        case KLDivReduction::Sum: return "sum";
        case KLDivReduction::None: return "none";
        case KLDivReduction::BatchMean: return "batchmean";
    }
    return "?";
}

namespace {

// y·log y, 0 where y = 0 (torch.xlogy(y, y)); NaN for y < 0, as the log.
Tensor xlogx(const Tensor& y) {
    const Tensor zero = y == 0.0;
    return where(zero, scalar_tensor(0.0, y.dtype()),
                 y * log(where(zero, scalar_tensor(1.0, y.dtype()), y)));
}

}  // namespace

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options,
              CallSite) {
    const char* op = "kl_div";
    detail::check_pair(input, target, op);
    const Tensor loss =
        options.log_target() ? exp(target) * (target - input) : xlogx(target) - target * input;
    switch (options.reduction()) {
        case KLDivReduction::None: return loss;
        case KLDivReduction::Sum: return sum(loss);
        case KLDivReduction::Mean: return detail::reduce(loss, Reduction::Mean, op);
        case KLDivReduction::BatchMean: break;
    }
    if (input.dim() == 0) return sum(loss);  // PyTorch: no batch to divide by
    DESCENT_CHECK(input.size(0) > 0, ValueError, op, "(): batchmean over an empty batch ",
                  input.shape(), " is undefined");
    return sum(loss) / static_cast<double>(input.size(0));
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                        const PoissonNLLLossFuncOptions& options, CallSite) {
    const char* op = "poisson_nll_loss";
    detail::check_pair(input, target, op);
    DESCENT_CHECK(options.eps() >= 0.0, ValueError, op, "(): eps must be >= 0, got ",
                  options.eps());
    Tensor loss = options.log_input() ? exp(input) - target * input
                                      : input - target * log(input + options.eps());
    if (options.full()) {
        // Stirling's approximation of log(y!), only where y > 1 (0 elsewhere, as PyTorch).
        const Tensor big = target > 1.0;
        const Tensor y = where(big, target, scalar_tensor(2.0, target.dtype()));  // log-safe
        const Tensor stirling = y * log(y) - y + log(y * (2.0 * M_PI)) * 0.5;
        loss = loss + where(big, stirling, scalar_tensor(0.0, loss.dtype()));
    }
    return detail::reduce(loss, options.reduction(), op);
}

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var_,
                         const GaussianNLLLossFuncOptions& options, CallSite) {
    const char* op = "gaussian_nll_loss";
    detail::check_pair(input, target, op);
    DESCENT_CHECK(var_.defined(), ValueError, op, "(): var is an undefined tensor");
    DESCENT_CHECK(options.eps() > 0.0, ValueError, op, "(): eps must be > 0, got ", options.eps());
    Tensor var = var_;
    if (var.shape() != input.shape()) {
        const Shape& s = input.shape();
        const Shape head(s.begin(), s.empty() ? s.end() : s.end() - 1);
        const bool homoscedastic = !s.empty() && var.shape() == head;
        const bool last_one = !s.empty() && var.dim() == input.dim() && var.size(-1) == 1 &&
                              Shape(var.shape().begin(), var.shape().end() - 1) == head;
        DESCENT_CHECK(homoscedastic || last_one, ShapeError, op, "(): var ", var.shape(),
                      " must have the input's shape ", s,
                      ", or it without the last dim, or with "
                      "a last dim of 1");
        if (homoscedastic) var = unsqueeze(var, -1);
    }
    const std::vector<double> v = var.detach().to(kFloat64).to_vector<double>();
    for (size_t i = 0; i < v.size(); ++i)
        DESCENT_CHECK(v[i] >= 0.0, ValueError, op, "(): var must be >= 0, element ", i, " is ",
                      v[i]);
    // Clamped at eps, with the clamp outside the graph: dL/dvar is the unclamped formula's.
    const Tensor floor = maximum(var.detach(), scalar_tensor(options.eps(), var.dtype()));
    var = var + (floor - var.detach());
    const Tensor d = input - target;
    Tensor loss = (log(var) + d * d / var) * 0.5;
    if (options.full()) loss = loss + 0.5 * std::log(2.0 * M_PI);
    return detail::reduce(loss, options.reduction(), op);
}

}  // namespace descent::nn::functional
