// The double instances of the float kernels (softmax, nn's loops, batch-norm channels, pooling,
// im2col, conv, image): each agrees with its float instance to float precision on the same inputs,
// and keeps a digit float would lose.
#include "support.hpp"

#include <cmath>
#include <vector>

#include "descent/core/kernels/channels.hpp"
#include "descent/core/kernels/conv.hpp"
#include "descent/core/kernels/im2col.hpp"
#include "descent/core/kernels/image.hpp"
#include "descent/core/kernels/nn.hpp"
#include "descent/core/kernels/pool.hpp"
#include "descent/core/kernels/softmax.hpp"

using namespace descent;

namespace {

// float and double copies of the same values
struct Both {
    std::vector<float> f;
    std::vector<double> d;
    explicit Both(std::vector<double> v) : f(v.begin(), v.end()), d(std::move(v)) {}
};

void close(const std::vector<float>& f, const std::vector<double>& d) {
    REQUIRE(f.size() == d.size());
    for (size_t i = 0; i < f.size(); ++i) CHECK(d[i] == doctest::Approx(f[i]).epsilon(1e-5));
}

}  // namespace

TEST_CASE("softmax, log_softmax and logsumexp in double") {
    const Both x({0.5, -1.0, 2.0, 0.25, 3.0, -0.5});  // (2, 3) along dim 1
    const kernels::Axis a{2, 3, 1};
    std::vector<float> yf(6), lf(6), rf(2);
    std::vector<double> yd(6), ld(6), rd(2);
    kernels::softmax(x.f.data(), a, yf.data());
    kernels::softmax(x.d.data(), a, yd.data());
    kernels::log_softmax(x.f.data(), a, lf.data());
    kernels::log_softmax(x.d.data(), a, ld.data());
    kernels::logsumexp(x.f.data(), a, rf.data());
    kernels::logsumexp(x.d.data(), a, rd.data());
    close(yf, yd);
    close(lf, ld);
    close(rf, rd);
    CHECK(rd[0] ==
          doctest::Approx(std::log(std::exp(0.5) + std::exp(-1.0) + std::exp(2.0))).epsilon(1e-14));
    // 1e-9 apart: equal halves in float, not in double
    const double z[2] = {0.0, 1e-9};
    double p[2];
    kernels::softmax(z, kernels::Axis{1, 2, 1}, p);
    CHECK(p[1] > p[0]);
    CHECK(p[1] - p[0] == doctest::Approx(0.5e-9).epsilon(1e-6));
}

TEST_CASE("nn's loops in double: gelu, dropout mask, the cross-entropies") {
    const Both x({-2.0, -0.5, 0.0, 0.3, 1.7, 4.0});
    for (bool tanh_form : {false, true}) {
        std::vector<float> yf(6);
        std::vector<double> yd(6);
        kernels::gelu(x.f.data(), 6, tanh_form, yf.data());
        kernels::gelu(x.d.data(), 6, tanh_form, yd.data());
        close(yf, yd);
    }
    std::vector<double> yd(1);
    kernels::gelu(&x.d[4], 1, false, yd.data());
    CHECK(yd[0] ==
          doctest::Approx(0.5 * 1.7 * (1.0 + std::erf(1.7 / std::sqrt(2.0)))).epsilon(1e-15));
    std::vector<double> m{0.1, 0.6, 0.49999999999};
    kernels::dropout_mask(m.data(), 3, 0.5, 2.0);
    CHECK(m == std::vector<double>{0.0, 2.0, 0.0});

    const Both p({0.1, 0.5, 0.9}), t({0.0, 1.0, 0.25});
    std::vector<float> lf(3);
    std::vector<double> ld(3);
    kernels::binary_cross_entropy(p.f.data(), t.f.data(), 3, lf.data());
    kernels::binary_cross_entropy(p.d.data(), t.d.data(), 3, ld.data());
    close(lf, ld);
    CHECK(ld[0] == doctest::Approx(-std::log(0.9)).epsilon(1e-15));
    kernels::binary_cross_entropy_with_logits(x.f.data(), x.f.data(), 3, lf.data());
    kernels::binary_cross_entropy_with_logits(x.d.data(), x.d.data(), 3, ld.data());
    close(lf, ld);

    // logits (2, 3), targets (2), label smoothing 0.1
    const Both z({1.0, 2.0, 0.5, -1.0, 0.0, 3.0});
    const int64_t targets[2] = {1, 2};
    std::vector<float> pf(6), rf(2), df(6), qf(6);
    std::vector<double> pd(6), rd(2), dd(6), qd(6);
    const double tf = kernels::cross_entropy(z.f.data(), targets, 2, 3, 0.1f, pf.data(), rf.data());
    const double td = kernels::cross_entropy(z.d.data(), targets, 2, 3, 0.1, pd.data(), rd.data());
    CHECK(td == doctest::Approx(tf).epsilon(1e-5));
    close(pf, pd);
    close(rf, rd);
    const float wf = 0.5f;
    const double wd = 0.5;
    kernels::cross_entropy_backward(pf.data(), targets, 2, 3, 0.1f, &wf, false, df.data());
    kernels::cross_entropy_backward(pd.data(), targets, 2, 3, 0.1, &wd, false, dd.data());
    close(df, dd);
    kernels::smoothed_one_hot(targets, 2, 3, 0.1f, qf.data());
    kernels::smoothed_one_hot(targets, 2, 3, 0.1, qd.data());
    close(qf, qd);
    CHECK(qd[1] == 1.0 - 0.1 + 0.1 / 3);
    std::vector<double> rows(6);
    kernels::broadcast_rows(z.d.data(), 2, 3, rows.data());
    CHECK(rows == std::vector<double>{1.0, 2.0, 0.5, 1.0, 2.0, 0.5});
}

