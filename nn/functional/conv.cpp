// conv2d and its two gradient ops. The forward is im2col + one sgemm per image and group; the
// input gradient is one sgemm with Wᵀ (a transpose flag) + col2im; the weight gradient is
// g·colsᵀ accumulated over the images. Column matrices live in a per-thread workspace that grows
// to the largest layer and is kept, so a training step allocates only its output tensors.
#include "descent/nn/functional/conv.hpp"

#include <algorithm>
#include <vector>

#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/im2col.hpp"
#include "descent/core/kernels/parallel.hpp"
#include "descent/core/threads.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

Padding::Padding(const std::string& mode) : size(0), same(mode == "same") {
    DESCENT_CHECK(
        mode == "same" || mode == "valid", ValueError,
        "conv2d() / Conv2d(): padding must be an int, a pair, \"same\" or \"valid\", got \"", mode,
        "\"");
}

namespace {

// Everything a convolution's kernels need: the batch, the groups and one image's geometry.
struct ConvArgs {
    int64_t N = 0, O = 0, G = 1;
    kernels::ConvGeometry geo;
    int64_t Cg() const { return geo.C / G; }
    int64_t Og() const { return O / G; }
    int64_t group_rows() const { return Cg() * geo.kh * geo.kw; }  // cols rows of one group
    int64_t in_size() const { return geo.C * geo.H * geo.W; }      // floats per input image
    int64_t out_size() const { return O * geo.oh * geo.ow; }       // floats per output image
    Shape input_shape() const { return {N, geo.C, geo.H, geo.W}; }
    Shape output_shape() const { return {N, O, geo.oh, geo.ow}; }
    Shape weight_shape() const { return {O, Cg(), geo.kh, geo.kw}; }
};

// Checks a convolution of an input of shape `x` by a weight of shape `w` and returns its geometry;
// every error names `who` and the shapes, and is thrown before anything is allocated.
ConvArgs make_args(const char* who, const Shape& x, const Shape& w, Size2 stride,
                   const Padding& padding, Size2 dilation, int64_t groups) {
    DESCENT_CHECK(w.ndim() == 4, ShapeError, who,
                  ": expected weight (out_channels, in_channels/groups, kh, kw), got ", w);
    DESCENT_CHECK(groups > 0, ValueError, who, ": groups must be > 0, got ", groups);
    DESCENT_CHECK(stride.h > 0 && stride.w > 0, ValueError, who, ": stride must be > 0, got (",
                  stride.h, ", ", stride.w, ")");
    DESCENT_CHECK(dilation.h > 0 && dilation.w > 0, ValueError, who,
                  ": dilation must be > 0, got (", dilation.h, ", ", dilation.w, ")");
    DESCENT_CHECK(padding.size.h >= 0 && padding.size.w >= 0, ValueError, who,
                  ": padding must be >= 0, got (", padding.size.h, ", ", padding.size.w, ")");
    DESCENT_CHECK(!padding.same || (stride.h == 1 && stride.w == 1), ValueError, who,
                  ": padding=\"same\" needs stride 1, got (", stride.h, ", ", stride.w, ")");
    DESCENT_CHECK(w[0] % groups == 0, ShapeError, who, ": out_channels ", w[0], " of weight ", w,
                  " is not divisible by groups ", groups);
    const int64_t C = w[1] * groups;
    DESCENT_CHECK(x.ndim() == 4 && x[1] == C, ShapeError, who, ": expected input (N, ", C,
                  ", H, W), got ", x, " (weight ", w, ", groups ", groups, ")");
    ConvArgs a;
    a.N = x[0];
    a.O = w[0];
    a.G = groups;
    kernels::ConvGeometry& g = a.geo;
    g.C = C;
    g.H = x[2];
    g.W = x[3];
    g.kh = w[2];
    g.kw = w[3];
    g.sh = stride.h;
    g.sw = stride.w;
    g.dh = dilation.h;
    g.dw = dilation.w;
    const int64_t span_h = g.dh * (g.kh - 1) + 1, span_w = g.dw * (g.kw - 1) + 1;
    // Total padding per dim; "same" puts the odd one at the bottom / right.
    const int64_t pad_h = padding.same ? span_h - 1 : 2 * padding.size.h;
    const int64_t pad_w = padding.same ? span_w - 1 : 2 * padding.size.w;
    g.ph = pad_h / 2;
    g.pw = pad_w / 2;
    DESCENT_CHECK(span_h <= g.H + pad_h && span_w <= g.W + pad_w, ShapeError, who, ": kernel (",
                  g.kh, ", ", g.kw, ") with dilation (", g.dh, ", ", g.dw, ") spans ", span_h, "x",
                  span_w, ", larger than the padded input ", g.H + pad_h, "x", g.W + pad_w,
                  " (input ", x, ")");
    g.oh = (g.H + pad_h - span_h) / g.sh + 1;
    g.ow = (g.W + pad_w - span_w) / g.sw + 1;
    return a;
}

// A per-thread buffer of at least n floats, kept between calls (it grows to the largest layer).
float* workspace(std::vector<float>& buffer, int64_t n) {
    if (static_cast<int64_t>(buffer.size()) < n) buffer.resize(static_cast<size_t>(n));
    return buffer.data();
}
thread_local std::vector<float> cols_buffer, partial_buffer;

// How many ranges the N images are split into: one when there is one image or too little work
// (OpenBLAS's threshold for splitting a product), else a few per pool thread, taken in turn by
// whichever thread is free, so a descheduled thread holds up one small range, not half the batch.
int64_t image_parts(int64_t N, int64_t flops_per_image) {
    const int threads = get_num_threads();
    if (threads < 2 || N < 2 || N * flops_per_image < (int64_t{1} << 18)) return 1;
    return std::min<int64_t>(N, 4 * threads);
}

// Runs fn(n0, n1, part) for each of `parts` ranges of the N images, on the pool's threads.
template <class F>
void over_images(int64_t N, int64_t parts, F&& fn) {
    if (parts <= 1) return fn(0, N, 0);
    kernels::parallel_for(parts, [&](int64_t i) { fn(N * i / parts, N * (i + 1) / parts, i); });
}

int64_t gemm_flops(const ConvArgs& a) { return a.O * a.group_rows() * a.geo.oh * a.geo.ow; }

// The image's column matrix: the image itself for a pointwise convolution, else im2col into the
// thread's workspace.
const float* columns(const float* image, const kernels::ConvGeometry& g) {
    if (g.is_pointwise()) return image;
    float* cols = workspace(cols_buffer, g.col_rows() * g.col_cols());
    kernels::im2col(image, g, cols);
    return cols;
}

// x [N, C, H, W], w [O, C/G, kh, kw], b [O] or null -> y [N, O, oh, ow]
void conv_forward_kernel(const float* x, const float* w, const float* b, float* y,
                         const ConvArgs& a) {
    const int64_t L = a.geo.oh * a.geo.ow, K = a.group_rows(), Og = a.Og();
    over_images(a.N, image_parts(a.N, gemm_flops(a)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t n = n0; n < n1; ++n) {
            const float* cols = columns(x + n * a.in_size(), a.geo);
            float* yn = y + n * a.out_size();
            if (b)  // each output channel's plane starts as its bias; the product adds onto it
                for (int64_t o = 0; o < a.O; ++o) std::fill_n(yn + o * L, L, b[o]);
            for (int64_t grp = 0; grp < a.G; ++grp)
                // y_n[grp] (Og × L) = W[grp] (Og × K) · cols[grp] (K × L)
                kernels::gemm(false, false, Og, L, K, 1.0f, w + grp * Og * K, cols + grp * K * L,
                              b ? 1.0f : 0.0f, yn + grp * Og * L);
        }
    });
}

