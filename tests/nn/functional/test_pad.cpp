// pad (constant, reflect, replicate), pixel_shuffle and pixel_unshuffle against PyTorch's values
// (tests/nn/layers_torch_reference.py), gradients in float64, errors.
#include "support.hpp"

#include "descent/nn/functional/pad.hpp"

using namespace descent;
using namespace descent::nn::functional;
using V = std::vector<Tensor>;

namespace {
// torch: P2 = arange(24.).reshape(1, 2, 3, 4)
Tensor P2() { return arange(24, kFloat64).reshape({1, 2, 3, 4}); }
}  // namespace

TEST_CASE("pad matches PyTorch in each mode") {
    // torch: F.pad(P2, (1, 2, 0, 1), value=9.); F.pad(P2, (-1, 1))
    CHECK_DOUBLES(pad(P2(), {1, 2, 0, 1}, "constant", 9), {1, 2, 4, 7},
                  {9.0, 0.0,  1.0,  2.0,  3.0,  9.0, 9.0, 9.0, 4.0,  5.0,  6.0,  7.0,  9.0, 9.0,
                   9.0, 8.0,  9.0,  10.0, 11.0, 9.0, 9.0, 9.0, 9.0,  9.0,  9.0,  9.0,  9.0, 9.0,
                   9.0, 12.0, 13.0, 14.0, 15.0, 9.0, 9.0, 9.0, 16.0, 17.0, 18.0, 19.0, 9.0, 9.0,
                   9.0, 20.0, 21.0, 22.0, 23.0, 9.0, 9.0, 9.0, 9.0,  9.0,  9.0,  9.0,  9.0, 9.0});
    CHECK_DOUBLES(pad(P2(), {-1, 1}), {1, 2, 3, 4},
                  {1.0,  2.0,  3.0,  0.0, 5.0,  6.0,  7.0,  0.0, 9.0,  10.0, 11.0, 0.0,
                   13.0, 14.0, 15.0, 0.0, 17.0, 18.0, 19.0, 0.0, 21.0, 22.0, 23.0, 0.0});
    // torch: F.pad(P2, (2, 1, 1, 2), mode="reflect"); (1, 0, 2, 1) mode="replicate"
    CHECK_DOUBLES(
        pad(P2(), {2, 1, 1, 2}, "reflect"), {1, 2, 6, 7},
        {6.0,  5.0,  4.0,  5.0,  6.0,  7.0,  6.0,  2.0,  1.0,  0.0,  1.0,  2.0,  3.0,  2.0,
         6.0,  5.0,  4.0,  5.0,  6.0,  7.0,  6.0,  10.0, 9.0,  8.0,  9.0,  10.0, 11.0, 10.0,
         6.0,  5.0,  4.0,  5.0,  6.0,  7.0,  6.0,  2.0,  1.0,  0.0,  1.0,  2.0,  3.0,  2.0,
         18.0, 17.0, 16.0, 17.0, 18.0, 19.0, 18.0, 14.0, 13.0, 12.0, 13.0, 14.0, 15.0, 14.0,
         18.0, 17.0, 16.0, 17.0, 18.0, 19.0, 18.0, 22.0, 21.0, 20.0, 21.0, 22.0, 23.0, 22.0,
         18.0, 17.0, 16.0, 17.0, 18.0, 19.0, 18.0, 14.0, 13.0, 12.0, 13.0, 14.0, 15.0, 14.0});
    CHECK_DOUBLES(
        pad(P2(), {1, 0, 2, 1}, "replicate"), {1, 2, 6, 5},
        {0.0,  0.0,  1.0,  2.0,  3.0,  0.0,  0.0,  1.0,  2.0,  3.0,  0.0,  0.0,  1.0,  2.0,  3.0,
         4.0,  4.0,  5.0,  6.0,  7.0,  8.0,  8.0,  9.0,  10.0, 11.0, 8.0,  8.0,  9.0,  10.0, 11.0,
         12.0, 12.0, 13.0, 14.0, 15.0, 12.0, 12.0, 13.0, 14.0, 15.0, 12.0, 12.0, 13.0, 14.0, 15.0,
         16.0, 16.0, 17.0, 18.0, 19.0, 20.0, 20.0, 21.0, 22.0, 23.0, 20.0, 20.0, 21.0, 22.0, 23.0});
    // torch: F.pad(P2[:, :, 0], (2, 3), mode="reflect")
    CHECK_DOUBLES(pad(P2().select(2, 0), {2, 3}, "reflect"), {1, 2, 9},
                  {2.0, 1.0, 0.0, 1.0, 2.0, 3.0, 2.0, 1.0, 0.0, 14.0, 13.0, 12.0, 13.0, 14.0, 15.0,
                   14.0, 13.0, 12.0});
    // The gradients: torch's autograd.grad of (pad(x) * arange).sum()
    const Tensor x = P2().requires_grad_();
    (pad(x, {2, 1, 1, 2}, "reflect") * arange(2 * 6 * 7, kFloat64).reshape({1, 2, 6, 7}))
        .sum()
        .backward();
    CHECK_DOUBLES(x.grad(), {1, 2, 3, 4}, {46.0,  92.0,  146.0, 52.0,  48.0,  96.0,  156.0, 57.0,
                                           23.0,  46.0,  73.0,  26.0,  130.0, 260.0, 398.0, 136.0,
                                           174.0, 348.0, 534.0, 183.0, 65.0,  130.0, 199.0, 68.0});
    const Tensor y = P2().requires_grad_();
    (pad(y, {1, 0, 2, 1}, "replicate") * arange(2 * 6 * 5, kFloat64).reshape({1, 2, 6, 5}))
        .sum()
        .backward();
    CHECK_DOUBLES(y.grad(), {1, 2, 3, 4},
                  {33.0,  21.0,  24.0,  27.0,  31.0, 17.0, 18.0, 19.0, 92.0,  49.0,  51.0,  53.0,
                   213.0, 111.0, 114.0, 117.0, 91.0, 47.0, 48.0, 49.0, 212.0, 109.0, 111.0, 113.0});
    CHECK(pad(P2().to(kFloat32), {1, 1}).dtype() == kFloat32);
}