TEST_CASE("batch-norm channel kernels in double") {
    // x (2, 2, 3): a large mean with small spread, where float loses the variance's digits
    std::vector<double> x(12);
    for (int i = 0; i < 12; ++i) x[i] = 1e8 + 1e-3 * i;
    double mean[2], var[2];
    kernels::channel_moments(x.data(), 2, 2, 3, mean, var);
    // channel 0 holds i = 0, 1, 2, 6, 7, 8
    const double vals[6] = {0, 1, 2, 6, 7, 8};
    double mu = 0, v = 0;
    for (double i : vals) mu += i;
    mu /= 6;
    for (double i : vals) v += (i - mu) * (i - mu);
    v /= 6;
    CHECK(mean[0] == doctest::Approx(1e8 + 1e-3 * mu).epsilon(1e-15));
    CHECK(var[0] == doctest::Approx(1e-6 * v).epsilon(1e-6));
    const Both g({0.5, -1.0, 2.0, 0.25, 3.0, -0.5, 1.0, 1.5, -2.0, 0.0, 0.75, 1.25});
    const Both xs({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, -1.0, -2.0, 0.5, 0.0, 7.0, 8.0});
    float mf[2], vf[2], inf_[2], sf[2], hf[2], sgf[2], sxf[2];
    double md[2], vd[2], ind[2], sd[2], hd[2], sgd[2], sxd[2];
    kernels::channel_moments(xs.f.data(), 2, 2, 3, mf, vf);
    kernels::channel_moments(xs.d.data(), 2, 2, 3, md, vd);
    kernels::channel_normalizer(2, mf, vf, 1e-5f, nullptr, nullptr, inf_, sf, hf);
    kernels::channel_normalizer(2, md, vd, 1e-5, nullptr, nullptr, ind, sd, hd);
    kernels::channel_grad_sums(g.f.data(), xs.f.data(), 2, 2, 3, mf, inf_, sgf, sxf);
    kernels::channel_grad_sums(g.d.data(), xs.d.data(), 2, 2, 3, md, ind, sgd, sxd);
    close({mf[0], mf[1], vf[0], vf[1], inf_[0], sf[1], hf[1], sgf[0], sxf[1]},
          {md[0], md[1], vd[0], vd[1], ind[0], sd[1], hd[1], sgd[0], sxd[1]});
    std::vector<float> yf(12), y2f(12);
    std::vector<double> yd(12), y2d(12);
    kernels::channel_affine(xs.f.data(), 2, 2, 3, sf, hf, yf.data());
    kernels::channel_affine(xs.d.data(), 2, 2, 3, sd, hd, yd.data());
    close(yf, yd);
    kernels::channel_affine2(g.f.data(), xs.f.data(), 2, 2, 3, sf, inf_, hf, y2f.data());
    kernels::channel_affine2(g.d.data(), xs.d.data(), 2, 2, 3, sd, ind, hd, y2d.data());
    close(y2f, y2d);
}

