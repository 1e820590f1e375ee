// The "Adding an op" example of docs/autograd.md, verbatim: it compiles, records its node and
// gradchecks, first and second order.
#include "support.hpp"

#include "descent/autograd/record.hpp"

using namespace descent;

namespace {

// The node: what the backward needs, saved by the forward.
struct SquareBackward final : autograd::Node {
    autograd::SavedTensor a;
    const char* name() const override { return "SquareBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor square(const Tensor& a) {
    Tensor out;
    {
        NoGradGuard no_grad;  // the forward itself is not recorded
        out = a * a;
    }
    if (auto node = autograd::detail::record<SquareBackward>(out, a))
        node->a = autograd::SavedTensor(a, /*is_output=*/false);
    return out;
}

// out = a * a:  dL/da = g * 2a
std::vector<Tensor> SquareBackward::apply(Tensor g) { return {g * 2.0f * a.unpack(*this)}; }

}  // namespace

TEST_CASE("an op added through record.hpp records its node and gradchecks") {
    const Tensor x = test::input({3, 2}, 7);
    const Tensor y = square(x);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "SquareBackward");
    CHECK_FALSE(square(x.detach()).requires_grad());
    const auto f = [](const std::vector<Tensor>& v) { return square(v[0]); };
    CHECK(autograd::gradcheck(f, {x}));
    CHECK(autograd::gradgradcheck(f, {x}));
}
