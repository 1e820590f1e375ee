// cumsum, cumprod and prod: values against naive loops (along each dim, 0-d, empty), gradients of
// the first and second order, with zeros among the entries, and errors.
#include <cmath>

#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;

namespace {

// x (2, 3, 4) scanned along `dim` with `op` (a running sum or product), naively.
template <class Op>
std::vector<float> naive_scan(const Tensor& x, int64_t dim, Op op) {
    const int64_t sizes[3] = {2, 3, 4}, strides[3] = {12, 4, 1};
    std::vector<float> out(24);
    for (int64_t f = 0; f < 24; ++f) {
        const int64_t at = f / strides[dim] % sizes[dim];
        double acc = x.data()[f - at * strides[dim]];
        for (int64_t j = 1; j <= at; ++j) acc = op(acc, x.data()[f - (at - j) * strides[dim]]);
        out[f] = static_cast<float>(acc);
    }
    return out;
}

// x (2, 3, 4) multiplied along `dim`, naively, keepdim shape.
std::vector<float> naive_prod(const Tensor& x, int64_t dim) {
    const std::vector<float> scan = naive_scan(x, dim, [](double a, double b) { return a * b; });
    const int64_t sizes[3] = {2, 3, 4}, strides[3] = {12, 4, 1};
    std::vector<float> out;
    for (int64_t f = 0; f < 24; ++f)
        if (f / strides[dim] % sizes[dim] == sizes[dim] - 1) out.push_back(scan[f]);
    return out;
}

// The input with zeros placed at `where`.
Tensor with_zeros(const Tensor& x, const std::vector<int64_t>& where) {
    Tensor t = x.detach().clone();
    for (int64_t i : where) t.data()[i] = 0.0f;
    return t.requires_grad_();
}

}  // namespace

TEST_CASE("cumsum and cumprod match naive loops along every dim") {
    const Tensor x = test::input({2, 3, 4}, 11, 0.5f, 1.5f);
    for (int64_t d = 0; d < 3; ++d) {
        INFO("dim ", d);
        CHECK_VALUES(cumsum(x, d), {2, 3, 4},
                     naive_scan(x, d, [](double a, double b) { return a + b; }));
        CHECK_VALUES(x.cumprod(d - 3), {2, 3, 4},
                     naive_scan(x, d, [](double a, double b) { return a * b; }));
    }
    CHECK_VALUES(cumsum(tensor({1, 2, 3, 4}), 0), {4}, {1, 3, 6, 10});
    CHECK_VALUES(cumprod(tensor({1, 2, 0, 4}), -1), {4}, {1, 2, 0, 0});
    CHECK_VALUES(cumsum(scalar_tensor(5), 0), {}, {5});
    CHECK_VALUES(cumprod(zeros({2, 0}), 1), {2, 0}, {});
}

TEST_CASE("prod matches naive loops, over all and along a dim") {
    const Tensor x = test::input({2, 3, 4}, 12, 0.5f, 1.5f);
    for (int64_t d = 0; d < 3; ++d) {
        Shape kept{2, 3, 4}, dropped;
        kept[d] = 1;
        for (int64_t k = 0; k < 3; ++k)
            if (k != d) dropped.push_back(kept[k]);
        CHECK_VALUES(prod(x, d), dropped, naive_prod(x, d), 1e-4);
        CHECK_VALUES(x.prod(d, true), kept, naive_prod(x, d), 1e-4);
    }
    double all = 1;
    for (int64_t i = 0; i < 24; ++i) all *= x.data()[i];
    CHECK(prod(x).item() == doctest::Approx(all).epsilon(1e-4));
    CHECK_VALUES(prod(tensor({2, 3, 4})), {}, {24});
    CHECK_VALUES(prod(zeros({0})), {}, {1});  // the empty product
    CHECK_VALUES(prod(zeros({2, 0}), 1), {2}, {1, 1});
    CHECK_VALUES(prod(scalar_tensor(3), 0, true), {}, {3});
}

