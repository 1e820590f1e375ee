// functional::conv2d: values against a direct seven-loop convolution over a grid of strides,
// paddings ("same" too), dilations and groups; its gradient ops against backward; first and second
// order gradients; a gradient penalty through a small CNN against finite differences; errors.
#include "support.hpp"
#include "support_float64.hpp"

#include "descent/nn/functional/conv.hpp"
#include "descent/nn/functional/pool.hpp"

using namespace descent;
using namespace nn::functional;
using V = std::vector<Tensor>;

namespace {

// y[n, o, i, j] = b[o] + Σ_{c in o's group, ki, kj} x[n, c, i·sh - ph + ki·dh, j·sw - pw + kj·dw]
// · w[o, c, ki, kj], zero outside the image; (ph, pw) is the top / left padding.
Tensor direct_conv(const Tensor& x, const Tensor& w, const Tensor& b, int64_t sh, int64_t sw,
                   int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t groups, int64_t oh,
                   int64_t ow) {
    const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
    const int64_t O = w.size(0), Cg = w.size(1), kh = w.size(2), kw = w.size(3), Og = O / groups;
    (void)C;
    Tensor y = zeros({N, O, oh, ow});
    for (int64_t n = 0; n < N; ++n)
        for (int64_t o = 0; o < O; ++o)
            for (int64_t i = 0; i < oh; ++i)
                for (int64_t j = 0; j < ow; ++j) {
                    double s = b.defined() ? b.data()[o] : 0.0;
                    for (int64_t c = 0; c < Cg; ++c)
                        for (int64_t ki = 0; ki < kh; ++ki)
                            for (int64_t kj = 0; kj < kw; ++kj) {
                                const int64_t ih = i * sh - ph + ki * dh,
                                              iw = j * sw - pw + kj * dw;
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                const int64_t ci = (o / Og) * Cg + c;
                                s += x.data()[((n * x.size(1) + ci) * H + ih) * W + iw] *
                                     w.data()[((o * Cg + c) * kh + ki) * kw + kj];
                            }
                    y.data()[((n * O + o) * oh + i) * ow + j] = static_cast<float>(s);
                }
    return y;
}

struct Setting {
    Size2 stride, padding, dilation;
    int64_t groups;
    bool bias;
};

// Strides, paddings, dilations and groups, each off its default in some setting, with odd sizes.
const std::vector<Setting> settings = {
    {1, 0, 1, 1, true},      {1, 1, 1, 1, false},          {2, 0, 1, 1, true},
    {2, 1, 1, 2, true},      {{2, 1}, {1, 2}, 1, 1, true}, {1, 0, 2, 1, false},
    {1, 2, {2, 1}, 2, true}, {3, 1, 1, 1, true},           {{1, 3}, 0, {1, 2}, 2, false},
};

}  // namespace

TEST_CASE("conv2d on hand-computed values") {
    // x = 0..8 as a 3x3 image, a 2x2 kernel of ones: each output is the sum of a 2x2 window.
    const Tensor x = test::iota({1, 1, 3, 3});
    CHECK_VALUES(conv2d(x, ones({1, 1, 2, 2})), {1, 1, 2, 2}, {8, 12, 20, 24});
    // Padding 1 and stride 2 with bias 1: the four corners see one pixel, 0, 2, 6 and 8.
    CHECK_VALUES(conv2d(x, ones({1, 1, 1, 1}), tensor({1}), 2), {1, 1, 2, 2}, {1, 3, 7, 9});
    CHECK_VALUES(conv2d(x, ones({1, 1, 3, 3}), Tensor(), 2, 1), {1, 1, 2, 2}, {8, 12, 20, 24});
}

TEST_CASE("conv2d agrees with a direct convolution over strides, paddings, dilations, groups") {
    int seed = 0;
    for (const Setting& s : settings) {
        CAPTURE(seed);
        const int64_t C = 2 * s.groups, O = 3 * s.groups;
        const Tensor x = test::input({2, C, 9, 8}, ++seed).detach();
        const Tensor w = test::input({O, 2, 3, 2}, ++seed).detach();
        const Tensor b = s.bias ? test::input({O}, ++seed).detach() : Tensor();
        const Tensor y = conv2d(x, w, b, s.stride, s.padding, s.dilation, s.groups);
        const int64_t oh = (9 + 2 * s.padding.h - s.dilation.h * 2 - 1) / s.stride.h + 1;
        const int64_t ow = (8 + 2 * s.padding.w - s.dilation.w - 1) / s.stride.w + 1;
        const Tensor ref = direct_conv(x, w, b, s.stride.h, s.stride.w, s.padding.h, s.padding.w,
                                       s.dilation.h, s.dilation.w, s.groups, oh, ow);
        CHECK(y.shape() == ref.shape());
        CHECK(allclose(y, ref, 1e-5, 1e-5));
    }
}

