// The elementwise kernels beyond float: double and int64 arithmetic, floor division and remainder
// with PyTorch's signs, comparisons and logical ops writing bool masks, where with a bool
// condition, NaN / inf tests, fill and broadcast_copy for every element type. Each against a naive
// loop or hand-computed values, broadcasting included.
#include "support.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include "descent/core/kernels/elementwise.hpp"

using namespace descent;
using kernels::Binary;

namespace {

// The naive broadcast of a (2, 3) by b (3): out[i][j] = f(a[i][j], b[j])
template <class T, class O, class F>
std::vector<O> naive_rows(const std::vector<T>& a, const std::vector<T>& b, F f) {
    std::vector<O> out(6);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j) out[i * 3 + j] = f(a[i * 3 + j], b[j]);
    return out;
}

}  // namespace

TEST_CASE("floor_divide and remainder round toward -inf, for int64, float and double") {
    const Shape s{6};
    const std::vector<int64_t> a{-7, 7, -7, 7, 6, -6};
    const std::vector<int64_t> b{2, 2, -2, -2, 3, 3};
    std::vector<int64_t> q(6), r(6);
    kernels::binary(Binary::FloorDivide, a.data(), s, b.data(), s, q.data(), s);
    kernels::binary(Binary::Remainder, a.data(), s, b.data(), s, r.data(), s);
    CHECK(q == std::vector<int64_t>{-4, 3, 3, -4, 2, -2});
    CHECK(r == std::vector<int64_t>{1, 1, -1, -1, 0, 0});
    for (int i = 0; i < 6; ++i) CHECK(q[i] * b[i] + r[i] == a[i]);
    // No trap for INT64_MIN / -1 (wraps, as PyTorch) or a zero divisor (0; the op layer raises).
    const int64_t lo = std::numeric_limits<int64_t>::min();
    const std::vector<int64_t> c{lo, 5}, d{-1, 0};
    std::vector<int64_t> out(2);
    kernels::binary(Binary::FloorDivide, c.data(), Shape{2}, d.data(), Shape{2}, out.data(),
                    Shape{2});
    CHECK(out == std::vector<int64_t>{lo, 0});
    kernels::binary(Binary::Remainder, c.data(), Shape{2}, d.data(), Shape{2}, out.data(),
                    Shape{2});
    CHECK(out == std::vector<int64_t>{0, 0});

    const std::vector<float> fa{-7.5f, 7.5f, -7.0f, 7.0f, -1.0f};
    const std::vector<float> fb{2.0f, -2.0f, 2.0f, -2.0f, 0.0f};
    std::vector<float> fq(5), fr(5);
    kernels::binary(Binary::FloorDivide, fa.data(), Shape{5}, fb.data(), Shape{5}, fq.data(),
                    Shape{5});
    kernels::binary(Binary::Remainder, fa.data(), Shape{5}, fb.data(), Shape{5}, fr.data(),
                    Shape{5});
    CHECK(std::vector<float>(fq.begin(), fq.end() - 1) == std::vector<float>{-4, -4, -4, -4});
    CHECK(fq[4] == -std::numeric_limits<float>::infinity());  // -1 / 0, as torch
    CHECK(std::vector<float>(fr.begin(), fr.end() - 1) == std::vector<float>{0.5f, -0.5f, 1, -1});
    CHECK(std::isnan(fr[4]));

    // double, broadcast: a (2, 3) by b (3)
    const std::vector<double> da{-7.5, 7.5, 5.25, -1.0, 0.0, 9.0};
    const std::vector<double> db{2.0, -2.0, 0.5};
    std::vector<double> dq(6), dr(6);
    kernels::binary(Binary::FloorDivide, da.data(), Shape{2, 3}, db.data(), Shape{3}, dq.data(),
                    Shape{2, 3});
    kernels::binary(Binary::Remainder, da.data(), Shape{2, 3}, db.data(), Shape{3}, dr.data(),
                    Shape{2, 3});
    CHECK(dq ==
          naive_rows<double, double>(da, db, [](double x, double y) { return std::floor(x / y); }));
    CHECK(dr == naive_rows<double, double>(
                    da, db, [](double x, double y) { return x - std::floor(x / y) * y; }));
}

