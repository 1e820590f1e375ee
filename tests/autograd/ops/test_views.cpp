// Strided views: the layout each view op makes (sizes, strides, offset), its values against a naive
// loop over the base, writes through the view reaching the base, gradients of first and second
// order, in-place writes on views (and their refusal where elements alias), and the version
// counter shared by a base and its views.
#include <cmath>

#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

std::vector<int64_t> strides_of(const Tensor& t) { return t.strides(); }

// The element of `base` at a row-major multi-index, read through its own strides.
float at(const Tensor& t, const std::vector<int64_t>& index) {
    int64_t off = t.storage_offset();
    for (size_t d = 0; d < index.size(); ++d) off += index[d] * t.strides()[d];
    return static_cast<const float*>(t.impl()->storage->data())[off];
}

bool shares_storage(const Tensor& a, const Tensor& b) {
    return a.impl()->storage == b.impl()->storage;
}

}  // namespace

TEST_CASE("views: sizes, strides and offsets as PyTorch documents them") {
    const Tensor x = test::iota({3, 4});  // strides (4, 1)
    CHECK(strides_of(x) == std::vector<int64_t>{4, 1});
    CHECK(x.is_contiguous());
    CHECK(x.stride(-1) == 1);

    const Tensor xt = x.t();  // (4, 3), strides (1, 4), offset 0
    CHECK(xt.shape() == Shape{4, 3});
    CHECK(strides_of(xt) == std::vector<int64_t>{1, 4});
    CHECK(xt.storage_offset() == 0);
    CHECK_FALSE(xt.is_contiguous());

    const Tensor col = x.select(1, 2);  // column 2: (3), stride 4, offset 2
    CHECK(col.shape() == Shape{3});
    CHECK(strides_of(col) == std::vector<int64_t>{4});
    CHECK(col.storage_offset() == 2);
    CHECK_VALUES(col, {3}, {2, 6, 10});

    const Tensor stepped = x.slice(1, 1, 4, 2);  // columns 1 and 3
    CHECK(strides_of(stepped) == std::vector<int64_t>{4, 2});
    CHECK(stepped.storage_offset() == 1);
    CHECK_VALUES(stepped, {3, 2}, {1, 3, 5, 7, 9, 11});

    const Tensor e = tensor({1, 2, 3}).expand({2, 3});
    CHECK(strides_of(e) == std::vector<int64_t>{0, 1});

    const Tensor d = x.diagonal(1);  // x[0][1], x[1][2], x[2][3]
    CHECK(strides_of(d) == std::vector<int64_t>{5});
    CHECK(d.storage_offset() == 1);
    CHECK_VALUES(d, {3}, {1, 6, 11});

    const Tensor w = tensor({0, 1, 2, 3, 4}).unfold(0, 3, 1);  // windows (3, 3), overlapping
    CHECK(strides_of(w) == std::vector<int64_t>{1, 1});
    CHECK_VALUES(w, {3, 3}, {0, 1, 2, 1, 2, 3, 2, 3, 4});

    CHECK(x.T().shape() == Shape{4, 3});
    CHECK(test::iota({2, 3, 4}).T().shape() == Shape{4, 3, 2});
    CHECK(strides_of(test::iota({2, 3, 4}).T()) == std::vector<int64_t>{1, 4, 12});
}

