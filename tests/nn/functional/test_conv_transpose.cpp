// conv_transpose2d against PyTorch's values (tests/nn/layers_torch_reference.py): strides, padding,
// output_padding (also >= the stride, below the dilation), groups, dilation; its gradients; every
// order of derivative in float64; the refusals.
#include "support.hpp"

#include "descent/nn/functional/conv.hpp"
#include "descent/nn/functional/conv_transpose.hpp"

using namespace descent;
using namespace descent::nn::functional;
using V = std::vector<Tensor>;

namespace {

// torch: XT = sin(arange(36.)).reshape(1, 4, 3, 3), WT = cos(arange(108.)).reshape(4, 3, 3, 3) *
// 0.5, BT = [0.1, -0.2, 0.3], WT2 = cos(arange(16.)).reshape(4, 1, 2, 2), all float64
Tensor XT() { return sin(arange(36, kFloat64)).reshape({1, 4, 3, 3}); }
Tensor WT() { return (cos(arange(108, kFloat64)) * 0.5).reshape({4, 3, 3, 3}); }
Tensor BT() { return tensor(std::vector<double>{0.1, -0.2, 0.3}, {3}, kFloat64); }
Tensor WT2() { return cos(arange(16, kFloat64)).reshape({4, 1, 2, 2}); }

}  // namespace

TEST_CASE("conv_transpose2d matches PyTorch") {
    // torch: conv_transpose2d stride 2 padding 1 output_padding 1
    CHECK_DOUBLES(
        conv_transpose2d(XT(), WT(), BT(), 2, 1, 1), {1, 3, 6, 6},
        {-0.2269773265656965,   -0.1052042266873651,  -0.5482361197270402,    -0.00814344598670555,
         -0.2735096139053742,   -0.41280031668009587, 0.33642633711410835,    0.13020929297637915,
         0.16541034539122249,   0.11054930137077887,  -0.06574361622909061,   0.1606488831828505,
         0.3446199084130558,    0.30360829360078645,  0.7378470150590285,     0.2316761408276867,
         0.5446405176419505,    0.5976497498037123,   -0.14451366145422567,   0.06912488327674718,
         0.001521026029130873,  0.08544587574547666,  0.2380968280222476,     0.003476439020201033,
         -0.057366421130330275, -0.09793713913343335, -0.514691398047819,     -0.05257333681472118,
         -0.4068719383947639,   -0.3725387198014325,  0.3352747752717331,     0.3076767348878563,
         0.7512605894874209,    0.2689296187845905,   0.5684804211704619,     0.6099976850715773,
         0.32057430726834485,   0.031032995927609996, 0.45572439158105155,    -0.05331823136738173,
         -0.01199550569789476,  0.3144614871652078,   -0.37521259974382376,   -0.2082265839469312,
         -0.15431855482295537,  -0.1931445116578046,  0.02457618007291626,    -0.1580357066458431,
         -0.6525658680110495,   -0.4250558602212141,  -0.8770492583892777,    -0.3706684001677505,
         -0.47905668297703197,  -0.739503505796322,   -0.0030033893041342408, -0.18996060667909612,
         -0.21170073405854722,  -0.20478604154360863, -0.40964047788023156,   -0.20523060306232283,
         0.17549931982846817,   0.014574229942311223, 0.4848229796875107,     -0.008760897486867564,
         0.1645235502448364,    0.35374735809077934,  -0.6350089150310956,    -0.41159407583193186,
         -0.8811444269799493,   -0.3967457798032935,  -0.501038894021903,     -0.7591624158368984,
         -0.3216446832579863,   0.08420191852031547,  -0.24666455352378763,   0.1408510494508156,
         0.3309164456474273,    -0.12468254238073667, 0.38285666666606205,    0.2847816861955881,
         0.15134616039391535,   0.27695821285207706,  0.056507308703297565,   0.16288124162999285,
         0.8800730072688916,    0.5065021161232854,   0.8959131211510691,     0.4793261474528761,
         0.3638734596411142,    0.7854661912440959,   0.1855345144667898,     0.312580726591976,
         0.41980075974488335,   0.3232755388245618,   0.5439227390030411,     0.4060550824557768,
         -0.22689116609533017,  0.10692699049135151,  -0.333234483606834,     0.10408586970395933,
         0.14261506279934386,   -0.2365332309889671,  0.8574247980771694,     0.4779027965641321,
         0.8899620107836379,    0.4895924489691689,   0.38009087152483834,    0.8089419116835064});
    // torch: conv_transpose2d groups 2 dilation 2 padding 1 no bias
    CHECK_DOUBLES(
        conv_transpose2d(XT(), WT2(), Tensor(), 1, 1, 0, 2, 2), {1, 2, 3, 3},
        {-1.0314419986268284, -1.6823864343151687, -0.2897166333757828, -0.02735562927812596,
         0.623397740406681, -0.9698846127717455, 0.7183728685042486, 0.8059737704652769,
         1.0659936680276936, -0.33966090068181876, -1.0704397029671793, -0.3585779650813433,
         0.37701090769707063, -0.3264499661523691, 0.39556352373240056, -0.04782010205209143,
         1.5397384664272986, 0.3069033422701538});
    // torch: conv_transpose2d groups 2 dilation 2 padding 1 output_padding 1 (>= stride)
    CHECK_DOUBLES(
        conv_transpose2d(XT(), WT2(), Tensor(), 1, 1, 1, 2, 2), {1, 2, 4, 4},
        {-1.0314419986268284,  -1.6823864343151687, -0.2897166333757828, -0.2371111493010727,
         -0.02735562927812596, 0.623397740406681,   -0.9698846127717455, -1.3922520724404661,
         0.7183728685042486,   0.8059737704652769,  1.0659936680276936,  1.6961489553519542,
         -0.5498391048005777,  -0.5679508945897841, -0.867462762565356,  -1.7042569770549176,
         -0.33966090068181876, -1.0704397029671793, -0.3585779650813433, 1.2714073855668158,
         0.37701090769707063,  -0.3264499661523691, 0.39556352373240056, -0.5751480056354015,
         -0.04782010205209143, 1.5397384664272986,  0.3069033422701538,  -0.42265730050737205,
         0.18339788003246338,  -1.4620183625482248, -0.4025234704223825, 0.32866005191190817});
}