// g [N, O, oh, ow], w [O, C/G, kh, kw] -> dx [N, C, H, W]
void conv_input_kernel(const float* g, const float* w, float* dx, const ConvArgs& a) {
    const int64_t L = a.geo.oh * a.geo.ow, K = a.group_rows(), Og = a.Og();
    const bool pointwise = a.geo.is_pointwise();
    over_images(a.N, image_parts(a.N, gemm_flops(a)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t n = n0; n < n1; ++n) {
            float* dxn = dx + n * a.in_size();
            float* cols = pointwise ? dxn : workspace(cols_buffer, a.geo.col_rows() * L);
            for (int64_t grp = 0; grp < a.G; ++grp)
                // cols[grp] (K × L) = W[grp]ᵀ (K × Og) · g_n[grp] (Og × L)
                kernels::gemm(true, false, K, L, Og, 1.0f, w + grp * Og * K,
                              g + n * a.out_size() + grp * Og * L, 0.0f, cols + grp * K * L);
            if (pointwise) continue;
            std::fill_n(dxn, a.in_size(), 0.0f);
            kernels::col2im(cols, a.geo, dxn);
        }
    });
}

// x [N, C, H, W], g [N, O, oh, ow] -> dw [O, C/G, kh, kw] = Σ_n g_n · cols_nᵀ, per group. Each
// range of images sums into its own buffer (the first into dw), added up at the end.
void conv_weight_kernel(const float* x, const float* g, float* dw, const ConvArgs& a) {
    const int64_t L = a.geo.oh * a.geo.ow, K = a.group_rows(), Og = a.Og();
    const int64_t size = a.O * K;
    const int64_t parts = image_parts(a.N, gemm_flops(a));
    float* partials = parts > 1 ? workspace(partial_buffer, (parts - 1) * size) : nullptr;
    std::fill_n(dw, size, 0.0f);
    if (partials) std::fill_n(partials, (parts - 1) * size, 0.0f);
    over_images(a.N, parts, [&](int64_t n0, int64_t n1, int64_t part) {
        float* acc = part == 0 ? dw : partials + (part - 1) * size;
        for (int64_t n = n0; n < n1; ++n) {
            const float* cols = columns(x + n * a.in_size(), a.geo);
            for (int64_t grp = 0; grp < a.G; ++grp)
                // dw[grp] (Og × K) += g_n[grp] (Og × L) · cols[grp]ᵀ (L × K)
                kernels::gemm(false, true, Og, K, L, 1.0f, g + n * a.out_size() + grp * Og * L,
                              cols + grp * K * L, 1.0f, acc + grp * Og * K);
        }
    });
    for (int64_t p = 0; p + 1 < parts; ++p)
        for (int64_t i = 0; i < size; ++i) dw[i] += partials[p * size + i];
}

