// Conv1d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d: registration, PyTorch's initialisation bounds,
// forward through the functional forms, printing, errors.
#include "support.hpp"

#include <cmath>

#include "descent/nn/conv_pool1d.hpp"

using namespace descent;
using namespace descent::nn::functional;

TEST_CASE("Conv1d and the 1-D pooling layers") {
    nn::Conv1d conv(4, 6, 3, 1, 1, 1, 2);
    CHECK(conv.weight.shape() == Shape{6, 2, 3});
    CHECK(conv.bias.shape() == Shape{6});
    CHECK(conv.named_parameters()[0].first == "weight");
    CHECK(conv.named_parameters()[1].first == "bias");
    // PyTorch's init: |w|, |b| <= 1/√(in/groups · k) = 1/√6
    CHECK(max(abs(conv.weight)).item() <= 1 / std::sqrt(6.0f));
    CHECK(max(abs(conv.bias)).item() <= 1 / std::sqrt(6.0f));
    const Tensor x = test::input({2, 4, 9}, 66).detach();
    CHECK(equal(conv(x), conv1d(x, conv.weight, conv.bias, 1, 1, 1, 2)));
    CHECK(conv(x).shape() == Shape{2, 6, 9});
    CHECK(equal(nn::MaxPool1d(3, 2, 1)(x), max_pool1d(x, 3, 2, 1)));
    CHECK(equal(nn::AvgPool1d(2)(x), avg_pool1d(x, 2)));
    CHECK(equal(nn::AdaptiveAvgPool1d(2)(x), adaptive_avg_pool1d(x, 2)));
    CHECK(test::printed(conv) ==
          "Conv1d(4, 6, kernel_size=(3,), stride=(1,), padding=(1,), groups=2)");
    CHECK(test::printed(nn::Conv1d(1, 2, 5, 2, 0, 1, 1, false)) ==
          "Conv1d(1, 2, kernel_size=(5,), stride=(2,), bias=false)");
    CHECK(test::printed(nn::MaxPool1d(3)) == "MaxPool1d(kernel_size=3, stride=3, padding=0)");
    CHECK(test::printed(nn::AvgPool1d(2, 1)) ==
          "AvgPool1d(kernel_size=2, stride=1, padding=0, count_include_pad=true)");
    CHECK(test::printed(nn::AdaptiveAvgPool1d(5)) == "AdaptiveAvgPool1d(output_size=5)");
}

TEST_CASE("the 1-D layers: constructor and call errors") {
    CHECK_ERROR(ValueError, [] { nn::Conv1d(3, 4, 3, 1, 0, 1, 2); }, {"Conv1d()", "groups 2"});
    CHECK_ERROR(ValueError, [] { nn::Conv1d(3, 4, 0); }, {"Conv1d()", "kernel_size", "0"});
    CHECK_ERROR(ValueError, [] { nn::Conv1d(3, 4, 3, 2, "same"); },
                {"Conv1d()", "same", "stride 1"});
    CHECK_ERROR(ValueError, [] { nn::Conv1d(3, 4, 3, 1, Padding(1, 2)); },
                {"Conv1d()", "one int", "(1, 2)"});
    CHECK_ERROR(ValueError, [] { nn::MaxPool1d(2, 0); }, {"MaxPool1d()", "stride"});
    CHECK_ERROR(ValueError, [] { nn::AvgPool1d(2, 1, 2); }, {"AvgPool1d()", "padding"});
    CHECK_ERROR(ValueError, [] { nn::AdaptiveAvgPool1d(0); }, {"AdaptiveAvgPool1d()", "0"});
    CHECK_ERROR(ShapeError, [] { nn::Conv1d(3, 4, 3)(zeros({2, 5, 8})); }, {"Conv1d"});
}
