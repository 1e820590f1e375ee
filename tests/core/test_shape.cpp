// Shape rules shared by every op: element counts, broadcasting, dim normalisation.
#include <sstream>

#include "support.hpp"

using namespace descent;

TEST_CASE("shapes print as tuples") {
    std::ostringstream s;
    s << Shape{2, 3} << ' ' << Shape{} << ' ' << Shape{7};
    CHECK(s.str() == "(2, 3) () (7)");
}

TEST_CASE("checked_numel counts, and refuses negative sizes and overflow") {
    CHECK(checked_numel({2, 3, 4}, "op") == 24);
    CHECK(checked_numel({}, "op") == 1);
    CHECK(checked_numel({5, 0}, "op") == 0);
    CHECK_ERROR(ValueError,
                [] {
                    checked_numel({2, -1}, "zeros");
                },
                {"zeros()", "negative", "(2, -1)"});
    CHECK_ERROR(ValueError,
                [] {
                    checked_numel({1LL << 40, 1LL << 40}, "empty");
                },
                {"empty()", "int64"});
}

TEST_CASE("broadcast_shapes follows NumPy's rules") {
    CHECK(broadcast_shapes({2, 3}, {3}, "op") == Shape{2, 3});
    CHECK(broadcast_shapes({2, 1}, {1, 3}, "op") == Shape{2, 3});
    CHECK(broadcast_shapes({}, {4, 5}, "op") == Shape{4, 5});
    CHECK(broadcast_shapes({5, 1, 4}, {3, 1}, "op") == Shape{5, 3, 4});
    CHECK(broadcast_shapes({0, 3}, {1, 3}, "op") == Shape{0, 3});
    CHECK_ERROR(ShapeError,
                [] {
                    broadcast_shapes({2, 3}, {4}, "add");
                },
                {"add()", "(2, 3)", "(4)", "3 vs 4"});
}

TEST_CASE("normalize_dim accepts -ndim..ndim-1 and names the shape otherwise") {
    CHECK(normalize_dim(-1, {2, 3}, "op") == 1);
    CHECK(normalize_dim(0, {2, 3}, "op") == 0);
    CHECK(normalize_dim(-1, {}, "op") == 0);  // a 0-d tensor takes dim 0 or -1
    CHECK_ERROR(IndexError,
                [] {
                    normalize_dim(2, {2, 3}, "sum");
                },
                {"sum()", "dim 2", "(2, 3)", "-2..1"});
    CHECK_ERROR(IndexError, [] { normalize_dim(-3, {2, 3}, "softmax"); }, {"softmax()", "dim -3"});
}

TEST_CASE("reduced_shape keeps or drops the reduced dim") {
    CHECK(reduced_shape({2, 3, 4}, 1, true) == Shape{2, 1, 4});
    CHECK(reduced_shape({2, 3, 4}, 1, false) == Shape{2, 4});
    CHECK(contiguous_strides({2, 3, 4}) == std::vector<int64_t>{12, 4, 1});
}
