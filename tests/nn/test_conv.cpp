// Conv2d and the pooling layers: parameter shapes and PyTorch's initialisation bounds, printing,
// argument errors at construction and input errors naming the layer, and a LeNet that trains.
#include "support.hpp"

#include <cmath>

using namespace descent;
using nn::functional::Size2;

TEST_CASE("Conv2d: parameters, PyTorch's initialisation bounds, forward and printing") {
    manual_seed(0);
    nn::Conv2d conv(6, 16, 5);
    CHECK(conv.weight.shape() == Shape{16, 6, 5, 5});
    CHECK(conv.bias.shape() == Shape{16});
    CHECK(conv.parameters().size() == 2);
    // weight and bias in U(-1/√fan_in, 1/√fan_in), fan_in = 6·5·5: filled, not degenerate.
    const float bound = 1.0f / std::sqrt(150.0f);
    CHECK(conv.weight.abs().max().item() <= bound);
    CHECK(conv.weight.abs().max().item() > 0.9f * bound);
    CHECK(conv.bias.abs().max().item() <= bound);
    CHECK(conv(zeros({2, 6, 14, 14})).shape() == Shape{2, 16, 10, 10});
    std::ostringstream s;
    s << nn::Conv2d(1, 6, 5, 1, 2);
    CHECK(s.str().find("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))") !=
          std::string::npos);

    nn::Conv2d grouped(4, 8, Size2{3, 1}, 2, 1, 1, 2, false);
    CHECK(grouped.weight.shape() == Shape{8, 2, 3, 1});
    CHECK_FALSE(grouped.bias.defined());
    CHECK(grouped.parameters().size() == 1);
    nn::Conv2d same(3, 4, 4, 1, "same");
    CHECK(same(zeros({1, 3, 7, 9})).shape() == Shape{1, 4, 7, 9});
}

TEST_CASE("Conv2d refuses bad arguments and names itself on a bad input") {
    CHECK_ERROR(ValueError, [] { nn::Conv2d(4, 6, 3, 1, 0, 1, 4); },
                {"Conv2d()", "groups 4", "out_channels 6"});
    CHECK_ERROR(ValueError, [] { nn::Conv2d(3, 6, 3, 0); }, {"Conv2d()", "stride must be > 0"});
    CHECK_ERROR(ValueError, [] { nn::Conv2d(3, 6, 0); }, {"Conv2d()", "kernel_size"});
    CHECK_ERROR(ValueError, [] { nn::Conv2d(3, 6, 3, 2, "same"); }, {"Conv2d()", "stride 1"});
    CHECK_ERROR(ValueError, [] { nn::Conv2d(0, 6, 3); }, {"Conv2d()", "in_channels"});
    nn::Conv2d conv(3, 6, 5);
    CHECK_ERROR(ShapeError,
                [&] {
                    conv(zeros({8, 1, 28, 28}));
                },
                {"Conv2d: expected input (N, 3, H, W), got (8, 1, 28, 28)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    conv(zeros({8, 3, 4, 28}));
                },
                {"Conv2d", "larger than the padded input 4x28"});
}

TEST_CASE("pooling layers: defaults, printing, errors naming the layer") {
    nn::MaxPool2d pool(2);
    CHECK(pool.stride.h == 2);
    CHECK(pool(zeros({1, 2, 5, 5})).shape() == Shape{1, 2, 2, 2});
    CHECK(nn::AvgPool2d(3, 1, 1)(zeros({1, 2, 5, 5})).shape() == Shape{1, 2, 5, 5});
    CHECK(nn::AdaptiveAvgPool2d({1, 1})(zeros({3, 2, 5, 7})).shape() == Shape{3, 2, 1, 1});
    std::ostringstream s;
    s << pool;
    CHECK(s.str().find("MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))") !=
          std::string::npos);
    CHECK_ERROR(ValueError, [] { nn::MaxPool2d(2, 0); }, {"MaxPool2d()", "stride"});
    CHECK_ERROR(ValueError, [] { nn::AvgPool2d(2, 2, 3); }, {"AvgPool2d()", "padding"});
    CHECK_ERROR(ValueError, [] { nn::AdaptiveAvgPool2d(0); }, {"AdaptiveAvgPool2d()"});
    CHECK_ERROR(ShapeError,
                [&] {
                    pool(zeros({2, 5, 5}));
                },
                {"MaxPool2d: expected input (N, C, H, W), got (2, 5, 5)"});
}

TEST_CASE("a LeNet of Conv2d, ReLU, MaxPool2d and Linear fits a small batch") {
    manual_seed(1);
    nn::Sequential net(nn::Conv2d(1, 6, 5, 1, 2), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Conv2d(6, 16, 5), nn::ReLU(), nn::MaxPool2d(2), nn::Flatten(),
                       nn::Linear(400, 120), nn::ReLU(), nn::Linear(120, 84), nn::ReLU(),
                       nn::Linear(84, 10));
    const Tensor x = rand({8, 1, 28, 28});
    const std::vector<int64_t> y = {0, 1, 2, 3, 4, 5, 6, 7};
    optim::Adam opt(net.parameters(), optim::AdamOptions(2e-3));
    float first = 0, last = 0;
    for (int step = 0; step < 60; ++step) {
        Tensor loss = nn::functional::cross_entropy(net(x), y);
        opt.zero_grad();
        loss.backward();
        opt.step();
        (step == 0 ? first : last) = loss.item();
    }
    CHECK(last < 0.5f * first);
}