TEST_CASE("conv2d padding same keeps the size, the odd padding at the bottom / right") {
    const Tensor x = test::input({2, 3, 6, 5}, 1).detach();
    for (int64_t k : {1, 2, 3, 4}) {
        CAPTURE(k);
        const Tensor w = test::input({4, 3, k, k}, 2).detach();
        const Tensor y = conv2d(x, w, Tensor(), 1, "same", {1, 2});
        // total padding (k-1)·dilation: (k-1) rows, 2(k-1) columns, the smaller half first
        const Tensor ref = direct_conv(x, w, Tensor(), 1, 1, (k - 1) / 2, (k - 1), 1, 2, 1, 6, 5);
        CHECK(y.shape() == Shape{2, 4, 6, 5});
        CHECK(allclose(y, ref, 1e-5, 1e-5));
    }
    CHECK(allclose(conv2d(x, ones({2, 3, 3, 3}), Tensor(), 1, "valid"),
                   conv2d(x, ones({2, 3, 3, 3}))));
}

TEST_CASE("conv2d records one node, and conv2d_input and conv2d_weight equal its gradients") {
    const Tensor x = test::input({2, 4, 7, 6}, 1), w = test::input({6, 2, 3, 3}, 2);
    const Tensor b = test::input({6}, 3);
    const Tensor y = conv2d(x, w, b, 2, 1, 1, 2);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "Conv2dBackward");
    const Tensor g = test::input(y.shape(), 4).detach();
    y.backward(g);
    CHECK(allclose(x.grad(), conv2d_input(x.shape(), w.detach(), g, 2, 1, 1, 2), 1e-5, 1e-6));
    CHECK(allclose(w.grad(), conv2d_weight(x.detach(), w.shape(), g, 2, 1, 1, 2), 1e-5, 1e-6));
    CHECK(allclose(b.grad(), sum_to_size(g, {1, 6, 1, 1}).reshape({6}), 1e-5, 1e-6));
    // A 1x1 kernel (the image is its own column matrix) matches the direct loops too.
    const Tensor w1 = test::input({3, 4, 1, 1}, 5).detach();
    CHECK(allclose(conv2d(x.detach(), w1),
                   direct_conv(x.detach(), w1, Tensor(), 1, 1, 0, 0, 1, 1, 1, 7, 6), 1e-5, 1e-6));
    CHECK_FALSE(conv2d(x.detach(), w.detach(), Tensor(), 1, 0, 1, 2).grad_fn());
}

TEST_CASE("conv2d gradients, first and second order, over the settings grid") {
    int seed = 100;
    for (const Setting& s : settings) {
        CAPTURE(seed);
        const int64_t C = 2 * s.groups, O = 2 * s.groups;
        const Tensor x = test::input({2, C, 5, 6}, ++seed), w = test::input({O, 2, 2, 3}, ++seed);
        const Tensor b = test::input({O}, ++seed);
        const Padding pad = s.padding;
        auto f = [s, pad](const V& v) {
            return conv2d(v[0], v[1], s.bias ? v[2] : Tensor(), s.stride, pad, s.dilation,
                          s.groups);
        };
        CHECK(autograd::gradcheck(f, {x, w, b}));
        CHECK(autograd::gradgradcheck(f, {x, w, b}));
    }
    // Squared outputs, so the second-order check sees every term of the double backward.
    const Tensor x = test::input({2, 2, 4, 5}, 1), w = test::input({2, 2, 3, 3}, 2);
    const Tensor b = test::input({2}, 3);
    CHECK_GRADIENTS([](const V& v) { return conv2d(v[0], v[1], v[2], 1, "same"); }, (V{x, w, b}));
    CHECK_GRADIENTS([](const V& v) { return conv2d(v[0], v[1], v[2], 2, 1); },
                    (V{x.detach(), w, b}));
}

