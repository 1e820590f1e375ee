// Tensor's in-place updates and the method forms of ops.
#include "support.hpp"

using namespace descent;

TEST_CASE("in-place updates") {
    Tensor t = tensor({1, 2, 3, 4}, {2, 2});
    t.add_(tensor({10, 20}));  // broadcast row
    CHECK_VALUES(t, {2, 2}, {11, 22, 13, 24});
    t.sub_(ones({2, 2}), 2.0f);
    CHECK_VALUES(t, {2, 2}, {9, 20, 11, 22});
    t.add_(ones({2}), 0.5f);
    CHECK_VALUES(t, {2, 2}, {9.5f, 20.5f, 11.5f, 22.5f});
    t.mul_(2.0f);
    CHECK_VALUES(t, {2, 2}, {19, 41, 23, 45});
    t.mul_(tensor({1, 0}));
    CHECK_VALUES(t, {2, 2}, {19, 0, 23, 0});
    t.div_(tensor({19, 1}));
    CHECK_VALUES(t, {2, 2}, {1, 0, 23.0f / 19.0f, 0});
    t.clamp_(0.0f, 1.0f);
    CHECK_VALUES(t, {2, 2}, {1, 0, 1, 0});
    t.copy_(tensor({5, 6}));
    CHECK_VALUES(t, {2, 2}, {5, 6, 5, 6});
    t.fill_(3.0f);
    CHECK_VALUES(t, {2, 2}, {3, 3, 3, 3});
    t.zero_();
    CHECK_VALUES(t, {2, 2}, {0, 0, 0, 0});
}

TEST_CASE("in-place random fills use the generator") {
    Generator g1(9), g2(9);
    Tensor a = zeros({5}), b = zeros({5});
    a.uniform_(-1.0f, 1.0f, g1);
    b.uniform_(-1.0f, 1.0f, g2);
    CHECK(equal(a, b));
    a.normal_(0.0f, 1.0f, g1);
    CHECK_FALSE(equal(a, b));
}

TEST_CASE("in-place errors") {
    Tensor t = zeros({2, 2});
    CHECK_ERROR(ShapeError, [&] { t.add_(ones({3})); }, {"add_()", "(3)", "(2, 2)"});
    CHECK_ERROR(ShapeError, [&] { t.copy_(ones({2, 2, 2})); }, {"copy_()", "(2, 2, 2)"});
    Tensor w = ones({2, 2}).requires_grad_();
    CHECK_ERROR(StateError, [&] { t.add_(w); }, {"add_()", "requires grad"});
    CHECK_ERROR(StateError, [&] { w.sub_(t); }, {"sub_()", "requires grad"});
    CHECK_ERROR(ShapeError, [&] { t.sub_(ones({3})); }, {"sub_()", "(3)", "(2, 2)"});
    CHECK_ERROR(StateError, [&] { w.zero_(); }, {"fill_()", "NoGradGuard"});
    CHECK_ERROR(ValueError, [&] { t.clamp_(1.0f, 0.0f); }, {"clamp_()", "min 1"});
}

TEST_CASE("method forms match the free functions") {
    const Tensor x = tensor({1, -2, 3, -4, 5, -6}, {2, 3});
    CHECK(equal(x.relu(), relu(x)));
    CHECK(equal(x.sum(1), sum(x, 1)));
    CHECK(equal(x.abs().sqrt(), sqrt(abs(x))));
    CHECK(equal(x.t(), transpose(x, 0, 1)));
    CHECK(equal(x.reshape({3, 2}).matmul(x), matmul(reshape(x, {3, 2}), x)));
    CHECK(x.argmax(1).to_vector<int64_t>() == std::vector<int64_t>{2, 1});
    CHECK(equal(x.softmax(-1), softmax(x, 1)));
    CHECK(equal(x.select(0, 1), tensor({-4, 5, -6})));
}

