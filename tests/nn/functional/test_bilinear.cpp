// functional::bilinear against PyTorch 1.13's F.bilinear (tests/nn/resample_torch_reference.py):
// with and without bias, batched leading dims; gradients to second order in float64; refusals.
#include "support.hpp"
#include "support_float64.hpp"

#include "descent/nn/functional/bilinear.hpp"

using namespace descent;
using nn::functional::bilinear;
using V = std::vector<Tensor>;

namespace {
using test::ramp;  // tests/support_float64.hpp
// torch: x1, x2 = 0.1 * ramp(3, 2), 0.1 * ramp(3, 4) - 1.0; w, b = 0.1 * ramp(5, 2, 4) - 2.0,
// 0.1 * ramp(5)
Tensor X1() { return ramp({3, 2}) * 0.1; }
Tensor X2() { return ramp({3, 4}) * 0.1 - 1.0; }
Tensor W() { return ramp({5, 2, 4}) * 0.1 - 2.0; }
Tensor B() { return ramp({5}) * 0.1; }
}  // namespace

TEST_CASE("bilinear matches PyTorch's F.bilinear, with and without bias, batched") {
    CHECK_F64(bilinear(X1(), X2(), W(), B()), {3, 5},
              {0.015377999999999992, 0.3975060000000001, 0.2428339999999999, 0.028162000000000006,
               0.28269, 0.622314, -0.0864060000000002, 0.7888740000000001, -0.34944600000000015,
               -0.129766, -0.046222000000000235, 0.0733139999999996, -0.04475000000000001, 0.375586,
               -0.16047799999999984}, 1e-12);
    CHECK_F64(bilinear(X1(), X2(), W()), {3, 5},
              {0.015377999999999992, 0.18750600000000006, -0.17716600000000013, -0.101838,
               -0.05731000000000002, 0.622314, -0.2964060000000002, 0.36887400000000004,
               -0.47944600000000015, -0.469766, -0.046222000000000235, -0.13668600000000042,
               -0.46475000000000005, 0.24558599999999994, -0.5004779999999999}, 1e-12);
    // torch: F.bilinear(x1.reshape(3, 1, 2), x2.reshape(3, 1, 4), w, b)
    CHECK_F64(bilinear(X1().reshape({3, 1, 2}), X2().reshape({3, 1, 4}), W(), B()),
              {3, 1, 5},
              {0.015377999999999992, 0.3975060000000001, 0.2428339999999999, 0.028162000000000006,
               0.28269, 0.622314, -0.0864060000000002, 0.7888740000000001, -0.34944600000000015,
               -0.129766, -0.046222000000000235, 0.0733139999999996, -0.04475000000000001, 0.375586,
               -0.16047799999999984}, 1e-12);
    // One unbatched sample: (in1), (in2) -> (out)
    const Tensor one = bilinear(X1().select(0, 1), X2().select(0, 1), W(), B());
    CHECK(one.shape() == Shape{5});
    CHECK(allclose(one, bilinear(X1(), X2(), W(), B()).select(0, 1)));
}

TEST_CASE("bilinear: gradcheck and gradgradcheck in float64 in every input") {
    CHECK_GRADIENTS([](const V& v) { return bilinear(v[0], v[1], v[2], v[3]); },
                    (V{test::input({3, 2}, 11), test::input({3, 4}, 12),
                       test::input({5, 2, 4}, 13), test::input({5}, 14)}));
    CHECK_GRADIENTS([](const V& v) { return bilinear(v[0], v[1], v[2]); },
                    (V{test::input({2, 3, 2}, 15), test::input({2, 3, 3}, 16),
                       test::input({2, 2, 3}, 17)}));
}

TEST_CASE("bilinear refuses: feature counts that do not match the weight") {
    CHECK_ERROR(ShapeError, [] { bilinear(ones({3, 3}), X2(), W()); },
                {"bilinear()", "input1 (3, 3) has 3 features", "weight (5, 2, 4)",
                 "in1_features 2"});
    CHECK_ERROR(ShapeError, [] { bilinear(X1(), ones({3, 5}), W()); },
                {"bilinear()", "input2 (3, 5) has 5 features", "in2_features 4"});
}

TEST_CASE("bilinear refuses: different batch dims, ranks, a bad weight or bias") {
    CHECK_ERROR(ShapeError, [] { bilinear(X1(), ones({2, 4}, kFloat64), W()); },
                {"bilinear()", "(3, 2)", "(2, 4)", "different batch dims"});
    CHECK_ERROR(ShapeError, [] { bilinear(X1(), ones({3, 1, 4}, kFloat64), W()); },
                {"bilinear()", "same number of dims"});
    CHECK_ERROR(ShapeError, [] { bilinear(X1(), X2(), ones({2, 4}, kFloat64)); },
                {"bilinear()", "expected weight (out_features, in1_features, in2_features)",
                 "(2, 4)"});
    CHECK_ERROR(ShapeError, [] { bilinear(X1(), X2(), W(), ones({4}, kFloat64)); },
                {"bilinear()", "expected bias (5)", "(4)"});
    CHECK_ERROR(ValueError, [] { bilinear(Tensor(), X2(), W()); }, {"bilinear()", "defined"});
}
