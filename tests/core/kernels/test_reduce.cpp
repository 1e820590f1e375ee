// The reduction kernels in double and int64 against naive loops (a double sum that float would
// round differently, exact integer sums), and all / any of bool masks, over all and along a dim.
#include "support.hpp"

#include <cstdint>
#include <limits>

#include "descent/core/kernels/reduce.hpp"

using namespace descent;

TEST_CASE("sum_to in double keeps what a float sum loses, and int64 sums are exact") {
    // 1 + 1e-9 · 8: 1 in float, 1.000000008 in double
    std::vector<double> x(9, 1e-9);
    x[0] = 1.0;
    double total = 0;
    kernels::sum_to(x.data(), Shape{9}, &total, Shape{});
    double naive = 0;
    for (double v : x) naive += v;
    CHECK(total == naive);
    CHECK(total != 1.0);
    std::vector<float> xf(x.begin(), x.end());
    float total_f = 0;
    kernels::sum_to(xf.data(), Shape{9}, &total_f, Shape{});
    CHECK(total_f == 1.0f);

    // (2, 3) summed to (1, 3) and to (2, 1)
    const std::vector<double> m{0.1, 0.2, 0.3, 1e-17, 2.0, 3.0};
    std::vector<double> cols(3), rows(2);
    kernels::sum_to(m.data(), Shape{2, 3}, cols.data(), Shape{1, 3});
    kernels::sum_to(m.data(), Shape{2, 3}, rows.data(), Shape{2, 1});
    CHECK(cols == std::vector<double>{0.1 + 1e-17, 0.2 + 2.0, 0.3 + 3.0});
    CHECK(rows == std::vector<double>{0.1 + 0.2 + 0.3, 1e-17 + 2.0 + 3.0});

    // 2^53 + 1 + 1: a double accumulator would drop both ones
    const int64_t big = int64_t{1} << 53;
    const std::vector<int64_t> n{big, 1, 1, -5};
    int64_t s = 0;
    kernels::sum_to(n.data(), Shape{4}, &s, Shape{});
    CHECK(s == big - 3);
    std::vector<int64_t> many(10000, 3);
    kernels::sum_to(many.data(), Shape{10000}, &s, Shape{1});
    CHECK(s == 30000);
}

TEST_CASE("max/min and argmax/argmin along a dim in double and int64") {
    // (2, 3, 2) along dim 1
    const std::vector<int64_t> x{5, -1, 7, -9, 7, 4, 0, 0, -3, 8, 2, 8};
    const kernels::Axis a{2, 3, 2};
    std::vector<int64_t> mx(4), mn(4), amx(4), amn(4);
    kernels::max_along(x.data(), a, mx.data());
    kernels::min_along(x.data(), a, mn.data());
    kernels::argmax_along(x.data(), a, amx.data());
    kernels::argmin_along(x.data(), a, amn.data());
    CHECK(mx == std::vector<int64_t>{7, 4, 2, 8});
    CHECK(mn == std::vector<int64_t>{5, -9, -3, 0});
    CHECK(amx == std::vector<int64_t>{1, 2, 2, 1});  // the first of two 7s, of two 8s
    CHECK(amn == std::vector<int64_t>{0, 1, 1, 0});

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> d{0.1, 1e-300, 0.3, nan, -2.0, 3.0};  // (1, 3, 2)
    std::vector<double> dmx(2), dmn(2);
    std::vector<int64_t> dam(2), dan(2);
    kernels::max_along(d.data(), kernels::Axis{1, 3, 2}, dmx.data());
    kernels::min_along(d.data(), kernels::Axis{1, 3, 2}, dmn.data());
    kernels::argmax_along(d.data(), kernels::Axis{1, 3, 2}, dam.data());
    kernels::argmin_along(d.data(), kernels::Axis{1, 3, 2}, dan.data());
    CHECK(dmx[0] == 0.3);
    CHECK(std::isnan(dmx[1]));  // NaN wins, as torch.max
    CHECK(dmn[0] == -2.0);
    CHECK(std::isnan(dmn[1]));
    CHECK(dam == std::vector<int64_t>{1, 1});
    CHECK(dan == std::vector<int64_t>{2, 1});
}

TEST_CASE("all and any of bool masks, over everything and along a dim") {
    const bool none[1] = {false};
    CHECK(kernels::all(none, 0));
    CHECK_FALSE(kernels::any(none, 0));
    const bool m[6] = {true, false, true, true, false, false};  // (1, 3, 2) along dim 1
    CHECK_FALSE(kernels::all(m, 6));
    CHECK(kernels::any(m, 6));
    CHECK(kernels::all(m + 2, 2));
    CHECK_FALSE(kernels::any(m + 4, 2));
    bool all_out[2], any_out[2];
    kernels::all_along(m, kernels::Axis{1, 3, 2}, all_out);
    kernels::any_along(m, kernels::Axis{1, 3, 2}, any_out);
    CHECK((!all_out[0] && !all_out[1]));
    CHECK((any_out[0] && any_out[1]));
    // (2, 2, 1) along dim 1: rows [T, T] and [F, T]
    const bool r[4] = {true, true, false, true};
    kernels::all_along(r, kernels::Axis{2, 2, 1}, all_out);
    kernels::any_along(r, kernels::Axis{2, 2, 1}, any_out);
    CHECK((all_out[0] && !all_out[1]));
    CHECK((any_out[0] && any_out[1]));
}
