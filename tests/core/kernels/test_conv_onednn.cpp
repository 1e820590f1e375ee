// conv2d's oneDNN kernels (kernels/conv_onednn.hpp) against the im2col + gemm kernels they replace,
// on the same buffers: forward (with and without bias), input gradient and weight gradient, over
// strides, padding, dilation, groups, a first layer of one channel, a batch past the 64 images one
// oneDNN call takes, a geometry oneDNN cannot express (negative padding after the last row), and
// two threads.
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/kernels/conv_test_inputs.hpp"
#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/conv.hpp"
#include "descent/core/kernels/conv_onednn.hpp"

namespace kernels = descent::kernels;
using kernels::Conv2dDims;
using kernels::ConvBackend;

namespace {

using test::dims;
using test::randoms;

// The three kernels' outputs under one backend.
struct Outputs {
    std::vector<float> y, y_no_bias, dx, dw;
};

Outputs run(ConvBackend backend, const Conv2dDims& d) {
    const auto x = randoms(d.N * d.in_size(), 1), w = randoms(d.O * d.group_rows(), 2),
               b = randoms(d.O, 3), g = randoms(d.N * d.out_size(), 4);
    const ConvBackend saved = kernels::conv_backend_kind();
    kernels::set_conv_backend(backend);
    Outputs o;
    // Filled with NaN: a kernel that leaves an element unwritten shows.
    o.y.assign(static_cast<size_t>(d.N * d.out_size()), NAN);
    o.y_no_bias = o.y;
    o.dx.assign(static_cast<size_t>(d.N * d.in_size()), NAN);
    o.dw.assign(static_cast<size_t>(d.O * d.group_rows()), NAN);
    kernels::conv2d(x.data(), w.data(), b.data(), d, o.y.data());
    kernels::conv2d(x.data(), w.data(), nullptr, d, o.y_no_bias.data());
    kernels::conv2d_input(g.data(), w.data(), d, o.dx.data());
    kernels::conv2d_weight(x.data(), g.data(), d, o.dw.data());
    kernels::set_conv_backend(saved);
    return o;
}

// Largest |a - b| relative to the largest |b|.
double relative_gap(const std::vector<float>& a, const std::vector<float>& b) {
    double gap = 0.0, scale = 1e-30;
    for (size_t i = 0; i < a.size(); ++i) {
        gap = std::max(gap, std::isnan(a[i]) ? INFINITY : std::abs(double(a[i]) - b[i]));
        scale = std::max(scale, std::abs(double(b[i])));
    }
    return gap / scale;
}

void check_same(const Conv2dDims& d) {
    const Outputs fast = run(ConvBackend::OneDNN, d), plain = run(ConvBackend::Im2col, d);
    CHECK(relative_gap(fast.y, plain.y) < 1e-5);
    CHECK(relative_gap(fast.y_no_bias, plain.y_no_bias) < 1e-5);
    CHECK(relative_gap(fast.dx, plain.dx) < 1e-5);
    CHECK(relative_gap(fast.dw, plain.dw) < 1e-5);
}

const std::vector<Conv2dDims>& geometries() {
    static const std::vector<Conv2dDims> all{
        dims(4, 1, 28, 28, 16, 1, 3, 3, 1, 1, 1),   // a first layer: one channel, padding 1
        dims(3, 16, 14, 14, 32, 1, 3, 3, 1, 1, 1),  // the bn CNN's third convolution
        dims(2, 6, 12, 12, 16, 1, 5, 5, 1, 0, 1),   // LeNet's second
        dims(2, 4, 11, 9, 6, 2, 3, 3, 2, 1, 1),     // groups, stride 2, odd sizes
        dims(2, 3, 13, 13, 5, 1, 3, 3, 1, 2, 2),    // dilation 2
        dims(2, 8, 7, 7, 8, 8, 3, 3, 1, 1, 1),      // depthwise
        dims(2, 5, 6, 6, 7, 1, 1, 1, 1, 0, 1),      // pointwise
        dims(70, 3, 8, 8, 4, 1, 3, 3, 1, 1, 1),     // more images than one oneDNN call takes
        dims(2, 3, 10, 10, 4, 1, 3, 3, 2, 0, 1),    // stride 2 leaves the last row unread: im2col
    };
    return all;
}

}  // namespace

TEST_CASE("conv2d on oneDNN equals conv2d on im2col: forward, input and weight gradients") {
    REQUIRE(kernels::has_onednn());  // install-deps.sh installs libdnnl-dev
    CHECK(kernels::conv_backend_kind() == ConvBackend::OneDNN);  // the default when built with it
    for (const Conv2dDims& d : geometries()) {
        CAPTURE(d.N);
        CAPTURE(d.geo.C);
        CAPTURE(d.O);
        CAPTURE(d.G);
        check_same(d);
    }
    // The geometry oneDNN cannot express is left to im2col; the others are taken.
    kernels::set_conv_backend(ConvBackend::OneDNN);
    CHECK_FALSE(kernels::onednn::handles(geometries().back()));
    CHECK(kernels::onednn::handles(geometries().front()));
    kernels::set_conv_backend(ConvBackend::Im2col);
    CHECK_FALSE(kernels::onednn::handles(geometries().front()));
    kernels::set_conv_backend(ConvBackend::OneDNN);
}

TEST_CASE("conv2d on oneDNN equals conv2d on im2col with the images split over two threads") {
    const int saved = descent::get_num_threads();
    descent::set_num_threads(std::min(2, descent::num_cores()));
    for (const Conv2dDims& d :
         {dims(64, 16, 14, 14, 16, 1, 3, 3, 1, 1, 1), dims(130, 8, 10, 10, 8, 2, 3, 3, 1, 1, 1)})
        check_same(d);
    descent::set_num_threads(saved);
}
