// The elementwise door (autograd/ops/forward.hpp) across dtypes: PyTorch's promotion for every
// pair of dtypes under + and *, C++ numbers beside tensors, float64 ops against references computed
// in double (tight enough that a pass through float32 would fail), exact int64 results, the
// integer division ops, bool comparisons and gradients in float64.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

const std::vector<ScalarType> kAll = {kBool, kUInt8, kInt64, kFloat32, kFloat64};

// x (float64) against ref(x[i]) computed in double: relative error at most 1e-13, while
// float32 is good to ~6e-8 only.
void check_double(const Tensor& y, const std::vector<double>& expected) {
    REQUIRE(y.dtype() == kFloat64);
    const std::vector<double> v = y.contiguous().to_vector<double>();
    REQUIRE(v.size() == expected.size());
    for (size_t i = 0; i < v.size(); ++i) {
        INFO("element " << i << ": " << v[i] << " vs " << expected[i]);
        CHECK(std::abs(v[i] - expected[i]) <= 1e-13 * std::max(1.0, std::abs(expected[i])));
    }
}

std::vector<double> inputs() {
    std::vector<double> x;
    for (int i = 0; i < 9; ++i) x.push_back(0.1 + 0.37 * i);
    return x;
}

}  // namespace

TEST_CASE("add and mul promote every pair of dtypes as PyTorch") {
    for (ScalarType ta : kAll) {
        for (ScalarType tb : kAll) {
            INFO(ta << " with " << tb);
            const Tensor a = tensor({1, 0, 1, 1}, ta), b = tensor({1, 1, 0, 1}, tb);
            const ScalarType both = promote_types(ta, tb);
            const Tensor s = a + b, p = a * b;
            CHECK(s.dtype() == both);
            CHECK(p.dtype() == both);
            // bool + bool is a logical or (true + true is true), as torch.add on bools
            if (both == kBool)
                CHECK_VALUES(s, {4}, {1, 1, 1, 1});
            else
                CHECK_VALUES(s, {4}, {2, 1, 1, 2});
            CHECK_VALUES(p, {4}, {1, 0, 0, 1});
        }
    }
    CHECK(promote_types(kInt64, kFloat32) == kFloat32);
    CHECK(promote_types(kFloat32, kFloat64) == kFloat64);
}

TEST_CASE("a C++ number beside a tensor lifts the kind only") {
    const Tensor f = tensor({1.5, -2.0}, kFloat32), i = tensor({7, -7}, kInt64);
    const Tensor b = tensor(std::vector<bool>{true, false});
    CHECK((f * 2.0).dtype() == kFloat32);
    CHECK((f * 2).dtype() == kFloat32);
    CHECK((2.0f * f).dtype() == kFloat32);
    CHECK((i * 2).dtype() == kInt64);
    CHECK((i * int64_t{3}).to_vector<int64_t>() == std::vector<int64_t>{21, -21});
    CHECK((i + 1).to_vector<int64_t>() == std::vector<int64_t>{8, -6});
    CHECK((10 - i).to_vector<int64_t>() == std::vector<int64_t>{3, 17});
    CHECK((i * 2.5).dtype() == kFloat32);
    CHECK((i * 2.0).dtype() == kFloat32);  // a floating C++ number, as torch: fractional or not
    CHECK_VALUES(i * 2.5, {2}, {17.5f, -17.5f});
    // `/` is true division: an integer tensor divided gives float32
    CHECK((i / 2).dtype() == kFloat32);
    CHECK_VALUES(i / 2, {2}, {3.5f, -3.5f});
    CHECK_VALUES(i / tensor({2, 4}, kInt64), {2}, {3.5f, -1.75f});
    CHECK((b + 1).dtype() == kInt64);
    CHECK((b + 1).to_vector<int64_t>() == std::vector<int64_t>{2, 1});
    CHECK((b * 1.5).dtype() == kFloat32);
    // float64 keeps the double value of the number, not its float rounding
    const Tensor d = tensor({3.0}, kFloat64);
    CHECK((d * 0.1).item<double>() == 3.0 * 0.1);
    CHECK((d + 0.1).item<double>() == 3.0 + 0.1);
    CHECK((0.1 - d).item<double>() == 0.1 - 3.0);
    CHECK((1.0 / d).item<double>() == 1.0 / 3.0);
    // float32 gets the float rounding of the number, bit for bit as before
    CHECK((f * 0.1).to_vector() == std::vector<float>{1.5f * 0.1f, -2.0f * 0.1f});
    // comparisons with a number are compared in the number's promoted dtype
    CHECK_VALUES(i < 2.5, {2}, {0, 1});
    CHECK_VALUES(i == 7, {2}, {1, 0});
    CHECK_VALUES(0 < i, {2}, {1, 0});
}

