// Printing: values, shape, requires_grad; abbreviation of large tensors.
#include <sstream>

#include "support.hpp"

using namespace descent;

namespace {
std::string str(const Tensor& t) {
    std::ostringstream s;
    s << t;
    return s.str();
}
}  // namespace

TEST_CASE("small tensors print every value with the shape") {
    CHECK(str(tensor({1, 2.5f, -3}, {3})) == "tensor([1.0000, 2.5000, -3.0000], shape=(3))");
    CHECK(str(scalar_tensor(2.0f)) == "tensor(2.0000, shape=())");
    CHECK(str(tensor({1, 2, 3, 4}, {2, 2})) ==
          "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=(2, 2))");
    CHECK(str(ones({1}).requires_grad_()) == "tensor([1.0000], shape=(1), requires_grad=true)");
    CHECK(str(Tensor()) == "tensor(undefined)");
    CHECK(str(zeros({0})) == "tensor([], shape=(0))");
}

TEST_CASE("large tensors are abbreviated to their edges") {
    const std::string s = str(arange(2000.0f));
    CHECK(s.find("0.0000, 1.0000, 2.0000, ..., 1997.0000, 1998.0000, 1999.0000") !=
          std::string::npos);
    CHECK(s.find("1000.0000") == std::string::npos);
    CHECK(s.find("shape=(2000)") != std::string::npos);
    CHECK(str(full({1}, 1e6f)).find("1.0000e+06") != std::string::npos);
}