TEST_CASE("int64 binary ops broadcast like float ones, and int64 unary Neg, Abs, Sign") {
    const std::vector<int64_t> a{-3, 0, 5, 7, -8, 2};
    const std::vector<int64_t> b{4, -1, 5};
    std::vector<int64_t> out(6);
    const auto check = [&](Binary op, auto f) {
        kernels::binary(op, a.data(), Shape{2, 3}, b.data(), Shape{3}, out.data(), Shape{2, 3});
        CHECK(out == naive_rows<int64_t, int64_t>(a, b, f));
    };
    check(Binary::Add, [](int64_t x, int64_t y) { return x + y; });
    check(Binary::Sub, [](int64_t x, int64_t y) { return x - y; });
    check(Binary::Mul, [](int64_t x, int64_t y) { return x * y; });
    check(Binary::Maximum, [](int64_t x, int64_t y) { return std::max(x, y); });
    check(Binary::Minimum, [](int64_t x, int64_t y) { return std::min(x, y); });
    // Past float's 24-bit mantissa: the sum is exact.
    const int64_t big = (int64_t{1} << 53) + 1;
    const std::vector<int64_t> x{big}, one{1};
    std::vector<int64_t> y(1);
    kernels::binary(Binary::Add, x.data(), Shape{1}, one.data(), Shape{}, y.data(), Shape{1});
    CHECK(y[0] == big + 1);

    std::vector<int64_t> u(6);
    kernels::unary(kernels::Unary::Neg, a.data(), 6, u.data());
    CHECK(u == std::vector<int64_t>{3, 0, -5, -7, 8, -2});
    kernels::unary(kernels::Unary::Abs, a.data(), 6, u.data());
    CHECK(u == std::vector<int64_t>{3, 0, 5, 7, 8, 2});
    kernels::unary(kernels::Unary::Sign, a.data(), 6, u.data());
    CHECK(u == std::vector<int64_t>{-1, 0, 1, 1, -1, 1});
}

TEST_CASE("double unary and binary kernels compute in double") {
    // 1 + 1e-10 is 1 in float, not in double.
    const std::vector<double> a{1.0, 2.0, -3.0}, b{1e-10};
    std::vector<double> out(3);
    kernels::binary(Binary::Add, a.data(), Shape{3}, b.data(), Shape{1}, out.data(), Shape{3});
    CHECK(out[0] == 1.0 + 1e-10);
    CHECK(out[0] != 1.0);
    kernels::unary(kernels::Unary::Exp, a.data(), 3, out.data());
    for (int i = 0; i < 3; ++i) CHECK(out[i] == doctest::Approx(std::exp(a[i])).epsilon(1e-15));
    kernels::unary(kernels::Unary::Affine, a.data(), 3, out.data(), 2.0, 1e-12);
    CHECK(out[1] == 4.0 + 1e-12);
    kernels::unary(kernels::Unary::Sigmoid, a.data(), 3, out.data());
    CHECK(out[0] == doctest::Approx(1.0 / (1.0 + std::exp(-1.0))).epsilon(1e-15));
    // Comparison masks and Maximum's NaN rule, as the float kernels.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> c{nan, 1.0, 5.0}, d{0.0, nan, 4.0};
    kernels::binary(Binary::Maximum, c.data(), Shape{3}, d.data(), Shape{3}, out.data(), Shape{3});
    CHECK(std::isnan(out[0]));
    CHECK(std::isnan(out[1]));
    CHECK(out[2] == 5.0);
    kernels::binary(Binary::Ge, a.data(), Shape{3}, d.data(), Shape{3}, out.data(), Shape{3});
    CHECK(out == std::vector<double>{1, 0, 0});
    std::vector<double> y{1.0, 1.0};
    const std::vector<double> x{1e-12, 3.0};
    kernels::axpy(2.0, x.data(), 2, y.data());
    CHECK(y == std::vector<double>{1.0 + 2e-12, 7.0});
    // where with a double condition
    const std::vector<double> cond{0.0, 2.0, nan};
    kernels::where(cond.data(), Shape{3}, a.data(), Shape{3}, b.data(), Shape{1}, out.data(),
                   Shape{3});
    CHECK(out == std::vector<double>{1e-10, 2.0, -3.0});
}