TEST_CASE("conv_transpose2d: gradients match PyTorch") {
    {
        Tensor x = XT().requires_grad_(), w = WT().requires_grad_(), b = BT().requires_grad_();
        (conv_transpose2d(x, w, b, 2, 1, 1) * cos(arange(108, kFloat64)).reshape({1, 3, 6, 6}))
            .sum()
            .backward();
        // torch: conv_transpose2d stride 2 grad x (weighted by cos(arange(108)))
        CHECK_DOUBLES(x.grad(), {1, 4, 3, 3},
                      {0.13112371669608197,  -0.009161019940679981, -0.06403709555290098,
                       -0.12271246617846264, -0.3035712706801963,   -0.041710369657527634,
                       0.12391905828662932,  -0.15700970984809715,  -0.2245763767685438,
                       -0.2532816635626363,  0.013944889812696353,  0.03749278213151817,
                       -0.20275687652407476, 0.2880559713161238,    -0.21355411300319135,
                       -0.48945186242321376, 0.29835769361617287,   -0.0626695297073977,
                       0.016863090238543783, 0.0010133329450685983, 0.042130902136863047,
                       0.241178770919136,    0.13526661406227522,   0.16648525800345415,
                       0.16205670975512104,  -0.017314012531110447, 0.2611927802738019,
                       0.2434289373749175,   -0.014536957571542398, -0.06210892525380797,
                       0.06184151886766027,  -0.3670892263033493,   0.11628050311344224,
                       0.3947657541528416,   -0.2882415036256903,   -0.08993956565073602});
        // torch: conv_transpose2d stride 2 grad bias
        CHECK_DOUBLES(b.grad(), {3},
                      {-0.3437376621271361, 1.5596732307739138, -0.05542542031871278});
    }
    {
        Tensor x = XT().requires_grad_(), w = WT2().requires_grad_();
        (conv_transpose2d(x, w, Tensor(), 1, 1, 1, 2, 2) *
         cos(arange(32, kFloat64)).reshape({1, 2, 4, 4}))
            .sum()
            .backward();
        // torch: conv_transpose2d output_padding >= stride grad x (weighted by cos(arange(32)))
        CHECK_DOUBLES(x.grad(), {1, 4, 3, 3},
                      {-0.28082343517787794,   -0.6785496541909493, -0.8644026960986025,
                       1.1939387044178578,     1.6663788013175542,  0.38018964552805035,
                       -0.7451021718065414,    -0.621397376426429,  1.0654515379370033,
                       0.21385356109267484,    0.09626536084737045, 0.840732611032012,
                       -0.5336398255418864,    -1.543971468487858,  -1.5054922517858866,
                       0.7645904096936528,     1.6129439795305296,  0.3270125892477677,
                       -0.0024240842849710897, -0.3468355642119385, 0.45722586987023445,
                       0.25509640855022786,    -0.8153485072901896, -1.6937853998188201,
                       0.49574202760594716,    1.6600964623139352,  1.1968970639235934,
                       0.41610329851148065,    0.8154581590772044,  0.3298918297452396,
                       -1.0027008808523712,    -0.6423782042371772, 1.0224677885116156,
                       0.07125510913115307,    -0.8118565805499481, -1.7429271321789759});
        // torch: conv_transpose2d output_padding >= stride grad w
        CHECK_DOUBLES(
            w.grad(), {4, 1, 2, 2},
            {-1.4237030688635195, 2.6379550792251583, 2.1439215668857465, 1.0803419483902201,
             0.8708685280366968, -2.262230493892709, -2.0071355493671437, 0.26247297035540057,
             -0.230360579628026, -0.850681637975606, -1.7244502293795776, 2.200355912638316,
             0.6856354053755992, -0.29831770027312304, 0.6602420513478336, -2.900993475472572});
    }
}

