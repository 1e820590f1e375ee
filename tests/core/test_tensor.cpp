// The Tensor handle: shared storage, views, clone, element access and equality helpers.
#include "support.hpp"

using namespace descent;

TEST_CASE("a copy of a Tensor is a handle to the same data, and clone copies") {
    Tensor a = zeros({2, 2});
    Tensor b = a;
    b.data()[0] = 5.0f;
    CHECK(a.data()[0] == 5.0f);
    CHECK(a.is_same(b));
    Tensor c = a.clone();
    c.data()[1] = 7.0f;
    CHECK(a.data()[1] == 0.0f);
    CHECK_FALSE(c.is_same(a));
}

TEST_CASE("shape accessors") {
    const Tensor t = zeros({2, 3, 4});
    CHECK(t.dim() == 3);
    CHECK(t.numel() == 24);
    CHECK(t.size(-1) == 4);
    CHECK(t.size(0) == 2);
    CHECK(t.sizes() == Shape{2, 3, 4});
    CHECK_ERROR(IndexError, [&] { t.size(3); }, {"size()", "dim 3", "(2, 3, 4)"});
}

TEST_CASE("an undefined tensor throws instead of crashing") {
    Tensor undefined;
    CHECK_FALSE(undefined.defined());
    CHECK_ERROR(ValueError, [&] { undefined.item(); }, {"numel()", "undefined tensor"});
    CHECK_ERROR(ValueError, [&] { undefined.data(); }, {"data()", "undefined tensor"});
    CHECK_ERROR(ValueError, [&] { undefined.requires_grad_(); }, {"undefined tensor"});
    CHECK_ERROR(ValueError, [&] { undefined.grad(); }, {"grad()", "undefined tensor"});
    // The usual way to meet one: the gradient of a leaf before any backward.
    const Tensor w = ones({2}).requires_grad_();
    CHECK_ERROR(ValueError, [&] { w.grad().item(); }, {"undefined tensor"});
}

TEST_CASE("item() reads one element and refuses more") {
    CHECK(scalar_tensor(2.5f).item() == 2.5f);
    CHECK(tensor({4.0f}).item() == 4.0f);
    CHECK_ERROR(ValueError, [] { zeros({2, 3}).item(); }, {"item()", "(2, 3)"});
}

TEST_CASE("views share storage and see each other's writes") {
    Tensor base = arange(6.0f);
    Tensor v = make_view(base, 2, {2, 2});  // elements 2..5 as a matrix
    CHECK(v.data() == base.data() + 2);
    v.data()[3] = -1.0f;
    CHECK(base.data()[5] == -1.0f);
    CHECK(v.impl()->storage == base.impl()->storage);
}

TEST_CASE("equal and allclose") {
    const Tensor a = tensor({1.0f, 2.0f}), b = tensor({1.0f, 2.0f + 1e-6f});
    CHECK(equal(a, a.clone()));
    CHECK_FALSE(equal(a, b));
    CHECK(allclose(a, b));
    CHECK_FALSE(allclose(a, b, 0.0, 1e-9));
    CHECK_FALSE(allclose(a, tensor({1.0f, 2.0f}, {2, 1})));  // shapes differ
    CHECK_FALSE(allclose(tensor({NAN}), tensor({NAN})));
}

TEST_CASE("requires_grad_ sets the flag on leaves") {
    Tensor x = ones({2});
    CHECK_FALSE(x.requires_grad());
    CHECK(x.requires_grad_().requires_grad());
    CHECK(x.is_leaf());
    x.requires_grad_(false);
    CHECK_FALSE(x.requires_grad());
}

TEST_CASE("layout rules: contiguity and internal overlap") {
    CHECK(is_contiguous_layout({2, 3}, {3, 1}));
    CHECK_FALSE(is_contiguous_layout({2, 3}, {1, 2}));
    CHECK(is_contiguous_layout({2, 1, 3}, {3, 99, 1}));  // a size-1 dim's stride is never used
    CHECK(is_contiguous_layout({0, 3}, {7, 7}));         // no elements
    CHECK(is_contiguous_layout({}, {}));
    CHECK_FALSE(has_internal_overlap({2, 3}, {1, 2}));  // a transpose
    CHECK_FALSE(has_internal_overlap({3}, {4}));        // a column
    CHECK(has_internal_overlap({2, 3}, {0, 1}));        // expanded rows
    CHECK(has_internal_overlap({3, 2}, {1, 1}));        // overlapping windows
    CHECK_FALSE(has_internal_overlap({2, 2}, {2, 1}));
    CHECK_FALSE(has_internal_overlap({1, 3}, {0, 1}));  // stride 0 on a size-1 dim
}

TEST_CASE("a strided view: offset, strides, and the accessors that read any layout") {
    Tensor base = tensor({0, 1, 2, 3, 4, 5}, {2, 3});
    const Tensor v = make_strided_view(base, {3, 2}, {1, 3}, 0);  // the transpose
    CHECK_FALSE(v.is_contiguous());
    CHECK(v.stride(0) == 1);
    CHECK(v.stride(-1) == 3);
    CHECK(v.to_vector() == std::vector<float>{0, 3, 1, 4, 2, 5});
    CHECK(equal(v, tensor({0, 3, 1, 4, 2, 5}, {3, 2})));
    CHECK(allclose(v, tensor({0, 3, 1, 4, 2, 5}, {3, 2})));
    const Tensor one = make_strided_view(base, {}, {}, 4);
    CHECK(one.item() == 4);
    const Tensor a = alias(v);
    CHECK_FALSE(a.is_same(v));
    CHECK(a.strides() == v.strides());
    CHECK(a.impl()->storage == base.impl()->storage);
    base.data()[1] = 10;
    CHECK(v.to_vector()[2] == 10);
    CHECK(detail::dense(base).is_same(base));
    CHECK(detail::dense(v).is_contiguous());
}