TEST_CASE("pixel_shuffle and pixel_unshuffle match PyTorch and invert each other") {
    // torch: F.pixel_shuffle(arange(96.).reshape(2, 8, 2, 3), 2)
    const Tensor ps = arange(96, kFloat64).reshape({2, 8, 2, 3});
    CHECK_DOUBLES(
        pixel_shuffle(ps, 2), {2, 2, 4, 6},
        {0.0,  6.0,  1.0,  7.0,  2.0,  8.0,  12.0, 18.0, 13.0, 19.0, 14.0, 20.0, 3.0,  9.0,
         4.0,  10.0, 5.0,  11.0, 15.0, 21.0, 16.0, 22.0, 17.0, 23.0, 24.0, 30.0, 25.0, 31.0,
         26.0, 32.0, 36.0, 42.0, 37.0, 43.0, 38.0, 44.0, 27.0, 33.0, 28.0, 34.0, 29.0, 35.0,
         39.0, 45.0, 40.0, 46.0, 41.0, 47.0, 48.0, 54.0, 49.0, 55.0, 50.0, 56.0, 60.0, 66.0,
         61.0, 67.0, 62.0, 68.0, 51.0, 57.0, 52.0, 58.0, 53.0, 59.0, 63.0, 69.0, 64.0, 70.0,
         65.0, 71.0, 72.0, 78.0, 73.0, 79.0, 74.0, 80.0, 84.0, 90.0, 85.0, 91.0, 86.0, 92.0,
         75.0, 81.0, 76.0, 82.0, 77.0, 83.0, 87.0, 93.0, 88.0, 94.0, 89.0, 95.0});
    // torch: F.pixel_unshuffle(arange(96.).reshape(2, 2, 4, 6), 2)
    CHECK_DOUBLES(
        pixel_unshuffle(arange(96, kFloat64).reshape({2, 2, 4, 6}), 2), {2, 8, 2, 3},
        {0.0,  2.0,  4.0,  12.0, 14.0, 16.0, 1.0,  3.0,  5.0,  13.0, 15.0, 17.0, 6.0,  8.0,
         10.0, 18.0, 20.0, 22.0, 7.0,  9.0,  11.0, 19.0, 21.0, 23.0, 24.0, 26.0, 28.0, 36.0,
         38.0, 40.0, 25.0, 27.0, 29.0, 37.0, 39.0, 41.0, 30.0, 32.0, 34.0, 42.0, 44.0, 46.0,
         31.0, 33.0, 35.0, 43.0, 45.0, 47.0, 48.0, 50.0, 52.0, 60.0, 62.0, 64.0, 49.0, 51.0,
         53.0, 61.0, 63.0, 65.0, 54.0, 56.0, 58.0, 66.0, 68.0, 70.0, 55.0, 57.0, 59.0, 67.0,
         69.0, 71.0, 72.0, 74.0, 76.0, 84.0, 86.0, 88.0, 73.0, 75.0, 77.0, 85.0, 87.0, 89.0,
         78.0, 80.0, 82.0, 90.0, 92.0, 94.0, 79.0, 81.0, 83.0, 91.0, 93.0, 95.0});
    CHECK(equal(pixel_unshuffle(pixel_shuffle(ps, 2), 2), ps));
    CHECK(pixel_shuffle(zeros({9, 1, 1}), 3).shape() == Shape{1, 3, 3});  // unbatched
}

