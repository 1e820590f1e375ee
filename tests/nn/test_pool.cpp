// nn::AdaptiveMaxPool2d: forward and forward_with_indices as functional::adaptive_max_pool2d, no
// parameters, printing, refusals naming the layer. (MaxPool2d, AvgPool2d, AdaptiveAvgPool2d:
// tests/nn/test_conv.cpp.)
#include "support.hpp"

#include <sstream>

#include "descent/nn/pool.hpp"

using namespace descent;

TEST_CASE("AdaptiveMaxPool2d: forward, forward_with_indices, no parameters, printing") {
    nn::AdaptiveMaxPool2d pool({2, 3});
    const Tensor x = test::iota({2, 3, 4, 6});
    const Tensor y = pool(x);
    CHECK(y.shape() == Shape{2, 3, 2, 3});
    // iota increases along rows and columns: each window's maximum is its bottom-right pixel.
    CHECK_VALUES(y.narrow(0, 0, 1).narrow(1, 0, 1), {1, 1, 2, 3}, {7, 9, 11, 19, 21, 23});
    auto [y2, idx] = pool.forward_with_indices(x);
    CHECK(equal(y2, y));
    CHECK(idx.dtype() == kInt64);
    CHECK_VALUES(idx.narrow(0, 1, 1).narrow(1, 2, 1), {1, 1, 2, 3}, {7, 9, 11, 19, 21, 23});
    CHECK(equal(y, nn::functional::adaptive_max_pool2d(x, {2, 3})));
    CHECK(pool.parameters().empty());
    std::ostringstream s;
    s << nn::AdaptiveMaxPool2d(4);
    CHECK(s.str() == "AdaptiveMaxPool2d(output_size=(4, 4))");
}

TEST_CASE("AdaptiveMaxPool2d refuses output_size <= 0 and a wrong rank, naming itself") {
    CHECK_ERROR(ValueError, [] { nn::AdaptiveMaxPool2d({0, 2}); },
                {"AdaptiveMaxPool2d()", "output_size must be > 0", "(0, 2)"});
    nn::AdaptiveMaxPool2d pool(2);
    CHECK_ERROR(ShapeError, [&] { pool(zeros({2, 5, 5})); },
                {"AdaptiveMaxPool2d: expected input (N, C, H, W), got (2, 5, 5)"});
}