TEST_CASE("float64 unary ops match double references, not float ones") {
    const std::vector<double> x = inputs();
    const Tensor t = tensor(x, {9}, kFloat64);
    auto ref = [&](double (*f)(double)) {
        std::vector<double> r;
        for (double v : x) r.push_back(f(v));
        return r;
    };
    check_double(exp(t), ref([](double v) { return std::exp(v); }));
    check_double(log(t), ref([](double v) { return std::log(v); }));
    check_double(sqrt(t), ref([](double v) { return std::sqrt(v); }));
    check_double(sin(t), ref([](double v) { return std::sin(v); }));
    check_double(cos(t), ref([](double v) { return std::cos(v); }));
    check_double(tanh(t), ref([](double v) { return std::tanh(v); }));
    check_double(sigmoid(t), ref([](double v) { return 1.0 / (1.0 + std::exp(-v)); }));
    check_double(erf(t), ref([](double v) { return std::erf(v); }));
    check_double(log1p(t), ref([](double v) { return std::log1p(v); }));
    check_double(expm1(t), ref([](double v) { return std::expm1(v); }));
    check_double(rsqrt(t), ref([](double v) { return 1.0 / std::sqrt(v); }));
    check_double(reciprocal(t), ref([](double v) { return 1.0 / v; }));
    check_double(neg(t), ref([](double v) { return -v; }));
    check_double(abs(neg(t)), x);
    check_double(square(t), ref([](double v) { return v * v; }));
    check_double(relu(t - 1.0), ref([](double v) { return std::max(v - 1.0, 0.0); }));
    check_double(floor(t * 3.0), ref([](double v) { return std::floor(v * 3.0); }));
    check_double(nan_to_num(t), x);
}

TEST_CASE("float64 binary ops match double references") {
    const std::vector<double> x = inputs();
    std::vector<double> y;
    for (double v : x) y.push_back(1.3 - 0.29 * v);
    const Tensor a = tensor(x, {9}, kFloat64), b = tensor(y, {9}, kFloat64);
    auto ref = [&](auto f) {
        std::vector<double> r;
        for (size_t i = 0; i < x.size(); ++i) r.push_back(f(x[i], y[i]));
        return r;
    };
    check_double(a + b, ref([](double p, double q) { return p + q; }));
    check_double(a - b, ref([](double p, double q) { return p - q; }));
    check_double(a * b, ref([](double p, double q) { return p * q; }));
    check_double(a / b, ref([](double p, double q) { return p / q; }));
    check_double(pow(a, abs(b)), ref([](double p, double q) { return std::pow(p, std::abs(q)); }));
    check_double(maximum(a, b), ref([](double p, double q) { return std::max(p, q); }));
    check_double(minimum(a, b), ref([](double p, double q) { return std::min(p, q); }));
    check_double(atan2(a, b), ref([](double p, double q) { return std::atan2(p, q); }));
    check_double(remainder(a, b), ref([](double p, double q) { return p - std::floor(p / q) * q; }));
    check_double(floor_divide(a, b), ref([](double p, double q) { return std::floor(p / q); }));
    // float32 beside float64 computes in float64
    const Tensor f = tensor({0.1f});
    CHECK((f + tensor({0.2}, kFloat64)).item<double>() == double(0.1f) + 0.2);
}