TEST_CASE("conv_transpose2d is conv2d's input gradient, float32 stays float32") {
    // <conv2d(z, w), x> = <z, conv_transpose2d(x, w)> for every z: the adjoint, here with z = y.
    const Tensor x = XT(), w = WT();
    const Tensor y = conv_transpose2d(x, w, Tensor(), 2, 1, 1);
    CHECK(std::abs((conv2d(y, w, Tensor(), 2, 1) * x).sum().item<double>() -
                   (y * y).sum().item<double>()) < 1e-12);
    CHECK(conv_transpose2d(x.to(kFloat32), w.to(kFloat32)).dtype() == kFloat32);
}

TEST_CASE("conv_transpose2d: gradcheck and gradgradcheck in float64") {
    const Tensor x = test::input({2, 4, 3, 3}, 71);
    CHECK_GRADIENTS([](const V& v) { return conv_transpose2d(v[0], v[1], v[2], 2, 1, 1); },
                    (V{x, test::input({4, 3, 2, 3}, 72), test::input({3}, 73)}));
    CHECK_GRADIENTS(
        [](const V& v) {
            return conv_transpose2d(v[0], v[1], Tensor(), {1, 2}, 1, {1, 0}, 2, 2);
        },
        (V{x, test::input({4, 1, 2, 2}, 74)}));
}

TEST_CASE("conv_transpose2d: errors") {
    CHECK_ERROR(
        ValueError, [] { conv_transpose2d(XT(), WT(), Tensor(), 2, 1, 2); },
        {"conv_transpose2d()", "output_padding (2, 2)", "stride (2, 2)", "dilation (1, 1)"});
    CHECK_ERROR(ValueError, [] { conv_transpose2d(XT(), WT(), Tensor(), 1, -1); },
                {"conv_transpose2d()", "padding must be >= 0"});
    CHECK_ERROR(ValueError, [] { conv_transpose2d(XT(), WT(), Tensor(), 0); },
                {"conv_transpose2d()", "stride must be > 0"});
    CHECK_ERROR(ValueError, [] { conv_transpose2d(XT(), WT(), Tensor(), 1, 0, 0, 1, 0); },
                {"conv_transpose2d()", "dilation must be > 0"});
    CHECK_ERROR(ValueError, [] { conv_transpose2d(XT(), WT(), Tensor(), 1, 0, 0, 0); },
                {"conv_transpose2d()", "groups must be > 0"});
    CHECK_ERROR(ShapeError, [] { conv_transpose2d(XT(), WT(), Tensor(), 1, 0, 0, 3); },
                {"conv_transpose2d()", "in_channels 4", "groups 3"});
    CHECK_ERROR(ShapeError, [] { conv_transpose2d(XT().narrow(1, 0, 3), WT()); },
                {"conv_transpose2d()", "expected input (N, 4, H, W)", "(1, 3, 3, 3)"});
    CHECK_ERROR(ShapeError, [] { conv_transpose2d(XT(), WT().select(0, 0)); },
                {"conv_transpose2d()", "weight", "(3, 3, 3)"});
    CHECK_ERROR(ShapeError, [] { conv_transpose2d(XT(), WT(), zeros({4}, kFloat64)); },
                {"conv_transpose2d()", "expected bias (3)", "(4)"});
    CHECK_ERROR(ShapeError, [] { conv_transpose2d(XT(), WT(), Tensor(), 1, 3); },
                {"conv_transpose2d()", "empty"});
    CHECK_ERROR(TypeError, [] { conv_transpose2d(XT(), WT().to(kFloat32)); },
                {"conv_transpose2d()", "float64", "float32"});
    // output_size: (3 - 1)·2 - 2 + 3 = 5 .. 6 are reachable with stride 2, padding 1, kernel 3
    CHECK(
        nn::functional::detail::output_padding_for("f", Shape{1, 4, 3, 3}, {6, 5}, 3, 2, 1, 1).h ==
        1);
    CHECK_ERROR(ValueError,
                [] {
                    nn::functional::detail::output_padding_for("ConvTranspose2d", Shape{1, 4, 3, 3},
                                                               {7, 5}, 3, 2, 1, 1);
                },
                {"ConvTranspose2d", "output size of (7, 5)", "range from 5 to 6"});
    CHECK_ERROR(ValueError,
                [] {
                    nn::functional::detail::output_padding_for("ConvTranspose2d", Shape{1, 4, 3, 3},
                                                               {6}, 3, 2, 1, 1);
                },
                {"ConvTranspose2d", "output_size must have 2 to 4 entries"});
}
