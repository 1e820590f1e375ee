// ctc_loss and CTCLoss against the values PyTorch printed (tests/nn/ctc_loss_torch_reference.py):
// every reduction, padded and concatenated targets, repeated labels, an impossible alignment with
// and without zero_infinity, another blank, an empty target, the unbatched form and gradients;
// gradcheck in float64, the refusal of create_graph (a once-differentiable node), every error.
#include "support.hpp"

#include <chrono>
#include <random>

#include "descent/autograd/gradcheck.hpp"
#include "descent/nn/ctc_loss.hpp"
#include "descent/nn/functional/ctc_loss.hpp"

using namespace descent;
using namespace descent::nn::functional;
using Opts = CTCLossFuncOptions;
using nn::Reduction;

namespace {

const double INF = std::numeric_limits<double>::infinity();

// torch: (sin(arange(90) * 0.37) * 2).reshape(6, 3, 5): logits (T, N, C)
Tensor logits(ScalarType dtype = kFloat64) {
    return (sin(arange(90, kFloat64) * 0.37) * 2.0).reshape({6, 3, 5}).to(dtype);
}
Tensor lp(ScalarType dtype = kFloat64) { return log_softmax(logits(dtype), 2); }
Tensor ints(const std::vector<int64_t>& v, const Shape& shape) { return tensor(v, shape, kInt64); }
// sample 0: 1 2 2 3 (a blank needed between the 2s), 1: 4 1, 2: 3 3 3
Tensor padded() { return ints({1, 2, 2, 3, 4, 1, 0, 0, 3, 3, 3, 0}, {3, 4}); }
Tensor concatenated() { return ints({1, 2, 2, 3, 4, 1, 3, 3, 3}, {9}); }
const std::vector<int64_t> IL{6, 5, 6}, TL{4, 2, 3};

// The gradients PyTorch printed (ctc_loss_torch_reference.py), w.r.t. the logits.
// clang-format off
// torch: A dmean/dx
const std::vector<double> A_DMEAN_DX = {
    0.0010825874777757702, -0.07181220397336865, 0.015859985202843485, 0.024695494826860728,
    0.03017413646588868, -0.0898989977831848, 0.04899828180254352, 0.028410050435689747,
    0.01429409941168681, -0.0018034338667352707, 0.024020665789654172, 0.02244196485475577,
    0.0162160961814186, -0.08134971421741176, 0.01867098739158322, -0.00051667676778923,
    -0.0040029718965684455, -0.059798863574197475, 0.022458113607263647, 0.041860398631291505,
    -0.07375308453112497, 0.04222148086027461, 0.04072267491838917, 0.02916267775469021,
    -0.038353749002229015, -0.03427088985354761, 0.02709510484812059, 0.013682465628264511,
    -0.012304245265350452, 0.005797564642512962, -0.05236162204908191, 0.006711162998740809,
    -0.014998213397322357, 0.019789120490149692, 0.04085955195751377, -0.011249812770545235,
    0.015855458500396418, 0.03854688734103233, 0.04664529341170609, -0.0897978264825896,
    -0.007316071718690543, 0.030869334273109745, 0.01547671320395467, -0.04278200173831123,
    0.003752025979937358, -0.014177740274894914, 0.013137554742769956, -0.03869333389976459,
    0.015425905106573943, 0.024307614325315606, -0.004540368070400928, -0.02567595115537627,
    0.025928543464975508, 0.04806877168733338, -0.04378099592653168, -0.009121499283817992,
    0.032593678442927904, 0.023134338319804496, -0.0532533558987342, 0.006646838419819796,
    0.021907953562613793, 0.018935155998500704, -0.02566829068927274, -0.022935474335711973,
    0.007760655463870212, -0.009573290606185383, -0.13947894123656981, 0.020379259512126546,
    0.04214722174056865, 0.08652575059006001, -0.0661813345546663, 0.02353094337329831,
    0.028199659631044656, -0.0037767430456639517, 0.018227474595987277, 0.015405172875507104,
    0.021546159274560578, 0.010326954163074846, -0.050371953196654655, 0.0030936668835121303, 0.0,
    0.0, 0.0, 0.0, 0.0, 0.0013350171923818509, 0.011696507051007495, 0.021564833544917884,
    -0.07383804433309386, 0.03924168654478664};
// torch: A d(none . [1, -2, 0.5])/dx
const std::vector<double> A_DNONE_W_DX = {
    0.012991049733309246, -0.8617464476804241, 0.19031982243412185, 0.2963459379223288,
    0.3620896375906642, 1.0787879733982177, -0.5879793816305223, -0.340920605228277,
    -0.17152919294024174, 0.021641206400823246, 0.10809299605344373, 0.10098884184640096,
    0.0729724328163837, -0.3660737139783529, 0.08401944326212449, -0.00620012121347076,
    -0.04803566275882135, -0.7175863628903697, 0.2694973632871638, 0.5023247835754981,
    0.8850370143734997, -0.5066577703232953, -0.48867209902067005, -0.3499521330562826,
    0.46024498802674824, -0.15421900434096425, 0.12192797181654266, 0.06157109532719031,
    -0.055369103694077035, 0.02608904089130833, -0.6283394645889829, 0.08053395598488973,
    -0.17997856076786828, 0.2374694458817963, 0.49031462349016525, 0.13499775324654284,
    -0.19026550200475703, -0.46256264809238795, -0.5597435209404731, 1.0775739177910753,
    -0.03292232273410744, 0.13891200422899386, 0.06964520941779602, -0.19251900782240056,
    0.01688411690971811, -0.17013288329873896, 0.15765065691323948, -0.4643200067971751,
    0.18511086127888732, 0.2916913719037873, 0.05448441684481114, 0.30811141386451524,
    -0.31114252157970607, -0.5768252602480005, 0.5253719511183803, -0.04104674677718097,
    0.14667155299317558, 0.10410452243912023, -0.23964010154430393, 0.029910772889189082,
    0.26289544275136556, 0.22722187198200847, -0.3080194882712729, -0.2752256920285437,
    0.09312786556644255, 0.11487948727422462, 1.6737472948388379, -0.24455111414551856,
    -0.5057666608868238, -1.0383090070807202, -0.29781600549599835, 0.10588924517984241,
    0.12689846833970098, -0.016995343705487782, 0.08202363568194275, 0.18486207450608524,
    0.25855391129472693, 0.12392344995689816, -0.6044634383598558, 0.037124002602145566, 0.0, 0.0,
    0.0, 0.0, 0.0, 0.006007577365718327, 0.05263428172953373, 0.09704175095213048,
    -0.3322711994989224, 0.17658758945153988};
// torch: B zero_infinity=True dmean/dx
const std::vector<double> B_ZERO_INF_DMEAN_DX = {
    0.0, 0.0, 0.0, 0.0, 0.0, -0.029198902171655623, -0.0451304353416589, 0.04261507565353467,
    0.021441149117530242, 0.010273112742249603, 0.0, 0.0, 0.0, 0.0, 0.0, -0.015817670820960802,
    -0.09057966657035472, 0.03737475299501042, 0.043744016632035344, 0.02527856776426976, 0.0,
    0.0, 0.0, 0.0, 0.0, -0.02079023061729134, -0.06699601792404077, -0.046822682530952064,
    0.0699679401175591, 0.06464099095472507, 0.0, 0.0, 0.0, 0.0, 0.0, -0.01499348986520834,
    -0.02195862949479193, -0.1460716188550869, 0.0721031575310001, 0.11092058068408708, 0.0, 0.0,
    0.0, 0.0, 0.0, -0.02580712533941125, 0.0075926536497254345, -0.17479498680625705,
    0.06322083261085291, 0.1297886258850899, 0.0, 0.0, 0.0, 0.0, 0.0, -0.09243392411911726,
    0.027633189233781004, -0.09409987276084013, 0.05492490675153941, 0.10397570089463697};
// torch: D dsum/dx
const std::vector<double> D_DSUM_DX = {
    -0.591673799618939, 0.10183572478877892, 0.1903198224341216, 0.2963459379223284,
    0.0031723144737101187, 0.4086929591314814, 0.2939896908152614, -0.7141405439647526,
    0.08576459647012093, -0.07430670245211113, 0.3471713621385642, 0.20197768369280183,
    0.14594486563276732, 0.1368672020116173, -0.8319611134757506, -0.19193464859419673,
    -0.1701627576567514, 0.13087816674139763, 0.26949736328716367, -0.03827812377761314,
    0.21641785518822634, 0.2631557577162182, -0.30588734750006563, -0.11816006046076642,
    -0.055526204943612524, 0.5089375661804134, 0.24385594363308521, 0.12314219065438056,
    0.07188621774950424, -0.9478219182173834, -0.10723024136225222, -0.28423287282492066,
    0.12640207521420616, 0.2374694458817965, 0.027591593091170256, 0.08054856421629025,
    0.1497343874483791, 0.11673473283869194, -0.34230994323396324, -0.004707741269398047,
    0.4823721817773669, 0.2778240084579877, 0.13929041883559204, 0.06674515710961762,
    -0.9662317661805643, 0.21621698436880904, -0.3776495956501375, 0.14933012553527739,
    0.18511086127888746, -0.17300837553283638, 0.03663281556447754, 0.07570097078532098,
    0.15557126078985312, -0.22930059939665326, -0.03860444774299839, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.44826285002773864, -0.1727460770413216, 0.13356107943315135, 0.09782633299066044,
    -0.5069041854102289, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5174605716259509,
    -0.6882497688404141, 0.12392344995689795, 0.06293806452027827, -0.016072317262713104, 0.0,
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
// clang-format on

}  // namespace

TEST_CASE("ctc_loss matches PyTorch for each reduction, padded and concatenated targets") {
    const Tensor il = ints(IL, {3}), tl = ints(TL, {3});
    for (const Tensor& targets : {padded(), concatenated()}) {
        INFO("targets " << targets.shape());
        CHECK_DOUBLES(ctc_loss(lp(), targets, il, tl, Opts().reduction(Reduction::None)), {3},
                      {10.831113844617535, 6.378160591557846, 7.706998789236782}, 1e-12);
        CHECK_DOUBLES(ctc_loss(lp(), targets, IL, TL, Opts().reduction(Reduction::Sum)), {},
                      {24.916273225412162}, 1e-12);
        CHECK_DOUBLES(ctc_loss(lp(), targets, il, tl), {}, {2.821952784448522}, 1e-12);
    }
    // float32 computes the same (in double inside), returned in float32
    const Tensor l32 = ctc_loss(lp(kFloat32), padded(), IL, TL, Opts().reduction(Reduction::None));
    CHECK(l32.dtype() == kFloat32);
    CHECK_DOUBLES(l32, {3}, {10.831113844617535, 6.378160591557846, 7.706998789236782}, 1e-6);
}

TEST_CASE("ctc_loss gradients match PyTorch's through log_softmax") {
    // torch's ctc backward adds exp(log_probs) to the true derivative (a term log_softmax's
    // backward cancels), so the gradients are compared on the logits.
    Tensor x = logits().requires_grad_();
    ctc_loss(log_softmax(x, 2), padded(), IL, TL).backward();
    CHECK_DOUBLES(x.grad(), {6, 3, 5}, A_DMEAN_DX, 1e-10);
    x = logits().requires_grad_();
    (ctc_loss(log_softmax(x, 2), concatenated(), IL, TL, Opts().reduction(Reduction::None)) *
     tensor(std::vector<double>{1.0, -2.0, 0.5}, {3}, kFloat64))
        .sum()
        .backward();
    CHECK_DOUBLES(x.grad(), {6, 3, 5}, A_DNONE_W_DX, 1e-10);
    // float32: the same within float32's rounding
    Tensor x32 = logits(kFloat32).requires_grad_();
    ctc_loss(log_softmax(x32, 2), padded(), IL, TL).backward();
    CHECK(x32.grad().dtype() == kFloat32);
    CHECK_DOUBLES(x32.grad(), {6, 3, 5},
                  {0.0010825874777757702,
                   -0.07181220397336865,
                   0.015859985202843485,
                   0.024695494826860728,
                   0.03017413646588868,
                   -0.0898989977831848,
                   0.04899828180254352,
                   0.028410050435689747,
                   0.01429409941168681,
                   -0.0018034338667352707,
                   0.024020665789654172,
                   0.02244196485475577,
                   0.0162160961814186,
                   -0.08134971421741176,
                   0.01867098739158322,
                   -0.00051667676778923,
                   -0.0040029718965684455,
                   -0.059798863574197475,
                   0.022458113607263647,
                   0.041860398631291505,
                   -0.07375308453112497,
                   0.04222148086027461,
                   0.04072267491838917,
                   0.02916267775469021,
                   -0.038353749002229015,
                   -0.03427088985354761,
                   0.02709510484812059,
                   0.013682465628264511,
                   -0.012304245265350452,
                   0.005797564642512962,
                   -0.05236162204908191,
                   0.006711162998740809,
                   -0.014998213397322357,
                   0.019789120490149692,
                   0.04085955195751377,
                   -0.011249812770545235,
                   0.015855458500396418,
                   0.03854688734103233,
                   0.04664529341170609,
                   -0.0897978264825896,
                   -0.007316071718690543,
                   0.030869334273109745,
                   0.01547671320395467,
                   -0.04278200173831123,
                   0.003752025979937358,
                   -0.014177740274894914,
                   0.013137554742769956,
                   -0.03869333389976459,
                   0.015425905106573943,
                   0.024307614325315606,
                   -0.004540368070400928,
                   -0.02567595115537627,
                   0.025928543464975508,
                   0.04806877168733338,
                   -0.04378099592653168,
                   -0.009121499283817992,
                   0.032593678442927904,
                   0.023134338319804496,
                   -0.0532533558987342,
                   0.006646838419819796,
                   0.021907953562613793,
                   0.018935155998500704,
                   -0.02566829068927274,
                   -0.022935474335711973,
                   0.007760655463870212,
                   -0.009573290606185383,
                   -0.13947894123656981,
                   0.020379259512126546,
                   0.04214722174056865,
                   0.08652575059006001,
                   -0.0661813345546663,
                   0.02353094337329831,
                   0.028199659631044656,
                   -0.0037767430456639517,
                   0.018227474595987277,
                   0.015405172875507104,
                   0.021546159274560578,
                   0.010326954163074846,
                   -0.050371953196654655,
                   0.0030936668835121303,
                   0.0,
                   0.0,
                   0.0,
                   0.0,
                   0.0,
                   0.0013350171923818509,
                   0.011696507051007495,
                   0.021564833544917884,
                   -0.07383804433309386,
                   0.03924168654478664},
                  1e-5);
}

TEST_CASE("ctc_loss: an impossible alignment is inf, or 0 with zero_infinity") {
    // torch: targets [[3, 3, 3], [1, 2, 0]], input_lengths [4, 6]: 3 3 3 needs 5 frames
    const Tensor lp2 = log_softmax(logits().narrow(1, 0, 2), 2);
    const Tensor tg = ints({3, 3, 3, 1, 2, 0}, {2, 3});
    const std::vector<int64_t> il{4, 6}, tl{3, 2};
    const Tensor none = ctc_loss(lp2, tg, il, tl, Opts().reduction(Reduction::None));
    CHECK(std::isinf(none.to_vector<double>()[0]));
    CHECK(none.to_vector<double>()[1] == doctest::Approx(6.892118108158671).epsilon(1e-12));
    CHECK(std::isinf(ctc_loss(lp2, tg, il, tl).item<double>()));
    CHECK(std::isinf(ctc_loss(lp2, tg, il, tl, Opts().reduction(Reduction::Sum)).item<double>()));
    const Opts zi = Opts().zero_infinity(true);
    CHECK_DOUBLES(ctc_loss(lp2, tg, il, tl, Opts(zi).reduction(Reduction::None)), {2},
                  {0.0, 6.892118108158671}, 1e-12);
    CHECK_DOUBLES(ctc_loss(lp2, tg, il, tl, Opts(zi).reduction(Reduction::Sum)), {},
                  {6.892118108158671}, 1e-12);
    CHECK_DOUBLES(ctc_loss(lp2, tg, il, tl, zi), {}, {1.7230295270396678}, 1e-12);
    // and the impossible sample's gradient is 0
    Tensor x = logits().narrow(1, 0, 2).contiguous().requires_grad_();
    ctc_loss(log_softmax(x, 2), tg, il, tl, zi).backward();
    CHECK_DOUBLES(x.grad(), {6, 2, 5}, B_ZERO_INF_DMEAN_DX, 1e-10);
}

TEST_CASE("ctc_loss: another blank, an empty target, the unbatched form") {
    // torch: blank=4, targets [[0, 1, 1], [2, 3, 0], [3, 0, 0]], input_lengths [6, 4, 3],
    // target_lengths [3, 2, 0]
    const Tensor tg = ints({0, 1, 1, 2, 3, 0, 3, 0, 0}, {3, 3});
    const std::vector<int64_t> il{6, 4, 3}, tl{3, 2, 0};
    CHECK_DOUBLES(ctc_loss(lp(), tg, il, tl, Opts().blank(4).reduction(Reduction::None)), {3},
                  {8.176143628355137, 3.4258852398930486, 8.124887366686265}, 1e-12);
    CHECK_DOUBLES(ctc_loss(lp(), tg, il, tl, Opts().blank(4)), {}, {4.1877370653615005}, 1e-12);
    Tensor x = logits().requires_grad_();
    ctc_loss(log_softmax(x, 2), tg, il, tl, Opts().blank(4).reduction(Reduction::Sum)).backward();
    CHECK_DOUBLES(x.grad(), {6, 3, 5}, D_DSUM_DX, 1e-10);
    // unbatched: log_probs (T, C), targets (S), 0-D or 1-element lengths; `none` gives a 0-D loss
    const Tensor lp0 = lp().select(1, 0);
    const Tensor t0 = ints({1, 2, 2}, {3});
    CHECK_DOUBLES(
        ctc_loss(lp0, t0, ints({6}, {}), ints({3}, {}), Opts().reduction(Reduction::None)), {},
        {8.459618668462202}, 1e-12);
    CHECK_DOUBLES(ctc_loss(lp0, t0, std::vector<int64_t>{6}, std::vector<int64_t>{3}), {},
                  {2.819872889487401}, 1e-12);
    // torch: an input_length of 0 with an empty target costs 0
    CHECK(ctc_loss(lp(), padded(), {0, 5, 6}, {0, 2, 3}, Opts().reduction(Reduction::None))
              .to_vector<double>()[0] == 0.0);
}

TEST_CASE("ctc_loss: gradcheck and gradgradcheck in float64") {
    // Free log_probs (not normalized), so this checks the true derivative.
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-3.0, 0.0);
    std::vector<double> v(6 * 3 * 5);
    for (double& e : v) e = u(rng);
    const Tensor x = tensor(v, {6, 3, 5}, kFloat64).requires_grad_();
    for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
        INFO(nn::to_string(r));
        const autograd::TensorFunction f = [r](const std::vector<Tensor>& in) {
            return ctc_loss(in[0], padded(), IL, TL, Opts().reduction(r));
        };
        CHECK(autograd::gradcheck(f, {x}));
        CHECK(autograd::gradgradcheck(f, {x}));
    }
    // another blank, concatenated targets, an empty target, an impossible sample zeroed
    const autograd::TensorFunction g = [](const std::vector<Tensor>& in) {
        return ctc_loss(in[0], ints({0, 1, 1, 2, 2, 2}, {6}), std::vector<int64_t>{6, 4, 3, 0},
                        std::vector<int64_t>{3, 0, 3, 0}, Opts().blank(4).zero_infinity(true));
    };
    const Tensor x4 = cat({x, x.narrow(1, 0, 1) * 0.5}, 1).detach().requires_grad_();
    CHECK(autograd::gradcheck(g, {x4}));
    CHECK(autograd::gradgradcheck(g, {x4}));
    const autograd::TensorFunction unbatched = [](const std::vector<Tensor>& in) {
        return ctc_loss(in[0].select(1, 1), ints({1, 2, 2}, {3}), std::vector<int64_t>{5},
                        std::vector<int64_t>{3}, Opts().reduction(Reduction::None));
    };
    CHECK(autograd::gradcheck(unbatched, {x}));
    CHECK(autograd::gradgradcheck(unbatched, {x}));
}

