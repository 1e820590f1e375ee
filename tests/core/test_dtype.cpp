// Dtypes in core: names, PyTorch's promotion table, factories with a dtype or TensorOptions, typed
// accessors and their TypeErrors, conversions, views that keep the dtype, printing.
#include <sstream>

#include "support.hpp"

using namespace descent;

TEST_CASE("dtype names, sizes and kinds") {
    CHECK(std::string(dtype_name(kFloat32)) == "float32");
    CHECK(std::string(dtype_name(kFloat64)) == "float64");
    CHECK(std::string(dtype_name(kInt64)) == "int64");
    CHECK(std::string(dtype_name(kBool)) == "bool");
    CHECK(std::string(dtype_name(kUInt8)) == "uint8");
    CHECK(element_size(kFloat64) == 8);
    CHECK(element_size(kFloat32) == 4);
    CHECK(element_size(kBool) == 1);
    CHECK(is_floating_point(kFloat64));
    CHECK_FALSE(is_floating_point(kInt64));
    CHECK(kLong == kInt64);
    CHECK(kDouble == kFloat64);
}

TEST_CASE("type promotion follows PyTorch's table") {
    // torch.promote_types for every pair of the four main dtypes.
    const ScalarType order[] = {kBool, kInt64, kFloat32, kFloat64};
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            CHECK(promote_types(order[i], order[j]) == order[i > j ? i : j]);
    CHECK(promote_types(kUInt8, kInt64) == kInt64);
    CHECK(promote_types(kBool, kUInt8) == kUInt8);
    // A C++ number lifts the kind only: float32 * 2.0 stays float32, int64 * 2.5 is float32.
    CHECK(promote_with_scalar(kFloat32, true) == kFloat32);
    CHECK(promote_with_scalar(kFloat64, true) == kFloat64);
    CHECK(promote_with_scalar(kInt64, true) == kFloat32);
    CHECK(promote_with_scalar(kInt64, false) == kInt64);
    CHECK(promote_with_scalar(kBool, false) == kInt64);
    CHECK(promote_with_scalar(kFloat32, false) == kFloat32);
}

TEST_CASE("factories take a dtype or TensorOptions") {
    const Tensor z = zeros({2, 3}, kInt64);
    CHECK(z.dtype() == kInt64);
    CHECK(z.to_vector<int64_t>() == std::vector<int64_t>(6, 0));
    const Tensor a = arange(5, kInt64);
    CHECK(a.to_vector<int64_t>() == std::vector<int64_t>{0, 1, 2, 3, 4});
    CHECK(arange(1, 10, 3, TensorOptions().dtype(kInt64)).to_vector<int64_t>() ==
          std::vector<int64_t>{1, 4, 7});
    const Tensor f = full({2}, 0.1, kFloat64);
    CHECK(f.to_vector<double>() == std::vector<double>{0.1, 0.1});  // exact, not float's 0.1
    CHECK(ones({3}, kBool).to_vector<bool>() == std::vector<bool>{true, true, true});
    CHECK(eye(2, kInt64).to_vector<int64_t>() == std::vector<int64_t>{1, 0, 0, 1});
    CHECK(linspace(0, 1, 3, kFloat64).to_vector<double>() == std::vector<double>{0, 0.5, 1});
    CHECK(zeros({2}).dtype() == kFloat32);
    CHECK(zeros_like(z).dtype() == kInt64);
    CHECK(ones_like(z, kFloat64).dtype() == kFloat64);
    const Tensor r = zeros({2}, TensorOptions().dtype(kFloat64).requires_grad(true));
    CHECK(r.requires_grad());
    CHECK(r.dtype() == kFloat64);
    CHECK_ERROR(TypeError, [] { zeros({2}, TensorOptions(kInt64).requires_grad(true)); },
                {"zeros()", "floating point", "int64"});
    CHECK_ERROR(ValueError, [] { full({2}, 2.5, kInt64); }, {"full()", "2.5", "int64"});
    CHECK_ERROR(ValueError, [] { full({2}, 300, kUInt8); }, {"full()", "300", "uint8"});
    CHECK_ERROR(ValueError, [] { linspace(0, 1, 3, kInt64); }, {"linspace()", "int64"});
}

TEST_CASE("tensors from int64, bool and double data") {
    const Tensor i = tensor(std::vector<int64_t>{3, -1, 4}, {3});
    CHECK(i.dtype() == kInt64);
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{3, -1, 4});
    CHECK(tensor(std::vector<int64_t>{5, 6}).shape() == Shape{2});
    const Tensor b = tensor(std::vector<bool>{true, false, true});
    CHECK(b.dtype() == kBool);
    CHECK(b.to_vector<bool>() == std::vector<bool>{true, false, true});
    const Tensor d = tensor(std::vector<double>{0.1, 1e300}, {2}, kFloat64);
    CHECK(d.to_vector<double>() == std::vector<double>{0.1, 1e300});
    CHECK(tensor({1, 2, 3}, kInt64).to_vector<int64_t>() == std::vector<int64_t>{1, 2, 3});
    CHECK(tensor({0.5, 0.25}, kFloat64).dtype() == kFloat64);
    CHECK(tensor(std::vector<double>{0.5}).dtype() == kFloat32);  // torch.tensor's default
    CHECK_ERROR(ValueError, [] { tensor({1.5}, kInt64); }, {"tensor()", "1.5", "int64"});
    // A large int64 survives exactly (no trip through float or double).
    const int64_t big = (int64_t(1) << 62) + 1;
    CHECK(tensor(std::vector<int64_t>{big}).item<int64_t>() == big);
}