TEST_CASE("compound operators update in place, as the in-place methods") {
    Tensor t = tensor({1, 2, 3, 4}, {2, 2});
    const Tensor before = t;  // a second handle: the same storage sees every update
    t += tensor({10, 20});
    CHECK_VALUES(before, {2, 2}, {11, 22, 13, 24});
    t -= 1.0f;
    CHECK_VALUES(t, {2, 2}, {10, 21, 12, 23});
    t *= 2.0f;
    CHECK_VALUES(t, {2, 2}, {20, 42, 24, 46});
    t /= tensor({2, 1}, {2, 1});
    CHECK_VALUES(t, {2, 2}, {10, 21, 24, 46});
    t += 0.5f;
    CHECK_VALUES(t, {2, 2}, {10.5f, 21.5f, 24.5f, 46.5f});
    t -= ones({2, 2});
    CHECK_VALUES(t, {2, 2}, {9.5f, 20.5f, 23.5f, 45.5f});
    t *= tensor({0, 1});
    CHECK_VALUES(t, {2, 2}, {0, 20.5f, 0, 45.5f});
    t /= 3.0f;  // a true division: the bits of x / 3.f
    CHECK(t.data()[1] == 20.5f / 3.0f);
    CHECK(t.is_same(before));
    // Each bumps the version, so a tensor saved for backward and then updated is caught.
    const uint64_t v = t.version();
    t += 1.0f;
    t.add_(1.0f).sub_(2.0f).div_(2.0f);
    CHECK(t.version() == v + 4);
    // Chained, and through a view of the first row.
    Tensor u = zeros({2, 3});
    (u.narrow(0, 0, 1) += 1.0f) *= 5.0f;
    CHECK_VALUES(u, {2, 3}, {5, 5, 5, 0, 0, 0});
    // Through strided views: column 1 (x.t()[1]), and x[:, 2] *= 2 written libtorch's way.
    u.t()[1] += tensor({1, 2});
    u.index({indexing::Slice(), 2}) *= 2.0f;
    CHECK_VALUES(u, {2, 3}, {5, 6, 10, 0, 2, 0});
    CHECK_VALUES(-tensor({1, -2}), {2}, {-1, 2});
}

TEST_CASE("compound operators are refused where add_ is") {
    Tensor w = ones({2, 2}).requires_grad_();
    Tensor t = zeros({2, 2});
    CHECK_ERROR(StateError, [&] { w += 1.0f; }, {"add_()", "requires grad", "NoGradGuard"});
    CHECK_ERROR(StateError, [&] { w -= t; }, {"sub_()", "requires grad"});
    CHECK_ERROR(StateError, [&] { w *= 2.0f; }, {"mul_()", "requires grad"});
    CHECK_ERROR(StateError, [&] { w /= 2.0f; }, {"div_()", "requires grad"});
    CHECK_ERROR(StateError, [&] { t += w; }, {"add_()", "operand", "requires grad"});
    CHECK_ERROR(ShapeError, [&] { t *= ones({3}); }, {"mul_()", "(3)", "(2, 2)"});
    CHECK_ERROR(ShapeError, [&] { t /= ones({2, 2, 2}); }, {"div_()", "(2, 2, 2)", "(2, 2)"});
    Tensor u;
    CHECK_ERROR(ValueError, [&] { u += 1.0f; }, {"add_()", "undefined"});
    // A non-leaf that requires grad is refused as well; under NoGradGuard a leaf may be updated.
    Tensor y = w * 2.0f;
    CHECK_ERROR(StateError, [&] { y += 1.0f; }, {"add_()", "requires grad"});
    {
        NoGradGuard no_grad;
        w -= 0.5f;
    }
    CHECK_VALUES(w, {2, 2}, {0.5f, 0.5f, 0.5f, 0.5f});
}

