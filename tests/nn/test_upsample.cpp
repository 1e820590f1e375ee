// nn::Upsample: forward as interpolate (against PyTorch's nn.Upsample), no parameters, printing,
// the options refused at construction and a rank refused naming the layer.
#include "support.hpp"
#include "support_float64.hpp"

#include <sstream>

#include "descent/nn/upsample.hpp"

using namespace descent;
using nn::Upsample;
using nn::UpsampleOptions;

namespace {
using test::ramp;  // tests/support_float64.hpp
}  // namespace

TEST_CASE("Upsample matches PyTorch's nn.Upsample, has no parameters and prints its options") {
    const Tensor x = ramp({1, 2, 3, 4});
    // torch: nn.Upsample(scale_factor=2, mode="bilinear")(X)
    Upsample up(UpsampleOptions().scale_factor({2.0}).mode("bilinear"));
    CHECK_F64(up(x), {1, 2, 6, 8},
              {0.0, 1.775, 5.324999999999999, 8.875, 12.424999999999999, 15.975, 19.525000000000002,
               21.3, 1.1, 2.875, 6.424999999999999, 9.975, 13.525, 15.575, 16.125,
               16.400000000000002, 3.3000000000000003, 5.075, 8.625, 12.175, 15.725000000000001,
               14.775000000000002, 9.325000000000001, 6.6000000000000005, 5.5, 7.275, 10.825,
               14.375, 17.925000000000004, 15.475000000000001, 7.025, 2.8, 7.700000000000001,
               9.475000000000001, 13.025, 16.575000000000003, 20.125, 17.675, 9.225,
               4.999999999999999, 8.8, 10.575000000000001, 14.125, 17.675, 21.225, 18.775, 10.325,
               6.1, 13.2, 14.975, 18.525000000000002, 16.075, 7.625, 5.175000000000001, 8.725, 10.5,
               14.3, 16.075, 19.625, 17.174999999999997, 8.725, 6.275, 9.825, 11.6, 16.5, 18.275,
               21.825, 19.375, 10.924999999999999, 8.475, 12.025, 13.8, 18.700000000000003, 18.975,
               19.525, 17.075, 11.624999999999998, 10.674999999999999, 14.225000000000001, 16.0,
               20.9, 18.174999999999997, 12.724999999999998, 10.274999999999999, 10.825, 12.875,
               16.425, 18.200000000000003, 22.0, 17.775, 9.325, 6.875, 10.424999999999999, 13.975,
               17.525000000000002, 19.3});
    // torch: nn.Upsample(size=(4, 6))(X): mode nearest by default
    Upsample near(UpsampleOptions().size({4, 6}));
    CHECK_F64(near(x), {1, 2, 4, 6},
              {0.0, 0.0, 7.1, 14.2, 14.2, 21.3, 0.0, 0.0, 7.1, 14.2, 14.2, 21.3, 4.4, 4.4, 11.5,
               18.6, 18.6, 1.7000000000000002, 8.8, 8.8, 15.9, 23.0, 23.0, 6.1, 13.2, 13.2, 20.3,
               3.4000000000000004, 3.4000000000000004, 10.5, 13.2, 13.2, 20.3, 3.4000000000000004,
               3.4000000000000004, 10.5, 17.6, 17.6, 24.7, 7.8, 7.8, 14.9, 22.0, 22.0, 5.1, 12.2,
               12.2, 19.3});
    CHECK(up.parameters().empty());
    CHECK(up.state_dict().empty());
    std::ostringstream a, b, c;
    a << up;
    b << near;
    c << Upsample(UpsampleOptions().scale_factor({2.0, 3.0}).mode("bilinear").align_corners(true));
    CHECK(a.str() == "Upsample(scale_factor=2, mode=bilinear)");
    CHECK(b.str() == "Upsample(size=(4, 6), mode=nearest)");
    CHECK(c.str() == "Upsample(scale_factor=(2, 3), mode=bilinear, align_corners=true)");
    // The gradient flows through (interpolate's, tested in float64 there).
    const Tensor xs = test::input({1, 1, 2, 2}, 3);
    up(xs).sum().backward();
    CHECK_VALUES(xs.grad(), {1, 1, 2, 2}, {4, 4, 4, 4});
}

TEST_CASE("Upsample refuses its options at construction, naming itself") {
    CHECK_ERROR(ValueError, [] { Upsample{UpsampleOptions()}; },
                {"Upsample()", "one of size and scale_factor", "neither"});
    CHECK_ERROR(ValueError,
                [] { Upsample(UpsampleOptions().size({2}).scale_factor({2.0})); },
                {"Upsample()", "only one of size and scale_factor", "both"});
    CHECK_ERROR(ValueError, [] { Upsample(UpsampleOptions().size({2}).mode("area")); },
                {"Upsample()", "'area' is not implemented"});
    CHECK_ERROR(ValueError, [] { Upsample(UpsampleOptions().size({2}).align_corners(true)); },
                {"Upsample()", "align_corners", "nearest"});
}

TEST_CASE("Upsample refuses an input of the wrong rank, naming itself") {
    Upsample up(UpsampleOptions().scale_factor({2.0}).mode("bilinear"));
    CHECK_ERROR(ShapeError, [&] { up(ramp({1, 2, 4})); },
                {"Upsample: mode bilinear needs input (N, C, H, W)", "(1, 2, 4)"});
}
