// norm: p = 2 (and "fro") is a node of its own, for PyTorch's zero gradient at the origin; the
// other p are composed from abs, sum, amax and pow, whose gradients they take.
#include "descent/autograd/ops/norm.hpp"

#include <cmath>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/dims.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

struct NormBackward final : Node {
    // saved: a, out
    Shape kept;  // out's shape with the reduced dims kept as 1
    const char* name() const override { return "NormBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

namespace {

// √Σ a² over the reduced dims, computed unrecorded, then recorded as one NormBackward node.
Tensor norm2(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim,
             const ops_detail::Reduced& r) {
    Tensor out;
    {
        autograd::NoGradGuard no_grad;
        out = sqrt(sum(mul(a, a), dims, keepdim));
    }
    if (auto node = record<NormBackward>(out, a)) {
        node->save_for_backward({a, out});
        node->kept = r.kept;
    }
    return out;
}

Tensor norm_impl(const Tensor& a, float p, const std::vector<int64_t>& dims, bool keepdim) {
    ops_detail::check_defined(a, "norm");
    DESCENT_CHECK(p > 0.0f, ValueError, "norm(): p = ", p,
                  " is not supported; use p > 0, inf or \"fro\"");
    const ops_detail::Reduced r = ops_detail::reduced_over(dims, a.shape(), keepdim, "norm");
    if (p == 2.0f) return norm2(a, dims, keepdim, r);
    if (p == 1.0f) return sum(abs(a), dims, keepdim);
    if (std::isinf(p)) {
        DESCENT_CHECK(r.count > 0, ValueError, "norm(): p = inf of an empty dim of shape ",
                      a.shape());
        return amax(abs(a), dims, keepdim);
    }
    return pow(sum(pow(abs(a), p), dims, keepdim), 1.0f / p);
}

}  // namespace

Tensor norm(const Tensor& a, float p, CallSite) { return norm_impl(a, p, {}, false); }
Tensor norm(const Tensor& a, float p, const std::vector<int64_t>& dims, bool keepdim, CallSite) {
    return norm_impl(a, p, dims, keepdim);
}
Tensor norm(const Tensor& a, const std::string& p, const std::vector<int64_t>& dims, bool keepdim,
            CallSite) {
    DESCENT_CHECK(p == "fro", ValueError, "norm(): p = \"", p,
                  "\" is not supported; use \"fro\" or a number");
    return norm_impl(a, 2.0f, dims, keepdim);
}

// out = √Σ a²:  dL/da = g * a / out, and 0 where out = 0 (PyTorch's subgradient at the origin)
std::vector<Tensor> NormBackward::apply(Tensor g) {
    const Tensor a = saved(0), out = reshape(saved(1), kept);
    // Where out = 0 every a in its block is 0: dividing by 1 there gives the 0 gradient.
    const Tensor safe = where(out == 0.0f, scalar_tensor(1.0, out.dtype()), out);
    return {mul(reshape(g, kept), div(a, safe))};
}

}  // namespace descent
