// Pooling ops and their backward ops (adaptive max pooling is max pooling with adaptive windows:
// the same argmax gather). Both poolings are linear in the input once the windows (and,
// for max, the argmax) are fixed, so each has an adjoint op (scatter / spread) whose backward is
// the pooling again along the same saved indices or windows.
#include "descent/nn/functional/pool.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/pool.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

namespace {

using Indices = std::shared_ptr<const std::vector<int32_t>>;
using Windows = std::shared_ptr<const kernels::PoolWindows>;

// ---- max pooling: y = x[argmax] and its adjoint dx = scatter(g, argmax) ---------------------

// Each of the two is the other's backward, so one node serves both: `back_shape` is the shape
// the gradient goes back to (the pooling's input, or the unpooling's pooled gradient).
struct MaxPool2dBackward final : Node {
    Indices idx;
    Shape back_shape;
    bool unpool = false;  // recorded by the scatter, not by the pooling
    const char* name() const override {
        return unpool ? "MaxUnpool2dBackward" : "MaxPool2dBackward";
    }
    // y = x[argmax]:  dL/dx = scatter(g, argmax);   dx = scatter(g, argmax):  dL/dg = G[argmax]
    std::vector<Tensor> apply(Tensor g) override;
};

// Records `out` = gather (unpool false) or scatter (true) of `in` along idx.
void record_indexed(Tensor& out, const Tensor& in, Indices idx, bool unpool) {
    if (auto node = record<MaxPool2dBackward>(out, in)) {
        node->idx = std::move(idx);
        node->back_shape = in.shape();
        node->unpool = unpool;
    }
}

// y (planes of out_shape) = x[idx]
Tensor gather_op(const Tensor& x_, const Indices& idx, const Shape& out_shape) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    Tensor y = make_tensor(out_shape, x.dtype());
    const int64_t P = out_shape[0] * out_shape[1], n = out_shape[2] * out_shape[3];
    ops_detail::visit_floating(x.dtype(), "max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::gather_planes(x.data<T>(), P, x.size(2) * x.size(3), idx->data(), n, y.data<T>());
    });
    record_indexed(y, x, idx, false);
    return y;
}

// dx (planes of in_shape) = 0, then dx[idx] += g
Tensor unpool_op(const Tensor& g_, const Indices& idx, const Shape& in_shape) {
    const Tensor g = g_.contiguous();  // kernels read row-major buffers
    Tensor dx = make_tensor(in_shape, g.dtype());
    const int64_t P = in_shape[0] * in_shape[1], n = g.size(2) * g.size(3);
    ops_detail::visit_floating(g.dtype(), "max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::scatter_planes(g.data<T>(), P, n, idx->data(), in_shape[2] * in_shape[3],
                                dx.data<T>());
    });
    record_indexed(dx, g, idx, true);
    return dx;
}

std::vector<Tensor> MaxPool2dBackward::apply(Tensor g) {
    return {unpool ? gather_op(g, idx, back_shape) : unpool_op(g, idx, back_shape)};
}

// ---- average pooling: y = avg(x) over fixed windows and its adjoint ------------------------

Tensor spread_op(const Tensor& g, const Windows& win, const Shape& in_shape);

struct AvgPool2dBackward final : Node {
    Windows win;
    Shape in_shape;
    bool adaptive = false;
    const char* name() const override {
        return adaptive ? "AdaptiveAvgPool2dBackward" : "AvgPool2dBackward";
    }
    // y = Σ_window x · scale:  dL/dx = g · scale spread over each window
    std::vector<Tensor> apply(Tensor g) override { return {spread_op(g, win, in_shape)}; }
};

Tensor average_op(const Tensor& x_, const Windows& win, bool adaptive) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    const int64_t N = x.size(0), C = x.size(1);
    Tensor y = make_tensor({N, C, win->oh, win->ow}, x.dtype());
    ops_detail::visit_floating(x.dtype(), "avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::avg_pool2d(x.data<T>(), N * C, *win, y.data<T>());
    });
    if (auto node = record<AvgPool2dBackward>(y, x)) {
        node->win = win;
        node->in_shape = x.shape();
        node->adaptive = adaptive;
    }
    return y;
}

struct AvgPool2dAdjointBackward final : Node {
    Windows win;
    const char* name() const override { return "AvgPool2dAdjointBackward"; }
    // dx = spread(g):  dL/dg = avg(G)
    std::vector<Tensor> apply(Tensor G) override { return {average_op(G, win, false)}; }
};

