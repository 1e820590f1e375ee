// The activations composed from descent's ops (elu, selu, silu, mish, hardtanh, relu6,
// hardswish, hardsigmoid, prelu, softmin, softsign, tanhshrink): values and gradients at every
// kink against PyTorch's (tests/nn/layers_torch_reference.py), gradcheck and gradgradcheck in
// float64, float32 results, the functional aliases, and errors.
#include "support.hpp"

#include "descent/nn/functional/activation.hpp"

using namespace descent;
using namespace descent::nn::functional;
using V = std::vector<Tensor>;

namespace {

// PyTorch's points: every kink (0, ±3, the hardtanh bounds) and far out on both sides.
const std::vector<double> points = {-25, -4, -3, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 3, 4, 25};

struct Case {
    const char* name;
    std::function<Tensor(const Tensor&)> f;
    std::vector<double> value, grad;  // torch's, in float64
    double grad_tol = 1e-14;
};

}  // namespace

TEST_CASE("composed activations: values and kink gradients match PyTorch (float64)") {
    // torch: F.<op>(x) and autograd.grad(F.<op>(x).sum(), x), x = points in float64
    const std::vector<Case> cases = {
        {"elu",
         [](const Tensor& x) { return elu(x); },
         {-0.9999999999861121, -0.9816843611112658, -0.950212931632136, -0.9179150013761012,
          -0.6321205588285577, -0.3934693402873666, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 25.0},
         {1.3887943864964021e-11, 0.01831563888873418, 0.049787068367863944, 0.0820849986238988,
          0.36787944117144233, 0.6065306597126334, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0}},
        {"elu_alpha_0.5",
         [](const Tensor& x) { return elu(x, 0.5f); },
         {-0.49999999999305605, -0.4908421805556329, -0.475106465816068, -0.4589575006880506,
          -0.31606027941427883, -0.1967346701436833, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 25.0},
         {6.9439719324820104e-12, 0.00915781944436709, 0.024893534183931972, 0.0410424993119494,
          0.18393972058572117, 0.3032653298563167, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0}},
        {"selu",
         [](const Tensor& x) { return selu(x); },
         {-1.7580993408229604, -1.7258986281898945, -1.6705687287671118, -1.6137857588732423,
          -1.1113307378125625, -0.6917581878028713, 0.0, 0.5253504936777402, 1.0507009873554805,
          2.626752468388701, 3.1521029620664414, 4.202803949421922, 26.26752468388701},
         {2.4416384954718613e-11, 0.03220071265748214, 0.08753061208026487, 0.1443135819741343,
          0.646768603034814, 1.0663411530445053, 1.7580993408473766, 1.0507009873554805,
          1.0507009873554805, 1.0507009873554805, 1.0507009873554805, 1.0507009873554805,
          1.0507009873554805}},
        {"silu",
         [](const Tensor& x) { return silu(x); },
         {-3.4719859661927863e-10, -0.07194483984836623, -0.14227761953270035, -0.18964545005310887,
          -0.2689414213699951, -0.1887703343990727, 0.0, 0.3112296656009273, 0.7310585786300049,
          2.3103545499468914, 2.8577223804672998, 3.928055160151634, 24.9999999996528},
         {-3.3331065274968563e-10, -0.05266461489107291, -0.08810410601516962, -0.09940111134152683,
          0.07232948812851325, 0.2600388126973482, 0.5, 0.7399611873026519, 0.9276705118714869,
          1.0994011113415267, 1.0881041060151693, 1.0526646148910728, 1.000000000333312}},
        {"mish",
         [](const Tensor& x) { return mish(x); },
         {-3.471985966216896e-10, -0.07259174079202535, -0.1456474612756246, -0.19681620390653332,
          -0.30340146137410895, -0.22074377465173, 0.0, 0.37524521130489513, 0.8650983882673103,
          2.471392304557881, 2.9865350049679575, 3.9974128069762385, 25.0},
         {-3.33310652754411e-10, -0.05377320979348033, -0.09339311453232084, -0.10974357275018568,
          0.059216755877395014, 0.28951067791351226, 0.6, 0.8864243753577273, 1.0490362200997922,
          1.041129530131353, 1.0211069109294435, 1.0044328769037503, 1.0}},
        {"hardtanh",
         [](const Tensor& x) { return hardtanh(x); },
         {-1.0, -1.0, -1.0, -1.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0},
         {0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0}},
        {"hardtanh_-2_2.5",
         [](const Tensor& x) { return hardtanh(x, -2.0f, 2.5f); },
         {-2.0, -2.0, -2.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 2.5, 2.5, 2.5},
         {0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0}},
        {"relu6",
         [](const Tensor& x) { return relu6(x); },
         {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 6.0},
         {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0}},
        {"hardswish",
         [](const Tensor& x) { return hardswish(x); },
         {-0.0, -0.0, -0.0, -0.20833333333333334, -0.3333333333333333, -0.20833333333333334, 0.0,
          0.2916666666666667, 0.6666666666666666, 2.2916666666666665, 3.0, 4.0, 25.0},
         {0.0, 0.0, -0.5, -0.33333333333333337, 0.16666666666666669, 0.33333333333333337, 0.5,
          0.6666666666666666, 0.8333333333333333, 1.3333333333333335, 1.5, 1.0, 1.0}},
        {"hardsigmoid",
         [](const Tensor& x) { return hardsigmoid(x); },
         {0.0, 0.0, 0.0, 0.08333333333333333, 0.3333333333333333, 0.4166666666666667, 0.5,
          0.5833333333333334, 0.6666666666666666, 0.9166666666666666, 1.0, 1.0, 1.0},
         {0.0, 0.0, 0.0, 0.1666666716337204, 0.1666666716337204, 0.1666666716337204,
          0.1666666716337204, 0.1666666716337204, 0.1666666716337204, 0.1666666716337204, 0.0, 0.0,
          0.0},
         // PyTorch's kernel multiplies by 1/6 rounded to float even in float64; descent's is
         // the double 1/6
         1e-7},
        {"softsign",
         [](const Tensor& x) { return softsign(x); },
         {-0.9615384615384616, -0.8, -0.75, -0.7142857142857143, -0.5, -0.3333333333333333, 0.0,
          0.3333333333333333, 0.5, 0.7142857142857143, 0.75, 0.8, 0.9615384615384616},
         {0.001479289940828403, 0.04000000000000001, 0.0625, 0.08163265306122447, 0.25,
          0.4444444444444444, 1.0, 0.4444444444444444, 0.25, 0.08163265306122447, 0.0625,
          0.04000000000000001, 0.001479289940828403}},
        {"tanhshrink",
         [](const Tensor& x) { return tanhshrink(x); },
         {-24.0, -3.000670700260933, -2.0049452463132695, -1.5133857018485697, -0.23840584404423515,
          -0.03788284273999026, 0.0, 0.03788284273999026, 0.23840584404423515, 1.5133857018485697,
          2.0049452463132695, 3.000670700260933, 24.0},
         {1.0, 0.9986590493169741, 0.9901339628345598, 0.9734077733168395, 0.5800256583859739,
          0.2135522670340726, 0.0, 0.2135522670340726, 0.5800256583859739, 0.9734077733168395,
          0.9901339628345598, 0.9986590493169741, 1.0}},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const Tensor x = tensor(points, {13}, kFloat64).requires_grad_();
        const Tensor y = c.f(x);
        CHECK(y.dtype() == kFloat64);
        CHECK_DOUBLES(y, {13}, c.value, 1e-14);
        y.sum().backward();
        CHECK_DOUBLES(x.grad(), {13}, c.grad, c.grad_tol);
    }
}