TEST_CASE("int64 results are exact integers") {
    const Tensor a = tensor({-7, 7, -7, 7, 6}, kInt64), b = tensor({2, 2, -2, -2, 3}, kInt64);
    CHECK(floor_divide(a, b).dtype() == kInt64);
    CHECK(floor_divide(a, b).to_vector<int64_t>() == std::vector<int64_t>{-4, 3, 3, -4, 2});
    CHECK(remainder(a, b).to_vector<int64_t>() == std::vector<int64_t>{1, 1, -1, -1, 0});
    CHECK(a.floor_divide(b).to_vector<int64_t>() == floor_divide(a, b).to_vector<int64_t>());
    CHECK(a.remainder(b).to_vector<int64_t>() == remainder(a, b).to_vector<int64_t>());
    CHECK((a - b).to_vector<int64_t>() == std::vector<int64_t>{-9, 5, -5, 9, 3});
    CHECK(neg(a).to_vector<int64_t>() == std::vector<int64_t>{7, -7, 7, -7, -6});
    CHECK(abs(a).to_vector<int64_t>() == std::vector<int64_t>{7, 7, 7, 7, 6});
    CHECK(sign(a).to_vector<int64_t>() == std::vector<int64_t>{-1, 1, -1, 1, 1});
    CHECK(maximum(a, b).to_vector<int64_t>() == std::vector<int64_t>{2, 7, -2, 7, 6});
    CHECK(minimum(a, b).to_vector<int64_t>() == std::vector<int64_t>{-7, 2, -7, -2, 3});
    CHECK(pow(b, tensor({3}, kInt64)).to_vector<int64_t>() == std::vector<int64_t>{8, 8, -8, -8, 27});
    // beyond 2^53, where a pass through double (let alone float) would round
    const int64_t big = (int64_t{1} << 53) + 1;
    const Tensor t = tensor(std::vector<int64_t>{big});
    CHECK((t + t).item<int64_t>() == 2 * big);
    CHECK((t * 1).item<int64_t>() == big);
    CHECK((t == tensor(std::vector<int64_t>{big - 1})).item<bool>() == false);
    // float math on integers computes in float32, as PyTorch
    CHECK(exp(tensor({0, 1}, kInt64)).dtype() == kFloat32);
    CHECK_VALUES(exp(tensor({0, 1}, kInt64)), {2}, {1.0f, std::exp(1.0f)});
    CHECK(sqrt(tensor(std::vector<bool>{true})).dtype() == kFloat32);
    CHECK(floor(a).dtype() == kInt64);
    CHECK(floor(a).to_vector<int64_t>() == a.to_vector<int64_t>());
}

TEST_CASE("float floor_divide and remainder round toward -inf, with the sign of the divisor") {
    const Tensor a = tensor({-7.5f, 7.5f, -7.5f, 7.5f}), b = tensor({2, 2, -2, -2});
    CHECK_VALUES(floor_divide(a, b), {4}, {-4, 3, 3, -4});
    CHECK_VALUES(remainder(a, b), {4}, {0.5f, 1.5f, -1.5f, -0.5f});
    // a float divisor of 0 follows IEEE (no error); an integer one is refused
    CHECK(std::isinf(floor_divide(tensor({1.0f}), tensor({0.0f})).item()));
}

TEST_CASE("integer division by zero is a ValueError naming the op") {
    const Tensor a = tensor({4, 5}, kInt64), z = tensor({1, 0}, kInt64);
    CHECK_ERROR(ValueError, [&] { floor_divide(a, z); }, {"floor_divide()", "division by zero"});
    CHECK_ERROR(ValueError, [&] { remainder(a, z); }, {"remainder()", "division by zero"});
    CHECK_ERROR(ValueError, [&] { a.remainder(tensor(std::vector<bool>{false})); },
                {"remainder()", "int64", "bool"});
}

TEST_CASE("subtracting bools is a TypeError, as in PyTorch") {
    const Tensor b = tensor(std::vector<bool>{true, false});
    CHECK_ERROR(TypeError, [&] { (void)(b - b); }, {"sub()", "bool", "logical_xor"});
}