TEST_CASE("compare writes bool masks for every element type, broadcasting") {
    const std::vector<Binary> ops{Binary::Eq, Binary::Ne, Binary::Lt,
                                  Binary::Le, Binary::Gt, Binary::Ge};
    const auto apply = [](Binary op, auto x, auto y) {
        switch (op) {
            case Binary::Eq: return x == y;
            case Binary::Ne: return x != y;
            case Binary::Lt: return x < y;
            case Binary::Le: return x <= y;
            case Binary::Gt: return x > y;
            default: return x >= y;
        }
    };
    const auto run = [&](auto a, auto b) {
        using T = typename decltype(a)::value_type;
        for (Binary op : ops) {
            bool out[6];
            kernels::compare(op, a.data(), Shape{2, 3}, b.data(), Shape{3}, out, Shape{2, 3});
            const auto want = naive_rows<T, bool>(a, b, [&](T x, T y) { return apply(op, x, y); });
            for (int i = 0; i < 6; ++i) CHECK(out[i] == want[i]);
        }
    };
    const float fnan = std::numeric_limits<float>::quiet_NaN();
    run(std::vector<float>{1, 2, fnan, -1, 5, 3}, std::vector<float>{1, 3, 3});
    run(std::vector<double>{1, 2, 3, -1, 5, 0.5}, std::vector<double>{1, 3, 0.5});
    run(std::vector<int64_t>{1, 2, 3, -1, 5, 0}, std::vector<int64_t>{1, 3, 0});
    // a NaN is unequal to itself
    bool ne = false;
    kernels::compare(Binary::Ne, &fnan, Shape{}, &fnan, Shape{}, &ne, Shape{});
    CHECK(ne);
    // bool operands: false < true
    const bool ba[2] = {false, true}, bb[2] = {true, true};
    bool lt[2];
    kernels::compare(Binary::Lt, ba, Shape{2}, bb, Shape{2}, lt, Shape{2});
    CHECK(lt[0]);
    CHECK_FALSE(lt[1]);
}

TEST_CASE("logical and bitwise ops, logical_not") {
    // a (2, 2) by b (2): [[F, T], [T, T]] op [F, T]
    const bool a[4] = {false, true, true, true}, b[2] = {false, true};
    bool out[4];
    kernels::logical(kernels::Logical::And, a, Shape{2, 2}, b, Shape{2}, out, Shape{2, 2});
    CHECK((!out[0] && out[1] && !out[2] && out[3]));
    kernels::logical(kernels::Logical::Or, a, Shape{2, 2}, b, Shape{2}, out, Shape{2, 2});
    CHECK((!out[0] && out[1] && out[2] && out[3]));
    kernels::logical(kernels::Logical::Xor, a, Shape{2, 2}, b, Shape{2}, out, Shape{2, 2});
    CHECK((!out[0] && !out[1] && out[2] && !out[3]));
    kernels::logical_not(a, 4, out);
    CHECK((out[0] && !out[1] && !out[2] && !out[3]));

    const std::vector<int64_t> x{12, -1, 5}, y{10};
    std::vector<int64_t> z(3);
    kernels::bitwise(kernels::Logical::And, x.data(), Shape{3}, y.data(), Shape{1}, z.data(),
                     Shape{3});
    CHECK(z == std::vector<int64_t>{8, 10, 0});
    kernels::bitwise(kernels::Logical::Or, x.data(), Shape{3}, y.data(), Shape{1}, z.data(),
                     Shape{3});
    CHECK(z == std::vector<int64_t>{14, -1, 15});
    kernels::bitwise(kernels::Logical::Xor, x.data(), Shape{3}, y.data(), Shape{1}, z.data(),
                     Shape{3});
    CHECK(z == std::vector<int64_t>{6, -11, 15});
}