Tensor conv_op(const Tensor& x, const Tensor& w, const Tensor& b, const ConvArgs& a);
Tensor conv_input_op(const Tensor& g, const Tensor& w, const ConvArgs& a);
Tensor conv_weight_op(const Tensor& x, const Tensor& g, const ConvArgs& a);

struct Conv2dBackward final : Node {
    // saved: x, w, each only if the other needs a gradient
    ConvArgs args;
    const char* name() const override { return "Conv2dBackward"; }
    // y = conv(x, w) + b:  dL/dx = conv_input(g, w),  dL/dw = conv_weight(x, g),  dL/db = Σ_nhw g
    std::vector<Tensor> apply(Tensor g) override {
        std::vector<Tensor> grads(next_edges().size());
        if (needs_input_grad(0)) grads[0] = conv_input_op(g, saved(1), args);
        if (needs_input_grad(1)) grads[1] = conv_weight_op(saved(0), g, args);
        if (grads.size() > 2 && needs_input_grad(2))
            grads[2] = reshape(sum_to_size(g, {1, args.O, 1, 1}), {args.O});
        return grads;
    }
};

Tensor conv_op(const Tensor& x, const Tensor& w, const Tensor& b, const ConvArgs& a) {
    Tensor y = make_tensor(a.output_shape());
    conv_forward_kernel(x.data(), w.data(), b.defined() ? b.data() : nullptr, y.data(), a);
    std::shared_ptr<Conv2dBackward> node =
        b.defined() ? record<Conv2dBackward>(y, x, w, b) : record<Conv2dBackward>(y, x, w);
    if (node) {
        node->save_for_backward(
            {node->needs_input_grad(1) ? x : Tensor(), node->needs_input_grad(0) ? w : Tensor()});
        node->args = a;
    }
    return y;
}

