// nn::GroupNorm and nn::InstanceNorm2d (and BatchNorm2d without running statistics) as PyTorch's:
// state-dict keys, initial values, forward against functional::group_norm / instance_norm (whose
// values are PyTorch's: tests/nn/functional/test_group_norm.cpp) and BatchNorm2d against PyTorch's
// values (tests/nn/layers_torch_reference.py), printing, refusals.
#include "support.hpp"

#include <sstream>

using namespace descent;
using namespace descent::nn::functional;

namespace {

// torch: XG = sin(arange(48.)).reshape(2, 4, 3, 2), WG4 = [1.5, -0.5, 2, 0.25],
// BG4 = [0.1, 0.2, -0.3, 0], all float64
Tensor XG() { return sin(arange(48, kFloat64)).reshape({2, 4, 3, 2}); }
Tensor WG4() { return tensor(std::vector<double>{1.5, -0.5, 2.0, 0.25}, {4}, kFloat64); }
Tensor BG4() { return tensor(std::vector<double>{0.1, 0.2, -0.3, 0.0}, {4}, kFloat64); }

std::vector<std::string> keys(nn::Module& m) {
    std::vector<std::string> out;
    for (const auto& entry : m.state_dict()) out.push_back(entry.first);
    return out;
}

}  // namespace

TEST_CASE("GroupNorm, InstanceNorm2d and BatchNorm2d(track_running_stats = false) as PyTorch's") {
    nn::GroupNorm gn(2, 4);
    CHECK(keys(gn) == std::vector<std::string>{"weight", "bias"});
    CHECK(equal(gn.weight, ones({4})));
    CHECK(equal(gn.bias, zeros({4})));
    {
        NoGradGuard no_grad;
        gn.weight.copy_(WG4());
        gn.bias.copy_(BG4());
    }
    CHECK(allclose(gn(XG().to(kFloat32)), group_norm(XG(), 2, WG4(), BG4()).to(kFloat32), 1e-5,
                   1e-6));
    nn::GroupNorm plain(2, 4, 1e-5, false);
    CHECK(plain.state_dict().empty());
    std::ostringstream s;
    s << gn;
    CHECK(s.str() == "GroupNorm(2, 4, eps=1e-05, affine=true)");

    nn::InstanceNorm2d in(4);  // torch: InstanceNorm2d(4).state_dict() is empty
    CHECK(in.state_dict().empty());
    nn::InstanceNorm2d in_affine(4, 1e-5, 0.1, true);
    CHECK(keys(in_affine) == std::vector<std::string>{"weight", "bias"});
    const Tensor xf = XG().to(kFloat32);
    in.eval();  // batch statistics in eval too
    CHECK(allclose(in(xf), instance_norm(XG()).to(kFloat32), 1e-5, 1e-6));
    CHECK(allclose(in(xf.select(0, 1)), instance_norm(XG()).to(kFloat32).select(0, 1), 1e-5, 1e-6));

    // torch: BatchNorm2d(4, track_running_stats=False).eval() keeps no buffers and normalises by
    // the batch: its state dict is ['weight', 'bias']
    nn::BatchNorm2d bn(4, 1e-5f, 0.1f, true, false);
    CHECK(keys(bn) == std::vector<std::string>{"weight", "bias"});
    bn.eval();
    const Tensor y = bn(xf);
    bn.train();
    CHECK(equal(y, bn(xf)));
    // torch: BatchNorm2d(4, track_running_stats=False) in eval
    CHECK_DOUBLES(
        y.to(kFloat64), {2, 4, 3, 2},
        {-0.05530536194571838,  1.1471253269710713,   1.244046785790996,    0.1463498722512251,
         -1.136747933628456,    -1.4255724264309704,  -0.4596600337260438,  0.8825598259267523,
         1.358974635410325,     0.5315708159849382,   -0.8389403765379191,  -1.4925172721889197,
         -0.8264893851699894,   0.5436587138849251,   1.360586777334361,    0.8732149110996945,
         -0.4703694386334387,   -1.4348810169770863,  -1.122743358068127,   0.16149706880649736,
         1.2492998118181409,    1.1405440457012734,   -0.06478067972916955, -1.2585043705522034,
         -1.3493431046069841,   -0.2444310821697374,  1.034362255243527,    1.311320210672682,
         0.3318089171532133,    -1.003613459300848,   -1.4753760815390433,  -0.6382909032778992,
         0.7312523714822945,    1.374101971899422,    0.6992249400028009,   -0.6728998934367078,
         -1.4783901905858483,   -0.9796743606132756,  0.3663668372370587,   1.3221893332485832,
         1.0090143325895837,    -0.28522651341456806, -1.358723188380075,   -1.2379111476555216,
         -0.026927330280410274, 1.1608553267885857,   1.2333949263826034,   0.1239988951684058},
        1e-5);
}

TEST_CASE("GroupNorm, InstanceNorm2d: refusals naming the layer") {
    CHECK_ERROR(ValueError, [] { nn::GroupNorm(3, 4); },
                {"GroupNorm()", "num_channels 4", "num_groups 3"});
    CHECK_ERROR(ValueError, [] { nn::GroupNorm(0, 4); }, {"GroupNorm()", "num_groups 0"});
    CHECK_ERROR(ValueError, [] { nn::GroupNorm(2, 4, -1.0); }, {"GroupNorm()", "eps"});
    nn::GroupNorm gn(2, 4);
    CHECK_ERROR(ShapeError,
                [&] {
                    gn(ones({2, 6, 3}));
                },
                {"GroupNorm: expected input (N, 4, *)", "(2, 6, 3)"});
    CHECK_ERROR(ValueError, [] { nn::InstanceNorm2d(4, 1e-5, 0.1, false, true); },
                {"InstanceNorm2d()", "track_running_stats"});
    CHECK_ERROR(ValueError, [] { nn::InstanceNorm2d(0); }, {"InstanceNorm2d()", "num_features"});
    nn::InstanceNorm2d in(4);
    CHECK_ERROR(ShapeError,
                [&] {
                    in(ones({2, 3, 5, 5}));
                },
                {"InstanceNorm2d: expected input (N, 4, H, W)", "(2, 3, 5, 5)"});
}
