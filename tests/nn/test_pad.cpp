// The padding and pixel-shuffle layers: each is its functional form, printing, errors.
#include "support.hpp"

#include "descent/nn/functional/pad.hpp"
#include "descent/nn/pad.hpp"

using namespace descent;
using nn::functional::pad;

TEST_CASE("padding and pixel-shuffle layers") {
    const Tensor x = arange(24).reshape({1, 2, 3, 4});
    CHECK(equal(nn::ZeroPad2d(1)(x), pad(x, {1, 1, 1, 1})));
    CHECK(nn::ZeroPad2d(1)(x).shape() == Shape{1, 2, 5, 6});
    CHECK(equal(nn::ZeroPad2d({1, 0, 2, 3})(x), pad(x, {1, 0, 2, 3})));
    CHECK(equal(nn::ConstantPad2d(2, -1)(x), pad(x, {2, 2, 2, 2}, "constant", -1)));
    CHECK(equal(nn::ReflectionPad2d(2)(x), pad(x, {2, 2, 2, 2}, "reflect")));
    CHECK(equal(nn::ReplicationPad2d({0, 1, 2, 3})(x), pad(x, {0, 1, 2, 3}, "replicate")));
    CHECK(equal(nn::PixelShuffle(2)(x.reshape({1, 4, 2, 3})),
                nn::functional::pixel_shuffle(x.reshape({1, 4, 2, 3}), 2)));
    CHECK(nn::PixelUnshuffle(2)(zeros({1, 2, 4, 4})).shape() == Shape{1, 8, 2, 2});
    CHECK(test::printed(nn::ZeroPad2d(1)) == "ZeroPad2d((1, 1, 1, 1))");
    CHECK(test::printed(nn::ConstantPad2d({1, 2, 3, 4}, 0.5)) ==
          "ConstantPad2d((1, 2, 3, 4), value=0.5)");
    CHECK(test::printed(nn::ReflectionPad2d(1)) == "ReflectionPad2d((1, 1, 1, 1))");
    CHECK(test::printed(nn::PixelShuffle(3)) == "PixelShuffle(upscale_factor=3)");
    CHECK(test::printed(nn::PixelUnshuffle(2)) == "PixelUnshuffle(downscale_factor=2)");
    CHECK(nn::ZeroPad2d(1).parameters().empty());
    CHECK_ERROR(ValueError, [] { nn::ReflectionPad2d(-1); }, {"ReflectionPad2d()", "-1"});
    CHECK_ERROR(ValueError,
                [] {
                    nn::ReplicationPad2d({0, 0, -2, 0});
                },
                {"ReplicationPad2d()", "-2"});
    CHECK_ERROR(ValueError, [] { nn::PixelShuffle(0); }, {"PixelShuffle()", "0"});
    CHECK_ERROR(ValueError, [] { nn::PixelUnshuffle(-1); }, {"PixelUnshuffle()", "-1"});
    CHECK_ERROR(ValueError, [&] { nn::ReflectionPad2d(3)(x); }, {"pad()", "reflect pad 3"});
}