TEST_CASE("typed accessors refuse the wrong type, naming both dtypes") {
    Tensor i = arange(4, kInt64);
    CHECK(i.data<int64_t>()[3] == 3);
    CHECK(i.data_ptr<int64_t>() == i.data<int64_t>());
    CHECK_ERROR(TypeError, [&] { i.data(); }, {"data()", "int64", "float32"});
    CHECK_ERROR(TypeError, [&] { i.data<double>(); }, {"data()", "int64", "float64"});
    CHECK_ERROR(TypeError, [&] { i.to_vector<float>(); }, {"to_vector()", "int64", "float32"});
    Tensor f = ones({1});
    CHECK_ERROR(TypeError, [&] { f.data<int64_t>(); }, {"float32", "int64"});
    // item<T> converts, as libtorch's.
    CHECK(tensor(std::vector<int64_t>{7}).item<double>() == 7.0);
    CHECK(tensor(std::vector<int64_t>{7}).item() == 7.0f);
    CHECK(full({}, 2.5).item<int64_t>() == 2);
    CHECK(tensor(std::vector<bool>{true}).item<bool>());
}

TEST_CASE("to() converts, truncating to integers and testing != 0 for bool") {
    const Tensor f = tensor({-1.7f, 0.0f, 2.9f});
    CHECK(f.to(kInt64).to_vector<int64_t>() == std::vector<int64_t>{-1, 0, 2});
    CHECK(f.to(kBool).to_vector<bool>() == std::vector<bool>{true, false, true});
    CHECK(f.to(kFloat64).to_vector<double>() ==
          std::vector<double>{double(-1.7f), 0.0, double(2.9f)});
    CHECK(f.to(kFloat32).is_same(f));  // no copy when the dtype is already right
    CHECK_FALSE(f.to(kFloat32, false, true).is_same(f));
    // A view converts its own elements, in row-major order.
    const Tensor m = arange(6, kInt64).view({2, 3}).t();
    CHECK(m.dtype() == kInt64);
    CHECK_FALSE(m.is_contiguous());
    CHECK(m.to(kFloat64).to_vector<double>() == std::vector<double>{0, 3, 1, 4, 2, 5});
    CHECK(m.contiguous().to_vector<int64_t>() == std::vector<int64_t>{0, 3, 1, 4, 2, 5});
    CHECK(m.to_vector<int64_t>() == std::vector<int64_t>{0, 3, 1, 4, 2, 5});
}

TEST_CASE("only floating tensors require grad") {
    Tensor i = zeros({2}, kInt64);
    CHECK_ERROR(TypeError, [&] { i.requires_grad_(); }, {"requires_grad_()", "int64", "floating"});
    Tensor d = zeros({2}, kFloat64);
    d.requires_grad_();
    CHECK(d.requires_grad());
    // Converting to an integer dtype ends the graph there.
    CHECK_FALSE(d.to(kInt64).requires_grad());
    CHECK(d.to(kFloat32).requires_grad());
}

TEST_CASE("to() between floating dtypes carries the gradient back in the input's dtype") {
    Tensor x = tensor({1.5f, -2.0f}).requires_grad_();
    Tensor y = x.to(kFloat64);
    CHECK(y.grad_fn()->name() == std::string("ToCopyBackward"));
    y.backward(tensor({0.25, 3.0}, kFloat64));
    CHECK(x.grad().dtype() == kFloat32);
    CHECK(x.grad().to_vector() == std::vector<float>{0.25f, 3.0f});
}

TEST_CASE("printing shows each dtype's values") {
    std::ostringstream os;
    os << arange(3, kInt64) << ' ' << tensor(std::vector<bool>{true, false}) << ' '
       << full({1}, 0.5, kFloat64) << ' ' << tensor({1.5f});
    CHECK(os.str() ==
          "tensor([0, 1, 2], shape=(3)) tensor([true, false], shape=(2)) "
          "tensor([0.5000], shape=(1), dtype=float64) tensor([1.5000], shape=(1))");
}

TEST_CASE("equal and allclose compare values across dtypes") {
    CHECK(equal(arange(3, kInt64), arange(3)));
    CHECK_FALSE(equal(arange(3, kInt64), tensor({0.0f, 1.0f, 2.5f})));
    CHECK(allclose(full({2}, 0.1, kFloat64), full({2}, 0.1)));
    CHECK_FALSE(equal(full({2}, 0.1, kFloat64), full({2}, 0.1)));  // float's 0.1 is another number
}