TEST_CASE("a pointwise (1x1) convolution, where the image is its own column matrix") {
    const Tensor x = test::input({2, 4, 3, 5}, 1), w = test::input({6, 2, 1, 1}, 2);
    const Tensor b = test::input({6}, 3);
    CHECK(allclose(conv2d(x, w, b, 1, 0, 1, 2),
                   direct_conv(x.detach(), w.detach(), b.detach(), 1, 1, 0, 0, 1, 1, 2, 3, 5), 1e-5,
                   1e-6));
    CHECK_GRADIENTS([](const V& v) { return conv2d(v[0], v[1], v[2], 1, 0, 1, 2); }, (V{x, w, b}));
}

TEST_CASE("conv2d_input and conv2d_weight are differentiable ops") {
    const Tensor g = test::input({2, 2, 3, 2}, 1), w = test::input({2, 1, 3, 3}, 2);
    const Tensor x = test::input({2, 2, 5, 4}, 3);
    CHECK_GRADIENTS(
        [](const V& v) {
            return conv2d_input({2, 2, 5, 4}, v[1], v[0], 2, 1, 1, 2);
        },
        (V{g, w}));
    CHECK_GRADIENTS(
        [](const V& v) {
            return conv2d_weight(v[0], {2, 1, 3, 3}, v[1], 2, 1, 1, 2);
        },
        (V{x, g}));
}

TEST_CASE("a gradient penalty through a small CNN matches finite differences") {
    // penalty(θ) = ‖∂(v·net(x; θ))/∂x‖², differentiated w.r.t. θ: backward through a backward
    // taken with create_graph, through max pooling, conv, tanh, a second conv, average pooling.
    // The max pooling comes first, on an input without near-ties, so perturbing θ for the finite
    // differences cannot move its argmax.
    std::vector<float> values(128);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = 0.02f * static_cast<float>((i * 37) % 128);
    const Tensor x = tensor(values, {2, 1, 8, 8}) - 1.0f;
    const Tensor w1 = test::input({3, 1, 3, 3}, 2), b1 = test::input({3}, 3);
    const Tensor w2 = test::input({2, 3, 2, 2}, 4), b2 = test::input({2}, 5);
    const Tensor v = test::input({2, 2, 1, 1}, 6).detach();
    auto penalty = [x, v](const V& p) {
        const Tensor xi = x.detach().to(p[0].dtype(), false, /*copy=*/true).requires_grad_();
        Tensor h = max_pool2d(xi, 2);           // (2, 1, 4, 4)
        h = tanh(conv2d(h, p[0], p[1], 1, 1));  // (2, 3, 4, 4)
        h = conv2d(h, p[2], p[3]);              // (2, 2, 3, 3)
        h = avg_pool2d(h, 3);                   // (2, 2, 1, 1)
        const Tensor gx = autograd::grad({(h * v).sum()}, {xi}, {}, {}, true)[0];
        return (gx * gx).sum();
    };
    CHECK(autograd::gradcheck(penalty, {w1, b1, w2, b2}));
    // The same penalty by backward: every weight receives a gradient (b2 cannot: it does not
    // change ∂/∂x).
    penalty({w1, b1, w2, b2}).backward();
    for (const Tensor& p : {w1, b1, w2}) CHECK(p.grad().defined());
}

TEST_CASE("conv2d split over two threads gives the one-thread values and gradients") {
    // Large enough (16 images of 6 x 5x5 x 24x24 multiply-adds) to be split over the images.
    Tensor x = test::input({16, 3, 28, 28}, 1), w = test::input({6, 3, 5, 5}, 2);
    const Tensor g = test::input({16, 6, 24, 24}, 3).detach();
    std::vector<Tensor> results;
    const int before = get_num_threads();
    for (int threads : {1, 2}) {
        set_num_threads(threads);
        x.mutable_grad() = Tensor();
        w.mutable_grad() = Tensor();
        const Tensor y = conv2d(x, w);
        y.backward(g);
        results.insert(results.end(), {y, x.grad(), w.grad()});
    }
    set_num_threads(before);
    for (int i = 0; i < 3; ++i) {
        // Each weight-gradient entry is a float32 sum of 16 x 576 products, added in another
        // order when the images are split (oneDNN's kernels block the sum by the images they
        // get): its rounding is relative to the gradient's size, not to each entry's.
        const float scale = i == 2 ? results[i].abs().max().item<float>() : 1.0f;
        CAPTURE(i);
        CHECK(allclose(results[i], results[i + 3], 1e-5, 1e-5 * scale));
    }
}