TEST_CASE("prelu: values and gradients match PyTorch, per channel and shared") {
    const std::vector<double> xv = {-1, 2, 0, -3, 0.5, -0.25, 4, -2, -1.5, 1, -0.5, 0};
    const Tensor weights = arange(12, kFloat64).reshape({2, 3, 2});  // torch: arange(12.)
    // torch: F.prelu(x, w), then autograd.grad((y * weights).sum(), (x, w))
    {
        const Tensor x = tensor(xv, {2, 3, 2}, kFloat64).requires_grad_();
        const Tensor w =
            tensor(std::vector<double>{0.25, -0.5, 2.0}, {3}, kFloat64).requires_grad_();
        const Tensor y = prelu(x, w);
        CHECK_DOUBLES(y, {2, 3, 2},
                      {-0.25, 2.0, -0.0, 1.5, 0.5, -0.5, 4.0, -0.5, 0.75, 1.0, -1.0, 0.0});
        (y * weights).sum().backward();
        CHECK_DOUBLES(x.grad(), {2, 3, 2},
                      {0.0, 1.0, -1.0, -1.5, 4.0, 10.0, 6.0, 1.75, -4.0, 9.0, 20.0, 22.0});
        CHECK_DOUBLES(w.grad(), {3}, {-14.0, -21.0, -6.25});
    }
    {
        const Tensor x = tensor(xv, {2, 3, 2}, kFloat64).requires_grad_();
        const Tensor w = tensor(std::vector<double>{0.1}, {1}, kFloat64).requires_grad_();
        const Tensor y = prelu(x, w);
        CHECK_DOUBLES(y, {2, 3, 2},
                      {-0.1, 2.0, 0.0, -0.30000000000000004, 0.5, -0.025, 4.0, -0.2,
                       -0.15000000000000002, 1.0, -0.05, 0.0});
        (y * weights).sum().backward();
        CHECK_DOUBLES(x.grad(), {2, 3, 2},
                      {0.0, 1.0, 0.2, 0.30000000000000004, 4.0, 0.5, 6.0, 0.7000000000000001, 0.8,
                       9.0, 1.0, 1.1});
        CHECK_DOUBLES(w.grad(), {1}, {-41.25});
    }
    // 1-D and 0-d inputs have one channel.
    CHECK_VALUES(prelu(tensor({-2, 3}), tensor({0.5f})), {2}, {-1, 3});
    CHECK_VALUES(prelu(scalar_tensor(-4), tensor({0.25f})), {}, {-1});
}