Tensor spread_op(const Tensor& g_, const Windows& win, const Shape& in_shape) {
    const Tensor g = g_.contiguous();  // kernels read row-major buffers
    Tensor dx = make_tensor(in_shape, g.dtype());
    ops_detail::visit_floating(g.dtype(), "avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::avg_pool2d_adjoint(g.data<T>(), in_shape[0] * in_shape[1], *win, dx.data<T>());
    });
    if (auto node = record<AvgPool2dAdjointBackward>(dx, g)) node->win = win;
    return dx;
}

// ---- argument checks -----------------------------------------------------------------------

}  // namespace

void detail::check_pool_window(const char* who, Size2 k, Size2 s, Size2 p) {
    DESCENT_CHECK(k.h > 0 && k.w > 0, ValueError, who, ": kernel_size must be > 0, got (", k.h,
                  ", ", k.w, ")");
    DESCENT_CHECK(s.h > 0 && s.w > 0, ValueError, who, ": stride must be > 0, got (", s.h, ", ",
                  s.w, ")");
    DESCENT_CHECK(p.h >= 0 && p.w >= 0 && 2 * p.h <= k.h && 2 * p.w <= k.w, ValueError, who,
                  ": padding must be between 0 and half the kernel size (", k.h, ", ", k.w,
                  "), got (", p.h, ", ", p.w, ")");
}

namespace {

void check_input(const char* who, const Tensor& x) {
    DESCENT_CHECK(x.defined(), ValueError, who, ": input is an undefined tensor");
    DESCENT_CHECK(x.dim() == 4, ShapeError, who, ": expected input (N, C, H, W), got ", x.shape());
}

// Checks a kernel / stride / padding triple against the input; returns the output size.
Size2 pooled_size(const char* who, const Tensor& x, Size2 k, Size2 s, Size2 p) {
    check_input(who, x);
    detail::check_pool_window(who, k, s, p);
    const int64_t H = x.size(2) + 2 * p.h, W = x.size(3) + 2 * p.w;
    DESCENT_CHECK(k.h <= H && k.w <= W, ShapeError, who, ": kernel (", k.h, ", ", k.w,
                  ") is larger than the padded input ", H, "x", W, " (input ", x.shape(), ")");
    return {(H - k.h) / s.h + 1, (W - k.w) / s.w + 1};
}

}  // namespace

namespace detail {

Tensor max_pool2d(const char* who, const Tensor& x_, Size2 k, Size2 s, Size2 p, CallSite) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    const Size2 o = pooled_size(who, x, k, s, p);
    DESCENT_CHECK(x.is_floating_point(), TypeError, who, ": expected a floating input, got ",
                  x.dtype());
    const int64_t N = x.size(0), C = x.size(1);
    Tensor y = make_tensor({N, C, o.h, o.w}, x.dtype());
    auto idx = std::make_shared<std::vector<int32_t>>(static_cast<size_t>(y.numel()));
    ops_detail::visit_floating(x.dtype(), "max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::max_pool2d(x.data<T>(), N * C, x.size(2), x.size(3), k.h, k.w, s.h, s.w, p.h, p.w,
                            o.h, o.w, y.data<T>(), idx->data());
    });
    record_indexed(y, x, std::move(idx), false);
    return y;
}

Tensor avg_pool2d(const char* who, const Tensor& x, Size2 k, Size2 s, Size2 p,
                  bool count_include_pad, CallSite) {
    const Size2 o = pooled_size(who, x, k, s, p);
    auto win = std::make_shared<kernels::PoolWindows>();
    win->H = x.size(2);
    win->W = x.size(3);
    win->oh = o.h;
    win->ow = o.w;
    // One dim's windows, clipped to the image; `full` is each window's size with its padding.
    auto windows = [](int64_t n, int64_t out, int64_t k, int64_t s, int64_t p,
                      std::vector<int64_t>& lo, std::vector<int64_t>& hi,
                      std::vector<int64_t>& full) {
        for (int64_t i = 0; i < out; ++i) {
            const int64_t a = i * s - p, b = std::min(a + k, n + p);
            full.push_back(b - a);
            lo.push_back(std::max<int64_t>(a, 0));
            hi.push_back(std::min(b, n));
        }
    };
    std::vector<int64_t> full_h, full_w;
    windows(win->H, o.h, k.h, s.h, p.h, win->h0, win->h1, full_h);
    windows(win->W, o.w, k.w, s.w, p.w, win->w0, win->w1, full_w);
    for (int64_t i = 0; i < o.h; ++i)
        for (int64_t j = 0; j < o.w; ++j)
            win->scale.push_back(1.0f / static_cast<float>(count_include_pad
                                                               ? full_h[i] * full_w[j]
                                                               : (win->h1[i] - win->h0[i]) *
                                                                     (win->w1[j] - win->w0[j])));
    return average_op(x, win, false);
}

