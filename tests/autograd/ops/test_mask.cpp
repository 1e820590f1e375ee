// masked_fill (number and 0-d tensor values, out of place and in place) and masked_select: values
// across dtypes, broadcasting, gradients to second order, and the errors.
#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;
using B = std::vector<bool>;

TEST_CASE("masked_fill writes the value where the mask is true") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor mask = tensor(B{true, false, true, false, false, true}, {2, 3});
    CHECK_VALUES(masked_fill(a, mask, -1.0), {2, 3}, {-1, 2, -1, 4, 5, -1});
    CHECK_VALUES(a.masked_fill(mask, 9.5), {2, 3}, {9.5f, 2, 9.5f, 4, 5, 9.5f});
    // a mask broadcast to a's shape: a row
    CHECK_VALUES(a.masked_fill(tensor(B{false, true, false}), 0.0), {2, 3}, {1, 0, 3, 4, 0, 6});
    // the mask from a comparison
    CHECK_VALUES(a.masked_fill(a > 3.5f, 0.0), {2, 3}, {1, 2, 3, 0, 0, 0});
    // the result keeps a's dtype; the value is converted to it (int64: truncated, as fill_)
    const Tensor i = tensor({1, 2, 3}, kInt64);
    const Tensor r = i.masked_fill(tensor(B{false, true, false}), 2.7);
    CHECK(r.dtype() == kInt64);
    CHECK(r.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 3});
    CHECK(i.masked_fill(tensor(B{true, false, false}), -7.9).to_vector<int64_t>() ==
          std::vector<int64_t>{-7, 2, 3});
    const Tensor d = tensor({0.5, 0.25}, kFloat64).masked_fill(tensor(B{true, false}), 0.1);
    CHECK(d.to_vector<double>() == std::vector<double>{0.1, 0.25});
    // a 0-d tensor value, converted to a's dtype
    const Tensor t = a.masked_fill(mask, scalar_tensor(0.1, kFloat64));
    CHECK(t.dtype() == kFloat32);
    CHECK_VALUES(t, {2, 3}, {0.1f, 2, 0.1f, 4, 5, 0.1f});
}

TEST_CASE("masked_fill_ writes in place, through a view too") {
    Tensor a = tensor({1, 2, 3, 4});
    a.masked_fill_(tensor(B{false, true, true, false}), 0.0);
    CHECK_VALUES(a, {4}, {1, 0, 0, 4});
    Tensor base = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    Tensor col = base.select(1, 1);  // (2), strided
    col.masked_fill_(tensor(B{true, false}), scalar_tensor(-5));
    CHECK_VALUES(base, {2, 3}, {1, -5, 3, 4, 5, 6});
    Tensor i = tensor({1, 2}, kInt64);
    i.masked_fill_(tensor(B{false, true}), 3.9);
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{1, 3});
    const uint64_t v = base.version();
    base.masked_fill_(base > 4.5f, 0.0);
    CHECK(base.version() > v);
    CHECK_VALUES(base, {2, 3}, {1, -5, 3, 4, 0, 0});
}

TEST_CASE("masked_select copies the selected elements into 1-D") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor mask = tensor(B{true, false, true, false, false, true}, {2, 3});
    CHECK_VALUES(masked_select(a, mask), {3}, {1, 3, 6});
    CHECK_VALUES(a.masked_select(a > 2.5f), {4}, {3, 4, 5, 6});
    // broadcast mask: a row selects per row
    CHECK_VALUES(a.masked_select(tensor(B{false, true, true})), {4}, {2, 3, 5, 6});
    // a strided view, int64 and bool inputs
    CHECK_VALUES(a.t().masked_select(a.t() > 3.5f), {3}, {4, 5, 6});
    const Tensor i = tensor({10, 20, 30}, kInt64).masked_select(tensor(B{true, false, true}));
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{10, 30});
    CHECK(masked_select(a, zeros({2, 3}).to(kBool)).shape() == Shape{0});
}

TEST_CASE("masked_fill, masked_select and where with a bool mask are differentiable") {
    const Tensor a = tensor({0.5f, -1.0f, 2.0f, 0.3f, -0.7f, 1.1f}, {2, 3}).requires_grad_();
    const Tensor b = tensor({1.5f, 0.2f, -0.4f}).requires_grad_();
    const Tensor value = scalar_tensor(0.7f).requires_grad_();
    const Tensor mask = tensor(B{true, false, true, false, false, true}, {2, 3});
    const Tensor row = tensor(B{false, true, true});
    CHECK(gradcheck([&](const V& v) { return masked_fill(v[0], mask, 2.0) * v[0]; }, {a}));
    CHECK(gradgradcheck([&](const V& v) { return masked_fill(v[0], mask, 2.0) * v[0]; }, {a}));
    CHECK(gradcheck([&](const V& v) { return masked_fill(v[0] * v[1], mask, v[1]); },
                    {a, value}));
    CHECK(gradgradcheck([&](const V& v) { return masked_fill(v[0] * v[1], mask, v[1]); },
                        {a, value}));
    CHECK(gradcheck([&](const V& v) { return masked_select(v[0] * v[0], mask); }, {a}));
    CHECK(gradgradcheck([&](const V& v) { return masked_select(v[0] * v[0], mask); }, {a}));
    // a broadcast operand: b (3) beside a (2, 3) gets its gradient summed over the rows
    CHECK(gradcheck([&](const V& v) { return masked_select(v[0] * v[1], row); }, {a, b}));
    CHECK(gradgradcheck([&](const V& v) { return masked_select(v[0] * v[1], row); }, {a, b}));
    CHECK(gradcheck([&](const V& v) { return where(mask, v[0], v[1] * v[1]); }, {a, b}));
    CHECK(gradgradcheck([&](const V& v) { return where(mask, v[0], v[1] * v[1]); }, {a, b}));
    // the gradient lands where it was selected
    Tensor x = tensor({1.0f, 2.0f, 3.0f}).requires_grad_();
    masked_select(x, tensor(B{true, false, true})).backward(tensor({10.0f, 20.0f}));
    CHECK_VALUES(x.grad(), {3}, {10, 0, 20});
    Tensor y = tensor({1.0f, 2.0f, 3.0f}).requires_grad_();
    masked_fill(y, tensor(B{true, false, true}), 0.0).backward(tensor({5.0f, 6.0f, 7.0f}));
    CHECK_VALUES(y.grad(), {3}, {0, 6, 0});
}

TEST_CASE("mask errors name the op and the values") {
    const Tensor a = tensor({1, 2, 3});
    CHECK_ERROR(TypeError, [&] { masked_fill(a, tensor({1, 0, 1}), 0.0); },
                {"masked_fill()", "bool mask", "float32"});
    CHECK_ERROR(TypeError, [&] { masked_select(a, tensor({1, 0, 1}, kInt64)); },
                {"masked_select()", "bool mask", "int64"});
    CHECK_ERROR(ShapeError, [&] { masked_fill(a, tensor(B{true, false}), 0.0); },
                {"masked_fill()", "(2)", "(3)"});
    CHECK_ERROR(ShapeError, [&] { masked_fill(a, tensor(B{true, false, true}), tensor({1, 2})); },
                {"masked_fill()", "0-d", "(2)"});
    Tensor w = tensor({1, 2, 3}).requires_grad_();
    CHECK_ERROR(StateError, [&] { w.masked_fill_(w > 1.5f, 0.0); }, {"masked_fill_()", "(3)"});
    CHECK_ERROR(ValueError, [&] { masked_select(Tensor(), a > 1); }, {"masked_select()"});
}
