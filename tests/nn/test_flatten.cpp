// nn::Flatten, nn::Unflatten and nn::Identity: shapes, views, gradients, printing, errors.
#include "support.hpp"

#include <sstream>

#include "descent/nn/flatten.hpp"

using namespace descent;
using V = std::vector<Tensor>;

TEST_CASE("Flatten merges start_dim..end_dim and shares storage") {
    const Tensor x = test::iota({2, 3, 4, 5});
    const Tensor y = nn::Flatten()(x);
    CHECK(y.shape() == Shape{2, 60});
    CHECK(y.data() == x.data());  // a view
    CHECK(nn::Flatten(0)(x).shape() == Shape{120});
    CHECK(nn::Flatten(1, 2)(x).shape() == Shape{2, 12, 5});
    CHECK(nn::Flatten(-3, -2)(x).shape() == Shape{2, 12, 5});
    CHECK(nn::Flatten(2, -1)(x).shape() == Shape{2, 3, 20});
    CHECK_VALUES(nn::Flatten()(test::iota({2, 2, 2})), {2, 4}, {0, 1, 2, 3, 4, 5, 6, 7});
    CHECK_GRADIENTS([](const V& v) { return nn::Flatten()(v[0]); }, V{test::input({2, 3, 2}, 1)});
}

TEST_CASE("Identity returns its input, gradient included") {
    nn::Identity id;
    const Tensor x = test::input({3}, 1);
    CHECK(id(x).is_same(x));
    CHECK(id.parameters().empty());
    std::ostringstream os;
    os << id;
    CHECK(os.str() == "Identity()");
}

TEST_CASE("Flatten: printing and errors") {
    std::ostringstream os;
    os << nn::Flatten();
    CHECK(os.str() == "Flatten(start_dim=1, end_dim=-1)");
    CHECK_ERROR(ValueError, [] { nn::Flatten(2, 1); }, {"Flatten()", "start_dim 2", "end_dim 1"});
    CHECK_ERROR(ValueError, [] { nn::Flatten(-1, -2); }, {"Flatten()", "start_dim -1"});
    // A dim beyond the input is reported when called.
    CHECK_ERROR(IndexError, [] { nn::Flatten(1, 3)(zeros({2, 3})); }, {"flatten()", "(2, 3)"});
}

TEST_CASE("Unflatten splits one dim into sizes, inferring a -1") {
    const Tensor x = test::iota({2, 12, 3});
    nn::Unflatten unflatten(1, {3, 4});
    const Tensor y = unflatten(x);
    CHECK(y.shape() == Shape{2, 3, 4, 3});
    CHECK(equal(y.reshape({2, 12, 3}), x));
    CHECK(nn::Unflatten(-1, {1, 3})(x).shape() == Shape{2, 12, 1, 3});
    CHECK(nn::Unflatten(1, {2, -1, 2})(x).shape() == Shape{2, 2, 3, 2, 3});
    CHECK(nn::Unflatten(0, {2})(x).shape() == Shape{2, 12, 3});
    // The inverse of Flatten, gradient included.
    const Tensor leaf = test::input({2, 3, 4}, 5);
    CHECK(equal(nn::Unflatten(1, {3, 4})(nn::Flatten()(leaf)), leaf));
    CHECK_GRADIENTS([](const V& v) { return nn::Unflatten(2, {2, 2})(v[0]); }, V{leaf});
    std::ostringstream os;
    os << nn::Unflatten(1, {3, 4});
    CHECK(os.str() == "Unflatten(dim=1, unflattened_size=(3, 4))");
    CHECK_ERROR(ValueError, [] { nn::Unflatten(1, {}); }, {"Unflatten()", "empty"});
    CHECK_ERROR(ValueError, [] { nn::Unflatten(1, {-1, -1}); }, {"Unflatten()", "(-1, -1)"});
    CHECK_ERROR(ValueError, [] { nn::Unflatten(1, {2, -3}); }, {"Unflatten()", "(2, -3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    nn::Unflatten(1, {5, 2})(x);
                },
                {"Unflatten()", "(5, 2)", "10", "(2, 12, 3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    nn::Unflatten(1, {5, -1})(x);
                },
                {"Unflatten()", "(5, -1)", "(2, 12, 3)"});
    CHECK_ERROR(IndexError, [&] { nn::Unflatten(3, {1, 3})(x); }, {"Unflatten()", "dim 3"});
}
