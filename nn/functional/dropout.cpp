// dropout as x * mask, mask ∈ {0, 1/(1-p)}: mul's backward is then the right one (g * mask), and it
// is twice differentiable for free.
#include "descent/nn/functional/dropout.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/nn.hpp"

namespace descent::nn::functional {

Tensor dropout(const Tensor& x, float p, bool training, Generator& gen) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError,
                  "dropout(): probability p must be in [0, 1], got ", p);
    DESCENT_CHECK(x.defined(), ValueError, "dropout(): input is an undefined tensor");
    if (!training || p == 0.0f) return x;
    Tensor mask = make_tensor(x.shape());
    float* m = mask.data();
    const float scale = p == 1.0f ? 0.0f : 1.0f / (1.0f - p);
    // mask: (numel); uniform() < p has probability p
    gen.fill_uniform(m, mask.numel(), 0.0f, 1.0f);
    kernels::dropout_mask(m, mask.numel(), p, scale);
    return mul(x, mask);
}

}  // namespace descent::nn::functional
