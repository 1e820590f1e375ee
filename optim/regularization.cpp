// l1_penalty from the differentiable ops, so it joins any loss and supports create_graph.
#include "descent/optim/regularization.hpp"

#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::optim {

Tensor l1_penalty(const std::vector<Tensor>& params, float lambda) {
    DESCENT_CHECK(lambda >= 0 && std::isfinite(lambda), ValueError,
                  "l1_penalty(): lambda must be finite and >= 0, got ", lambda);
    Tensor total;
    for (size_t i = 0; i < params.size(); ++i) {
        DESCENT_CHECK(params[i].defined(), ValueError, "l1_penalty(): parameter ", i,
                      " is undefined");
        const Tensor term = sum(abs(params[i]));
        total = total.defined() ? add(total, term) : term;
    }
    if (!total.defined()) return scalar_tensor(0.0f);
    return mul(total, scalar_tensor(lambda));
}

}  // namespace descent::optim
