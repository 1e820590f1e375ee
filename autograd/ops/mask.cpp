// Forward and backward of the mask ops. masked_fill is where(mask, value, a) (so its gradients are
// where's); masked_select and its backward, masked_scatter (g placed where the mask is true), are
// each other's gradient, so both are differentiable to any order.
#include "descent/autograd/ops/mask.hpp"

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

// A mask is a bool tensor that broadcasts to a's shape (PyTorch's masked_fill rule).
void check_mask(const Tensor& a, const Tensor& mask, const char* op) {
    ops_detail::check_defined(a, op);
    ops_detail::check_defined(mask, op, "mask");
    DESCENT_CHECK(mask.dtype() == kBool, TypeError, op, "(): expected a bool mask, got ",
                  mask.dtype(), " (compare, e.g. x > 0, or convert with .to(kBool))");
    DESCENT_CHECK(broadcast_shapes(a.shape(), mask.shape(), op) == a.shape(), ShapeError, op,
                  "(): mask of shape ", mask.shape(), " does not broadcast to the input's shape ",
                  a.shape());
}

// t's values broadcast to `shape`, contiguous, with no graph
Tensor expanded(const Tensor& t, const Shape& shape) {
    autograd::NoGradGuard no_grad;
    return t.detach().expand(shape).contiguous();
}

Tensor masked_scatter(const Tensor& g, const Tensor& mask);

struct MaskedSelectBackward final : Node {
    // saved: the mask broadcast to the selection's shape
    const char* name() const override { return "MaskedSelectBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

struct MaskedScatterBackward final : Node {
    // saved: the mask (its shape is the output's)
    const char* name() const override { return "MaskedScatterBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

// g (k) -> out (mask's shape): g's elements in row-major order where mask, 0 elsewhere
Tensor masked_scatter(const Tensor& g, const Tensor& mask) {
    Tensor out = zeros(mask.shape(), g.dtype());
    const Tensor src = detail::dense(g);
    const bool* m = mask.data<bool>();
    visit_dtype(g.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* s = src.data<T>();
        T* o = out.data<T>();
        for (int64_t i = 0, k = 0; i < out.numel(); ++i)
            if (m[i]) o[i] = s[k++];
    });
    if (auto node = record<MaskedScatterBackward>(out, g)) node->save_for_backward({mask});
    return out;
}

// out = scatter of g to mask's true places:  dL/dg = masked_select(gg, mask)
std::vector<Tensor> MaskedScatterBackward::apply(Tensor gg) {
    return {masked_select(gg, saved(0))};
}

}  // namespace

Tensor masked_fill(const Tensor& a, const Tensor& mask, double value, CallSite) {
    check_mask(a, mask, "masked_fill");
    // converted as a cast (2.7 into int64 is 2), as fill_
    return where(mask, detail::converted(scalar_tensor(value, kFloat64), a.dtype()), a);
}

Tensor masked_fill(const Tensor& a, const Tensor& mask, const Tensor& value, CallSite) {
    check_mask(a, mask, "masked_fill");
    ops_detail::check_defined(value, "masked_fill", "value");
    DESCENT_CHECK(value.dim() == 0, ShapeError,
                  "masked_fill(): the value must be a 0-d tensor (as in PyTorch), got shape ",
                  value.shape());
    return where(mask, value.dtype() == a.dtype() ? value : value.to(a.dtype()), a);
}

Tensor masked_select(const Tensor& a, const Tensor& mask, CallSite) {
    ops_detail::check_defined(a, "masked_select");
    ops_detail::check_defined(mask, "masked_select", "mask");
    DESCENT_CHECK(mask.dtype() == kBool, TypeError, "masked_select(): expected a bool mask, got ",
                  mask.dtype());
    const Shape shape = broadcast_shapes(a.shape(), mask.shape(), "masked_select");
    const Tensor m = expanded(mask, shape), x = expanded(a, shape);
    const bool* mp = m.data<bool>();
    int64_t k = 0;
    for (int64_t i = 0; i < m.numel(); ++i) k += mp[i];
    Tensor out = make_tensor(Shape{k}, a.dtype());
    // x, m: (shape) -> out: (k);  out = x[m] in row-major order
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* s = x.data<T>();
        T* o = out.data<T>();
        for (int64_t i = 0, j = 0; i < m.numel(); ++i)
            if (mp[i]) o[j++] = s[i];
    });
    if (auto node = record<MaskedSelectBackward>(out, a)) node->save_for_backward({m});
    return out;
}

// out = a[mask]:  dL/da = g scattered to the mask's places (0 elsewhere), summed to a's shape
std::vector<Tensor> MaskedSelectBackward::apply(Tensor g) {
    return {sum_to_size(masked_scatter(g, saved(0)), input_shape(0))};
}

// ---- method forms and the in-place masked_fill_ -----------------------------------------------
Tensor Tensor::masked_fill(const Tensor& mask, double value, CallSite) const {
    return descent::masked_fill(*this, mask, value);
}
Tensor Tensor::masked_fill(const Tensor& mask, const Tensor& value, CallSite) const {
    return descent::masked_fill(*this, mask, value);
}
Tensor Tensor::masked_select(const Tensor& mask, CallSite) const {
    return descent::masked_select(*this, mask);
}

namespace {
void check_masked_fill_(const Tensor& self, const Tensor& mask) {
    check_mask(self, mask, "masked_fill_");
    DESCENT_CHECK(!(autograd::GradMode::is_enabled() && self.requires_grad()), StateError,
                  "masked_fill_(): cannot modify in place a tensor of shape ", self.shape(),
                  " that requires grad while grad mode is on; use the out-of-place masked_fill");
}
}  // namespace

// The value converted to this tensor's dtype as fill_ converts it (2.7 into int64 is 2).
Tensor& Tensor::masked_fill_(const Tensor& mask, double value) {
    check_masked_fill_(*this, mask);
    Tensor filled;
    {
        autograd::NoGradGuard no_grad;
        filled = descent::masked_fill(detach(), mask, value);
    }
    return copy_(filled);
}

Tensor& Tensor::masked_fill_(const Tensor& mask, const Tensor& value) {
    check_masked_fill_(*this, mask);
    DESCENT_CHECK(value.defined(), ValueError, "masked_fill_(): undefined value");
    DESCENT_CHECK(!(autograd::GradMode::is_enabled() && value.requires_grad()), StateError,
                  "masked_fill_(): the value requires grad, but in-place ops are not recorded; "
                  "use the out-of-place masked_fill");
    Tensor filled;
    {
        autograd::NoGradGuard no_grad;
        filled = descent::masked_fill(detach(), mask, value);
    }
    return copy_(filled);
}

}  // namespace descent
