// kernels::conv2d against the direct sum that defines a convolution (groups, strides, padding,
// dilation, a pointwise kernel), and its two gradient kernels against their adjoint identities:
// <conv2d(x, w), g> = <x, conv2d_input(g, w)> = <w, conv2d_weight(x, g)>. Then the same figures
// when the images are split over two threads.
#include "support.hpp"

#include <cmath>
#include <random>
#include <vector>

#include "core/kernels/conv_test_inputs.hpp"
#include "descent/core/kernels/conv.hpp"

using descent::kernels::Conv2dDims;

using test::dims;
using test::randoms;

namespace {

// y[n, o, i, j] = b[o] + Σ_{c in o's group, ki, kj} x[n, c, i·s + ki·d - p, j·s + kj·d - p] ·
// w[o, c - group start, ki, kj], in double.
std::vector<double> direct(const std::vector<float>& x, const std::vector<float>& w,
                           const std::vector<float>& b, const Conv2dDims& a) {
    const auto& g = a.geo;
    std::vector<double> y(static_cast<size_t>(a.N * a.out_size()));
    for (int64_t n = 0; n < a.N; ++n)
        for (int64_t o = 0; o < a.O; ++o)
            for (int64_t i = 0; i < g.oh; ++i)
                for (int64_t j = 0; j < g.ow; ++j) {
                    double sum = b.empty() ? 0.0 : b[static_cast<size_t>(o)];
                    const int64_t c0 = (o / a.Og()) * a.Cg();
                    for (int64_t c = 0; c < a.Cg(); ++c)
                        for (int64_t ki = 0; ki < g.kh; ++ki)
                            for (int64_t kj = 0; kj < g.kw; ++kj) {
                                const int64_t h = i * g.sh + ki * g.dh - g.ph;
                                const int64_t v = j * g.sw + kj * g.dw - g.pw;
                                if (h < 0 || h >= g.H || v < 0 || v >= g.W) continue;
                                sum += double(x[static_cast<size_t>(
                                           ((n * g.C + c0 + c) * g.H + h) * g.W + v)]) *
                                       w[static_cast<size_t>(((o * a.Cg() + c) * g.kh + ki) * g.kw +
                                                             kj)];
                            }
                    y[static_cast<size_t>(((n * a.O + o) * g.oh + i) * g.ow + j)] = sum;
                }
    return y;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

// Runs the three kernels on seeded data; checks the forward against direct() and both gradients
// against the adjoint identities. Returns the three outputs, concatenated.
std::vector<float> check(const Conv2dDims& a, bool bias) {
    const int64_t wsize = a.O * a.group_rows();
    const auto x = randoms(a.N * a.in_size(), 1), w = randoms(wsize, 2),
               g = randoms(a.N * a.out_size(), 3);
    const auto b = bias ? randoms(a.O, 4) : std::vector<float>{};
    std::vector<float> y(g.size()), dx(x.size(), -7.0f), dw(w.size(), -7.0f);
    descent::kernels::conv2d(x.data(), w.data(), bias ? b.data() : nullptr, a, y.data());
    descent::kernels::conv2d_input(g.data(), w.data(), a, dx.data());
    descent::kernels::conv2d_weight(x.data(), g.data(), a, dw.data());
    const std::vector<double> want = direct(x, w, b, a);
    double worst = 0;
    for (size_t i = 0; i < y.size(); ++i) worst = std::max(worst, std::abs(y[i] - want[i]));
    CHECK(worst < 1e-5);
    // Without the bias, y is linear in x and in w, so <y, g> is both adjoints' inner product.
    const std::vector<double> y0 = direct(x, w, {}, a);
    double yg = 0;
    for (size_t i = 0; i < y0.size(); ++i) yg += y0[i] * g[i];
    CHECK(dot(x, dx) == doctest::Approx(yg).epsilon(1e-5));
    CHECK(dot(w, dw) == doctest::Approx(yg).epsilon(1e-5));
    std::vector<float> all = y;
    all.insert(all.end(), dx.begin(), dx.end());
    all.insert(all.end(), dw.begin(), dw.end());
    return all;
}

}  // namespace

TEST_CASE(
    "conv2d kernels: the direct sum and its adjoints, with groups, stride, padding, "
    "dilation") {
    check(dims(3, 4, 7, 6, 6, 2, 3, 2, 2, 1, 2), true);  // 2 groups, stride 2, pad 1, dilation 2
    check(dims(2, 3, 5, 5, 4, 1, 3, 3, 1, 1, 1), false);
    check(dims(2, 3, 4, 5, 4, 1, 1, 1, 1, 0, 1), true);  // pointwise: no im2col
    check(dims(1, 6, 4, 4, 6, 6, 3, 3, 1, 1, 1), true);  // depthwise
}

TEST_CASE("conv2d kernels: the same figures when the images are split over two threads") {
    if (descent::num_cores() < 2) return;
    const int before = descent::get_num_threads();
    // 8 images of 16 x 16, 8 -> 16 channels: enough multiply-adds to be split into ranges.
    const Conv2dDims a = dims(8, 8, 16, 16, 16, 1, 3, 3, 1, 1, 1);
    descent::set_num_threads(1);
    const std::vector<float> one = check(a, true);
    descent::set_num_threads(2);
    const std::vector<float> two = check(a, true);
    descent::set_num_threads(before);
    double worst = 0;  // the weight gradient's partial sums add in another order
    for (size_t i = 0; i < one.size(); ++i)
        worst = std::max(worst, double(std::abs(one[i] - two[i])));
    CHECK(worst < 1e-4);
}
