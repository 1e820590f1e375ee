// flip, roll, tril and triu: values against naive index arithmetic, batches, 0-d and empty
// inputs, gradients of both orders, errors.
#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;
using Dims = std::vector<int64_t>;

TEST_CASE("flip and roll match naive index arithmetic") {
    const Tensor x = test::iota({2, 3, 4});
    std::vector<float> flipped(24), rolled(24), rolled_flat(24);
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 3; ++j)
            for (int64_t k = 0; k < 4; ++k) {
                const int64_t at = i * 12 + j * 4 + k;
                flipped[at] = x.data()[(1 - i) * 12 + j * 4 + (3 - k)];
                // roll by 1 along dim 1 and by -3 (= 1) along dim 2
                rolled[at] = x.data()[i * 12 + (j + 2) % 3 * 4 + (k + 3) % 4];
                rolled_flat[at] = x.data()[(at + 24 - 5) % 24];
            }
    CHECK_VALUES(flip(x, Dims{0, -1}), {2, 3, 4}, flipped);
    CHECK_VALUES(x.flip(Dims{2, 0}), {2, 3, 4}, flipped);
    CHECK_VALUES(roll(x, Dims{1, -3}, Dims{1, 2}), {2, 3, 4}, rolled);
    CHECK_VALUES(x.roll(Dims{5}), {2, 3, 4}, rolled_flat);
    CHECK_VALUES(roll(x, Dims{29}), {2, 3, 4}, rolled_flat);  // 29 = 5 mod 24
    CHECK_VALUES(roll(tensor({1, 2, 3}), Dims{-1}, Dims{0}), {3}, {2, 3, 1});
    CHECK_VALUES(flip(tensor({1, 2, 3}), Dims{0}), {3}, {3, 2, 1});
    CHECK_VALUES(flip(scalar_tensor(4), Dims{0}), {}, {4});
    CHECK_VALUES(flip(zeros({0, 2}), Dims{0}), {0, 2}, {});
    // The result is a new tensor even when nothing moves.
    Tensor same = roll(x, Dims{0}, Dims{0});
    same.fill_(0);
    CHECK(x.data()[5] == 5.0f);
}

TEST_CASE("tril and triu keep a triangle of the last two dims, for every matrix of a batch") {
    const Tensor x = test::iota({2, 3, 4}) + 1.0f;
    for (int64_t k : {-1, 0, 2}) {
        INFO("diagonal ", k);
        std::vector<float> lower(24), upper(24);
        for (int64_t b = 0; b < 2; ++b)
            for (int64_t i = 0; i < 3; ++i)
                for (int64_t j = 0; j < 4; ++j) {
                    const int64_t at = b * 12 + i * 4 + j;
                    lower[at] = j - i <= k ? x.data()[at] : 0.0f;
                    upper[at] = j - i >= k ? x.data()[at] : 0.0f;
                }
        CHECK_VALUES(tril(x, k), {2, 3, 4}, lower);
        CHECK_VALUES(x.triu(k), {2, 3, 4}, upper);
    }
    // Masked entries are 0 even when they were inf or NaN.
    const float inf = std::numeric_limits<float>::infinity();
    CHECK_VALUES(tril(tensor({1, inf, std::nanf(""), 4, 5, -inf}, {2, 3})), {2, 3},
                 {1, 0, 0, 4, 5, 0});
}

TEST_CASE("flip, roll, tril, triu: gradients, first and second order") {
    const Tensor x = test::input({2, 3, 4}, 31), s = test::input({3, 3}, 32);
    auto op = [](auto f) { return [f](const V& v) { return f(v[0]); }; };
    struct Case {
        const char* name;
        autograd::TensorFunction f;
        V inputs;
    };
    for (const Case& c : std::vector<Case>{
             {"flip {0, 2}",
              op([](const Tensor& a) {
                  return flip(a, Dims{0, 2});
              }),
              {x}},
             {"roll {1, -2} {2, 0}",
              op([](const Tensor& a) {
                  return roll(a, Dims{1, -2}, Dims{2, 0});
              }),
              {x}},
             {"roll flat 7", op([](const Tensor& a) { return roll(a, Dims{7}); }), {x}},
             {"tril", op([](const Tensor& a) { return tril(a); }), {s}},
             {"tril -1 batch", op([](const Tensor& a) { return tril(a, -1); }), {x}},
             {"triu 1", op([](const Tensor& a) { return triu(a, 1); }), {x}},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, c.inputs);
    }
}

TEST_CASE("flip, roll, tril, triu: errors name the call and the values") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(IndexError, [&] { flip(x, Dims{2}); }, {"flip()", "dim 2", "(2, 3)"});
    CHECK_ERROR(ValueError,
                [&] {
                    flip(x, Dims{0, -2});
                },
                {"flip()", "dim -2 appears twice", "(0, -2)"});
    CHECK_ERROR(ValueError,
                [&] {
                    roll(x, Dims{1, 2}, Dims{0});
                },
                {"roll()", "shifts (1, 2)", "dims (0)", "same length"});
    CHECK_ERROR(ValueError, [&] { roll(x, Dims{1, 2}); }, {"roll()", "shifts (1, 2)", "no dims"});
    CHECK_ERROR(IndexError, [&] { roll(x, Dims{1}, Dims{-3}); }, {"roll()", "dim -3", "(2, 3)"});
    CHECK_ERROR(ShapeError, [&] { tril(zeros({3})); }, {"tril()", "at least 2 dims", "(3)"});
    CHECK_ERROR(ShapeError, [&] { triu(scalar_tensor(1)); }, {"triu()", "at least 2 dims", "()"});
    CHECK_ERROR(ValueError, [&] { flip(Tensor(), Dims{0}); }, {"flip()", "undefined"});
}
