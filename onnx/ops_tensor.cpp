// onnx::load's indexing, selection, comparison and shape-making ops (added to the op table by
// add_tensor_ops): Gather, Slice, Where, Equal / Less / Greater (and OrEqual), Not, Cast, CastLike,
// LayerNormalization, Split, Expand, Min, Max, ConstantOfShape, Range. Each runs descent's ops, so
// the floating paths (Gather, Slice, Where, LayerNormalization, Split, Expand, Min, Max, Cast
// between floating types) are differentiable; comparisons and index / shape values are not.
#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/logical.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/split.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/shape.hpp"
#include "descent/nn/functional/layer_norm.hpp"
#include "descent/onnx/op_registry.hpp"

namespace descent::onnx::detail {

namespace {

using Args = std::vector<Tensor>;

std::vector<int64_t> ints_of(const GraphNode& n, const Tensor& t, const char* what) {
    DESCENT_CHECK(t.dtype() == kInt64, ValueError, node_where(n), ": ", what,
                  " must be int64, got ", t.dtype());
    return t.contiguous().to_vector<int64_t>();
}

int64_t axis_in(const GraphNode& n, int64_t axis, int64_t rank) {
    DESCENT_CHECK(axis >= -rank && axis < std::max<int64_t>(rank, 1), ValueError, node_where(n),
                  ": axis ", axis, " is outside rank ", rank);
    return axis < 0 ? axis + rank : axis;
}

// A shape read from an int64 input: no negative dim, and an element count that fits.
Shape checked_shape(const GraphNode& n, const std::vector<int64_t>& dims, const char* what) {
    int64_t count = 1;
    for (int64_t d : dims) {
        DESCENT_CHECK(d >= 0, ValueError, node_where(n), ": ", what, " ",
                      Shape(dims.begin(), dims.end()), " has a negative dim");
        DESCENT_CHECK(d == 0 || count <= (int64_t{1} << 40) / d, ValueError, node_where(n), ": ",
                      what, " ", Shape(dims.begin(), dims.end()), " has too many elements");
        count *= d;
    }
    return Shape(dims.begin(), dims.end());
}

// data (d0.. d[axis] ..) with indices I: out (d0.. d[axis-1], I's shape, d[axis+1]..), out[.., i, ..]
// = data[.., I[i], ..]; negative indices count from the end. index_select, so differentiable in
// data.
Args gather(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = node_input(n, in, 0);
    const Tensor& idx = node_input(n, in, 1);
    DESCENT_CHECK(x.dim() >= 1, ValueError, node_where(n), ": data must have rank >= 1");
    const int64_t axis = axis_in(n, node_int(n, "axis", 0), x.dim());
    std::vector<int64_t> flat = ints_of(n, idx, "indices");
    const int64_t size = x.size(axis);
    for (int64_t& i : flat) {
        DESCENT_CHECK(i >= -size && i < size, IndexError, node_where(n), ": index ", i,
                      " is out of range for dim ", axis, " of size ", size);
        if (i < 0) i += size;
    }
    const Tensor picked = index_select(
        x, axis, tensor(flat, Shape{static_cast<int64_t>(flat.size())}, kInt64));
    Shape out(x.shape().begin(), x.shape().begin() + axis);
    out.insert(out.end(), idx.shape().begin(), idx.shape().end());
    out.insert(out.end(), x.shape().begin() + axis + 1, x.shape().end());
    return {picked.reshape(out)};
}

// Slice (opset 10+): starts, ends, optional axes and steps as inputs. Per axis of size d, negative
// starts / ends count from the end and are clamped to [0, d] (step > 0) or [-1, d - 1] (step < 0);
// elements start, start + step, ... before end. Positive steps are views (slice), negative steps
// an index_select of the positions.
Args slice_op(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = node_input(n, in, 0);
    const std::vector<int64_t> starts = ints_of(n, node_input(n, in, 1), "starts");
    const std::vector<int64_t> ends = ints_of(n, node_input(n, in, 2), "ends");
    std::vector<int64_t> axes, steps;
    if (has_input(in, 3)) axes = ints_of(n, in[3], "axes");
    else
        for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    if (has_input(in, 4)) steps = ints_of(n, in[4], "steps");
    else steps.assign(starts.size(), 1);
    DESCENT_CHECK(ends.size() == starts.size() && axes.size() == starts.size() &&
                      steps.size() == starts.size(),
                  ValueError, node_where(n), ": starts, ends, axes and steps have ", starts.size(),
                  ", ", ends.size(), ", ", axes.size(), " and ", steps.size(),
                  " values; they must agree");
    Tensor y = x;
    std::vector<bool> seen(static_cast<size_t>(x.dim()), false);
    for (size_t k = 0; k < starts.size(); ++k) {
        const int64_t axis = axis_in(n, axes[k], x.dim());
        DESCENT_CHECK(!seen[axis], ValueError, node_where(n), ": axis ", axis, " is repeated");
        seen[axis] = true;
        const int64_t d = x.size(axis), step = steps[k];
        DESCENT_CHECK(step != 0, ValueError, node_where(n), ": step 0 on axis ", axis);
        auto norm = [d](int64_t v) { return v < 0 ? (v < -d ? -d - 1 : v) + d : v; };
        int64_t s = norm(starts[k]), e = norm(ends[k]);
        if (step > 0) {
            s = std::clamp<int64_t>(s, 0, d), e = std::clamp<int64_t>(e, 0, d);
            y = slice(y, axis, s, std::max(s, e), step);
        } else {
            s = std::clamp<int64_t>(s, 0, d - 1), e = std::clamp<int64_t>(e, -1, d - 1);
            std::vector<int64_t> pos;
            for (int64_t i = s; i > e; i += step) pos.push_back(i);
            y = index_select(y, axis, tensor(pos, Shape{static_cast<int64_t>(pos.size())}, kInt64));
        }
    }
    return {y};
}

ScalarType onnx_dtype(const GraphNode& n, int64_t to) {
    // TensorProto.DataType: FLOAT 1, UINT8 2, INT64 7, BOOL 9, DOUBLE 11.
    switch (to) {
        case 1: return kFloat32;
        case 2: return kUInt8;
        case 7: return kInt64;
        case 9: return kBool;
        case 11: return kFloat64;
        default: break;
    }
    throw ValueError(descent::detail::cat(node_where(n), ": element type ", to,
                                          " is not one descent has (FLOAT, DOUBLE, INT64, UINT8, "
                                          "BOOL)"));
}

// Float -> int truncates toward 0 and anything -> bool is != 0, as ONNX's Cast.
Tensor cast(const Tensor& x, ScalarType to) {
    if (to == kBool && x.dtype() != kBool) return ne(x, zeros({}, TensorOptions().dtype(x.dtype())));
    return x.to(to);
}

// X (d0.. d[axis-1], d[axis]..): normalised over the dims from `axis` on; with the mean and
// 1/√(var + eps) (kept dims of size 1) as the optional outputs 1 and 2.
Args layer_normalization(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = node_input(n, in, 0);
    const int64_t axis = axis_in(n, node_int(n, "axis", -1), x.dim());
    const Shape normalized(x.shape().begin() + axis, x.shape().end());
    const float eps = node_float(n, "epsilon", 1e-5f);
    Tensor scale = node_input(n, in, 1), bias = has_input(in, 2) ? in[2] : Tensor();
    // Scale and B broadcast to the normalised shape in ONNX; descent's layer_norm takes that shape.
    if (scale.shape() != normalized) scale = expand(scale, normalized);
    if (bias.defined() && bias.shape() != normalized) bias = expand(bias, normalized);
    const Tensor y = nn::functional::layer_norm(x, {normalized.begin(), normalized.end()}, scale,
                                                bias, eps);
    std::vector<int64_t> dims;
    for (int64_t d = axis; d < x.dim(); ++d) dims.push_back(d);
    const Tensor m = mean(x, dims, true);
    const Tensor centred = x - m;
    const Tensor inv_std = rsqrt(mean(centred * centred, dims, true) + eps);
    return {y, m, inv_std};
}

// Split: sizes from the attribute (opset < 13) or the optional input (13+), else equal parts, one
// per output.
Args split_op(const GraphNode& n, const Args& in, int64_t opset) {
    const Tensor& x = node_input(n, in, 0);
    const int64_t axis = axis_in(n, node_int(n, "axis", 0), x.dim());
    std::vector<int64_t> sizes;
    if (opset >= 13) {
        if (has_input(in, 1)) sizes = ints_of(n, in[1], "split");
    } else if (const Attribute* a = node_attr(n, "split")) {
        sizes = a->ints;
    }
    const int64_t d = x.size(axis);
    if (sizes.empty()) {
        const int64_t parts = static_cast<int64_t>(n.outputs.size());
        DESCENT_CHECK(parts > 0 && d % parts == 0, ValueError, node_where(n), ": dim ", axis,
                      " of size ", d, " does not split into ", parts, " equal parts");
        sizes.assign(static_cast<size_t>(parts), d / parts);
    }
    int64_t total = 0;
    for (int64_t s : sizes) {
        DESCENT_CHECK(s >= 0, ValueError, node_where(n), ": split size ", s, " is negative");
        total += s;
    }
    DESCENT_CHECK(total == d && sizes.size() == n.outputs.size(), ValueError, node_where(n),
                  ": split sizes ", Shape(sizes.begin(), sizes.end()), " for dim ", axis,
                  " of size ", d, " and ", n.outputs.size(), " outputs");
    Args out;
    int64_t start = 0;
    for (int64_t s : sizes) {
        out.push_back(narrow(x, axis, start, s));
        start += s;
    }
    return out;
}

// Expand: x broadcast with `shape` both ways (a 1 in shape keeps x's dim).
Args expand_op(const GraphNode& n, const Args& in, int64_t) {
    const Tensor& x = node_input(n, in, 0);
    const Shape want = checked_shape(n, ints_of(n, node_input(n, in, 1), "shape"), "shape");
    return {expand(x, broadcast_shapes(x.shape(), want, "Expand"))};
}

// Min / Max: elementwise over any number of inputs, with broadcasting.
Args extreme(const GraphNode& n, const Args& in, bool is_max) {
    Tensor y = node_input(n, in, 0);
    for (size_t i = 1; i < in.size(); ++i)
        y = is_max ? maximum(y, node_input(n, in, i)) : minimum(y, node_input(n, in, i));
    return {y};
}

Args constant_of_shape(const GraphNode& n, const Args& in, int64_t) {
    const Shape shape = checked_shape(n, ints_of(n, node_input(n, in, 0), "shape"), "shape");
    const Attribute* a = node_attr(n, "value");
    if (!a || !a->t.defined()) return {zeros(shape)};
    DESCENT_CHECK(a->t.numel() == 1, ValueError, node_where(n), ": value has ", a->t.numel(),
                  " elements, not 1");
    return {a->t.reshape({}).expand(shape).contiguous()};
}

// Range: start, start + delta, ... before limit; max(ceil((limit - start) / delta), 0) values.
Args range(const GraphNode& n, const Args& in, int64_t) {
    const Tensor &s = node_input(n, in, 0), &l = node_input(n, in, 1), &d = node_input(n, in, 2);
    DESCENT_CHECK(s.numel() == 1 && l.numel() == 1 && d.numel() == 1, ValueError, node_where(n),
                  ": start, limit and delta must be scalars");
    const double start = s.to(kFloat64).item<double>(), limit = l.to(kFloat64).item<double>(),
                 delta = d.to(kFloat64).item<double>();
    DESCENT_CHECK(delta != 0 && std::isfinite(start) && std::isfinite(limit) &&
                      std::isfinite(delta),
                  ValueError, node_where(n), ": start ", start, ", limit ", limit, ", delta ",
                  delta);
    const double count = std::max(std::ceil((limit - start) / delta), 0.0);
    DESCENT_CHECK(count <= static_cast<double>(int64_t{1} << 40), ValueError, node_where(n),
                  ": ", count, " values are too many");
    std::vector<double> v;
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) v.push_back(start + i * delta);
    return {tensor(v, Shape{static_cast<int64_t>(v.size())}, s.dtype())};
}

template <Tensor (*F)(const Tensor&, const Tensor&)>
Args compare(const GraphNode& n, const Args& in, int64_t) {
    return {F(node_input(n, in, 0), node_input(n, in, 1))};
}

}  // namespace