TEST_CASE("contiguous() returns the same tensor when contiguous, a row-major copy otherwise") {
    const Tensor x = test::iota({3, 4});
    CHECK(x.contiguous().is_same(x));
    const Tensor xt = x.t();
    const Tensor c = xt.contiguous();
    CHECK(c.is_contiguous());
    CHECK_FALSE(shares_storage(c, x));
    CHECK(equal(c, xt));
    CHECK_VALUES(c, {4, 3}, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    // A view that happens to be row-major (a range of rows) is contiguous.
    const Tensor rows = x.narrow(0, 1, 2);
    CHECK(rows.is_contiguous());
    CHECK(rows.contiguous().is_same(rows));
    CHECK(shares_storage(rows, x));
}

TEST_CASE("data() refuses a non-contiguous view, naming its sizes and strides") {
    const Tensor x = test::iota({2, 3});
    CHECK_ERROR(StateError, [&] { (void)x.t().data(); },
                {"data()", "(3, 2)", "strides (1, 3)", "contiguous()"});
}

TEST_CASE("view values against a naive loop over the base") {
    const Tensor a = test::iota({3, 4, 5});
    // transpose(0, 2): v[i][j][k] = a[k][j][i]
    const Tensor tr = a.transpose(0, 2);
    bool ok = tr.shape() == Shape{5, 4, 3};
    for (int64_t i = 0; i < 5; ++i)
        for (int64_t j = 0; j < 4; ++j)
            for (int64_t k = 0; k < 3; ++k) ok = ok && at(tr, {i, j, k}) == at(a, {k, j, i});
    CHECK(ok);
    // permute {1, 2, 0}: v[i][j][k] = a[k][i][j]
    const Tensor p = a.permute({1, 2, 0});
    const std::vector<float> pv = p.to_vector();
    ok = p.shape() == Shape{4, 5, 3};
    for (int64_t i = 0; i < 4; ++i)
        for (int64_t j = 0; j < 5; ++j)
            for (int64_t k = 0; k < 3; ++k) ok = ok && pv[(i * 5 + j) * 3 + k] == at(a, {k, i, j});
    CHECK(ok);
    // slice(2, 1, 5, 3) then select(1, -1): v[i][k] = a[i][3][1 + 3k]
    const Tensor s = a.slice(2, 1, 5, 3).select(1, -1);
    const std::vector<float> sv = s.to_vector();
    ok = s.shape() == Shape{3, 2};
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t k = 0; k < 2; ++k) ok = ok && sv[i * 2 + k] == at(a, {i, 3, 1 + 3 * k});
    CHECK(ok);
    // diagonal(-1, 0, 2): v[j][i] = a[i + 1][j][i]
    const Tensor dg = a.diagonal(-1, 0, 2);
    const std::vector<float> dv = dg.to_vector();
    ok = dg.shape() == Shape{4, 2};
    for (int64_t j = 0; j < 4; ++j)
        for (int64_t i = 0; i < 2; ++i) ok = ok && dv[j * 2 + i] == at(a, {i + 1, j, i});
    CHECK(ok);
    // unfold(2, 2, 2): v[i][j][w][k] = a[i][j][2w + k]
    const Tensor u = a.unfold(2, 2, 2);
    const std::vector<float> uv = u.to_vector();
    ok = u.shape() == Shape{3, 4, 2, 2};
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 4; ++j)
            for (int64_t w = 0; w < 2; ++w)
                for (int64_t k = 0; k < 2; ++k)
                    ok = ok && uv[((i * 4 + j) * 2 + w) * 2 + k] == at(a, {i, j, 2 * w + k});
    CHECK(ok);
    // expand (3, 1, 5) -> (2, 3, 4, 5): v[n][i][j][k] = b[i][0][k]
    const Tensor b = test::iota({3, 1, 5});
    const std::vector<float> ev = b.expand({2, 3, 4, 5}).to_vector();
    ok = true;
    for (int64_t n = 0; n < 2; ++n)
        for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 4; ++j)
                for (int64_t k = 0; k < 5; ++k)
                    ok = ok && ev[((n * 3 + i) * 4 + j) * 5 + k] == at(b, {i, 0, k});
    CHECK(ok);
}

