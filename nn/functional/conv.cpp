// conv2d and its two gradient ops: the checks, the nodes and the calls of their kernels
// (core/kernels/conv.hpp: im2col + one sgemm per image and group, and the gradients' products).
#include "descent/nn/functional/conv.hpp"

#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/conv.hpp"

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

// Everything a convolution's kernels need (the batch, the groups and one image's geometry), and
// the shapes of its tensors.
struct ConvArgs : kernels::Conv2dDims {
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

Tensor conv_op(const Tensor& x_, const Tensor& w_, const Tensor& b, const ConvArgs& a) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    const Tensor w = w_.contiguous();  // kernels read row-major buffers
    Tensor y = make_tensor(a.output_shape(), x.dtype());
    ops_detail::visit_floating(x.dtype(), "conv2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::conv2d(x.data<T>(), w.data<T>(), b.defined() ? b.contiguous().data<T>() : nullptr,
                        a, y.data<T>());
    });
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

Tensor conv_input_op(const Tensor& g_, const Tensor& w_, const ConvArgs& a) {
    const Tensor g = g_.contiguous();  // kernels read row-major buffers
    const Tensor w = w_.contiguous();  // kernels read row-major buffers
    Tensor dx = make_tensor(a.input_shape(), w.dtype());
    ops_detail::visit_floating(w.dtype(), "conv2d_input", [&](auto tag) {
        using T = decltype(tag);
        kernels::conv2d_input(g.data<T>(), w.data<T>(), a, dx.data<T>());
    });
    record_grad_op(dx, g, w, a, false);
    return dx;
}

Tensor conv_weight_op(const Tensor& x_, const Tensor& g_, const ConvArgs& a) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    const Tensor g = g_.contiguous();  // kernels read row-major buffers
    Tensor dw = make_tensor(a.weight_shape(), x.dtype());
    ops_detail::visit_floating(x.dtype(), "conv2d_weight", [&](auto tag) {
        using T = decltype(tag);
        kernels::conv2d_weight(x.data<T>(), g.data<T>(), a, dw.data<T>());
    });
    record_grad_op(dw, x, g, a, true);
    return dw;
}

void check_defined(const char* who, const Tensor& t, const char* what) {
    DESCENT_CHECK(t.defined(), ValueError, who, ": ", what, " is an undefined tensor");
}

// As PyTorch: the tensors of one convolution share one floating dtype (no promotion in a layer).
void check_dtypes(const char* who, const Tensor& a, const Tensor& b, const Tensor& c = Tensor()) {
    DESCENT_CHECK(
        a.is_floating_point() && b.dtype() == a.dtype() && (!c.defined() || c.dtype() == a.dtype()),
        TypeError, who, ": expected tensors of one floating dtype, got ", a.dtype(), " and ",
        b.dtype(), c.defined() ? " and " : "", c.defined() ? dtype_name(c.dtype()) : "");
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
    check_dtypes(who, input, weight, bias);
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
    check_dtypes(who, weight, grad_output);
    return conv_input_op(grad_output, weight, a);
}

Tensor conv2d_weight(const Tensor& input, const Shape& weight_size, const Tensor& grad_output,
                     Size2 stride, Padding padding, Size2 dilation, int64_t groups, CallSite) {
    const char* who = "conv2d_weight()";
    check_defined(who, input, "input");
    const ConvArgs a =
        make_args(who, input.shape(), weight_size, stride, padding, dilation, groups);
    check_grad_output(who, grad_output, a);
    check_dtypes(who, input, grad_output);
    return conv_weight_op(input, grad_output, a);
}

}  // namespace descent::nn::functional