TEST_CASE("pad and pixel_shuffle: gradcheck and gradgradcheck in float64") {
    const Tensor x = test::input({2, 2, 3, 4}, 71);
    CHECK_GRADIENTS([](const V& v) { return pad(v[0], {1, 2, -1, 1}, "constant", 0.5); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return pad(v[0], {3, 2, 2, 1}, "reflect"); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return pad(v[0], {2, 3, 1, 0}, "replicate"); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return pixel_shuffle(v[0], 2); },
                    V{test::input({1, 4, 2, 3}, 72)});
    CHECK_GRADIENTS([](const V& v) { return pixel_unshuffle(v[0], 2); },
                    V{test::input({1, 1, 4, 2}, 73)});
}

TEST_CASE("pad and pixel_shuffle: errors") {
    const Tensor x = zeros({1, 2, 3, 4});
    CHECK_ERROR(ValueError, [&] { pad(x, {1, 1}, "circular"); }, {"pad()", "\"circular\""});
    CHECK_ERROR(ValueError, [&] { pad(x, {1, 1, 1}); }, {"pad()", "pairs", "3"});
    CHECK_ERROR(ValueError, [&] { pad(zeros({3}), {1, 1, 1, 1}); }, {"pad()", "2 dims", "(3)"});
    CHECK_ERROR(ValueError,
                [&] {
                    pad(x, {4, 0, 0, 0}, "reflect");
                },
                {"pad()", "reflect pad 4", "size 4"});
    CHECK_ERROR(ValueError, [&] { pad(x, {-1, 0, 0, 0}, "replicate"); }, {"pad()", ">= 0", "-1"});
    CHECK_ERROR(ValueError,
                [&] {
                    pad(zeros({3, 4}), {1, 1, 1, 1}, "reflect");
                },
                {"pad()", "reflect", "(3, 4)"});
    CHECK_ERROR(ValueError, [&] { pad(x, {-3, -2}); }, {"pad()", "crop", "(1, 2, 3, 4)"});
    CHECK_ERROR(ShapeError,
                [] {
                    pixel_shuffle(zeros({1, 6, 2, 2}), 2);
                },
                {"pixel_shuffle()", "r = 2", "(1, 6, 2, 2)"});
    CHECK_ERROR(ShapeError,
                [] {
                    pixel_unshuffle(zeros({1, 1, 3, 4}), 2);
                },
                {"pixel_unshuffle()", "(1, 1, 3, 4)"});
    CHECK_ERROR(ValueError,
                [] {
                    pixel_shuffle(zeros({1, 4, 2, 2}), 0);
                },
                {"pixel_shuffle()", "0"});
}
