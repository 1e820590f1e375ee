// nn::LayerNorm and functional::layer_norm: defaults, values and gradients against
// torch.nn.LayerNorm (tests/nn/seq_torch_reference.py), gradcheck, refused shapes.
#include "support.hpp"

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;

TEST_CASE("LayerNorm: weight ones, bias zeros, PyTorch's keys, without affine no parameters") {
    nn::LayerNorm ln({2, 3});
    const auto params = ln.named_parameters();
    REQUIRE(params.size() == 2);
    CHECK(params[0].first == "weight");
    CHECK(params[1].first == "bias");
    CHECK(equal(ln.weight, ones({2, 3})));
    CHECK(equal(ln.bias, zeros({2, 3})));
    nn::LayerNorm plain({4}, 1e-3, false);
    CHECK(plain.parameters().empty());
    // Each row normalised: mean 0, biased variance 1 (up to eps).
    const Tensor y = plain(tensor({1, 2, 3, 6, -1, -1, -1, 3}, {2, 4}));
    CHECK_VALUES(y.mean(1), {2}, {0, 0});
    CHECK_VALUES(y.var(1, false), {2}, {1, 1}, 1e-3);
}

TEST_CASE("LayerNorm: values and gradients match torch.nn.LayerNorm") {
    nn::LayerNorm ln({2, 3});
    {
        NoGradGuard no_grad;
        ln.weight.copy_(test::det({2, 3}, 1));
        ln.bias.copy_(test::det({2, 3}, 2));
    }
    const Tensor x = (test::det({2, 2, 3}, 3) * (test::iota({2, 2, 3}) + 1)).requires_grad_();
    const Tensor out = ln(x);
    CHECK_VALUES(out, {2, 2, 3},
                 {-0.06736073, 0.3348621, -0.01499719, 0.04451323, -0.9483399, -0.1675014,
                  0.1015522, 0.2681826, -0.8332148, 0.1238432, -0.09226844, 0.2265124});
    test::weighted(out, 4).backward();
    CHECK_VALUES(x.grad(), {2, 2, 3},
                 {-0.02187079, 0.005075146, 0.01690691, 0.0183534, 0.002794147, -0.02125881,
                  0.01288576, -0.02367852, 0.01876189, -0.01679878, -0.003514711, 0.01234436});
    CHECK_VALUES(ln.weight.grad(), {2, 3},
                 {0.1754407, -0.2364038, -0.6125901, 0.4677374, 0.4905115, 0.4233892});
    CHECK_VALUES(ln.bias.grad(), {2, 3}, {-0.05, -0.2, -0.35, 0.35, 0.2, 0.05});
}

TEST_CASE("layer_norm: gradients of first and second order") {
    const Tensor x = test::input({3, 2, 4}, 1), w = test::input({2, 4}, 2),
                 b = test::input({2, 4}, 3);
    auto f = [](const V& v) { return nn::functional::layer_norm(v[0], {2, 4}, v[1], v[2]); };
    CHECK_GRADIENTS(f, (V{x, w, b}));
    auto plain = [](const V& v) { return nn::functional::layer_norm(v[0], {4}); };
    CHECK_GRADIENTS(plain, V{x});
}

TEST_CASE("LayerNorm: refused shapes") {
    nn::LayerNorm ln({3});
    CHECK_ERROR(ShapeError,
                [&] {
                    ln(zeros({2, 4}));
                },
                {"layer_norm()", "(2, 4)", "normalized_shape (3)"});
    CHECK_ERROR(ShapeError,
                [] {
                    nn::functional::layer_norm(zeros({2, 3}), {3}, ones({2}));
                },
                {"layer_norm()", "weight", "(2)"});
    CHECK_ERROR(ValueError, [] { nn::LayerNorm({}); }, {"LayerNorm()", "normalized_shape"});
    CHECK_ERROR(ValueError, [] { nn::LayerNorm({3, 0}); }, {"LayerNorm()", "(3, 0)"});
}
