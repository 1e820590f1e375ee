// group_norm, instance_norm (and GroupNorm, InstanceNorm2d, BatchNorm2d without running
// statistics) against PyTorch's values (tests/nn/layers_torch_reference.py), gradients, gradcheck
// and gradgradcheck in float64, state-dict keys, refusals.
#include "support.hpp"

#include <sstream>

using namespace descent;
using namespace descent::nn::functional;
using V = std::vector<Tensor>;

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

TEST_CASE("group_norm and instance_norm match PyTorch") {
    // torch: group_norm 2 groups weight bias
    CHECK_DOUBLES(
        group_norm(XG(), 2, WG4(), BG4()), {2, 4, 3, 2},
        {0.027233549585256853,  1.8141342301661527,   1.9581666657356696,    0.3269080992708016,
         -1.579869866154963,    -2.009084362686297,   0.42203918721211886,   -0.24079117156396299,
         -0.4760597803728963,   -0.06746176527252644, 0.6093397430001565,    0.9320965589693175,
         -1.996813689159789,    0.7832022410541667,   2.440740598984075,     1.4518682624789583,
         -1.2742501026968092,   -3.2312338437395938,  -0.28998014177844694,  0.037227048536979335,
         0.3143845586960972,    0.28667505203595844,  -0.020425478809042576, -0.3245702220466714,
         -1.9651131449514607,   -0.2865360374254488,  1.6562007396654221,    2.076953952853482,
         0.5888850383364861,    -1.4398823064600388,  0.9480362469567113,    0.5254439096012515,
         -0.16595346383283688,  -0.4904883167526037,  -0.14978480205277045,  0.5429158400863955,
         -3.172836023938732,    -2.193482556552479,   0.44980653742307947,   2.326803455139027,
         1.7118058866621029,    -0.8297602397566071,  -0.3326488435650566,   -0.30285728243341986,
         -0.004235570488269192, 0.28866486747260667,  0.3065527195675545,    0.032981977074535686});
    // torch: instance_norm
    CHECK_DOUBLES(
        instance_norm(XG()), {2, 4, 3, 2},
        {-0.0412341742014096,   1.1405449892322326,   1.2358018398588264,   0.15695766851175544,
         -1.104103169017288,    -1.3879671543841166,  -0.45472657165850805, 0.8818164876142479,
         1.3562163427279508,    0.5323119546980851,   -0.8324027817504478,  -1.483215431631328,
         -0.8431332184869954,   0.5418377067658159,   1.3676036343184446,   0.8749591785936901,
         -0.4831606197614174,   -1.458106681429538,   -1.1663910465214908,  0.14723915593794576,
         1.2599362083239325,    1.1486915721381576,   -0.0842169471411022,  -1.305258942737443,
         -1.3876255880404413,   -0.26249808213422804, 1.0396920733493824,   1.3217172548163416,
         0.3242848110516881,    -1.0355704690427427,  -1.4847246699511665,  -0.6440459736349972,
         0.7313766054215793,    1.3769858911201538,   0.6992116835692221,   -0.6788035365247913,
         -1.4554416365466052,   -0.9619234549970503,  0.37008921500465236,  1.3159500675500924,
         1.006038996869801,     -0.27471318788088983, -1.312837817864499,   -1.194578025602298,
         -0.009177184620045612, 1.1535126386392394,   1.2245197826898098,   0.13856060675779366});
    Tensor x = XG().requires_grad_(), w = WG4().requires_grad_(), b = BG4().requires_grad_();
    (group_norm(x, 2, w, b) * cos(arange(48, kFloat64)).reshape({2, 4, 3, 2})).sum().backward();
    // torch: group_norm grad x (weighted by cos(arange(48)))
    CHECK_DOUBLES(
        x.grad(), {2, 4, 3, 2},
        {2.1561840320156938,  1.1465528038498176,   -0.8872047111031305,  -2.075261232748725,
         -1.3253230740893691, 0.6731200803205387,   -0.6359096874973507,  -0.5271190963638608,
         0.09631143450559132, 0.6612027501268283,   0.648196380047459,    0.0692503209365069,
         2.513394722459375,   2.640199741889881,    0.36616728444866964,  -2.217967695730795,
         -2.736363415220551,  -0.7124092402260647,  0.3142236669282393,   0.3789072378828914,
         0.12177523166517275, -0.22076637103334779, -0.33378640040318686, -0.11337476266028414,
         0.9109529953926109,  2.1479247157495815,   1.4075133494291951,   -0.6295503079555448,
         -2.090399324205481,  -1.6319358508308286,  -0.12214958983638434, -0.6679015221683912,
         -0.6021788838839889, 0.014593234473618301, 0.6153573916768008,   0.6477737921588117,
         -0.5057189841557949, 2.0375134644691126,   2.654010543853844,    0.7769676823340242,
         -1.867870569635687,  -2.848852120490857,   -0.27980212204860133, 0.06344400092575013,
         0.29490511555392973, 0.20177694048440872,  -0.1303189096064789,  -0.39605504168365113});
    // torch: group_norm grad weight
    CHECK_DOUBLES(
        w.grad(), {4},
        {0.13776035068195516, 0.02678791069207789, -0.074647885320499, -0.17161700306019});
    // torch: group_norm grad bias
    CHECK_DOUBLES(
        b.grad(), {4},
        {-0.1763195258871259, -0.03952564468856737, 0.10041682670580182, 0.23236015125382692});
}

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

TEST_CASE("group_norm and instance_norm: gradcheck and gradgradcheck in float64") {
    const Tensor x = test::input({2, 4, 3, 2}, 81);
    CHECK_GRADIENTS([](const V& v) { return group_norm(v[0], 2, v[1], v[2]); },
                    (V{x, test::input({4}, 82), test::input({4}, 83)}));
    CHECK_GRADIENTS([](const V& v) { return instance_norm(v[0]); }, V{x});
}

TEST_CASE("group_norm, GroupNorm, InstanceNorm2d: refusals") {
    CHECK_ERROR(ValueError, [] { nn::GroupNorm(3, 4); },
                {"GroupNorm()", "num_channels 4", "num_groups 3"});
    CHECK_ERROR(ValueError, [] { nn::GroupNorm(0, 4); }, {"GroupNorm()", "num_groups 0"});
    CHECK_ERROR(ValueError, [] { nn::GroupNorm(2, 4, -1.0); }, {"GroupNorm()", "eps"});
    CHECK_ERROR(ValueError, [] { group_norm(XG(), 3); },
                {"group_norm()", "num_groups 3", "channels 4"});
    CHECK_ERROR(ShapeError, [] { group_norm(XG(), 2, ones({3}, kFloat64)); },
                {"group_norm()", "expected weight (4)", "(3)"});
    CHECK_ERROR(ShapeError, [] { group_norm(XG(), 2, Tensor(), ones({5}, kFloat64)); },
                {"group_norm()", "expected bias (4)", "(5)"});
    CHECK_ERROR(ShapeError, [] { group_norm(ones({4}), 2); }, {"group_norm()", "(N, C, *)"});
    CHECK_ERROR(TypeError, [] { group_norm(ones({2, 4}, kInt64), 2); }, {"group_norm()", "int64"});
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
    CHECK_ERROR(ShapeError, [] { instance_norm(ones({4})); }, {"instance_norm()", "(N, C, *)"});
}
