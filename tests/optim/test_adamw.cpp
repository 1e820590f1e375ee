// AdamW: the first steps against the documented algorithm (decay decoupled from the gradient),
// the difference from Adam's L2 decay, convergence, defaults and checks.
#include "optim/problem.hpp"

#include <algorithm>

#include "descent/optim/adam.hpp"
#include "descent/optim/adamw.hpp"

using namespace descent;
using namespace optim_test;
using optim::AdamW;
using optim::AdamWOptions;

namespace {

// torch.optim.AdamW's documented algorithm, in double.
Update adamw_reference(double lr, double b1, double b2, double eps, double wd, bool amsgrad) {
    struct Moments {
        std::vector<double> m, v, vmax;
    };
    auto s = std::make_shared<Moments>();
    s->m = s->v = s->vmax = std::vector<double>(x0.size());
    return [=](std::vector<double>& x, const std::vector<double>& g, int t) {
        for (size_t i = 0; i < x.size(); ++i) {
            x[i] -= lr * wd * x[i];
            s->m[i] = b1 * s->m[i] + (1 - b1) * g[i];
            s->v[i] = b2 * s->v[i] + (1 - b2) * g[i] * g[i];
            s->vmax[i] = std::max(s->vmax[i], s->v[i]);
            const double m_hat = s->m[i] / (1 - std::pow(b1, t));
            const double v_hat = (amsgrad ? s->vmax[i] : s->v[i]) / (1 - std::pow(b2, t));
            x[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
        }
    };
}

}  // namespace

TEST_CASE("AdamW's first steps follow the documented update") {
    struct Case {
        double lr, b1, b2, eps, wd;
        bool amsgrad;
    };
    for (const Case& c :
         {Case{0.1, 0.9, 0.999, 1e-8, 1e-2, false}, Case{0.05, 0.8, 0.99, 1e-3, 0.5, false},
          Case{0.1, 0.9, 0.999, 1e-8, 0.1, true}}) {
        CAPTURE(c.wd);
        CAPTURE(c.amsgrad);
        std::vector<Tensor> params = make_params();
        AdamW opt(params, AdamWOptions(c.lr)
                              .betas({c.b1, c.b2})
                              .eps(c.eps)
                              .weight_decay(c.wd)
                              .amsgrad(c.amsgrad));
        const Trajectory expected =
            reference(adamw_reference(c.lr, c.b1, c.b2, c.eps, c.wd, c.amsgrad), 23);
        CHECK_OUTCOME(compare(run(opt, params, 3), {expected.begin(), expected.begin() + 3}));
        CHECK_OUTCOME(compare(run(opt, params, 20), {expected.begin() + 3, expected.end()}, 1e-4));
    }
}

TEST_CASE("AdamW's decay differs from Adam's L2 decay, and equals it at weight_decay 0") {
    std::vector<Tensor> a = make_params(), b = make_params(), c = make_params(), d = make_params();
    optim::Adam adam_l2(a, optim::AdamOptions(0.1).weight_decay(0.5));
    AdamW adamw(b, AdamWOptions(0.1).weight_decay(0.5));
    const Trajectory l2 = run(adam_l2, a, 3), decoupled = run(adamw, b, 3);
    CHECK(l2.back() != decoupled.back());
    optim::Adam adam0(c, optim::AdamOptions(0.1));
    AdamW adamw0(d, AdamWOptions(0.1).weight_decay(0));
    CHECK(run(adam0, c, 5) == run(adamw0, d, 5));  // bit for bit: the same loop
}

TEST_CASE("AdamW converges on a quadratic and on Rosenbrock") {
    Tensor x = zeros({3}).requires_grad_();
    AdamW opt({x}, AdamWOptions(0.05).weight_decay(0));
    minimise(
        opt, [&] { return quadratic(x); }, 2000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-3);
    Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
    AdamW rosen({xy}, AdamWOptions(0.02).weight_decay(0));
    CHECK(minimise(
              rosen, [&] { return rosenbrock(xy); }, 3000) < 1e-6);
    CHECK_VALUES(xy, {2}, {1, 1}, 1e-3);
}

TEST_CASE("AdamWOptions defaults are PyTorch's, and AdamW checks its options") {
    const AdamWOptions o;
    CHECK(o.lr() == 1e-3);
    CHECK(o.weight_decay() == 1e-2);
    CHECK(o.eps() == 1e-8);
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError,
                [&] {
                    AdamW(params, AdamWOptions().betas({0.9, 1.5}));
                },
                {"AdamW()", "beta2", "1.5"});
    CHECK_ERROR(ValueError, [&] { AdamW(params, AdamWOptions().weight_decay(-1)); },
                {"AdamW()", "weight_decay", "-1"});
}
