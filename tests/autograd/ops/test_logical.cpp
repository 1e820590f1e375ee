// logical and / or / xor / not on any dtype, the operators & | ^ ~ ! (logical on bool, bitwise on
// int64), isnan / isinf / isfinite, and all / any over everything or along a dim.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;
using B = std::vector<bool>;

namespace {
Tensor bools(const B& v) { return tensor(v); }
}  // namespace

TEST_CASE("logical ops follow their truth tables, reading any dtype as != 0") {
    const Tensor p = bools({false, false, true, true}), q = bools({false, true, false, true});
    CHECK(logical_and(p, q).to_vector<bool>() == B{false, false, false, true});
    CHECK(logical_or(p, q).to_vector<bool>() == B{false, true, true, true});
    CHECK(logical_xor(p, q).to_vector<bool>() == B{false, true, true, false});
    CHECK(logical_not(p).to_vector<bool>() == B{true, true, false, false});
    CHECK(p.logical_and(q).to_vector<bool>() == B{false, false, false, true});
    CHECK(p.logical_or(q).to_vector<bool>() == B{false, true, true, true});
    CHECK(p.logical_xor(q).to_vector<bool>() == B{false, true, true, false});
    CHECK(p.logical_not().to_vector<bool>() == B{true, true, false, false});
    // other dtypes: 0 is false, anything else (NaN included) true
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Tensor f = tensor({0.0f, nan, 0.0f, -2.5f}), i = tensor({0, 3, -1, 0}, kInt64);
    CHECK(logical_and(f, i).to_vector<bool>() == B{false, true, false, false});
    CHECK(logical_or(f, i).to_vector<bool>() == B{false, true, true, true});
    CHECK(logical_not(tensor({0.0, 1.5}, kFloat64)).to_vector<bool>() == B{true, false});
    // broadcasting: (2, 1) with (3)
    const Tensor col = bools({true, false}).reshape({2, 1});
    const Tensor r = logical_and(col, bools({true, false, true}));
    CHECK(r.shape() == Shape{2, 3});
    CHECK(r.to_vector<bool>() == B{true, false, true, false, false, false});
}

TEST_CASE("& | ^ ~ ! are logical on bools and bitwise on int64") {
    const Tensor p = bools({false, true, true}), q = bools({true, true, false});
    CHECK((p & q).to_vector<bool>() == B{false, true, false});
    CHECK((p | q).to_vector<bool>() == B{true, true, true});
    CHECK((p ^ q).to_vector<bool>() == B{true, false, true});
    CHECK((~p).to_vector<bool>() == B{true, false, false});
    CHECK((!p).to_vector<bool>() == B{true, false, false});
    CHECK((p & q).dtype() == kBool);
    const Tensor a = tensor({6, -1, 12}, kInt64), b = tensor({3, 5, 10}, kInt64);
    CHECK((a & b).to_vector<int64_t>() == std::vector<int64_t>{2, 5, 8});
    CHECK((a | b).to_vector<int64_t>() == std::vector<int64_t>{7, -1, 14});
    CHECK((a ^ b).to_vector<int64_t>() == std::vector<int64_t>{5, -6, 6});
    CHECK((~a).to_vector<int64_t>() == std::vector<int64_t>{-7, 0, -13});
    // int64 with bool promotes to int64
    CHECK((a & p).to_vector<int64_t>() == std::vector<int64_t>{0, 1, 0});
    // ! on an int64 tensor is logical not
    CHECK((!tensor({0, 4}, kInt64)).to_vector<bool>() == B{true, false});
    // comparisons compose with them into masks
    const Tensor x = tensor({-1.0f, 0.5f, 2.0f});
    CHECK(((x > 0) & (x < 1)).to_vector<bool>() == B{false, true, false});
}

TEST_CASE("bitwise ops refuse floating tensors") {
    const Tensor f = tensor({1.0f}), i = tensor({1}, kInt64);
    CHECK_ERROR(TypeError, [&] { (void)(f & i); }, {"bitwise_and()", "float32", "int64"});
    CHECK_ERROR(TypeError, [&] { (void)(i | tensor({1.0}, kFloat64)); }, {"bitwise_or()", "float64"});
    CHECK_ERROR(TypeError, [&] { (void)(f ^ f); }, {"bitwise_xor()", "float32"});
    CHECK_ERROR(TypeError, [&] { (void)(~f); }, {"bitwise_not()", "float32"});
    CHECK_ERROR(ValueError, [&] { logical_and(Tensor(), i); }, {"logical_and()", "undefined"});
}

TEST_CASE("isnan, isinf and isfinite") {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Tensor f = tensor({1.0f, nan, inf, -inf, 0.0f});
    CHECK(isnan(f).to_vector<bool>() == B{false, true, false, false, false});
    CHECK(isinf(f).to_vector<bool>() == B{false, false, true, true, false});
    CHECK(isfinite(f).to_vector<bool>() == B{true, false, false, false, true});
    CHECK(f.isnan().dtype() == kBool);
    const Tensor d = f.to(kFloat64);
    CHECK(d.isnan().to_vector<bool>() == B{false, true, false, false, false});
    CHECK(d.isinf().to_vector<bool>() == B{false, false, true, true, false});
    CHECK(d.isfinite().to_vector<bool>() == B{true, false, false, false, true});
    // integers are always finite
    const Tensor i = tensor({1, -2}, kInt64);
    CHECK(isnan(i).to_vector<bool>() == B{false, false});
    CHECK(isinf(i).to_vector<bool>() == B{false, false});
    CHECK(isfinite(i).to_vector<bool>() == B{true, true});
    // a strided view is read through its strides
    const Tensor m = tensor({nan, 1, 2, inf}, {2, 2}).t();
    CHECK(isnan(m).to_vector<bool>() == B{true, false, false, false});
}

TEST_CASE("all and any, over everything and along a dim") {
    const Tensor m = bools({true, false, true, true, true, true}).reshape({2, 3});
    CHECK(all(m).dim() == 0);
    CHECK(all(m).dtype() == kBool);
    CHECK(all(m).item<bool>() == false);
    CHECK(any(m).item<bool>() == true);
    CHECK(m.all(1).to_vector<bool>() == B{false, true});
    CHECK(m.any(0).to_vector<bool>() == B{true, true, true});
    CHECK(m.all(0).to_vector<bool>() == B{true, false, true});
    CHECK(m.all(-1, true).shape() == Shape{2, 1});
    CHECK(m.any(1, false).shape() == Shape{2});
    // any dtype: != 0
    CHECK(tensor({1.0f, 2.0f}).all().item<bool>());
    CHECK_FALSE(tensor({0, 0}, kInt64).any().item<bool>());
    CHECK(tensor({0.0, -0.5}, kFloat64).any().item<bool>());
    // empty: all of none is true, any of none false
    CHECK(zeros({0}).all().item<bool>());
    CHECK_FALSE(zeros({0}).any().item<bool>());
    CHECK(zeros({2, 0}).any(1).to_vector<bool>() == B{false, false});
    // the common check: are all values finite?
    CHECK(isfinite(tensor({1.0f, 2.0f})).all().item<bool>());
    CHECK_ERROR(IndexError, [&] { m.all(2); }, {"all()", "dim 2"});
    CHECK(scalar_tensor(2).all(0).item<bool>());
}