TEST_CASE("method forms of the everyday ops match the free functions") {
    const Tensor x = test::input({2, 3, 4}, 91), y = test::input({2, 3, 4}, 92);
    using Dims = std::vector<int64_t>;
    CHECK(equal(x.sum(Dims{0, 2}), sum(x, Dims{0, 2})));
    CHECK(equal(x.var(Dims{1}, 0, true), var(x, Dims{1}, 0, true)));
    CHECK(equal(x.var(std::nullopt, 2), var(x, std::nullopt, 2)));
    CHECK(equal(x.var(1, 2), var(x, 1, 2)));
    CHECK(equal(x.std(Dims{0, 1}, 1), descent::std(x, Dims{0, 1}, 1)));
    CHECK(equal(x.std(2, true, true), descent::std(x, 2, true, true)));
    CHECK(equal(x.norm(1.0f, Dims{2}), norm(x, 1.0f, Dims{2})));
    CHECK(equal(x.prod(), prod(x)));
    CHECK(equal(x.prod(1), prod(x, 1)));
    CHECK(equal(x.cumsum(1), cumsum(x, 1)));
    CHECK(equal(x.cumprod(-1), cumprod(x, -1)));
    CHECK(equal(x.amin(Dims{0, 1}), amin(x, Dims{0, 1})));
    CHECK(equal(x.split(1, 1)[2], split(x, 1, 1)[2]));
    CHECK(equal(x.split_with_sizes(Dims{1, 3}, 2)[1], split(x, Dims{1, 3}, 2)[1]));
    CHECK(equal(x.chunk(3, 2)[0], chunk(x, 3, 2)[0]));
    CHECK(equal(x.unbind(1)[1], unbind(x, 1)[1]));
    CHECK(equal(x.tril(1), tril(x, 1)));
    CHECK(equal(x.roll(Dims{1}, Dims{0}), roll(x, Dims{1}, Dims{0})));
    CHECK(equal(x.lerp(y, 0.7f), lerp(x, y, 0.7f)));
    CHECK(equal(x.atan2(y), atan2(x, y)));
    CHECK(equal(x.floor(), floor(x)));
    CHECK(equal(x.clamp(y, std::nullopt), clamp(x, y, std::nullopt)));
}

TEST_CASE("fill_, zero_ and copy_ convert to the tensor's dtype, as torch") {
    Tensor i = zeros({3}, kInt64);
    i.fill_(2.7);  // truncated, as torch's fill_
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{2, 2, 2});
    i.fill_(-3.9);
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{-3, -3, -3});
    i.zero_();
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{0, 0, 0});
    Tensor b = zeros({2}, kBool);
    b.fill_(0.5);
    CHECK(b.to_vector<bool>() == std::vector<bool>{true, true});
    Tensor d = zeros({2, 2}, kFloat64);
    d.select(1, 0).fill_(0.1);  // a strided view
    CHECK(d.to_vector<double>() == std::vector<double>{0.1, 0.0, 0.1, 0.0});
    // copy_ from another dtype converts (float to int64 truncates toward 0)
    Tensor c = zeros({3}, kInt64);
    c.copy_(tensor({1.9f, -1.9f, 3.0f}));
    CHECK(c.to_vector<int64_t>() == std::vector<int64_t>{1, -1, 3});
    Tensor f = zeros({2, 3}, kFloat64);
    f.copy_(tensor({1, 2, 3}, kInt64));  // broadcast rows
    CHECK(f.to_vector<double>() == std::vector<double>{1, 2, 3, 1, 2, 3});
    Tensor g = zeros({3});
    g.copy_(tensor(std::vector<bool>{true, false, true}));
    CHECK_VALUES(g, {3}, {1, 0, 1});
}

TEST_CASE("in-place arithmetic on int64 and float64, and the compound operators") {
    Tensor i = tensor({7, -7}, kInt64);
    i += tensor({1, 1}, kInt64);
    i -= 2;
    i *= 3;
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{18, -24});
    i *= 2.0;  // a whole number keeps an int64 update int64
    i.add_(tensor({1, 1}, kInt64), 5.0f);
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{41, -43});
    i.mul_(tensor(std::vector<bool>{true, false}));
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{41, 0});
    // float64 updates stay in double: 0.1 is not rounded to float
    Tensor d = tensor({1.0, 2.0}, kFloat64);
    d += 0.1;
    d *= 0.3;
    d -= tensor({0.2, 0.2}, kFloat64);
    d /= 0.7;
    CHECK(d.to_vector<double>() ==
          std::vector<double>{((1.0 + 0.1) * 0.3 - 0.2) / 0.7, ((2.0 + 0.1) * 0.3 - 0.2) / 0.7});
    d.div_(tensor({2}, kInt64));
    CHECK(d.dtype() == kFloat64);
    // float32 += float64 narrows within the kind, as torch
    Tensor f = tensor({1.0f});
    f += tensor({0.5}, kFloat64);
    f.add_(tensor({1}, kInt64));
    CHECK_VALUES(f, {1}, {2.5f});
    CHECK(f.dtype() == kFloat32);
    // through a strided view of an int64 tensor
    Tensor m = tensor(std::vector<int64_t>{1, 2, 3, 4}, {2, 2});
    Tensor col = m.select(1, 1);
    col += tensor({10, 10}, kInt64);
    CHECK(m.to_vector<int64_t>() == std::vector<int64_t>{1, 12, 3, 14});
}

