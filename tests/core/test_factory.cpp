// Tensor creation: fills, ranges, identity, tensors from values (float and double).
#include <cfloat>
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;

TEST_CASE("constant fills") {
    CHECK_VALUES(zeros({2, 2}), {2, 2}, {0, 0, 0, 0});
    CHECK_VALUES(ones({3}), {3}, {1, 1, 1});
    CHECK_VALUES(full({2}, 7.5f), {2}, {7.5f, 7.5f});
    CHECK_VALUES(scalar_tensor(3.0f), {}, {3});
    CHECK_VALUES(full_like(zeros({1, 2}), -1.0f), {1, 2}, {-1, -1});
    CHECK(zeros_like(ones({4, 1})).shape() == Shape{4, 1});
    CHECK(ones_like(zeros({2})).to_vector() == std::vector<float>{1, 1});
    CHECK(empty({0, 5}).numel() == 0);
}

TEST_CASE("an allocation the allocator refuses is a MemoryError naming the shape, not bad_alloc") {
    // 2^60 floats (4 EiB): a valid count no machine can hold.
    CHECK_ERROR(MemoryError,
                [] {
                    zeros({1LL << 30, 1LL << 30});
                },
                {"make_tensor()", "(1073741824, 1073741824)", "4611686018427387904 bytes",
                 "out of memory"});
    CHECK_ERROR(MemoryError, [] { empty({1LL << 44}); }, {"(17592186044416)"});
}

TEST_CASE("ranges and identity") {
    CHECK_VALUES(arange(4.0f), {4}, {0, 1, 2, 3});
    CHECK_VALUES(arange(1.0f, 2.0f, 0.25f), {4}, {1, 1.25f, 1.5f, 1.75f});
    CHECK_VALUES(arange(3.0f, 0.0f, -1.0f), {3}, {3, 2, 1});
    CHECK(arange(2.0f, 1.0f).numel() == 0);
    CHECK_VALUES(linspace(0.0f, 1.0f, 5), {5}, {0, 0.25f, 0.5f, 0.75f, 1});
    CHECK_VALUES(eye(2), {2, 2}, {1, 0, 0, 1});
}

TEST_CASE("tensors from values") {
    CHECK_VALUES(tensor({1, 2, 3, 4, 5, 6}, {2, 3}), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(tensor({9}, {}), {}, {9});
}

TEST_CASE("tensors from doubles are rounded to float, and the float forms are still chosen") {
    // Each call below compiles only if its overload is unambiguous; 1e300 would not even compile
    // through the float list (a narrowing constant), so the first line also shows which is chosen.
    CHECK_ERROR(ValueError, [] { tensor({1.0, 1e300}); }, {"tensor()", "1e+300", "index 1"});
    const Tensor d = tensor({0.1, -2.5, 1e-3});
    CHECK(d.to_vector() ==
          std::vector<float>{static_cast<float>(0.1), -2.5f, static_cast<float>(1e-3)});
    CHECK_VALUES(tensor({1.f, 2.f}), {2}, {1, 2});
    CHECK_VALUES(tensor({1, 2}), {2}, {1, 2});
    CHECK_VALUES(tensor({1.0, 2.0}, {2, 1}), {2, 1}, {1, 2});
    // Doubles computed at run time, the case a float list refuses to compile (narrowing).
    const double a = std::sqrt(2.0), b = std::exp(-1.0);
    CHECK(tensor({a, b}).to_vector() ==
          std::vector<float>{static_cast<float>(a), static_cast<float>(b)});
    const std::vector<double> six = {1.5, 2, 3, 4, 5, 6.25};
    CHECK_VALUES(tensor(six, {2, 3}), {2, 3}, {1.5f, 2, 3, 4, 5, 6.25f});
    CHECK(tensor(std::vector<double>{}, {0, 3}).shape() == Shape{0, 3});
    CHECK(tensor(std::vector<double>{7}, {}).item() == 7.0f);
}

TEST_CASE("tensors from doubles: float's range is checked, inf and NaN pass through") {
    const double inf = std::numeric_limits<double>::infinity();
    const double flt_max = FLT_MAX;
    // The largest double below the halfway point to 2^128 still rounds down to FLT_MAX.
    const double last_finite = std::nextafter(0x1.ffffffp127, 0.0);
    CHECK(tensor({flt_max, -flt_max}).to_vector() == std::vector<float>{FLT_MAX, -FLT_MAX});
    CHECK(tensor({last_finite}).item() == FLT_MAX);
    CHECK(tensor({-last_finite}).item() == -FLT_MAX);
    CHECK(tensor({inf, -inf}).to_vector() == std::vector<float>{INFINITY, -INFINITY});
    CHECK(std::isnan(tensor({std::nan("")}).item()));
    CHECK(tensor({1e-50}).item() == 0.0f);  // underflow rounds to 0, as torch.tensor
    CHECK_ERROR(ValueError, [] { tensor({0x1.ffffffp127}); },
                {"tensor()", "value 3.40282357e+38 at index 0", "3.40282347e+38", "become inf"});
    CHECK_ERROR(ValueError,
                [] {
                    tensor({0.0, 2.0, -1e39});
                },
                {"tensor()", "value -1e+39 at index 2", "become -inf"});
    CHECK_ERROR(ValueError,
                [] {
                    tensor(std::vector<double>{1, 2, 1e39, 4}, {2, 2});
                },
                {"tensor()", "value 1e+39 at index 2"});
    CHECK_ERROR(ShapeError,
                [] {
                    tensor(std::vector<double>{1, 2, 3}, {2, 2});
                },
                {"tensor()", "3 values", "(2, 2)", "4 elements"});
}

TEST_CASE("bad sizes are refused before allocating") {
    CHECK_ERROR(ShapeError,
                [] {
                    tensor({1, 2, 3}, {2, 2});
                },
                {"tensor()", "3 values", "(2, 2)", "4 elements"});
    CHECK_ERROR(ValueError, [] { zeros({-1, 3}); }, {"zeros()", "negative", "(-1, 3)"});
    CHECK_ERROR(ValueError, [] { empty({1LL << 62, 1LL << 62}); }, {"empty()"});
    // 2^61 floats are 2^63 bytes, one past int64: refused by the count, not by the allocator.
    CHECK_ERROR(ValueError, [] { zeros({1LL << 61}); }, {"zeros()", "(2305843009213693952)"});
    CHECK_ERROR(ValueError, [] { empty({1LL << 31, 1LL << 30}); }, {"empty()", "at most"});
    CHECK_ERROR(ValueError, [] { arange(0.0f, 1.0f, 0.0f); }, {"arange()", "step 0"});
    CHECK_ERROR(ValueError, [] { arange(0.0f, 1e30f, 1.0f); }, {"arange()"});
    CHECK_ERROR(ValueError, [] { linspace(0.0f, 1.0f, -2); }, {"linspace()", "-2"});
    CHECK_ERROR(ValueError, [] { eye(-1); }, {"eye()", "-1"});
}
