// functional::interpolate in modes nearest, bilinear and linear against PyTorch 1.13's values
// (tests/nn/resample_torch_reference.py), its gradients to second order in float64, and one test
// per refusal.
#include "support.hpp"
#include "support_float64.hpp"

#include "descent/nn/functional/interpolate.hpp"

using namespace descent;
using namespace descent::nn::functional;
using V = std::vector<Tensor>;
using O = InterpolateFuncOptions;

namespace {
using test::ramp;  // tests/support_float64.hpp
Tensor X() { return ramp({1, 2, 3, 4}); }
}  // namespace

TEST_CASE("interpolate nearest matches PyTorch: size, scale_factor (1/scale_factor), recompute") {
    // torch: F.interpolate(X, size=(5, 7), mode="nearest")
    CHECK_F64(interpolate(X(), O().size({5, 7})), {1, 2, 5, 7},
              {0.0, 0.0, 7.1, 7.1, 14.2, 14.2, 21.3, 0.0, 0.0, 7.1, 7.1, 14.2, 14.2, 21.3, 4.4, 4.4,
               11.5, 11.5, 18.6, 18.6, 1.7000000000000002, 4.4, 4.4, 11.5, 11.5, 18.6, 18.6,
               1.7000000000000002, 8.8, 8.8, 15.9, 15.9, 23.0, 23.0, 6.1, 13.2, 13.2, 20.3, 20.3,
               3.4000000000000004, 3.4000000000000004, 10.5, 13.2, 13.2, 20.3, 20.3,
               3.4000000000000004, 3.4000000000000004, 10.5, 17.6, 17.6, 24.7, 24.7, 7.8, 7.8, 14.9,
               17.6, 17.6, 24.7, 24.7, 7.8, 7.8, 14.9, 22.0, 22.0, 5.1, 5.1, 12.2, 12.2, 19.3});
    // scale_factor 1.5: output ⌊4.5⌋ x 6, source ⌊dst/1.5⌋
    CHECK_F64(interpolate(X(), O().scale_factor({1.5})), {1, 2, 4, 6},
              {0.0, 0.0, 7.1, 14.2, 14.2, 21.3, 0.0, 0.0, 7.1, 14.2, 14.2, 21.3, 4.4, 4.4, 11.5,
               18.6, 18.6, 1.7000000000000002, 8.8, 8.8, 15.9, 23.0, 23.0, 6.1, 13.2, 13.2, 20.3,
               3.4000000000000004, 3.4000000000000004, 10.5, 13.2, 13.2, 20.3, 3.4000000000000004,
               3.4000000000000004, 10.5, 17.6, 17.6, 24.7, 7.8, 7.8, 14.9, 22.0, 22.0, 5.1, 12.2,
               12.2, 19.3});
    CHECK_F64(interpolate(X(), O().scale_factor({2.0, 0.5}).mode("nearest")),
              {1, 2, 6, 2},
              {0.0, 14.2, 0.0, 14.2, 4.4, 18.6, 4.4, 18.6, 8.8, 23.0, 8.8, 23.0, 13.2,
               3.4000000000000004, 13.2, 3.4000000000000004, 17.6, 7.8, 17.6, 7.8, 22.0, 12.2, 22.0,
               12.2});
    // ⌊3·1.2⌋ = 3 and ⌊4·1.2⌋ = 4, but the source is still ⌊dst/1.2⌋: not a copy
    CHECK_F64(interpolate(X(), O().scale_factor({1.2})), {1, 2, 3, 4},
              {0.0, 0.0, 7.1, 14.2, 0.0, 0.0, 7.1, 14.2, 4.4, 4.4, 11.5, 18.6, 13.2, 13.2, 20.3,
               3.4000000000000004, 13.2, 13.2, 20.3, 3.4000000000000004, 17.6, 17.6, 24.7, 7.8});
    // 1/1.7 vs in/out: different columns
    CHECK_F64(interpolate(X(), O().scale_factor({1.7})), {1, 2, 5, 6},
              {0.0, 0.0, 7.1, 7.1, 14.2, 14.2, 0.0, 0.0, 7.1, 7.1, 14.2, 14.2, 4.4, 4.4, 11.5, 11.5,
               18.6, 18.6, 4.4, 4.4, 11.5, 11.5, 18.6, 18.6, 8.8, 8.8, 15.9, 15.9, 23.0, 23.0, 13.2,
               13.2, 20.3, 20.3, 3.4000000000000004, 3.4000000000000004, 13.2, 13.2, 20.3, 20.3,
               3.4000000000000004, 3.4000000000000004, 17.6, 17.6, 24.7, 24.7, 7.8, 7.8, 17.6, 17.6,
               24.7, 24.7, 7.8, 7.8, 22.0, 22.0, 5.1, 5.1, 12.2, 12.2});
    CHECK_F64(interpolate(X(), O().scale_factor({1.7}).recompute_scale_factor(true)),
              {1, 2, 5, 6},
              {0.0, 0.0, 7.1, 14.2, 14.2, 21.3, 0.0, 0.0, 7.1, 14.2, 14.2, 21.3, 4.4, 4.4, 11.5,
               18.6, 18.6, 1.7000000000000002, 4.4, 4.4, 11.5, 18.6, 18.6, 1.7000000000000002, 8.8,
               8.8, 15.9, 23.0, 23.0, 6.1, 13.2, 13.2, 20.3, 3.4000000000000004, 3.4000000000000004,
               10.5, 13.2, 13.2, 20.3, 3.4000000000000004, 3.4000000000000004, 10.5, 17.6, 17.6,
               24.7, 7.8, 7.8, 14.9, 17.6, 17.6, 24.7, 7.8, 7.8, 14.9, 22.0, 22.0, 5.1, 12.2, 12.2,
               19.3});
    // (N, C, L)
    const Tensor S = ramp({1, 2, 4});
    CHECK_F64(interpolate(S, O().size({6})), {1, 2, 6},
              {0.0, 0.0, 7.1, 6.2, 6.2, 5.3, 4.4, 4.4, 3.5, 2.6, 2.6, 1.7000000000000002});
    CHECK_F64(interpolate(S, O().scale_factor({2.5})), {1, 2, 10},
              {0.0, 0.0, 0.0, 7.1, 7.1, 6.2, 6.2, 6.2, 5.3, 5.3, 4.4, 4.4, 4.4, 3.5, 3.5, 2.6, 2.6,
               2.6, 1.7000000000000002, 1.7000000000000002});
    // Integers move too (nearest only selects).
    CHECK(equal(interpolate(arange(4, kInt64).reshape({1, 1, 2, 2}), O().size({4, 4})),
                tensor(std::vector<int64_t>{0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3},
                       Shape{1, 1, 4, 4}, kInt64)));
}

