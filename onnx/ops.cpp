// The op table of onnx::load: each ONNX op of the default domain run with descent's ops (which
// record the tape, so an imported graph trains), with the opset differences that matter (Softmax's
// axis before 13, Squeeze / Unsqueeze / ReduceSum axes as inputs from 13).
#include <algorithm>
#include <functional>
#include <map>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/batch_norm.hpp"
#include "descent/nn/functional/conv.hpp"
#include "descent/nn/functional/linear.hpp"
#include "descent/nn/functional/pool.hpp"
#include "descent/onnx/graph.hpp"
#include "descent/onnx/op_registry.hpp"
#include "descent/onnx/ops_recurrent.hpp"

namespace descent::onnx {

namespace {

namespace F = nn::functional;
using Args = std::vector<Tensor>;
using Op = detail::OpFn;

std::string where(const GraphNode& n) { return "onnx: node '" + n.name + "' (" + n.op_type + ")"; }

const Attribute* attr(const GraphNode& n, const char* name) {
    auto it = n.attributes.find(name);
    return it == n.attributes.end() ? nullptr : &it->second;
}
int64_t attr_int(const GraphNode& n, const char* name, int64_t fallback) {
    const Attribute* a = attr(n, name);
    return a ? a->i : fallback;
}
float attr_float(const GraphNode& n, const char* name, float fallback) {
    const Attribute* a = attr(n, name);
    return a ? a->f : fallback;
}
std::vector<int64_t> attr_ints(const GraphNode& n, const char* name,
                               std::vector<int64_t> fallback) {
    const Attribute* a = attr(n, name);
    return a ? a->ints : fallback;
}

const Tensor& input(const GraphNode& n, const Args& in, size_t i) {
    DESCENT_CHECK(i < in.size() && in[i].defined(), ValueError, where(n), ": input ", i,
                  " is required");
    return in[i];
}

// An int64 input (a shape, axes) as numbers.
std::vector<int64_t> int_values(const GraphNode& n, const Tensor& t, const char* what) {
    DESCENT_CHECK(t.dtype() == kInt64, ValueError, where(n), ": ", what, " must be int64, got ",
                  t.dtype());
    return t.contiguous().to_vector<int64_t>();
}

// 2-D spatial attributes: pads must be symmetric (descent pads both sides alike).
// x (N, C, H, W) with a (kh, kw) window: auto_pad SAME_UPPER / SAME_LOWER make the output
// ceil(H / stride) by padding (out - 1)·stride + (k - 1)·dilation + 1 - H in all, which descent
// takes when it splits evenly (an odd total would pad one side more, which descent does not).
F::Size2 pads2(const GraphNode& n, const Tensor& x, F::Size2 k, F::Size2 stride,
               F::Size2 dilation) {
    const std::string auto_pad = attr(n, "auto_pad") ? attr(n, "auto_pad")->s : "NOTSET";
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        auto total = [](int64_t in, int64_t kernel, int64_t s, int64_t d) {
            const int64_t out = (in + s - 1) / s;
            return std::max<int64_t>(0, (out - 1) * s + (kernel - 1) * d + 1 - in);
        };
        const int64_t th = total(x.size(2), k.h, stride.h, dilation.h);
        const int64_t tw = total(x.size(3), k.w, stride.w, dilation.w);
        DESCENT_CHECK(th % 2 == 0 && tw % 2 == 0, ValueError, where(n), ": auto_pad ", auto_pad,
                      " pads (", th, ", ", tw,
                      ") in all, which does not split evenly on both sides "
                      "as descent pads");
        return {th / 2, tw / 2};
    }
    DESCENT_CHECK(auto_pad == "NOTSET" || auto_pad == "VALID", ValueError, where(n), ": auto_pad ",
                  auto_pad, " is not mapped (NOTSET, VALID and SAME_* are)");
    const std::vector<int64_t> p = attr_ints(n, "pads", {0, 0, 0, 0});
    DESCENT_CHECK(p.size() == 4 && p[0] == p[2] && p[1] == p[3], ValueError, where(n), ": pads ",
                  Shape(p.begin(), p.end()), " are not 2-D and symmetric, which descent needs");
    return {p[0], p[1]};
}
F::Size2 pair(const GraphNode& n, const char* name) {
    const std::vector<int64_t> v = attr_ints(n, name, {1, 1});
    DESCENT_CHECK(v.size() == 2, ValueError, where(n), ": ", name, " ", Shape(v.begin(), v.end()),
                  " is not 2-D; descent maps 2-D convolution and pooling");
    return {v[0], v[1]};
}
void check_4d(const GraphNode& n, const Tensor& x) {
    DESCENT_CHECK(x.dim() == 4, ValueError, where(n), ": input of shape ", x.shape(),
                  " is not (N, C, H, W); descent maps the 2-D form");
}
void check_no_ceil(const GraphNode& n) {
    DESCENT_CHECK(attr_int(n, "ceil_mode", 0) == 0, ValueError, where(n),
                  ": ceil_mode 1 is not mapped");
}

// ONNX's Div and Pow keep an integer operand's dtype (integer division, an integer power), which
// descent's ops, floating for these, do not: refused rather than computed differently.
const Tensor& floating(const GraphNode& n, const Tensor& t) {
    DESCENT_CHECK(t.is_floating_point(), ValueError, where(n), ": ", n.op_type, " of a ", t.dtype(),
                  " operand is not mapped (descent computes it in floating point)");
    return t;
}

int64_t axis_of(const GraphNode& n, int64_t axis, int64_t rank) {
    DESCENT_CHECK(axis >= -rank && axis <= rank, ValueError, where(n), ": axis ", axis,
                  " is outside rank ", rank);
    return axis < 0 ? axis + rank : axis;
}

// (d0..d[axis-1], d[axis]..) -> (prod, prod): Flatten, and Softmax before opset 13.
Shape coerced_2d(const Shape& s, int64_t axis) {
    int64_t a = 1, b = 1;
    for (int64_t i = 0; i < static_cast<int64_t>(s.size()); ++i) (i < axis ? a : b) *= s[i];
    return {a, b};
}

Args softmax_like(const GraphNode& n, const Args& in, int64_t opset, bool log) {
    const Tensor& x = input(n, in, 0);
    auto f = [log](const Tensor& t, int64_t dim) {
        return log ? log_softmax(t, dim) : softmax(t, dim);
    };
    if (opset >= 13) return {f(x, axis_of(n, attr_int(n, "axis", -1), x.dim()))};
    const int64_t axis = axis_of(n, attr_int(n, "axis", 1), x.dim());
    return {f(x.reshape(coerced_2d(x.shape(), axis)), 1).reshape(x.shape())};
}

Args gemm(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& a = input(n, in, 0);
    const Tensor& b = input(n, in, 1);
    const Tensor c = in.size() > 2 ? in[2] : Tensor();
    const float alpha = attr_float(n, "alpha", 1.0f), beta = attr_float(n, "beta", 1.0f);
    const bool ta = attr_int(n, "transA", 0) != 0, tb = attr_int(n, "transB", 0) != 0;
    // The common form, Linear's: one fused linear().
    if (!ta && tb && alpha == 1.0f && beta == 1.0f &&
        (!c.defined() || (c.dim() == 1 && c.size(0) == b.size(0))))
        return {F::linear(a, b, c)};
    Tensor y = matmul(ta ? a.t() : a, tb ? b.t() : b);
    if (alpha != 1.0f) y = y * alpha;
    if (c.defined()) y = y + (beta != 1.0f ? c * beta : c);
    return {y};
}

Args conv(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = input(n, in, 0);
    const Tensor& w = input(n, in, 1);
    check_4d(n, x);
    const Tensor b = in.size() > 2 ? in[2] : Tensor();
    DESCENT_CHECK(w.dim() == 4, ValueError, where(n), ": weight of shape ", w.shape(),
                  " is not 2-D (O, C/group, kh, kw)");
    const F::Size2 stride = pair(n, "strides"), dilation = pair(n, "dilations");
    const F::Size2 pads = pads2(n, x, {w.size(2), w.size(3)}, stride, dilation);
    return {F::conv2d(x, w, b, stride, F::Padding(pads), dilation, attr_int(n, "group", 1))};
}

Args max_pool(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = input(n, in, 0);
    check_4d(n, x);
    check_no_ceil(n);
    DESCENT_CHECK(attr_int(n, "storage_order", 0) == 0, ValueError, where(n),
                  ": storage_order 1 is not mapped");
    const F::Size2 d = pair(n, "dilations");
    DESCENT_CHECK(d.h == 1 && d.w == 1, ValueError, where(n), ": dilations (", d.h, ", ", d.w,
                  ") are not mapped (only 1)");
    const std::vector<int64_t> k = attr_ints(n, "kernel_shape", {});
    DESCENT_CHECK(k.size() == 2, ValueError, where(n), ": kernel_shape must be 2-D");
    const F::Size2 stride = pair(n, "strides");
    return {F::max_pool2d(x, {k[0], k[1]}, stride, pads2(n, x, {k[0], k[1]}, stride, 1))};
}

Args average_pool(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = input(n, in, 0);
    check_4d(n, x);
    check_no_ceil(n);
    const std::vector<int64_t> k = attr_ints(n, "kernel_shape", {});
    DESCENT_CHECK(k.size() == 2, ValueError, where(n), ": kernel_shape must be 2-D");
    const F::Size2 stride = pair(n, "strides");
    return {F::avg_pool2d(x, {k[0], k[1]}, stride, pads2(n, x, {k[0], k[1]}, stride, 1),
                          attr_int(n, "count_include_pad", 0) != 0)};
}

// Eval form: normalised by the running statistics (inputs 3, 4). training_mode = 1 (opset 14+,
// what torch's TrainingMode.PRESERVE exports for a module in training): normalised by the batch's
// mean and biased variance over every dim but 1, with the updated statistics as outputs 1 and 2,
// running·momentum + batch·(1 - momentum) (ONNX's momentum weighs the old value). They are values
// of the graph: the model's buffers are not changed.
Args batch_norm(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = input(n, in, 0);
    const float eps = attr_float(n, "epsilon", 1e-5f);
    if (attr_int(n, "training_mode", 0) == 0)
        return {F::batch_norm(x, input(n, in, 3), input(n, in, 4), input(n, in, 1),
                              input(n, in, 2), false, 0.1f, eps)};
    const Tensor y = F::batch_norm(x, Tensor(), Tensor(), input(n, in, 1), input(n, in, 2), true,
                                   0.1f, eps);
    std::vector<int64_t> dims{0};
    for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
    NoGradGuard no_grad;
    const Tensor m = mean(x, dims, false);
    const Tensor v = mean(square(x - mean(x, dims, true)), dims, false);
    const float momentum = attr_float(n, "momentum", 0.9f);
    return {y, input(n, in, 3) * momentum + m * (1 - momentum),
            input(n, in, 4) * momentum + v * (1 - momentum)};
}

Args reshape(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = input(n, in, 0);
    std::vector<int64_t> s = int_values(n, input(n, in, 1), "shape");
    const bool allowzero = attr_int(n, "allowzero", 0) != 0;
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i] == 0 && !allowzero) {
            DESCENT_CHECK(static_cast<int64_t>(i) < x.dim(), ValueError, where(n), ": shape ",
                          Shape(s.begin(), s.end()), " copies dim ", i, " of a rank-", x.dim(),
                          " input");
            s[i] = x.size(static_cast<int64_t>(i));
        }
    return {x.reshape(Shape(s.begin(), s.end()))};
}

