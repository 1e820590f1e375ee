// dropout as x * mask, mask ∈ {0, 1/(1-p)}: mul's backward is then the right one (g * mask), and it
// is twice differentiable for free. dropout1d / dropout2d are the same with one mask value per
// channel, broadcast over L or H and W.
#include "descent/nn/functional/dropout.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/nn.hpp"

namespace descent::nn::functional {

namespace {
// A mask of `shape` in dtype, each value 0 with probability p, else 1/(1-p). The draws are the
// same float32 uniforms for both dtypes; a float64 mask has the double 1/(1-p).
Tensor keep_mask(const Shape& shape, float p, Generator& gen, ScalarType dtype) {
    DESCENT_CHECK(is_floating_point(dtype), TypeError, "dropout(): expected a floating input, got ",
                  dtype);
    Tensor mask = make_tensor(shape);
    float* m = mask.data();
    // mask: (numel); uniform() < p has probability p
    gen.fill_uniform(m, mask.numel(), 0.0f, 1.0f);
    if (dtype == kFloat64) {
        Tensor md = detail::converted(mask, kFloat64);
        const double pd = p;
        kernels::dropout_mask(md.data<double>(), md.numel(), pd,
                              pd == 1.0 ? 0.0 : 1.0 / (1.0 - pd));
        return md;
    }
    const float scale = p == 1.0f ? 0.0f : 1.0f / (1.0f - p);
    kernels::dropout_mask(m, mask.numel(), p, scale);
    return mask;
}
}  // namespace

Tensor dropout(const Tensor& x, float p, bool training, Generator& gen, CallSite) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError,
                  "dropout(): probability p must be in [0, 1], got ", p);
    DESCENT_CHECK(x.defined(), ValueError, "dropout(): input is an undefined tensor");
    if (!training || p == 0.0f) return x;
    return mul(x, keep_mask(x.shape(), p, gen, x.dtype()));
}

Tensor dropout2d(const Tensor& x, float p, bool training, Generator& gen, CallSite) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError,
                  "dropout2d(): probability p must be in [0, 1], got ", p);
    DESCENT_CHECK(x.defined(), ValueError, "dropout2d(): input is an undefined tensor");
    DESCENT_CHECK(x.dim() == 3 || x.dim() == 4, ShapeError,
                  "dropout2d(): expected input (N, C, H, W) or (C, H, W), got ", x.shape());
    if (!training || p == 0.0f) return x;
    Shape channels = x.shape();  // (N, C, 1, 1) or (C, 1, 1): one draw per channel
    channels[channels.ndim() - 1] = 1;
    channels[channels.ndim() - 2] = 1;
    return mul(x, keep_mask(channels, p, gen, x.dtype()));
}

Tensor dropout1d(const Tensor& x, float p, bool training, Generator& gen, CallSite) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError,
                  "dropout1d(): probability p must be in [0, 1], got ", p);
    DESCENT_CHECK(x.defined(), ValueError, "dropout1d(): input is an undefined tensor");
    DESCENT_CHECK(x.dim() == 2 || x.dim() == 3, ShapeError,
                  "dropout1d(): expected input (N, C, L) or (C, L), got ", x.shape());
    if (!training || p == 0.0f) return x;
    Shape channels = x.shape();  // (N, C, 1) or (C, 1): one draw per channel
    channels[channels.ndim() - 1] = 1;
    return mul(x, keep_mask(channels, p, gen, x.dtype()));
}

}  // namespace descent::nn::functional