TEST_CASE("an in-place result that needs a wider kind is a TypeError naming both dtypes") {
    Tensor i = tensor({1, 2}, kInt64);
    CHECK_ERROR(TypeError, [&] { i += tensor({0.5f, 0.5f}); },
                {"add_()", "result type float32", "output type int64"});
    CHECK_ERROR(TypeError, [&] { i /= 2; }, {"div_()", "float32", "int64"});
    CHECK_ERROR(TypeError, [&] { i.div_(tensor({2, 2}, kInt64)); }, {"div_()", "float32", "int64"});
    CHECK_ERROR(TypeError, [&] { i *= 2.5; }, {"mul_()", "float32", "int64"});
    CHECK_ERROR(TypeError, [&] { i.sub_(0.5); }, {"sub_()", "float32", "int64"});
    Tensor b = tensor(std::vector<bool>{true, false});
    CHECK_ERROR(TypeError, [&] { b += tensor({1, 1}, kInt64); }, {"add_()", "int64", "bool"});
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{1, 2});  // untouched by the refusals
}

TEST_CASE("method forms of the dtype and mask ops") {
    const Tensor x = tensor({1.0f, -2.0f, 3.0f}), y = tensor({2.0f, 2.0f, 2.0f});
    CHECK(equal(x.floor_divide(y), floor_divide(x, y)));
    CHECK(equal(x.remainder(y), remainder(x, y)));
    CHECK(equal(x.lt(y), lt(x, y)));
    CHECK(equal(x.isfinite(), isfinite(x)));
    CHECK(equal(x.masked_fill(x > 0, 0.0), masked_fill(x, x > 0, 0.0)));
    CHECK(equal(x.masked_select(x > 0), masked_select(x, x > 0)));
    CHECK(equal((x > 0).logical_and(y > 0), logical_and(x > 0, y > 0)));
    CHECK(equal((x > 0).any(0), any(x > 0, 0)));
}

TEST_CASE("uniform_ and normal_ fill float64 tensors and views with the float32 stream, widened") {
    Generator g32(7), g64(7);
    Tensor a = zeros({3, 4});
    Tensor b = zeros({3, 4}, kFloat64);
    a.uniform_(-2.0f, 3.0f, g32);
    b.uniform_(-2.0f, 3.0f, g64);
    CHECK(equal(b, a.to(kFloat64)));
    for (double v : b.to_vector<double>()) CHECK((v >= -2.0 && v <= 3.0));
    // Through a strided view: only the view's elements change.
    Tensor c = zeros({4, 4}, kFloat64);
    Tensor col = c.select(1, 2);
    col.normal_(1.0f, 0.5f, g64);
    Tensor expected = zeros({4});
    expected.normal_(1.0f, 0.5f, g32);
    CHECK(equal(c.select(1, 2), expected.to(kFloat64)));
    CHECK(c.select(1, 0).abs().sum().item<double>() == 0.0);
}

TEST_CASE("uniform_ and normal_ refuse integer and bool tensors") {
    Tensor i = zeros({3}, kInt64);
    CHECK_ERROR(TypeError, [&] { i.uniform_(0.0f, 1.0f); }, {"uniform_()", "int64"});
    Tensor m = zeros({3}, kBool);
    CHECK_ERROR(TypeError, [&] { m.normal_(0.0f, 1.0f); }, {"normal_()", "bool"});
}