TEST_CASE("pooling, im2col / col2im and the image kernels in double") {
    // one 4x4 plane
    std::vector<double> v(16);
    for (int i = 0; i < 16; ++i) v[i] = 1.0 + 1e-12 * i * ((i % 3) - 1.0);
    const Both x(v);
    std::vector<float> yf(4);
    std::vector<double> yd(4);
    std::vector<int32_t> af(4), ad(4);
    kernels::max_pool2d(x.f.data(), 1, 4, 4, 2, 2, 2, 2, 0, 0, 2, 2, yf.data(), af.data());
    kernels::max_pool2d(x.d.data(), 1, 4, 4, 2, 2, 2, 2, 0, 0, 2, 2, yd.data(), ad.data());
    // the naive argmax over each 2x2 window: differences of 1e-12, lost in float
    for (int oi = 0; oi < 2; ++oi)
        for (int oj = 0; oj < 2; ++oj) {
            int best = (2 * oi) * 4 + 2 * oj;
            for (int i = 2 * oi; i < 2 * oi + 2; ++i)
                for (int j = 2 * oj; j < 2 * oj + 2; ++j)
                    if (v[i * 4 + j] > v[best]) best = i * 4 + j;
            CHECK(ad[oi * 2 + oj] == best);
            CHECK(yd[oi * 2 + oj] == v[best]);
        }
    CHECK(ad != af);
    CHECK(ad[0] == 5);
    std::vector<double> back(16);
    kernels::scatter_planes(yd.data(), 1, 4, ad.data(), 16, back.data());
    CHECK(back[5] == v[5]);  // window 0's max, scattered back
    CHECK(back[0] == 0.0);
    std::vector<double> again(4);
    kernels::gather_planes(back.data(), 1, 16, ad.data(), 4, again.data());
    CHECK(again == yd);

    kernels::PoolWindows win;
    win.H = win.W = 4;
    win.oh = win.ow = 1;
    win.h0 = {0}, win.h1 = {3}, win.w0 = {0}, win.w1 = {3};
    win.scale = {1.0f / 9.0f};
    double avg = 0;
    kernels::avg_pool2d(x.d.data(), 1, win, &avg);
    double want = 0;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) want += v[i * 4 + j];
    CHECK(avg == doctest::Approx(want / 9.0).epsilon(1e-15));
    std::vector<double> spread(16);
    const double one = 1.0;
    kernels::avg_pool2d_adjoint(&one, 1, win, spread.data());
    CHECK(spread[0] == 1.0 / 9.0);
    CHECK(spread[15] == 0.0);

    // im2col of a 3x3 kernel with padding 1 against the float instance, and col2im's adjoint
    kernels::ConvGeometry geo;
    geo.C = 1, geo.H = 4, geo.W = 4, geo.kh = 3, geo.kw = 3, geo.ph = 1, geo.pw = 1, geo.oh = 4,
    geo.ow = 4;
    std::vector<float> cf(9 * 16), xf(16, 0.0f);
    std::vector<double> cd(9 * 16), xd(16, 0.0);
    kernels::im2col(x.f.data(), geo, cf.data());
    kernels::im2col(x.d.data(), geo, cd.data());
    close(cf, cd);
    kernels::col2im(cf.data(), geo, xf.data());
    kernels::col2im(cd.data(), geo, xd.data());
    close(xf, xd);

    std::vector<double> crop(2 * 3), flip(16);
    kernels::crop(x.d.data(), 1, 4, 4, -1, 2, 2, 3, crop.data());
    CHECK(crop == std::vector<double>{0, 0, 0, v[2], v[3], 0});
    kernels::flip_horizontal(x.d.data(), 1, 4, 4, flip.data());
    CHECK(flip[0] == v[3]);
    CHECK(flip[7] == v[4]);
}

TEST_CASE("conv2d and its two gradients in double, grouped, against a naive loop") {
    // x (2, 2, 3, 3), w (2, 1, 2, 2) in 2 groups, stride 1, no padding -> y (2, 2, 2, 2)
    kernels::Conv2dDims d;
    d.N = 2, d.O = 2, d.G = 2;
    d.geo.C = 2, d.geo.H = 3, d.geo.W = 3, d.geo.kh = 2, d.geo.kw = 2, d.geo.oh = 2, d.geo.ow = 2;
    std::vector<double> xv(36), wv(8), bv{0.5, -1e-12};
    for (int i = 0; i < 36; ++i) xv[i] = 1.0 + 1e-10 * i - 0.1 * (i % 5);
    for (int i = 0; i < 8; ++i) wv[i] = 0.25 * (i % 3) - 1e-11 * i;
    const Both x(xv), w(wv), b(bv);
    std::vector<double> yd(16), naive(16);
    std::vector<float> yf(16);
    kernels::conv2d(x.d.data(), w.d.data(), b.d.data(), d, yd.data());
    kernels::conv2d(x.f.data(), w.f.data(), b.f.data(), d, yf.data());
    for (int n = 0; n < 2; ++n)
        for (int o = 0; o < 2; ++o)  // group o reads channel o
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 2; ++j) {
                    double s = bv[o];
                    for (int p = 0; p < 2; ++p)
                        for (int q = 0; q < 2; ++q)
                            s += wv[o * 4 + p * 2 + q] * xv[((n * 2 + o) * 3 + i + p) * 3 + j + q];
                    naive[((n * 2 + o) * 2 + i) * 2 + j] = s;
                }
    for (int i = 0; i < 16; ++i) CHECK(yd[i] == doctest::Approx(naive[i]).epsilon(1e-14));
    close(yf, yd);
    // the gradients against the float instance
    const Both g(
        {0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 1.0, -1.1, 1.2, 1.3, -1.4, 1.5, 1.6});
    std::vector<double> dxd(36), dwd(8);
    std::vector<float> dxf(36), dwf(8);
    kernels::conv2d_input(g.d.data(), w.d.data(), d, dxd.data());
    kernels::conv2d_input(g.f.data(), w.f.data(), d, dxf.data());
    kernels::conv2d_weight(x.d.data(), g.d.data(), d, dwd.data());
    kernels::conv2d_weight(x.f.data(), g.f.data(), d, dwf.data());
    close(dxf, dxd);
    close(dwf, dwd);
}
