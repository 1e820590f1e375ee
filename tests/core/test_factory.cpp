// Tensor creation: fills, ranges, identity, tensors from values.
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

TEST_CASE("bad sizes are refused before allocating") {
    CHECK_ERROR(ShapeError,
                [] {
                    tensor({1, 2, 3}, {2, 2});
                },
                {"tensor()", "3 values", "(2, 2)", "4 elements"});
    CHECK_ERROR(ValueError, [] { zeros({-1, 3}); }, {"full()", "negative", "(-1, 3)"});
    CHECK_ERROR(ValueError, [] { empty({1LL << 62, 1LL << 62}); }, {"empty()"});
    // 2^61 floats are 2^63 bytes, one past int64: refused by the count, not by the allocator.
    CHECK_ERROR(ValueError, [] { zeros({1LL << 61}); }, {"full()", "(2305843009213693952)"});
    CHECK_ERROR(ValueError, [] { empty({1LL << 31, 1LL << 30}); }, {"empty()", "at most"});
    CHECK_ERROR(ValueError, [] { arange(0.0f, 1.0f, 0.0f); }, {"arange()", "step 0"});
    CHECK_ERROR(ValueError, [] { arange(0.0f, 1e30f, 1.0f); }, {"arange()"});
    CHECK_ERROR(ValueError, [] { linspace(0.0f, 1.0f, -2); }, {"linspace()", "-2"});
    CHECK_ERROR(ValueError, [] { eye(-1); }, {"eye()", "-1"});
}