TEST_CASE("classify finds NaN, infinities and finite values in float and double") {
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<float> f{1.0f, -inf, inf, std::nanf(""), 0.0f, -0.0f};
    const std::vector<double> d(f.begin(), f.end());
    bool nan_f[6], inf_f[6], fin_f[6], nan_d[6], inf_d[6], fin_d[6];
    kernels::classify(kernels::Classify::IsNan, f.data(), 6, nan_f);
    kernels::classify(kernels::Classify::IsInf, f.data(), 6, inf_f);
    kernels::classify(kernels::Classify::IsFinite, f.data(), 6, fin_f);
    kernels::classify(kernels::Classify::IsNan, d.data(), 6, nan_d);
    kernels::classify(kernels::Classify::IsInf, d.data(), 6, inf_d);
    kernels::classify(kernels::Classify::IsFinite, d.data(), 6, fin_d);
    const bool want_nan[6] = {false, false, false, true, false, false};
    const bool want_inf[6] = {false, true, true, false, false, false};
    const bool want_fin[6] = {true, false, false, false, true, true};
    for (int i = 0; i < 6; ++i) {
        CHECK(nan_f[i] == want_nan[i]);
        CHECK(inf_f[i] == want_inf[i]);
        CHECK(fin_f[i] == want_fin[i]);
        CHECK(nan_d[i] == want_nan[i]);
        CHECK(inf_d[i] == want_inf[i]);
        CHECK(fin_d[i] == want_fin[i]);
    }
}

TEST_CASE("where with a bool condition, every element type, broadcasting all three") {
    // cond (2, 1), a (3), b () -> (2, 3)
    const bool cond[2] = {true, false};
    const auto run = [&](auto a, auto b) {
        using T = typename decltype(a)::value_type;
        T out[6];
        kernels::where(cond, Shape{2, 1}, a.data(), Shape{3}, &b, Shape{}, out, Shape{2, 3});
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j) CHECK(out[i * 3 + j] == (cond[i] ? a[j] : b));
    };
    run(std::array<float, 3>{1.5f, 2, 3}, -1.0f);
    run(std::array<double, 3>{1.5, 2, 3}, -1.0);
    run(std::array<int64_t, 3>{int64_t{1} << 60, 2, 3}, int64_t{-1});
    run(std::array<bool, 3>{true, false, true}, false);
    // a condition varying along the row, operands of full shape
    const bool c2[3] = {false, true, false};
    const std::vector<int64_t> a{1, 2, 3}, b{4, 5, 6};
    std::vector<int64_t> out(3);
    kernels::where(c2, Shape{3}, a.data(), Shape{3}, b.data(), Shape{3}, out.data(), Shape{3});
    CHECK(out == std::vector<int64_t>{4, 2, 6});
}

TEST_CASE("fill and broadcast_copy for every element type") {
    std::vector<double> d(3);
    kernels::fill(d.data(), 3, 0.1);
    CHECK(d == std::vector<double>{0.1, 0.1, 0.1});
    std::vector<int64_t> i(2);
    kernels::fill(i.data(), 2, int64_t{1} << 40);
    CHECK(i == std::vector<int64_t>{int64_t{1} << 40, int64_t{1} << 40});
    bool b[3] = {false, false, false};
    kernels::fill(b, 3, true);
    CHECK((b[0] && b[1] && b[2]));

    const std::vector<int64_t> col{7, -8};  // (2, 1) -> (2, 3)
    std::vector<int64_t> wide(6);
    kernels::broadcast_copy(col.data(), Shape{2, 1}, wide.data(), Shape{2, 3});
    CHECK(wide == std::vector<int64_t>{7, 7, 7, -8, -8, -8});
    const std::vector<double> row{0.1, 0.2};  // (2) -> (2, 2)
    std::vector<double> sq(4);
    kernels::broadcast_copy(row.data(), Shape{2}, sq.data(), Shape{2, 2});
    CHECK(sq == std::vector<double>{0.1, 0.2, 0.1, 0.2});
    const bool br[2] = {true, false};
    bool bo[4];
    kernels::broadcast_copy(br, Shape{2}, bo, Shape{2, 2});
    CHECK((bo[0] && !bo[1] && bo[2] && !bo[3]));
}