TEST_CASE("prod and cumprod gradients are right where entries are 0") {
    // prod: one zero -> only it gets g · (product of the others); two zeros -> all 0.
    const Tensor one = tensor({2, 0, 3, 4}).requires_grad_();
    prod(one).backward();
    CHECK_VALUES(one.grad(), {4}, {0, 24, 0, 0});
    const Tensor two = tensor({2, 0, 3, 0}).requires_grad_();
    prod(two).backward();
    CHECK_VALUES(two.grad(), {4}, {0, 0, 0, 0});
    const Tensor none = tensor({2, 5, 3}).requires_grad_();
    prod(none).backward();
    CHECK_VALUES(none.grad(), {3}, {15, 6, 10});
    // cumprod of (2, 0, 3, 4) with g = 1: d/da_k Σ_i Π_{j≤i} a_j.
    //   a0: 1 + a1 + a1a2 + a1a2a3 = 1;  a1: a0 + a0a2 + a0a2a3 = 2 + 6 + 24 = 32;  a2, a3: 0.
    const Tensor c = tensor({2, 0, 3, 4}).requires_grad_();
    cumprod(c, 0).backward(ones({4}));
    CHECK_VALUES(c.grad(), {4}, {1, 32, 0, 0});
    // The same through create_graph (the recorded O(n²) form) gives the same first derivative.
    const Tensor c2 = tensor({2, 0, 3, 4}).requires_grad_();
    const Tensor d = autograd::grad({sum(cumprod(c2, 0))}, {c2}, {}, true, true)[0];
    CHECK_VALUES(d, {4}, {1, 32, 0, 0});
}

TEST_CASE("cumsum, cumprod and prod: gradients, first and second order") {
    const Tensor x = test::input({2, 3, 4}, 13, 0.5f, 1.5f);
    const Tensor zeroed = with_zeros(x, {1, 5, 6, 17});  // one zero in some rows, two in one
    const Tensor s = test::input({}, 14);
    auto op = [](auto f) { return [f](const V& v) { return f(v[0]); }; };
    struct Case {
        const char* name;
        autograd::TensorFunction f;
        V inputs;
    };
    for (const Case& c : std::vector<Case>{
             {"cumsum dim 0", op([](const Tensor& a) { return cumsum(a, 0); }), {x}},
             {"cumsum dim -1", op([](const Tensor& a) { return cumsum(a, -1); }), {x}},
             {"cumsum 0-d", op([](const Tensor& a) { return cumsum(a, 0); }), {s}},
             {"cumprod dim 1", op([](const Tensor& a) { return cumprod(a, 1); }), {x}},
             {"cumprod dim -1", op([](const Tensor& a) { return cumprod(a, -1); }), {x}},
             {"cumprod dim 2 with zeros",
              op([](const Tensor& a) { return cumprod(a, 2); }),
              {zeroed}},
             {"cumprod dim 0 with zeros",
              op([](const Tensor& a) { return cumprod(a, 0); }),
              {zeroed}},
             {"prod all",
              op([](const Tensor& a) { return prod(a); }),
              {test::input({2, 3}, 15, 0.5f, 1.5f)}},
             {"prod dim 1", op([](const Tensor& a) { return prod(a, 1); }), {x}},
             {"prod dim -1 keepdim with zeros",
              op([](const Tensor& a) { return prod(a, -1, true); }),
              {zeroed}},
             {"prod dim 0 with zeros", op([](const Tensor& a) { return prod(a, 0); }), {zeroed}},
             {"prod 0-d", op([](const Tensor& a) { return prod(a); }), {s}},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, c.inputs);
    }
}

TEST_CASE("cumsum, cumprod and prod: errors name the call, the dim and the shape") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(IndexError, [&] { cumsum(x, 2); }, {"cumsum()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { cumprod(x, -3); }, {"cumprod()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { prod(x, 4); }, {"prod()", "dim 4", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { x.cumsum(9); }, {"cumsum()", "dim 9"});
    const Tensor u;
    CHECK_ERROR(ValueError, [&] { cumsum(u, 0); }, {"cumsum()", "undefined"});
    CHECK_ERROR(ValueError, [&] { prod(u); }, {"prod()", "undefined"});
}

TEST_CASE("anomaly mode: cumsum's node names the caller's line") {
    autograd::DetectAnomalyGuard anomaly;
    const Tensor x = tensor({3e38f, 3e38f}).requires_grad_();  // finite, but their sum is not
    std::string msg;
    const int line = __LINE__ + 2;  // the line of the call
    try {
        x.cumsum(0);
    } catch (const ValueError& e) {
        msg = e.what();
    }
    INFO(msg);
    CHECK(msg.find("CumsumBackward produced inf") != std::string::npos);
    CHECK(msg.find(std::string(__FILE__) + ":" + std::to_string(line)) != std::string::npos);
}

TEST_CASE("cumsum, cumprod and prod read a strided view as its values") {
    const Tensor base = randn({3, 4});
    const Tensor view = base.t();  // (4, 3), strides (1, 4)
    REQUIRE(!view.is_contiguous());
    const Tensor dense = view.contiguous();
    CHECK(equal(cumsum(view, 1), cumsum(dense, 1)));
    CHECK(equal(cumprod(view, 0), cumprod(dense, 0)));
    CHECK(equal(prod(view, 1), prod(dense, 1)));
    CHECK(equal(prod(view), prod(dense)));
}