TEST_CASE("interpolate bilinear and linear match PyTorch, align_corners false and true") {
    CHECK_F64(interpolate(X(), O().size({5, 7}).mode("bilinear")), {1, 2, 5, 7},
              {0.0, 2.535714285714285, 6.592857142857142, 10.649999999999999, 14.707142857142856,
               18.764285714285712, 21.3, 1.76, 4.295714285714285, 8.352857142857143, 12.41,
               15.781428571428574, 14.352857142857143, 13.460000000000003, 4.4, 6.935714285714286,
               10.992857142857142, 15.05, 17.39285714285715, 7.7357142857142875, 1.7000000000000002,
               7.04, 9.575714285714286, 13.632857142857143, 17.689999999999998, 20.032857142857146,
               10.375714285714286, 4.339999999999999, 8.8, 11.335714285714285, 15.392857142857144,
               19.45, 21.792857142857148, 12.135714285714286, 6.1, 13.2, 15.735714285714286,
               19.79285714285714, 11.850000000000001, 3.9071428571428557, 7.9642857142857135, 10.5,
               14.96, 17.495714285714286, 21.552857142857142, 13.610000000000001,
               5.6671428571428555, 9.724285714285713, 12.260000000000002, 17.6, 20.135714285714286,
               24.192857142857143, 16.25, 8.307142857142855, 12.364285714285714, 14.9,
               20.240000000000002, 17.632857142857144, 13.461428571428574, 11.69,
               10.947142857142856, 15.004285714285714, 17.54, 22.0, 15.964285714285715,
               6.307142857142858, 8.649999999999999, 12.707142857142856, 16.764285714285716, 19.3});
    CHECK_F64(interpolate(X(), O().size({5, 7}).mode("bilinear").align_corners(true)),
              {1, 2, 5, 7},
              {0.0, 3.55, 7.1, 10.649999999999999, 14.2, 17.75, 21.3, 2.2, 5.75, 9.3, 12.85, 16.4,
               13.95, 11.5, 4.4, 7.95, 11.5, 15.05, 18.6, 10.15, 1.7000000000000002,
               6.6000000000000005, 10.15, 13.7, 17.25, 20.8, 12.350000000000001, 3.9, 8.8,
               12.350000000000001, 15.9, 19.45, 23.0, 14.55, 6.1, 13.2, 16.75, 20.3,
               11.850000000000001, 3.4000000000000004, 6.95, 10.5, 15.4, 18.95, 22.5, 14.05, 5.6,
               9.15, 12.7, 17.6, 21.15, 24.7, 16.25, 7.8, 11.35, 14.9, 19.8, 17.35,
               14.899999999999999, 12.45, 10.0, 13.55, 17.1, 22.0, 13.55, 5.1, 8.649999999999999,
               12.2, 15.75, 19.3});
    // scale_factor 1.5: the source scale is 1/1.5, not in/out = 3/4 (the rows differ)
    CHECK_F64(interpolate(X(), O().scale_factor({1.5}).mode("bilinear")), {1, 2, 4, 6},
              {0.0, 3.5499999999999994, 8.283333333333331, 13.016666666666666, 17.75, 21.3,
               2.1999999999999997, 5.749999999999999, 10.48333333333333, 15.216666666666665, 13.95,
               11.5, 5.133333333333333, 8.683333333333332, 13.416666666666664, 18.150000000000002,
               10.883333333333333, 2.4333333333333327, 8.066666666666666, 11.616666666666667,
               16.349999999999998, 21.083333333333332, 13.816666666666668, 5.366666666666665, 13.2,
               16.75, 17.483333333333338, 6.216666666666669, 6.95, 10.5, 15.399999999999999,
               18.949999999999996, 19.683333333333337, 8.416666666666668, 9.149999999999999, 12.7,
               18.333333333333332, 19.883333333333333, 19.28333333333334, 10.683333333333334,
               12.083333333333332, 15.633333333333333, 21.266666666666666, 14.816666666666666,
               8.883333333333335, 10.949999999999998, 15.016666666666666, 18.566666666666666});
    CHECK_F64(
        interpolate(X(), O().scale_factor({1.5}).mode("bilinear").recompute_scale_factor(true)),
        {1, 2, 4, 6},
              {0.0, 3.5499999999999994, 8.283333333333331, 13.016666666666666, 17.75, 21.3, 2.75,
               6.3, 11.033333333333331, 15.766666666666667, 13.0, 9.05, 6.050000000000001, 9.6,
               14.333333333333332, 19.066666666666666, 11.8, 3.3499999999999996, 8.8, 12.35,
               17.083333333333332, 21.816666666666666, 14.55, 6.1, 13.2, 16.75, 17.483333333333338,
               6.216666666666669, 6.95, 10.5, 15.95, 19.5, 20.233333333333338, 8.966666666666669,
               9.7, 13.25, 19.25, 18.299999999999997, 16.033333333333335, 10.766666666666666, 13.0,
               16.55, 22.0, 13.549999999999999, 6.283333333333332, 11.016666666666664, 15.75,
               19.3});
    // Downsampling, and one output pixel with align_corners (scale 0: the corner)
    CHECK_F64(interpolate(X(), O().size({2, 3}).mode("bilinear")), {1, 2, 2, 3},
              {2.2833333333333328, 11.75, 16.216666666666665, 8.883333333333335, 18.349999999999998,
               7.816666666666672, 15.483333333333334, 12.950000000000001, 10.416666666666664,
               19.083333333333332, 10.549999999999999, 17.016666666666666});
    CHECK_F64(interpolate(X(), O().size({1, 1}).mode("bilinear").align_corners(true)),
              {1, 2, 1, 1},
              {0.0, 13.2});
    const Tensor S = ramp({1, 2, 4});
    CHECK_F64(interpolate(S, O().size({6}).mode("linear")), {1, 2, 6},
              {0.0, 3.5499999999999994, 6.95, 6.35, 5.75, 5.3, 4.4, 3.95, 3.35, 2.75,
               2.1500000000000004, 1.7000000000000002});
    CHECK_F64(interpolate(S, O().size({6}).mode("linear").align_corners(true)),
              {1, 2, 6},
              {0.0, 4.26, 6.92, 6.38, 5.840000000000001, 5.3, 4.4, 3.8600000000000003,
               3.3200000000000003, 2.7800000000000002, 2.24, 1.7000000000000002});
    // float32 in, float32 out (weights computed in float, as PyTorch's)
    const Tensor y = interpolate(X().to(kFloat32), O().size({5, 7}).mode("bilinear"));
    CHECK(y.dtype() == kFloat32);
    CHECK_DOUBLES(y, {1, 2, 5, 7},
              {0.0, 2.535714285714285, 6.592857142857142, 10.649999999999999, 14.707142857142856,
               18.764285714285712, 21.3, 1.76, 4.295714285714285, 8.352857142857143, 12.41,
               15.781428571428574, 14.352857142857143, 13.460000000000003, 4.4, 6.935714285714286,
               10.992857142857142, 15.05, 17.39285714285715, 7.7357142857142875, 1.7000000000000002,
               7.04, 9.575714285714286, 13.632857142857143, 17.689999999999998, 20.032857142857146,
               10.375714285714286, 4.339999999999999, 8.8, 11.335714285714285, 15.392857142857144,
               19.45, 21.792857142857148, 12.135714285714286, 6.1, 13.2, 15.735714285714286,
               19.79285714285714, 11.850000000000001, 3.9071428571428557, 7.9642857142857135, 10.5,
               14.96, 17.495714285714286, 21.552857142857142, 13.610000000000001,
               5.6671428571428555, 9.724285714285713, 12.260000000000002, 17.6, 20.135714285714286,
               24.192857142857143, 16.25, 8.307142857142855, 12.364285714285714, 14.9,
               20.240000000000002, 17.632857142857144, 13.461428571428574, 11.69,
               10.947142857142856, 15.004285714285714, 17.54, 22.0, 15.964285714285715,
               6.307142857142858, 8.649999999999999, 12.707142857142856, 16.764285714285716, 19.3},
                  1e-5);
}

