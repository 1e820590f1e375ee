// ConvTranspose2d: parameter shapes, PyTorch's initialisation bounds and state-dict keys, printing,
// forward with and without output_size, refusals at construction and on a bad input.
#include "support.hpp"

#include <cmath>
#include <sstream>

using namespace descent;
using nn::functional::Size2;

TEST_CASE("ConvTranspose2d: parameters, PyTorch's initialisation bounds, state dict, printing") {
    manual_seed(0);
    nn::ConvTranspose2d up(16, 6, 5);
    CHECK(up.weight.shape() == Shape{16, 6, 5, 5});
    CHECK(up.bias.shape() == Shape{6});
    // weight and bias in U(-1/√fan_in, 1/√fan_in), fan_in = weight.size(1)·5·5 = 150 (PyTorch's)
    const float bound = 1.0f / std::sqrt(150.0f);
    CHECK(up.weight.abs().max().item() <= bound);
    CHECK(up.weight.abs().max().item() > 0.9f * bound);
    CHECK(up.bias.abs().max().item() <= bound);
    CHECK(up(zeros({2, 16, 10, 10})).shape() == Shape{2, 6, 14, 14});
    // torch: ConvTranspose2d(6, 4, (3, 2), stride=2, groups=2).state_dict():
    // {'weight': (6, 2, 3, 2), 'bias': (4,)}
    nn::ConvTranspose2d grouped(6, 4, Size2{3, 2}, 2, 0, 0, 2);
    std::vector<std::string> keys;
    for (const auto& entry : grouped.state_dict()) keys.push_back(entry.first);
    CHECK(keys == std::vector<std::string>{"weight", "bias"});
    CHECK(grouped.weight.shape() == Shape{6, 2, 3, 2});
    std::ostringstream s;
    s << nn::ConvTranspose2d(8, 4, 3, 2, 1, 1, 1, false);
    CHECK(s.str() ==
          "ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), "
          "output_padding=(1, 1), bias=false)");
}

TEST_CASE("ConvTranspose2d: forward is conv_transpose2d, output_size picks the output_padding") {
    nn::ConvTranspose2d up(4, 3, 3, 2, 1);
    const Tensor x = sin(arange(72)).reshape({2, 4, 3, 3});
    CHECK(up(x).shape() == Shape{2, 3, 5, 5});
    const Tensor y = up.forward(x, {6, 6});
    CHECK(y.shape() == Shape{2, 3, 6, 6});
    CHECK(equal(y, nn::functional::conv_transpose2d(x, up.weight, up.bias, 2, 1, 1)));
    CHECK(up.forward(x, {2, 3, 5, 6}).shape() == Shape{2, 3, 5, 6});
    CHECK_ERROR(ValueError,
                [&] {
                    up.forward(x, {7, 6});
                },
                {"ConvTranspose2d", "output size of (7, 6)", "range from 5 to 6"});
    CHECK_ERROR(ValueError, [&] { up.forward(x, {4, 6}); }, {"ConvTranspose2d", "from 5 to 6"});
}

TEST_CASE("ConvTranspose2d refuses bad arguments and names itself on a bad input") {
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(4, 6, 3, 1, 0, 0, 4); },
                {"ConvTranspose2d()", "groups 4", "out_channels 6"});
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(3, 6, 3, 2, 0, 2); },
                {"ConvTranspose2d()", "output_padding (2, 2)", "stride (2, 2)"});
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(3, 6, 3, 1, 0, 0, 1, true, 0); },
                {"ConvTranspose2d()", "dilation must be > 0"});
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(3, 6, 3, 0); },
                {"ConvTranspose2d()", "stride must be > 0"});
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(3, 6, 0); },
                {"ConvTranspose2d()", "kernel_size"});
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(3, 6, 3, 1, -1); },
                {"ConvTranspose2d()", "padding must be >= 0"});
    CHECK_ERROR(ValueError, [] { nn::ConvTranspose2d(0, 6, 3); },
                {"ConvTranspose2d()", "in_channels"});
    nn::ConvTranspose2d up(3, 6, 3, 1, 1, 0, 1, true, 2);  // output_padding < dilation is fine
    CHECK(up(zeros({1, 3, 4, 4})).shape() == Shape{1, 6, 6, 6});
    CHECK_ERROR(ShapeError,
                [&] {
                    up(zeros({1, 4, 4, 4}));
                },
                {"ConvTranspose2d: expected input (N, 3, H, W), got (1, 4, 4, 4)"});
}