void add_tensor_ops(std::map<std::string, OpFn>& table) {
    table["Cast"] = [](auto& n, auto& in, int64_t) {
        return Args{cast(node_input(n, in, 0), onnx_dtype(n, node_int(n, "to", 0)))};
    };
    table["CastLike"] = [](auto& n, auto& in, int64_t) {
        return Args{cast(node_input(n, in, 0), node_input(n, in, 1).dtype())};
    };
    table["ConstantOfShape"] = constant_of_shape;
    table["Equal"] = compare<eq>;
    table["Expand"] = expand_op;
    table["Gather"] = gather;
    table["Greater"] = compare<gt>;
    table["GreaterOrEqual"] = compare<ge>;
    table["LayerNormalization"] = layer_normalization;
    table["Less"] = compare<lt>;
    table["LessOrEqual"] = compare<le>;
    table["Max"] = [](auto& n, auto& in, int64_t) { return extreme(n, in, true); };
    table["Min"] = [](auto& n, auto& in, int64_t) { return extreme(n, in, false); };
    table["Not"] = [](auto& n, auto& in, int64_t) {
        const Tensor& x = node_input(n, in, 0);
        DESCENT_CHECK(x.dtype() == kBool, ValueError, node_where(n), ": input must be bool, got ",
                      x.dtype());
        return Args{logical_not(x)};
    };
    table["Range"] = range;
    table["Slice"] = slice_op;
    table["Split"] = split_op;
    table["Where"] = [](auto& n, auto& in, int64_t) {
        const Tensor& c = node_input(n, in, 0);
        DESCENT_CHECK(c.dtype() == kBool, ValueError, node_where(n),
                      ": condition must be bool, got ", c.dtype());
        return Args{where(c, node_input(n, in, 1), node_input(n, in, 2))};
    };
}

}  // namespace descent::onnx::detail