TEST_CASE("comparisons return bool masks in every dtype") {
    for (ScalarType t : {kInt64, kFloat32, kFloat64}) {
        INFO(t);
        const Tensor a = tensor({1, 2, 3}, t), b = tensor({2, 2, 2}, t);
        for (const Tensor& m : V{eq(a, b), ne(a, b), lt(a, b), le(a, b), gt(a, b), ge(a, b)})
            CHECK(m.dtype() == kBool);
        CHECK(lt(a, b).to_vector<bool>() == std::vector<bool>{true, false, false});
        CHECK(a.ge(b).to_vector<bool>() == std::vector<bool>{false, true, true});
        CHECK(a.eq(b).to_vector<bool>() == std::vector<bool>{false, true, false});
        CHECK(a.ne(b).to_vector<bool>() == std::vector<bool>{true, false, true});
        CHECK(a.le(b).to_vector<bool>() == std::vector<bool>{true, true, false});
        CHECK(a.gt(b).to_vector<bool>() == std::vector<bool>{false, false, true});
    }
    // int64 against float: compared in float32
    CHECK((tensor({1, 2}, kInt64) < tensor({1.5f, 1.5f})).to_vector<bool>() ==
          std::vector<bool>{true, false});
    // bools compare as 0 < 1
    const Tensor t = tensor(std::vector<bool>{true, false});
    CHECK((t > tensor(std::vector<bool>{false, false})).to_vector<bool>() ==
          std::vector<bool>{true, false});
}

// gradcheck perturbs float32 inputs; f64 runs the function in float64 (through the
// differentiable to()), so it is float64's forward and backward that are checked.
autograd::TensorFunction in_f64(std::function<Tensor(const V&)> f) {
    return [f](const V& v) {
        V d;
        for (const Tensor& t : v) d.push_back(t.to(kFloat64));
        const Tensor out = f(d);
        REQUIRE(out.dtype() == kFloat64);
        return out;  // gradcheck runs in float64: rounding to float32 here would defeat it
    };
}

TEST_CASE("float64 gradients of the elementwise ops, first and second order") {
    const Tensor a = tensor({0.3f, 0.7f, 1.1f, 1.9f}).requires_grad_();
    const Tensor b = tensor({1.2f, -0.4f, 0.8f, 2.5f}).requires_grad_();
    const std::vector<std::function<Tensor(const V&)>> fs = {
        [](const V& v) { return v[0] * v[1] + v[0] / v[1] - v[1]; },
        [](const V& v) { return exp(v[0]) * sin(v[1]) + tanh(v[0] * v[1]); },
        [](const V& v) { return sigmoid(v[0]) * erf(v[1]) + sqrt(v[0]) * log(v[0]); },
        [](const V& v) { return pow(v[0], 2.5f) + maximum(v[0], v[1]) * 0.5; },
        [](const V& v) { return atan2(v[0], v[1]) + remainder(v[0] * 3.0, v[1] + 3.0); },
        [](const V& v) { return relu(v[1]) * cos(v[0]) + clamp(v[1], -0.5f, 1.0f) * v[0]; },
    };
    for (size_t i = 0; i < fs.size(); ++i) {
        INFO("function " << i);
        CHECK(gradcheck(in_f64(fs[i]), {a, b}));
        CHECK(gradgradcheck(in_f64(fs[i]), {a, b}));
    }
    // the gradient of a float64 input is float64, computed in double
    const Tensor x = tensor({0.1, 0.2}, kFloat64).requires_grad_();
    const Tensor y = tensor({0.3, 0.7}, kFloat64);
    (x * y * x).backward(ones({2}, kFloat64));
    CHECK(x.grad().dtype() == kFloat64);
    CHECK(x.grad().to_vector<double>() == std::vector<double>{0.3 * 0.1 + 0.1 * 0.3,
                                                             0.7 * 0.2 + 0.2 * 0.7});
}

TEST_CASE("remainder is differentiable in float32 as well, floor_divide has no gradient") {
    const Tensor a = tensor({0.3f, 2.7f, -1.1f}).requires_grad_();
    const Tensor b = tensor({1.0f, 1.3f, 0.7f}).requires_grad_();
    CHECK(gradcheck([](const V& v) { return remainder(v[0], v[1]); }, {a, b}));
    CHECK(gradgradcheck([](const V& v) { return remainder(v[0], v[1]) * v[0]; }, {a, b}));
    CHECK_FALSE(floor_divide(a, b).requires_grad());
}