// Axes from the attribute (before opset 13) or the optional input (from 13).
std::vector<int64_t> axes(const GraphNode& n, const Args& in, int64_t opset, size_t input_index) {
    if (opset >= 13) {
        if (in.size() > input_index && in[input_index].defined())
            return int_values(n, in[input_index], "axes");
        return {};
    }
    return attr_ints(n, "axes", {});
}

Args squeeze(const GraphNode& n, const Args& in, int64_t opset) {
    const Tensor& x = input(n, in, 0);
    std::vector<int64_t> ax = axes(n, in, opset, 1);
    if (ax.empty()) return {descent::squeeze(x)};
    for (auto& a : ax) a = axis_of(n, a, x.dim());
    std::sort(ax.rbegin(), ax.rend());
    Tensor y = x;
    for (int64_t a : ax) {
        DESCENT_CHECK(y.size(a) == 1, ValueError, where(n), ": dim ", a, " of ", x.shape(),
                      " is not 1");
        y = descent::squeeze(y, a);
    }
    return {y};
}

Args unsqueeze(const GraphNode& n, const Args& in, int64_t opset) {
    const Tensor& x = input(n, in, 0);
    std::vector<int64_t> ax = axes(n, in, opset, 1);
    const int64_t rank = x.dim() + static_cast<int64_t>(ax.size());
    for (auto& a : ax) a = axis_of(n, a, rank);
    std::sort(ax.begin(), ax.end());
    Tensor y = x;
    for (int64_t a : ax) y = descent::unsqueeze(y, a);
    return {y};
}