TEST_CASE("ctc_loss: the fused backward equals the one built of ops (create_graph)") {
    // Without create_graph the backward is the fused alpha-beta kernel; with it, descent's ops.
    for (ScalarType dtype : {kFloat64, kFloat32}) {
        const Tensor x = logits(dtype).requires_grad_();
        const Tensor w = tensor(std::vector<double>{0.3, -1.0, 2.0}, {3}, dtype);
        const auto loss = [&] {
            return (ctc_loss(log_softmax(x, 2), padded(), IL, TL,
                             Opts().reduction(Reduction::None)) *
                    w)
                .sum();
        };
        const Tensor fused = autograd::grad({loss()}, {x})[0];
        const Tensor composed = autograd::grad({loss()}, {x}, {}, std::nullopt, true)[0];
        CHECK(composed.requires_grad());
        CHECK_DOUBLES(composed, {6, 3, 5}, fused.to(kFloat64).to_vector<double>(),
                      dtype == kFloat64 ? 1e-12 : 1e-5);
    }
}

TEST_CASE("ctc_loss: a realistic size (T=50, N=16, C=20) runs forward and backward fast") {
    const int64_t T = 50, N = 16, C = 20, S = 12;
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<int64_t> label(1, C - 1), len(6, S), in_len(40, T);
    std::vector<int64_t> targets(N * S), il(N), tl(N);
    for (auto& t : targets) t = label(rng);
    for (int64_t n = 0; n < N; ++n) il[n] = in_len(rng), tl[n] = len(rng);
    Tensor x = randn({T, N, C}).requires_grad_();
    const auto start = std::chrono::steady_clock::now();
    const Tensor loss = ctc_loss(log_softmax(x, 2), ints(targets, {N, S}), il, tl);
    loss.backward();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("ctc_loss T=50 N=16 C=20 forward+backward: " << seconds * 1e3 << " ms");
    CHECK(std::isfinite(loss.item<float>()));
    CHECK(seconds < 1.0);  // ~7 ms in a release build
    // each frame's gradient on the logits sums to 0 (softmax - occupancy)
    const Tensor row = x.grad().sum(2);
    CHECK(max(abs(row)).item<float>() < 1e-5f);
    // the create_graph path (the recursion built of ops) at the same size
    const auto start2 = std::chrono::steady_clock::now();
    const Tensor gx = autograd::grad({ctc_loss(log_softmax(x, 2), ints(targets, {N, S}), il, tl)},
                                     {x}, {}, std::nullopt, /*create_graph=*/true)[0];
    MESSAGE("... with create_graph: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start2).count() *
                   1e3
            << " ms");
    CHECK(max(abs(gx - x.grad())).item<float>() < 1e-5f);
}