TEST_CASE("interpolate: gradients match PyTorch's, gradcheck and gradgradcheck in float64") {
    // torch: (F.interpolate(x, ...) * arange(numel)).sum().backward(); x.grad
    const Tensor x = X().requires_grad_();
    Tensor y = interpolate(x, O().size({5, 7}).mode("bilinear"));
    (y * arange(static_cast<double>(y.numel()), kFloat64).reshape(y.shape())).sum().backward();
    CHECK_F64(x.grad(), {1, 2, 3, 4},
              {8.457142857142859, 13.442857142857143, 18.700000000000006, 22.400000000000002,
               44.61428571428572, 51.68571428571429, 57.600000000000016, 60.3, 70.85714285714288,
               78.44285714285712, 83.70000000000002, 84.79999999999998, 104.45714285714287,
               113.44285714285714, 118.70000000000002, 118.39999999999999, 152.61428571428576,
               164.18571428571428, 170.10000000000005, 168.29999999999998, 166.85714285714283,
               178.44285714285712, 183.70000000000005, 180.79999999999998}, 1e-10);
    const Tensor x2 = X().requires_grad_();
    y = interpolate(x2, O().size({2, 3}));
    (y * arange(static_cast<double>(y.numel()), kFloat64).reshape(y.shape())).sum().backward();
    CHECK_F64(x2.grad(), {1, 2, 3, 4},
              {0.0, 1.0, 2.0, 0.0, 3.0, 4.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0, 7.0, 8.0, 0.0, 9.0,
               10.0, 11.0, 0.0, 0.0, 0.0, 0.0, 0.0});

    const Tensor a = test::input({2, 2, 3, 4}, 81);
    CHECK_GRADIENTS([](const V& v) { return interpolate(v[0], O().size({5, 7}).mode("bilinear")); },
                    V{a});
    CHECK_GRADIENTS(
        [](const V& v) {
            return interpolate(v[0], O().size({2, 6}).mode("bilinear").align_corners(true));
        },
        V{a});
    CHECK_GRADIENTS([](const V& v) { return interpolate(v[0], O().scale_factor({1.7})); }, V{a});
    CHECK_GRADIENTS([](const V& v) { return interpolate(v[0], O().size({2, 3})); }, V{a});
    const Tensor s = test::input({2, 3, 4}, 82);
    CHECK_GRADIENTS([](const V& v) { return interpolate(v[0], O().size({7}).mode("linear")); },
                    V{s});
    CHECK_GRADIENTS([](const V& v) { return interpolate(v[0], O().scale_factor({2.5})); }, V{s});
}