TEST_CASE("softmin matches PyTorch along either dim") {
    const Tensor s = tensor(std::vector<double>{1, -2, 0.5, 3, 0, -1}, {2, 3}, kFloat64);
    CHECK_DOUBLES(softmin(s, 1), {2, 3},
                  {0.043986480292057845, 0.8834920740271945, 0.07252144568074775,
                   0.013212886953789414, 0.26538792877224193, 0.7213991842739687},
                  1e-14);
    CHECK_DOUBLES(softmin(s, 0), {2, 3},
                  {0.8807970779778823, 0.8807970779778823, 0.18242552380635632, 0.11920292202211755,
                   0.11920292202211755, 0.8175744761936437},
                  1e-14);
}

TEST_CASE("composed activations: gradcheck and gradgradcheck in float64") {
    // Away from the kinks (0 and ±3) by 0.1, over [-5, 5] so that each branch is exercised.
    Tensor x = test::away_from_zero({4, 5}, 11, 0.1f, 5.0f).detach();
    for (int64_t i = 0; i < x.numel(); ++i)
        if (std::abs(std::abs(x.data()[i]) - 3.0f) < 0.1f) x.data()[i] += 0.25f;
    x.requires_grad_();
    CHECK_GRADIENTS([](const V& v) { return elu(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return elu(v[0], 0.3f); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return selu(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return silu(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return mish(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return hardtanh(v[0], -2.5f, 2.0f); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return relu6(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return hardswish(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return hardsigmoid(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return softsign(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return tanhshrink(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return softmin(v[0], 1); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return softmin(v[0], 0); }, V{x});
    // prelu in both the input and the weight, per channel (dim 1 of a (2, 3, 2) input) and shared.
    const Tensor x3 = test::away_from_zero({2, 3, 2}, 12, 0.1f, 2.0f);
    const Tensor w3 = test::input({3}, 13, -1.0f, 1.0f);
    const Tensor w1 = test::input({1}, 14, 0.1f, 0.5f);
    CHECK_GRADIENTS([](const V& v) { return prelu(v[0], v[1]); }, (V{x3, w3}));
    CHECK_GRADIENTS([](const V& v) { return prelu(v[0], v[1]); }, (V{x3, w1}));
}

TEST_CASE("composed activations keep float32 and the input's shape") {
    const Tensor x = tensor({-4, -1, 0, 2, 5}, {5});
    CHECK_VALUES(elu(x), {5}, {std::expm1(-4.0f), std::expm1(-1.0f), 0, 2, 5});
    CHECK_VALUES(hardtanh(x), {5}, {-1, -1, 0, 1, 1});
    CHECK_VALUES(relu6(x * 2.0f), {5}, {0, 0, 0, 4, 6});
    CHECK_VALUES(hardswish(x), {5}, {0, -1.0f / 3, 0, 2 * 5 / 6.0f, 5});
    CHECK_VALUES(hardsigmoid(x), {5}, {0, 1.0f / 3, 0.5f, 5 / 6.0f, 1});
    CHECK_VALUES(softsign(x), {5}, {-0.8f, -0.5f, 0, 2 / 3.0f, 5 / 6.0f});
    for (const Tensor& y : {elu(x), selu(x), silu(x), mish(x), hardswish(x), softsign(x),
                            tanhshrink(x), softmin(x, 0)})
        CHECK(y.dtype() == kFloat32);
    CHECK(silu(zeros({2, 0, 3})).shape() == Shape{2, 0, 3});
    // Far out: no overflow in the branch not taken, so no NaN gradient.
    Tensor far = tensor({-1000, 1000}).requires_grad_();
    (elu(far) + selu(far) + mish(far)).sum().backward();
    CHECK(far.grad().to_vector()[0] == 0.0f);
    CHECK(far.grad().to_vector()[1] == doctest::Approx(1 + 1.0507009873554805 + 1));
}

TEST_CASE("functional aliases are descent's ops") {
    const Tensor x = tensor({-1, 0.5f, 2}, {3});
    CHECK(equal(nn::functional::relu(x), descent::relu(x)));
    CHECK(equal(nn::functional::leaky_relu(x, 0.2f), descent::leaky_relu(x, 0.2f)));
    CHECK(equal(nn::functional::sigmoid(x), descent::sigmoid(x)));
    CHECK(equal(nn::functional::tanh(x), descent::tanh(x)));
    CHECK(equal(nn::functional::softmax(x, 0), descent::softmax(x, 0)));
    CHECK(equal(nn::functional::log_softmax(x, 0), descent::log_softmax(x, 0)));
}

TEST_CASE("composed activations: errors") {
    CHECK_ERROR(ValueError, [] { elu(Tensor()); }, {"elu()", "undefined"});
    CHECK_ERROR(TypeError, [] { selu(tensor({1, 2}, kInt64)); }, {"selu()", "int64"});
    CHECK_ERROR(TypeError, [] { mish(tensor(std::vector<bool>{true})); }, {"mish()", "bool"});
    CHECK_ERROR(ValueError, [] { hardtanh(zeros({2}), 1.0f, -1.0f); },
                {"hardtanh()", "min_val 1", "max_val -1"});
    CHECK_ERROR(ShapeError,
                [] {
                    prelu(zeros({2, 3}), zeros({2}));
                },
                {"prelu()", "2 parameters", "(2, 3)", "3 channel"});
    CHECK_ERROR(ShapeError, [] { prelu(zeros({3}), zeros({3})); },
                {"prelu()", "3 parameters", "1 channel"});
    CHECK_ERROR(ShapeError,
                [] {
                    prelu(zeros({2, 3}), zeros({1, 3}));
                },
                {"prelu()", "0-d or 1-D", "(1, 3)"});
    CHECK_ERROR(ValueError, [] { prelu(zeros({2, 3}), Tensor()); }, {"prelu()", "weight"});
    CHECK_ERROR(ValueError, [] { softsign(Tensor()); }, {"softsign()", "undefined"});
    CHECK_ERROR(ValueError, [] { tanhshrink(Tensor()); }, {"tanhshrink()", "undefined"});
    CHECK_ERROR(ValueError, [] { silu(Tensor()); }, {"silu()", "undefined"});
    CHECK_ERROR(ValueError, [] { hardswish(Tensor()); }, {"hardswish()", "undefined"});
    CHECK_ERROR(ValueError, [] { hardsigmoid(Tensor()); }, {"hardsigmoid()", "undefined"});
    CHECK_ERROR(ValueError, [] { relu6(Tensor()); }, {"relu6()", "undefined"});
}
