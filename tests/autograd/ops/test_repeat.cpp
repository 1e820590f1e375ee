// repeat, tile and repeat_interleave: values against naive index arithmetic, gradients that sum
// the copies (both orders), and errors.
#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;
using Dims = std::vector<int64_t>;

TEST_CASE("repeat, tile and repeat_interleave match naive index arithmetic") {
    const Tensor x = test::iota({2, 3});
    // repeat {2, 1, 2}: (2, 2, 6) with out[r, i, j] = x[i, j mod 3].
    std::vector<float> rep;
    for (int64_t r = 0; r < 2; ++r)
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t j = 0; j < 6; ++j) rep.push_back(x.data()[i * 3 + j % 3]);
    CHECK_VALUES(repeat(x, Dims{2, 1, 2}), {2, 2, 6}, rep);
    CHECK_VALUES(x.repeat(Dims{2, 1}), {4, 3}, {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5});
    CHECK_VALUES(tile(x, Dims{2}), {2, 6}, {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5});
    CHECK_VALUES(x.tile(Dims{2, 1, 2}), {2, 2, 6}, rep);
    CHECK_VALUES(repeat(scalar_tensor(7), Dims{3}), {3}, {7, 7, 7});
    CHECK_VALUES(repeat(x, Dims{0, 1}), {0, 3}, {});
    CHECK_VALUES(repeat_interleave(x, 2), {12}, {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
    CHECK_VALUES(repeat_interleave(x, 2, 0), {4, 3}, {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5});
    CHECK_VALUES(x.repeat_interleave(2, -1), {2, 6}, {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
    CHECK_VALUES(repeat_interleave(x, 0, 1), {2, 0}, {});
}

TEST_CASE("repeat, tile, repeat_interleave: gradients sum the copies, first and second order") {
    const Tensor x = test::input({2, 3}, 51);
    auto op = [](auto f) { return [f](const V& v) { return f(v[0]); }; };
    struct Case {
        const char* name;
        autograd::TensorFunction f;
    };
    for (const Case& c : std::vector<Case>{
             {"repeat {2, 1, 2}", op([](const Tensor& a) {
                  return repeat(a, Dims{2, 1, 2});
              })},
             {"tile {3}", op([](const Tensor& a) { return tile(a, Dims{3}); })},
             {"repeat_interleave 3", op([](const Tensor& a) { return repeat_interleave(a, 3); })},
             {"repeat_interleave 2 dim 1",
              op([](const Tensor& a) { return repeat_interleave(a, 2, 1); })},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, V{x});
    }
    const Tensor y = tensor({1, 2}).requires_grad_();
    repeat(y, Dims{3}).backward(ones({6}));
    CHECK_VALUES(y.grad(), {2}, {3, 3});
}

TEST_CASE("repeat, tile, repeat_interleave: errors name the call and the values") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(ValueError, [&] { repeat(x, Dims{2}); },
                {"repeat()", "repeats (2)", "2 dims", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { repeat(x, Dims{1, -1}); }, {"repeat()", "negative count -1"});
    CHECK_ERROR(ValueError, [&] { tile(x, Dims{-2}); }, {"tile()", "reps (-2)", "negative"});
    CHECK_ERROR(ValueError, [&] { repeat_interleave(x, -1); }, {"repeat_interleave()", "-1"});
    CHECK_ERROR(IndexError, [&] { repeat_interleave(x, 2, 2); },
                {"repeat_interleave()", "dim 2", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { tile(Tensor(), Dims{1}); }, {"tile()", "undefined"});
}