TEST_CASE("interpolate refuses: size and scale_factor both or neither") {
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().size({4, 4}).scale_factor({2.0})); },
                {"interpolate()", "only one of size and scale_factor", "both", "(4, 4)", "(2)"});
    CHECK_ERROR(ValueError, [] { interpolate(X(), O()); },
                {"interpolate()", "one of size and scale_factor", "neither"});
}

TEST_CASE("interpolate refuses: an unknown or unimplemented mode") {
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().size({4, 4}).mode("cubic")); },
                {"interpolate()", "unknown mode 'cubic'", "nearest, linear or bilinear"});
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().size({4, 4}).mode("bicubic")); },
                {"interpolate()", "mode 'bicubic' is not implemented"});
}

TEST_CASE("interpolate refuses: align_corners with nearest, recompute_scale_factor with size") {
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().size({4, 4}).align_corners(false)); },
                {"interpolate()", "align_corners", "mode nearest"});
    CHECK_ERROR(ValueError,
                [] { interpolate(X(), O().size({4, 4}).recompute_scale_factor(true)); },
                {"interpolate()", "recompute_scale_factor", "explicit size"});
}

TEST_CASE("interpolate refuses: a wrong rank for the mode") {
    CHECK_ERROR(ShapeError, [] { interpolate(ramp({2, 3}), O().size({4})); },
                {"interpolate()", "(N, C, L) or (N, C, H, W)", "(2, 3)"});
    CHECK_ERROR(ShapeError, [] { interpolate(ramp({1, 1, 2, 2, 2}), O().size({4})); },
                {"interpolate()", "(1, 1, 2, 2, 2)"});
    CHECK_ERROR(ShapeError, [] { interpolate(X(), O().size({4, 4}).mode("linear")); },
                {"interpolate()", "mode linear needs input (N, C, L)", "(1, 2, 3, 4)"});
    CHECK_ERROR(ShapeError, [] { interpolate(ramp({1, 2, 4}), O().size({4}).mode("bilinear")); },
                {"interpolate()", "mode bilinear needs input (N, C, H, W)", "(1, 2, 4)"});
}

TEST_CASE("interpolate refuses: bad sizes and scale factors, integer input to bilinear") {
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().size({4, 0})); },
                {"interpolate()", "size must be", "> 0", "(4, 0)"});
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().scale_factor({-2.0})); },
                {"interpolate()", "scale_factor must be", "(-2)"});
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().size({4, 5, 6})); },
                {"interpolate()", "size has 3 values for the 2 spatial dims", "(1, 2, 3, 4)"});
    CHECK_ERROR(ValueError, [] { interpolate(X(), O().scale_factor({0.2})); },
                {"interpolate()", "output size (0, 0)", "must be > 0"});
    CHECK_ERROR(TypeError,
                [] {
                    interpolate(arange(4, kInt64).reshape({1, 1, 2, 2}),
                                O().size({3, 3}).mode("bilinear"));
                },
                {"interpolate()", "floating", "int64"});
    CHECK_ERROR(ValueError, [] { interpolate(Tensor(), O().size({3})); },
                {"interpolate()", "undefined"});
}
