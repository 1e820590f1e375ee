// nn::Bilinear: parameters weight (out, in1, in2) and bias (out) under PyTorch's keys, PyTorch's
// U(-1/√in1, 1/√in1) initialisation, forward as functional::bilinear, printing, refusals.
#include "support.hpp"

#include <sstream>

#include "descent/nn/bilinear.hpp"
#include "descent/nn/functional/bilinear.hpp"

using namespace descent;

TEST_CASE("Bilinear: state-dict keys and shapes, PyTorch's initialisation bounds, forward") {
    manual_seed(0);
    nn::Bilinear bl(4, 9, 3);
    const auto sd = bl.state_dict();
    REQUIRE(sd.size() == 2);
    CHECK(sd[0].first == "weight");
    CHECK(sd[1].first == "bias");
    CHECK(bl.weight.shape() == Shape{3, 4, 9});
    CHECK(bl.bias.shape() == Shape{3});
    // U(-1/√in1, 1/√in1) = U(-0.5, 0.5) for both (not 1/√in2 = 1/3: some weight passes it).
    float wmax = 0;
    for (float v : bl.weight.to_vector<float>()) {
        CHECK(std::abs(v) <= 0.5f);
        wmax = std::max(wmax, std::abs(v));
    }
    CHECK(wmax > 1.0f / 3.0f);
    for (float v : bl.bias.to_vector<float>()) CHECK(std::abs(v) <= 0.5f);
    const Tensor x1 = test::input({2, 5, 4}, 1), x2 = test::input({2, 5, 9}, 2);
    const Tensor y = bl.forward(x1, x2);
    CHECK(y.shape() == Shape{2, 5, 3});
    CHECK(allclose(y, nn::functional::bilinear(x1, x2, bl.weight, bl.bias)));
    y.sum().backward();
    CHECK(bl.weight.grad().defined());
    CHECK(bl.bias.grad().defined());
    nn::Bilinear nobias(2, 3, 4, false);
    CHECK_FALSE(nobias.bias.defined());
    CHECK(nobias.state_dict().size() == 1);
    std::ostringstream s;
    s << bl << " " << nobias;
    CHECK(s.str() == "Bilinear(in1_features=4, in2_features=9, out_features=3, bias=true) "
                     "Bilinear(in1_features=2, in2_features=3, out_features=4, bias=false)");
}

TEST_CASE("Bilinear refuses feature counts <= 0, mismatched inputs and a single input") {
    CHECK_ERROR(ValueError, [] { nn::Bilinear(0, 3, 4); },
                {"Bilinear()", "must be > 0", "0, 3 and 4"});
    nn::Bilinear bl(4, 9, 3);
    CHECK_ERROR(ShapeError, [&] { bl.forward(ones({2, 5}), ones({2, 9})); },
                {"Bilinear: input1 (2, 5) has 5 features", "in1_features 4"});
    CHECK_ERROR(ShapeError, [&] { bl.forward(ones({2, 4}), ones({2, 8})); },
                {"Bilinear: input2 (2, 8) has 8 features", "in2_features 9"});
    CHECK_ERROR(ValueError, [&] { bl(ones({2, 4})); }, {"Bilinear", "forward(input1, input2)"});
}
