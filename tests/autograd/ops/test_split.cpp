// chunk, split (by a size and by sizes) and unbind: the pieces' shapes and values, PyTorch's
// rules for uneven and empty dims, gradients through the pieces, and errors.
#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;
using Dims = std::vector<int64_t>;

namespace {

// The sizes of the pieces along `dim`.
std::vector<int64_t> sizes_along(const V& pieces, int64_t dim) {
    std::vector<int64_t> s;
    for (const Tensor& p : pieces) s.push_back(p.size(dim));
    return s;
}

}  // namespace

TEST_CASE("chunk, split and unbind cut as PyTorch does") {
    const Tensor x = test::iota({5, 2});
    CHECK(sizes_along(chunk(x, 2), 0) == Dims{3, 2});
    CHECK(sizes_along(chunk(x, 3), 0) == Dims{2, 2, 1});
    CHECK(sizes_along(chunk(test::iota({6}), 4), 0) == Dims{2, 2, 2});  // fewer than asked
    CHECK(sizes_along(chunk(x, 9), 0) == Dims{1, 1, 1, 1, 1});
    CHECK(sizes_along(x.chunk(2, 1), 1) == Dims{1, 1});
    CHECK(sizes_along(split(x, 2), 0) == Dims{2, 2, 1});
    CHECK(sizes_along(x.split(Dims{1, 4}), 0) == Dims{1, 4});
    CHECK(sizes_along(split_with_sizes(x, Dims{5}), 0) == Dims{5});
    CHECK(sizes_along(split(x, 1, -1), 1) == Dims{1, 1});
    CHECK(sizes_along(split(zeros({0, 2}), 3), 0) == Dims{0});
    CHECK(chunk(zeros({0}), 3).size() == 3);
    const V rows = split(x, Dims{1, 0, 4});
    CHECK_VALUES(rows[0], {1, 2}, {0, 1});
    CHECK_VALUES(rows[1], {0, 2}, {});
    CHECK_VALUES(rows[2], {4, 2}, {2, 3, 4, 5, 6, 7, 8, 9});
    const V cols = unbind(x, 1);
    REQUIRE(cols.size() == 2);
    CHECK_VALUES(cols[0], {5}, {0, 2, 4, 6, 8});
    CHECK_VALUES(cols[1], {5}, {1, 3, 5, 7, 9});
    const V parts = x.unbind();
    REQUIRE(parts.size() == 5);
    CHECK_VALUES(parts[3], {2}, {6, 7});
    // Pieces of chunk along dim 1 hold the right values.
    CHECK_VALUES(chunk(x, 2, 1)[1], {5, 1}, {1, 3, 5, 7, 9});
}

TEST_CASE("gradients flow back through every piece into its own range") {
    const Tensor x = test::input({5, 3}, 41);
    // Weighting each piece differently shows which range each gradient lands in.
    auto weighted = [](const V& pieces) {
        Tensor total = scalar_tensor(0);
        for (size_t i = 0; i < pieces.size(); ++i)
            total = total + sum(pieces[i] * pieces[i]) * static_cast<float>(i + 1);
        return total;
    };
    struct Case {
        const char* name;
        autograd::TensorFunction f;
    };
    for (const Case& c : std::vector<Case>{
             {"chunk 2", [&](const V& v) { return weighted(chunk(v[0], 2)); }},
             {"chunk 2 dim 1", [&](const V& v) { return weighted(chunk(v[0], 2, 1)); }},
             {"split 2", [&](const V& v) { return weighted(split(v[0], 2)); }},
             {"split {1, 3, 1}",
              [&](const V& v) {
                  return weighted(split(v[0], Dims{1, 3, 1}));
              }},
             {"split {2, 1} dim -1",
              [&](const V& v) {
                  return weighted(split(v[0], Dims{2, 1}, -1));
              }},
             {"unbind 0", [&](const V& v) { return weighted(unbind(v[0])); }},
             {"unbind 1", [&](const V& v) { return weighted(unbind(v[0], 1)); }},
         }) {
        INFO(c.name);
        CHECK(autograd::gradcheck(c.f, {x}));
        CHECK(autograd::gradgradcheck(c.f, {x}));
    }
    // And by hand: the second of two chunks receives 2·2·x.
    const Tensor y = tensor({1, 2, 3, 4}).requires_grad_();
    weighted(chunk(y, 2)).backward();
    CHECK_VALUES(y.grad(), {4}, {2, 4, 12, 16});
}

TEST_CASE("chunk, split, unbind: errors name the call and the values") {
    const Tensor x = zeros({5, 2});
    CHECK_ERROR(ValueError, [&] { chunk(x, 0); }, {"chunk()", "chunks must be positive", "0"});
    CHECK_ERROR(IndexError, [&] { chunk(x, 2, 2); }, {"chunk()", "dim 2", "(5, 2)"});
    CHECK_ERROR(ValueError, [&] { split(x, 0); }, {"split()", "split_size", "0", "size 5"});
    CHECK_ERROR(ValueError, [&] { split(x, -2); }, {"split()", "-2"});
    CHECK_ERROR(ValueError,
                [&] {
                    split(x, Dims{2, 2});
                },
                {"split()", "split_sizes (2, 2)", "add up to 4", "size 5", "(5, 2)"});
    CHECK_ERROR(ValueError, [&] { split(x, Dims{3, 3}, 1); }, {"split()", "add up to 6", "size 2"});
    CHECK_ERROR(ValueError, [&] { split(x, Dims{6, -1}); }, {"split()", "negative size -1"});
    CHECK_ERROR(ValueError, [&] { split_with_sizes(x, Dims{1}); },
                {"split_with_sizes()", "(1)", "size 5"});
    CHECK_ERROR(ShapeError, [&] { unbind(scalar_tensor(1)); }, {"unbind()", "0-d"});
    CHECK_ERROR(IndexError, [&] { unbind(x, -3); }, {"unbind()", "dim -3", "(5, 2)"});
    CHECK_ERROR(ValueError, [&] { split(Tensor(), 1); }, {"split()", "undefined"});
}

TEST_CASE("the pieces of one cut share one SplitBackward, which joins their gradients") {
    Tensor x = arange(12.0, kFloat64).reshape({3, 4}).requires_grad_();
    const V rows = unbind(x, 0);
    REQUIRE(rows.size() == 3);
    const auto whole = rows[0].grad_fn()->next_edges()[0].fn;
    CHECK(std::string(rows[0].grad_fn()->name()) == "PieceBackward");
    CHECK(std::string(whole->name()) == "SplitBackward");
    for (const Tensor& r : rows) CHECK(r.grad_fn()->next_edges()[0].fn == whole);

    // Only row 1 is used (twice): rows 0 and 2 get zeros; retain_graph runs it again from empty.
    const Tensor loss = (rows[1] * rows[1]).sum() + rows[1].sum();
    loss.backward(Tensor(), true);
    const Tensor expected =
        cat({zeros({1, 4}, kFloat64), (2 * x.detach().select(0, 1) + 1).unsqueeze(0),
             zeros({1, 4}, kFloat64)});
    CHECK(equal(x.grad(), expected));
    loss.backward();
    CHECK(equal(x.grad(), expected * 2));

    // chunk along dim 1, pieces of unequal size: each gradient lands in its own columns.
    Tensor y = ones({2, 5}, kFloat64).requires_grad_();
    const V parts = chunk(y, 2, 1);
    (parts[0] * 3).sum().backward();
    CHECK(equal(y.grad(), cat({full({2, 3}, 3.0, kFloat64), zeros({2, 2}, kFloat64)}, 1)));
}