Args reduce(const GraphNode& n, const Args& in, int64_t opset, bool is_mean) {
    const Tensor& x = input(n, in, 0);
    // ReduceSum takes its axes as an input from opset 13, ReduceMean only from 18.
    std::vector<int64_t> ax = is_mean ? attr_ints(n, "axes", {}) : axes(n, in, opset, 1);
    const bool keep = attr_int(n, "keepdims", 1) != 0;
    if (ax.empty()) {
        // ReduceSum 13: no axes with noop_with_empty_axes leaves the input as it is.
        if (!is_mean && opset >= 13 && attr_int(n, "noop_with_empty_axes", 0) != 0) return {x};
        for (int64_t i = 0; i < x.dim(); ++i) ax.push_back(i);
    }
    for (auto& a : ax) a = axis_of(n, a, x.dim());
    return {is_mean ? mean(x, ax, keep) : sum(x, ax, keep)};
}

Args constant(const GraphNode& n, const Args&, int64_t) {
    if (const Attribute* a = attr(n, "value")) return {a->t};
    if (const Attribute* a = attr(n, "value_float")) return {full({}, a->f)};
    if (const Attribute* a = attr(n, "value_int"))
        return {tensor(std::vector<int64_t>{a->i}).reshape({})};
    if (const Attribute* a = attr(n, "value_floats")) {
        std::vector<double> v(a->floats.begin(), a->floats.end());
        return {tensor(v, Shape{static_cast<int64_t>(v.size())}, kFloat32)};
    }
    if (const Attribute* a = attr(n, "value_ints"))
        return {tensor(a->ints, Shape{static_cast<int64_t>(a->ints.size())}, kInt64)};
    throw ValueError(where(n) +
                     ": no value attribute descent maps (value, value_float(s), value_int(s))");
}