TEST_CASE("ctc_loss refuses bad inputs, naming the values") {
    const Tensor il = ints(IL, {3}), tl = ints(TL, {3});
    CHECK_ERROR(ShapeError, [&] { ctc_loss(lp().reshape({90}), padded(), IL, TL); },
                {"ctc_loss()", "(T, N, C)", "(90)"});
    CHECK_ERROR(TypeError,
                [&] {
                    ctc_loss(ints(std::vector<int64_t>(90, 0), {6, 3, 5}), padded(), IL, TL);
                },
                {"ctc_loss()", "floating", "log_probs"});
    CHECK_ERROR(TypeError, [&] { ctc_loss(lp(), padded().to(kFloat32), IL, TL); },
                {"ctc_loss()", "int64 targets", "float32"});
    CHECK_ERROR(TypeError, [&] { ctc_loss(lp(), padded(), il.to(kFloat32), tl); },
                {"ctc_loss()", "int64 input_lengths", "float32"});
    CHECK_ERROR(ShapeError,
                [&] {
                    ctc_loss(lp(), padded(), {6, 5}, TL);
                },
                {"ctc_loss()", "N = 3", "2 input_lengths"});
    CHECK_ERROR(ShapeError,
                [&] {
                    ctc_loss(lp(), padded(), il, ints({4, 2, 3, 1}, {4}));
                },
                {"ctc_loss()", "N = 3", "4 target_lengths"});
    CHECK_ERROR(ValueError,
                [&] {
                    ctc_loss(lp(), padded(), {6, 7, 6}, TL);
                },
                {"ctc_loss()", "input_lengths[1] = 7", "T = 6"});
    CHECK_ERROR(ValueError,
                [&] {
                    ctc_loss(lp(), padded(), {6, -1, 6}, TL);
                },
                {"ctc_loss()", "input_lengths[1] = -1"});
    CHECK_ERROR(ValueError,
                [&] {
                    ctc_loss(lp(), padded(), IL, {4, -2, 3});
                },
                {"ctc_loss()", "target_lengths[1] = -2"});
    CHECK_ERROR(ShapeError,
                [&] {
                    ctc_loss(lp(), padded(), IL, {4, 5, 3});
                },
                {"ctc_loss()", "target_lengths[1] = 5", "(3, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    ctc_loss(lp(), concatenated(), IL, {4, 2, 2});
                },
                {"ctc_loss()", "concatenated", "(9)", "sum(target_lengths) = 8"});
    CHECK_ERROR(ShapeError,
                [&] {
                    ctc_loss(lp(), padded().narrow(0, 0, 2), IL, {1, 1, 1});
                },
                {"ctc_loss()", "(2, 4)", "N = 3"});
    CHECK_ERROR(IndexError, [&] { ctc_loss(lp(), padded(), IL, TL, Opts().blank(2)); },
                {"ctc_loss()", "target label 2", "sample 0, position 1", "blank 2"});
    CHECK_ERROR(IndexError,
                [&] {
                    ctc_loss(lp(), ints({1, 2, 2, 5, 4, 1, 3, 3, 3}, {9}), IL, TL);
                },
                {"ctc_loss()", "target label 5", "sample 0, position 3", "C = 5"});
    CHECK_ERROR(IndexError,
                [&] {
                    ctc_loss(lp(), ints({1, 2, 2, 3, 4, -1, 3, 3, 3}, {9}), IL, TL);
                },
                {"ctc_loss()", "target label -1", "sample 1"});
    CHECK_ERROR(ValueError, [&] { ctc_loss(lp(), padded(), IL, TL, Opts().blank(5)); },
                {"ctc_loss()", "blank 5", "C = 5"});
    CHECK_ERROR(ValueError, [&] { ctc_loss(lp(), padded(), IL, TL, Opts().blank(-1)); },
                {"ctc_loss()", "blank -1"});
    CHECK_ERROR(ShapeError, [&] { ctc_loss(lp().select(1, 0), padded(), {6}, {4}); },
                {"ctc_loss()", "unbatched", "(3, 4)"});
    // a label beyond a sample's target length is padding, not checked (as PyTorch)
    CHECK(ctc_loss(lp(), ints({1, 2, 2, 3, 4, 1, 99, -7, 3, 3, 3, 0}, {3, 4}), IL, TL)
              .item<double>() == doctest::Approx(2.821952784448522).epsilon(1e-12));
}

TEST_CASE("CTCLoss: the functional form with its options") {
    const Tensor il = ints(IL, {3}), tl = ints(TL, {3});
    nn::CTCLoss loss_fn;
    CHECK(equal(loss_fn(lp(), padded(), il, tl), ctc_loss(lp(), padded(), il, tl)));
    CHECK(test::printed(loss_fn) == "CTCLoss(blank=0, reduction=mean, zero_infinity=false)");
    nn::CTCLoss none(nn::CTCLossOptions().reduction(Reduction::None).zero_infinity(true));
    CHECK(equal(none(lp(), concatenated(), IL, TL),
                ctc_loss(lp(), concatenated(), IL, TL, Opts().reduction(Reduction::None))));
    CHECK(test::printed(none) == "CTCLoss(blank=0, reduction=none, zero_infinity=true)");
    CHECK_ERROR(ValueError, [] { nn::CTCLoss(nn::CTCLossOptions().blank(-1)); },
                {"CTCLoss()", "blank", "-1"});
}