namespace {
// The windows of adaptive pooling, after the checks both adaptive poolings share.
std::shared_ptr<kernels::PoolWindows> adaptive_windows(const char* who, const Tensor& x,
                                                       Size2 out) {
    check_input(who, x);
    DESCENT_CHECK(out.h > 0 && out.w > 0, ValueError, who, ": output_size must be > 0, got (",
                  out.h, ", ", out.w, ")");
    DESCENT_CHECK(x.size(2) > 0 && x.size(3) > 0, ShapeError, who,
                  ": expected an input with non-zero height and width, got ", x.shape());
    auto win = std::make_shared<kernels::PoolWindows>();
    win->H = x.size(2);
    win->W = x.size(3);
    win->oh = out.h;
    win->ow = out.w;
    // Window i of n inputs into `o` outputs: [⌊i·n/o⌋, ⌈(i+1)·n/o⌉)
    for (int64_t i = 0; i < out.h; ++i) {
        win->h0.push_back(i * win->H / out.h);
        win->h1.push_back(((i + 1) * win->H + out.h - 1) / out.h);
    }
    for (int64_t j = 0; j < out.w; ++j) {
        win->w0.push_back(j * win->W / out.w);
        win->w1.push_back(((j + 1) * win->W + out.w - 1) / out.w);
    }
    return win;
}
}  // namespace

Tensor adaptive_avg_pool2d(const char* who, const Tensor& x, Size2 out, CallSite) {
    auto win = adaptive_windows(who, x, out);
    for (int64_t i = 0; i < out.h; ++i)
        for (int64_t j = 0; j < out.w; ++j)
            win->scale.push_back(
                1.0f / static_cast<float>((win->h1[i] - win->h0[i]) * (win->w1[j] - win->w0[j])));
    return average_op(x, win, true);
}

std::tuple<Tensor, Tensor> adaptive_max_pool2d(const char* who, const Tensor& x_, Size2 out,
                                               CallSite) {
    const Tensor x = x_.defined() ? x_.contiguous() : x_;  // kernels read row-major buffers
    const auto win = adaptive_windows(who, x, out);
    DESCENT_CHECK(x.is_floating_point(), TypeError, who, ": expected a floating input, got ",
                  x.dtype());
    const int64_t N = x.size(0), C = x.size(1);
    Tensor y = make_tensor({N, C, out.h, out.w}, x.dtype());
    auto idx = std::make_shared<std::vector<int32_t>>(static_cast<size_t>(y.numel()));
    ops_detail::visit_floating(x.dtype(), "adaptive_max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        kernels::max_pool2d_windows(x.data<T>(), N * C, *win, y.data<T>(), idx->data());
    });
    // The argmax as PyTorch returns it: int64, h·W + w inside each plane.
    Tensor indices = make_tensor(y.shape(), kInt64);
    std::copy(idx->begin(), idx->end(), indices.data<int64_t>());
    record_indexed(y, x, std::move(idx), false);
    return {y, indices};
}

}  // namespace detail

Tensor max_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride,
                  Size2 padding, CallSite) {
    return detail::max_pool2d("max_pool2d()", input, kernel_size, stride.value_or(kernel_size),
                              padding);
}

Tensor avg_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride,
                  Size2 padding, bool count_include_pad, CallSite) {
    return detail::avg_pool2d("avg_pool2d()", input, kernel_size, stride.value_or(kernel_size),
                              padding, count_include_pad);
}

Tensor adaptive_avg_pool2d(const Tensor& input, Size2 output_size, CallSite) {
    return detail::adaptive_avg_pool2d("adaptive_avg_pool2d()", input, output_size);
}

Tensor adaptive_max_pool2d(const Tensor& input, Size2 output_size, CallSite) {
    return std::get<0>(detail::adaptive_max_pool2d("adaptive_max_pool2d()", input, output_size));
}

std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& input, Size2 output_size,
                                                            CallSite) {
    return detail::adaptive_max_pool2d("adaptive_max_pool2d_with_indices()", input, output_size);
}

}  // namespace descent::nn::functional