TEST_CASE("a write through each view is seen in the base") {
    const auto fresh = [] { return test::iota({3, 4}); };
    {
        Tensor x = fresh();
        x.select(1, 0).fill_(5);  // the PyTorch user's line: column 0
        CHECK_VALUES(x, {3, 4}, {5, 1, 2, 3, 5, 5, 6, 7, 5, 9, 10, 11});
    }
    {
        Tensor x = fresh();
        x.t().select(0, 3).fill_(-1);  // column 3 through the transpose
        CHECK_VALUES(x, {3, 4}, {0, 1, 2, -1, 4, 5, 6, -1, 8, 9, 10, -1});
    }
    {
        Tensor x = fresh();
        x.slice(1, 0, 4, 2).zero_();  // even columns
        CHECK_VALUES(x, {3, 4}, {0, 1, 0, 3, 0, 5, 0, 7, 0, 9, 0, 11});
    }
    {
        Tensor x = fresh();
        x.diagonal().fill_(100);
        CHECK_VALUES(x, {3, 4}, {100, 1, 2, 3, 4, 100, 6, 7, 8, 9, 100, 11});
    }
    {
        Tensor x = fresh();
        x.permute({1, 0}).narrow(0, 1, 2).mul_(-1.0f);  // columns 1 and 2
        CHECK_VALUES(x, {3, 4}, {0, -1, -2, 3, 4, -5, -6, 7, 8, -9, -10, 11});
    }
    {
        Tensor x = fresh();
        x.unsqueeze(0).squeeze(0).view({2, 6}).select(0, 1).fill_(0);  // a contiguous view
        CHECK_VALUES(x, {3, 4}, {0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0});
    }
    {
        Tensor x = fresh();
        x.t().reshape({12}).fill_(0);  // reshape of a transpose copies: x is unchanged
        CHECK_VALUES(x, {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    }
}

TEST_CASE("in-place ops on a non-contiguous view write into the base, only at its elements") {
    const auto fresh = [] { return test::iota({2, 3}); };  // [[0 1 2] [3 4 5]]
    Tensor x = fresh();
    x.t().copy_(tensor({10, 20}));  // src broadcast over the view's rows: x[:, j] = (10, 20)
    CHECK_VALUES(x, {2, 3}, {10, 10, 10, 20, 20, 20});
    x = fresh();
    x.select(1, 1).add_(tensor({1, 1}), 10.0f);
    CHECK_VALUES(x, {2, 3}, {0, 11, 2, 3, 14, 5});
    x = fresh();
    x.select(1, 2).sub_(tensor({2, 5}));
    CHECK_VALUES(x, {2, 3}, {0, 1, 0, 3, 4, 0});
    x = fresh();
    x.t().mul_(tensor({2, 3}));  // xᵀ (3, 2) times (2) along its rows: x[i][j] *= (2, 3)[i]
    CHECK_VALUES(x, {2, 3}, {0, 2, 4, 9, 12, 15});
    x = fresh();
    x.select(1, 0).div_(tensor({2, 2}));
    CHECK_VALUES(x, {2, 3}, {0, 1, 2, 1.5f, 4, 5});
    x = fresh();
    x.t().clamp_(1, 4);
    CHECK_VALUES(x, {2, 3}, {1, 1, 2, 3, 4, 4});
    x = fresh();
    x.select(1, 1).uniform_(100, 101);
    CHECK_VALUES(x.select(1, 0), {2}, {0, 3});
    CHECK_VALUES(x.select(1, 2), {2}, {2, 5});
    CHECK(x.select(1, 1).min().item() >= 100);
    x = fresh();
    x.select(1, 1).normal_(50, 0.001f);
    CHECK_VALUES(x.select(1, 0), {2}, {0, 3});
    CHECK(std::abs(x.select(1, 1).mean().item() - 50) < 0.1f);
    // An operand aliasing the written tensor in another layout is read before the write.
    Tensor sq = test::iota({2, 2});  // [[0 1] [2 3]]
    sq.add_(sq.t());
    CHECK_VALUES(sq, {2, 2}, {0, 3, 3, 6});
}

TEST_CASE("writing in place into a view whose elements share memory is refused") {
    Tensor row = tensor({1, 2, 3});
    Tensor e = row.expand({2, 3});
    CHECK_ERROR(StateError, [&] { e.fill_(0); },
                {"fill_()", "more than one element", "(2, 3)", "strides (0, 1)", "clone()"});
    CHECK_ERROR(StateError, [&] { e.add_(ones({2, 3})); }, {"add_()", "single memory location"});
    Tensor w = tensor({0, 1, 2, 3}).unfold(0, 2, 1);  // overlapping windows
    CHECK_ERROR(StateError, [&] { w.mul_(2.0f); }, {"mul_()", "more than one element"});
    CHECK_VALUES(row, {3}, {1, 2, 3});  // nothing was written
    // Windows that do not overlap are writable.
    Tensor v = tensor({0, 1, 2, 3});
    v.unfold(0, 2, 2).select(1, 0).fill_(9);
    CHECK_VALUES(v, {4}, {9, 1, 9, 3});
}

TEST_CASE("view refuses a layout its strides cannot show, and reshape copies it") {
    const Tensor x = test::iota({3, 4});
    CHECK_ERROR(ShapeError, [&] { view(x.t(), {12}); },
                {"view()", "(4, 3)", "strides (1, 4)", "(12)", "reshape()"});
    const Tensor r = reshape(x.t(), {12});
    CHECK_FALSE(shares_storage(r, x));
    CHECK_VALUES(r, {12}, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    // Splitting a dim of a transposed view keeps it a view: (4, 3) -> (2, 2, 3).
    const Tensor split = x.t().view({2, 2, 3});
    CHECK(shares_storage(split, x));
    CHECK(strides_of(split) == std::vector<int64_t>{2, 1, 4});
    CHECK_VALUES(split, {2, 2, 3}, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
    // flatten of a column slice copies (as PyTorch's, which is reshape); of a row range views.
    CHECK_FALSE(shares_storage(x.narrow(1, 0, 2).flatten(), x));
    CHECK(shares_storage(x.narrow(0, 1, 2).flatten(), x));
}

TEST_CASE("view ops pass gradients back: first and second order") {
    const Tensor x = test::input({3, 4}, 1), x3 = test::input({2, 3, 4}, 2);
    const Tensor row = test::input({4}, 3);
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"transpose", [](const V& v) { return v[0].transpose(0, 2); }, {x3}},
             {"t", [](const V& v) { return v[0].t(); }, {x}},
             {"T", [](const V& v) { return v[0].T(); }, {x3}},
             {"permute",
              [](const V& v) {
                  return v[0].permute({2, 0, 1});
              },
              {x3}},
             {"expand",
              [](const V& v) {
                  return v[0].expand({2, 3, 4});
              },
              {row}},
             {"unsqueeze", [](const V& v) { return v[0].t().unsqueeze(1); }, {x}},
             {"squeeze", [](const V& v) { return v[0].select(0, 1).unsqueeze(0).squeeze(); }, {x}},
             {"view of a view",
              [](const V& v) {
                  return v[0].t().view({2, 2, 3});
              },
              {x}},
             {"reshape copying", [](const V& v) { return v[0].t().reshape({12}); }, {x}},
             {"flatten", [](const V& v) { return v[0].transpose(0, 1).flatten(); }, {x3}},
             {"narrow", [](const V& v) { return v[0].narrow(1, 1, 2); }, {x}},
             {"select", [](const V& v) { return v[0].select(2, -1); }, {x3}},
             {"slice step", [](const V& v) { return v[0].slice(1, 0, 4, 3); }, {x}},
             {"diagonal", [](const V& v) { return v[0].diagonal(); }, {x}},
             {"diagonal offset", [](const V& v) { return v[0].diagonal(-1, 2, 1); }, {x3}},
             {"unfold overlapping", [](const V& v) { return v[0].unfold(1, 3, 1); }, {x}},
             {"an op on a view", [](const V& v) { return v[0].t().exp() * v[0].t(); }, {x}},
             {"a reduction of a view",
              [](const V& v) { return v[0].slice(0, 0, 3, 2).sum(1); },
              {x}},
             {"a product of views", [](const V& v) { return matmul(v[0].t(), v[0]); }, {x}},
         }) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

TEST_CASE("the version counter covers a base and its views") {
    // A view of a saved tensor written in place: caught at backward.
    Tensor w = test::input({3, 2}, 1);
    Tensor x = ones({4, 3});
    Tensor y = matmul(x, w);         // saves x
    x.t().select(0, 2).fill_(3.0f);  // column 2 of x, through a transposed view
    CHECK_ERROR(StateError, [&] { y.sum().backward(); }, {"MmBackward", "modified in place"});

    // The base of a saved view written in place: caught too.
    Tensor a = test::input({3, 3}, 2);
    Tensor base = ones({3, 3});
    const Tensor v = base.t();
    Tensor z = matmul(a, v);  // saves the view v
    base.fill_(2.0f);
    CHECK_ERROR(StateError, [&] { z.sum().backward(); }, {"MmBackward", "modified in place"});
}