Args unary(const Args& in, const GraphNode& n, Tensor (*f)(const Tensor&, CallSite)) {
    return {f(input(n, in, 0), {})};
}

// The ops of this file; the other files' add_*_ops add theirs, one line each, in table().
std::map<std::string, Op> base_ops() {
    return {
        {"Abs", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::abs); }},
        {"Add", [](auto& n, auto& in, int64_t) { return Args{input(n, in, 0) + input(n, in, 1)}; }},
        {"AveragePool", average_pool},
        {"BatchNormalization", batch_norm},
        {"Concat",
         [](auto& n, auto& in, int64_t) {
             const int64_t axis = axis_of(n, attr_int(n, "axis", 0), input(n, in, 0).dim());
             return Args{cat(in, axis)};
         }},
        {"Constant", constant},
        {"Conv", conv},
        {"Div",
         [](auto& n, auto& in, int64_t) {
             const Tensor &a = input(n, in, 0), &b = input(n, in, 1);
             if (a.dtype() == kInt64 && b.dtype() == kInt64) {
                 // Integer Div truncates toward zero (C's /, as onnxruntime computes it):
                 // PyTorch's exports divide shapes so (an attention's head size).
                 const Tensor q = descent::abs(a).floor_divide(descent::abs(b));
                 return Args{descent::where((a < 0).ne(b < 0), neg(q), q)};
             }
             return Args{floating(n, a) / floating(n, b)};
         }},
        {"Dropout",
         [](auto& n, auto& in, int64_t) {
             // Inference form: the input itself. Training mode would need the runtime's random
             // mask.
             const bool training = in.size() > 2 && in[2].defined() && in[2].template item<bool>();
             const bool ratio_zero =
                 in.size() > 1 && in[1].defined() && in[1].template item<float>() == 0;
             DESCENT_CHECK(!training || ratio_zero, ValueError, where(n),
                           ": training_mode true is not mapped (descent runs "
                           "Dropout in inference form)");
             return Args{input(n, in, 0)};
         }},
        {"Erf", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::erf); }},
        {"Exp", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::exp); }},
        {"Flatten",
         [](auto& n, auto& in, int64_t) {
             const Tensor& x = input(n, in, 0);
             return Args{
                 x.reshape(coerced_2d(x.shape(), axis_of(n, attr_int(n, "axis", 1), x.dim())))};
         }},
        {"Gemm", gemm},
        {"GlobalAveragePool",
         [](auto& n, auto& in, int64_t) {
             check_4d(n, input(n, in, 0));
             return Args{F::adaptive_avg_pool2d(in[0], 1)};
         }},
        {"Identity", [](auto& n, auto& in, int64_t) { return Args{input(n, in, 0)}; }},
        {"LeakyRelu",
         [](auto& n, auto& in, int64_t) {
             return Args{leaky_relu(input(n, in, 0), attr_float(n, "alpha", 0.01f))};
         }},
        {"Log", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::log); }},
        {"LogSoftmax", [](auto& n, auto& in, int64_t o) { return softmax_like(n, in, o, true); }},
        {"MatMul",
         [](auto& n, auto& in, int64_t) { return Args{matmul(input(n, in, 0), input(n, in, 1))}; }},
        {"MaxPool", max_pool},
        {"Mul", [](auto& n, auto& in, int64_t) { return Args{input(n, in, 0) * input(n, in, 1)}; }},
        {"Neg", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::neg); }},
        {"Pow",
         [](auto& n, auto& in, int64_t) {
             const Tensor& x = floating(n, input(n, in, 0));
             // The result has the base's dtype, as ONNX: the exponent is read in it.
             const Tensor& e = input(n, in, 1);
             const Tensor y = e.dtype() == x.dtype() ? e : e.to(x.dtype());
             return Args{pow(x, y)};
         }},
        {"ReduceMean", [](auto& n, auto& in, int64_t o) { return reduce(n, in, o, true); }},
        {"ReduceSum", [](auto& n, auto& in, int64_t o) { return reduce(n, in, o, false); }},
        {"Relu", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::relu); }},
        {"Reshape", reshape},
        {"Shape",
         [](auto& n, auto& in, int64_t) {
             // start / end (opset 15; clamped, as ONNX) select a range of the dims.
             const Shape& s = input(n, in, 0).shape();
             const int64_t rank = static_cast<int64_t>(s.size());
             auto clamp = [rank](int64_t i) {
                 return std::clamp(i < 0 ? i + rank : i, int64_t{0}, rank);
             };
             const int64_t start = clamp(attr_int(n, "start", 0)),
                           end = clamp(attr_int(n, "end", rank));
             std::vector<int64_t> dims(s.begin() + start, s.begin() + std::max(start, end));
             return Args{tensor(dims, Shape{static_cast<int64_t>(dims.size())}, kInt64)};
         }},
        {"Sigmoid", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::sigmoid); }},
        {"Softmax", [](auto& n, auto& in, int64_t o) { return softmax_like(n, in, o, false); }},
        {"Sqrt", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::sqrt); }},
        {"Squeeze", squeeze},
        {"Sub", [](auto& n, auto& in, int64_t) { return Args{input(n, in, 0) - input(n, in, 1)}; }},
        {"Tanh", [](auto& n, auto& in, int64_t) { return unary(in, n, descent::tanh); }},
        {"Transpose",
         [](auto& n, auto& in, int64_t) {
             const Tensor& x = input(n, in, 0);
             std::vector<int64_t> perm;
             for (int64_t i = x.dim() - 1; i >= 0; --i) perm.push_back(i);
             return Args{x.permute(attr_ints(n, "perm", perm))};
         }},
        {"Unsqueeze", unsqueeze},
    };
}

const std::map<std::string, Op>& table() {
    static const std::map<std::string, Op> ops = [] {
        std::map<std::string, Op> t = base_ops();
        detail::add_tensor_ops(t);
        t.merge(detail::recurrent_ops());  // LSTM, GRU, RNN (ops_recurrent.cpp)
        return t;
    }();
    return ops;
}

}  // namespace

bool op_supported(const std::string& op_type) { return table().count(op_type) > 0; }

std::vector<std::string> supported_ops() {
    std::vector<std::string> names;
    for (const auto& [name, op] : table()) names.push_back(name);
    return names;
}

std::vector<Tensor> run_node(const GraphNode& node, const std::vector<Tensor>& inputs,
                             int64_t opset) {
    auto it = table().find(node.op_type);
    DESCENT_CHECK(it != table().end(), ValueError, where(node), ": op ", node.op_type, " (opset ",
                  opset, ") is not mapped");
    return it->second(node, inputs, opset);
}

}  // namespace descent::onnx