TEST_CASE("conv2d errors name the op and both shapes, before any allocation") {
    const Tensor w = zeros({6, 3, 5, 5});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({8, 1, 28, 28}), w);
                },
                {"conv2d()", "expected input (N, 3, H, W)", "got (8, 1, 28, 28)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({3, 28, 28}), w);
                },
                {"conv2d()", "(N, 3, H, W)", "(3, 28, 28)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({1, 3, 4, 8}), w);
                },
                {"conv2d()", "kernel (5, 5)", "larger than the padded input 4x8"});
    CHECK_NOTHROW(conv2d(zeros({1, 3, 4, 8}), w, Tensor(), 1, 1));  // padded to 6x10
    CHECK_ERROR(ValueError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 0);
                },
                {"conv2d()", "stride must be > 0", "(0, 0)"});
    CHECK_ERROR(ValueError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 1, -1);
                },
                {"padding must be >= 0"});
    CHECK_ERROR(ValueError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 1, 0, {1, 0});
                },
                {"dilation must be > 0", "(1, 0)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({1, 12, 8, 8}), w, Tensor(), 1, 0, 1, 4);
                },
                {"out_channels 6", "not divisible by groups 4"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 1, 0, 1, 2);
                },
                {"expected input (N, 6, H, W)", "groups 2"});
    CHECK_ERROR(ValueError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 1, 0, 1, 0);
                },
                {"groups must be > 0"});
    CHECK_ERROR(ValueError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 2, "same");
                },
                {"\"same\" needs stride 1"});
    CHECK_ERROR(ValueError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, Tensor(), 1, "full");
                },
                {"\"full\""});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), w, zeros({5}));
                },
                {"expected bias (6)", "got (5)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d(zeros({1, 3, 8, 8}), zeros({6, 3, 5}));
                },
                {"expected weight", "(6, 3, 5)"});
    CHECK_ERROR(ValueError, [&] { conv2d(Tensor(), w); }, {"conv2d()", "input", "undefined"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv2d_input({1, 3, 8, 8}, w, zeros({1, 6, 3, 3}));
                },
                {"conv2d_input()", "expected grad_output (1, 6, 4, 4)", "got (1, 6, 3, 3)"});
}

TEST_CASE("conv2d in float64 against a double loop, gradients at PyTorch's tolerances") {
    Tensor x = test::doubles({2, 2, 4, 5}, 61), w = test::doubles({3, 2, 2, 3}, 62),
           b = test::doubles({3}, 63);
    const std::vector<double> xv = x.to_vector<double>(), wv = w.to_vector<double>(),
                              bv = b.to_vector<double>();
    std::vector<double> y(2 * 3 * 3 * 3);  // (2, 3, 3, 3), stride 1, no padding
    for (int n = 0; n < 2; ++n)
        for (int o = 0; o < 3; ++o)
            for (int i = 0; i < 3; ++i)
                for (int j = 0; j < 3; ++j) {
                    double s = bv[o];
                    for (int c = 0; c < 2; ++c)
                        for (int p = 0; p < 2; ++p)
                            for (int q = 0; q < 3; ++q)
                                s += xv[((n * 2 + c) * 4 + i + p) * 5 + j + q] *
                                     wv[((o * 2 + c) * 2 + p) * 3 + q];
                    y[((n * 3 + o) * 3 + i) * 3 + j] = s;
                }
    CHECK_F64(conv2d(x, w, b), Shape{2, 3, 3, 3}, y);
    auto f = [](const V& v) { return conv2d(v[0], v[1], v[2], 1, 1); };
    CHECK(autograd::gradcheck(f, {x.requires_grad_(), w.requires_grad_(), b.requires_grad_()}));
    CHECK(autograd::gradgradcheck(f, {x, w, b}));
    auto pools = [](const V& v) { return avg_pool2d(max_pool2d(v[0], 2, 1), 2); };
    CHECK(autograd::gradcheck(pools, {x}));
    CHECK(autograd::gradgradcheck(pools, {x}));
    CHECK_ERROR(TypeError, [&] { conv2d(x.detach().to(kFloat32), w, b); },
                {"conv2d()", "float32", "float64"});
}
