// The "Adding an op" example of docs/autograd.md, verbatim: it compiles, records its node and
// gradchecks, first and second order.
#include "support.hpp"

#include "descent/autograd/record.hpp"

using namespace descent;

namespace {

// The node: what the backward needs, saved by the forward.
struct CubeBackward final : autograd::Node {
    // saved: a
    const char* name() const override { return "CubeBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor cube(const Tensor& a) {
    Tensor out;
    {
        NoGradGuard no_grad;  // the forward itself is not recorded
        out = a * a * a;
    }
    if (auto node = autograd::detail::record<CubeBackward>(out, a)) node->save_for_backward({a});
    return out;
}

// out = a³:  dL/da = g * 3a²
std::vector<Tensor> CubeBackward::apply(Tensor g) {
    const Tensor x = saved(0);
    return {g * 3.0f * x * x};
}

}  // namespace

TEST_CASE("an op added through record.hpp records its node and gradchecks") {
    const Tensor x = test::input({3, 2}, 7);
    const Tensor y = cube(x);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "CubeBackward");
    CHECK_FALSE(cube(x.detach()).requires_grad());
    const auto f = [](const std::vector<Tensor>& v) { return cube(v[0]); };
    CHECK(autograd::gradcheck(f, {x}));
    CHECK(autograd::gradgradcheck(f, {x}));
}
