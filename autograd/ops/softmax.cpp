// Forward (fused, stable kernels) and backward (descent ops, so twice differentiable) of softmax,
// log_softmax and logsumexp, side by side. All three save their output.
#include "descent/autograd/ops/softmax.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/kernels/softmax.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

// Checks and normalises dim; a 0-d tensor counts as one element along dim 0.
kernels::Axis axis_of(const Tensor& a, int64_t& dim, const char* op) {
    ops_detail::check_defined(a, op);
    dim = normalize_dim(dim, a.shape(), op);
    const kernels::Axis axis = kernels::split_at(a.shape(), dim);
    DESCENT_CHECK(axis.n > 0, ValueError, op, "(): cannot reduce over an empty dim of shape ",
                  a.shape());
    return axis;
}

}  // namespace

struct SoftmaxBackward final : Node {
    // saved: out
    int64_t dim = 0;
    const char* name() const override { return "SoftmaxBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor softmax(const Tensor& a, int64_t dim, CallSite) {
    const kernels::Axis axis = axis_of(a, dim, "softmax");
    Tensor out = ops_detail::visit_floating(a.dtype(), "softmax", [&](auto tag) {
        using T = decltype(tag);
        Tensor o = make_tensor(a.shape(), a.dtype());
        kernels::softmax(detail::dense(a).data<T>(), axis, o.data<T>());
        return o;
    });
    if (auto node = record<SoftmaxBackward>(out, a)) {
        node->save_for_backward({out});
        node->dim = dim;
    }
    return out;
}

// y = softmax(a):  dL/da = y * (g - Σ_dim g·y)
std::vector<Tensor> SoftmaxBackward::apply(Tensor g) {
    const Tensor y = saved(0);
    return {mul(y, sub(g, sum(mul(g, y), dim, true)))};
}

struct LogSoftmaxBackward final : Node {
    // saved: out
    int64_t dim = 0;
    const char* name() const override { return "LogSoftmaxBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor log_softmax(const Tensor& a, int64_t dim, CallSite) {
    const kernels::Axis axis = axis_of(a, dim, "log_softmax");
    Tensor out = ops_detail::visit_floating(a.dtype(), "log_softmax", [&](auto tag) {
        using T = decltype(tag);
        Tensor o = make_tensor(a.shape(), a.dtype());
        kernels::log_softmax(detail::dense(a).data<T>(), axis, o.data<T>());
        return o;
    });
    if (auto node = record<LogSoftmaxBackward>(out, a)) {
        node->save_for_backward({out});
        node->dim = dim;
    }
    return out;
}

// y = log_softmax(a):  dL/da = g - exp(y) * Σ_dim g
std::vector<Tensor> LogSoftmaxBackward::apply(Tensor g) {
    return {sub(g, mul(exp(saved(0)), sum(g, dim, true)))};
}

struct LogsumexpBackward final : Node {
    // saved: a, out
    Shape kept;  // the output's shape with dim kept as 1
    const char* name() const override { return "LogsumexpBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor logsumexp(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    const kernels::Axis axis = axis_of(a, dim, "logsumexp");
    const Shape kept = a.dim() == 0 ? Shape{} : reduced_shape(a.shape(), dim, true);
    Tensor out = ops_detail::visit_floating(a.dtype(), "logsumexp", [&](auto tag) {
        using T = decltype(tag);
        Tensor o =
            make_tensor(a.dim() == 0 ? Shape{} : reduced_shape(a.shape(), dim, keepdim), a.dtype());
        kernels::logsumexp(detail::dense(a).data<T>(), axis, o.data<T>());
        return o;
    });
    if (auto node = record<LogsumexpBackward>(out, a)) {
        node->save_for_backward({a, out});
        node->kept = kept;
    }
    return out;
}

// y = log Σ_dim exp(a):  dL/da = g * exp(a - y)   (g and y broadcast over dim)
std::vector<Tensor> LogsumexpBackward::apply(Tensor g) {
    const Tensor y = reshape(saved(1), kept);
    return {mul(reshape(g, kept), exp(sub(saved(0), y)))};
}

}  // namespace descent