// The two gradient ops are bilinear in their inputs (a, b), and each one's backward is made of the
// other two ops, so one node serves both; each input's gradient needs the other input.
struct Conv2dGradBackward final : Node {
    // saved: a, b, each only if the other needs a gradient
    ConvArgs args;
    bool weight = false;  // recorded by conv_weight(x, g), else by conv_input(g, w)
    const char* name() const override {
        return weight ? "Conv2dWeightBackward" : "Conv2dInputBackward";
    }
    // dx = conv_input(g, w):   dL/dg = conv(G, w),        dL/dw = conv_weight(G, g)
    // dw = conv_weight(x, g):  dL/dx = conv_input(g, G),  dL/dg = conv(x, G)
    std::vector<Tensor> apply(Tensor G) override {
        std::vector<Tensor> grads(2);
        if (needs_input_grad(0)) {
            const Tensor bv = saved(1);
            grads[0] = weight ? conv_input_op(bv, G, args) : conv_op(G, bv, Tensor(), args);
        }
        if (needs_input_grad(1)) {
            const Tensor av = saved(0);
            grads[1] = weight ? conv_op(av, G, Tensor(), args) : conv_weight_op(G, av, args);
        }
        return grads;
    }
};

// Records `out` = conv_weight(in_a, in_b) (weight) or conv_input(in_a, in_b).
void record_grad_op(Tensor& out, const Tensor& in_a, const Tensor& in_b, const ConvArgs& args,
                    bool weight) {
    if (auto node = record<Conv2dGradBackward>(out, in_a, in_b)) {
        node->save_for_backward({node->needs_input_grad(1) ? in_a : Tensor(),
                                 node->needs_input_grad(0) ? in_b : Tensor()});
        node->args = args;
        node->weight = weight;
    }
}

Tensor conv_input_op(const Tensor& g, const Tensor& w, const ConvArgs& a) {
    Tensor dx = make_tensor(a.input_shape());
    conv_input_kernel(g.data(), w.data(), dx.data(), a);
    record_grad_op(dx, g, w, a, false);
    return dx;
}

Tensor conv_weight_op(const Tensor& x, const Tensor& g, const ConvArgs& a) {
    Tensor dw = make_tensor(a.weight_shape());
    conv_weight_kernel(x.data(), g.data(), dw.data(), a);
    record_grad_op(dw, x, g, a, true);
    return dw;
}

void check_defined(const char* who, const Tensor& t, const char* what) {
    DESCENT_CHECK(t.defined(), ValueError, who, ": ", what, " is an undefined tensor");
}

void check_grad_output(const char* who, const Tensor& g, const ConvArgs& a) {
    check_defined(who, g, "grad_output");
    DESCENT_CHECK(g.shape() == a.output_shape(), ShapeError, who, ": expected grad_output ",
                  a.output_shape(), ", got ", g.shape());
}

}  // namespace

namespace detail {

Tensor conv2d(const char* who, const Tensor& input, const Tensor& weight, const Tensor& bias,
              Size2 stride, const Padding& padding, Size2 dilation, int64_t groups, CallSite) {
    check_defined(who, input, "input");
    check_defined(who, weight, "weight");
    const ConvArgs a =
        make_args(who, input.shape(), weight.shape(), stride, padding, dilation, groups);
    DESCENT_CHECK(!bias.defined() || bias.shape() == Shape{a.O}, ShapeError, who,
                  ": expected bias (", a.O, "), got ", bias.defined() ? bias.shape() : Shape{});
    return conv_op(input, weight, bias, a);
}

}  // namespace detail

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, Size2 stride,
              Padding padding, Size2 dilation, int64_t groups, CallSite) {
    return detail::conv2d("conv2d()", input, weight, bias, stride, padding, dilation, groups);
}

Tensor conv2d_input(const Shape& input_size, const Tensor& weight, const Tensor& grad_output,
                    Size2 stride, Padding padding, Size2 dilation, int64_t groups, CallSite) {
    const char* who = "conv2d_input()";
    check_defined(who, weight, "weight");
    const ConvArgs a =
        make_args(who, input_size, weight.shape(), stride, padding, dilation, groups);
    check_grad_output(who, grad_output, a);
    return conv_input_op(grad_output, weight, a);
}

Tensor conv2d_weight(const Tensor& input, const Shape& weight_size, const Tensor& grad_output,
                     Size2 stride, Padding padding, Size2 dilation, int64_t groups, CallSite) {
    const char* who = "conv2d_weight()";
    check_defined(who, input, "input");
    const ConvArgs a =
        make_args(who, input.shape(), weight_size, stride, padding, dilation, groups);
    check_grad_output(who, grad_output, a);
    return conv_weight_op(input, grad_output, a);
}

}  // namespace descent::nn::functional
