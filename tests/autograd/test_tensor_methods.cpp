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
    CHECK(x.argmax(1) == std::vector<int64_t>{2, 1});
    CHECK(equal(x.softmax(-1), softmax(x, 1)));
    CHECK(equal(x.select(0, 1), tensor({-4, 5, -6})));
}
