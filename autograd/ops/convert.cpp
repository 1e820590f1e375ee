// Tensor::to(dtype): a copy in another dtype, and its backward, which converts the gradient back
// to the input's dtype. Only floating dtypes carry gradients, so a conversion to an integer or
// bool dtype ends the graph there, as in PyTorch.
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/copy.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

struct ToCopyBackward final : Node {
    ScalarType input_dtype = kFloat32;
    const char* name() const override { return "ToCopyBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor Tensor::to(ScalarType dtype, bool /*non_blocking*/, bool copy, CallSite) const {
    DESCENT_CHECK(defined(), ValueError, "to(): called on an undefined tensor");
    if (dtype == this->dtype() && !copy) return *this;
    Tensor out = make_tensor(shape(), dtype);
    kernels::convert(this->dtype(), impl_->first_raw(), strides(), dtype, out.impl()->first_raw(),
                     out.strides(), shape());
    if (descent::is_floating_point(dtype)) {
        if (auto node = record<ToCopyBackward>(out, *this)) node->input_dtype = this->dtype();
    }
    return out;
}

// out = a in another dtype:  dL/da = g, in a's dtype
std::vector<Tensor> ToCopyBackward::apply(Tensor g) { return {g.to(input_dtype)}; }

}  // namespace descent
