// Test problems shared by the optimizer tests: three scalars in two tensors with a known nonlinear
// gradient (for step-by-step comparison with reference loops written from PyTorch's documented
// update rules), a quadratic and the 2-D Rosenbrock function (for convergence).
#pragma once

#include "support.hpp"

#include <cmath>
#include <functional>

#include "descent/optim/optimizer.hpp"
#include "optim/torch_trajectories.hpp"

namespace optim_test {

using descent::Tensor;
using Trajectory = std::vector<std::vector<double>>;  // [step][scalar]

// x0 and the gradient g(x) = (x - c) + x³/2 of Σ (x - c)²/2 + x⁴/8: nonlinear, so every step of a
// trajectory depends on the update rule.
const std::vector<double> x0 = {0.5, -1.5, 2.0};
const std::vector<double> centre = {1.0, -1.0, 0.5};
inline double grad_at(double x, size_t i) { return (x - centre[i]) + 0.5 * x * x * x; }

// x0 as a (2,) and a (1,) parameter.
inline std::vector<Tensor> make_params() {
    return {descent::tensor({0.5f, -1.5f}).requires_grad_(),
            descent::tensor({2.0f}).requires_grad_()};
}

inline std::vector<double> flat_values(const std::vector<Tensor>& params) {
    std::vector<double> v;
    for (const Tensor& p : params)
        for (int64_t i = 0; i < p.numel(); ++i) v.push_back(p.data()[i]);
    return v;
}

// Sets every parameter's gradient to g(x) at its current value.
inline void set_grads(std::vector<Tensor>& params) {
    size_t k = 0;
    for (Tensor& p : params) {
        std::vector<float> g;
        for (int64_t i = 0; i < p.numel(); ++i, ++k)
            g.push_back(static_cast<float>(grad_at(p.data()[i], k)));
        p.mutable_grad() = descent::tensor(g, p.shape());
    }
}

// The values after each of `steps` optimizer steps.
inline Trajectory run(descent::optim::Optimizer& opt, std::vector<Tensor>& params, int steps) {
    Trajectory out;
    for (int s = 0; s < steps; ++s) {
        set_grads(params);
        opt.step();
        out.push_back(flat_values(params));
    }
    return out;
}

// A reference implementation: updates x (double) in place given the gradient at x and the
// 1-based step number.
using Update = std::function<void(std::vector<double>& x, const std::vector<double>& g, int t)>;

inline Trajectory reference(const Update& update, int steps) {
    std::vector<double> x = x0;
    Trajectory out;
    for (int t = 1; t <= steps; ++t) {
        std::vector<double> g(x.size());
        for (size_t i = 0; i < x.size(); ++i) g[i] = grad_at(x[i], i);
        update(x, g, t);
        out.push_back(x);
    }
    return out;
}

// Every step's values agree to relative `eps` (float arithmetic vs a double reference).
inline test::Outcome compare(const Trajectory& actual, const Trajectory& expected,
                             double eps = 2e-5) {
    std::ostringstream s;
    bool ok = actual.size() == expected.size();
    for (size_t t = 0; ok && t < actual.size(); ++t)
        for (size_t i = 0; i < actual[t].size(); ++i)
            if (!(actual[t][i] == doctest::Approx(expected[t][i]).epsilon(eps))) {
                s << "step " << t + 1 << " scalar " << i << ": " << actual[t][i] << " vs "
                  << expected[t][i] << "; ";
                ok = false;
            }
    return {ok, s.str()};
}

// The run equals torch.optim's float32 trajectory `name` (torch_trajectories.hpp, written by
// optimizer_torch_reference.py) bit for bit, step by step.
inline test::Outcome equals_torch(const Trajectory& actual, const std::string& name) {
    const Trajectory& expected = torch_trajectories().at(name);
    std::ostringstream s;
    bool ok = actual.size() == expected.size();
    if (!ok) s << actual.size() << " steps, torch's case has " << expected.size() << "; ";
    for (size_t t = 0; ok && t < actual.size(); ++t)
        for (size_t i = 0; i < actual[t].size(); ++i)
            if (static_cast<float>(actual[t][i]) != static_cast<float>(expected[t][i])) {
                s << name << " step " << t + 1 << " scalar " << i << ": " << actual[t][i]
                  << " vs torch's " << expected[t][i] << "; ";
                ok = false;
            }
    return {ok, s.str()};
}

// Minimises f with `opt` over `steps` steps of zero_grad, backward, step; returns the final loss.
inline double minimise(descent::optim::Optimizer& opt, const std::function<Tensor()>& f,
                       int steps) {
    for (int s = 0; s < steps; ++s) {
        Tensor loss = f();
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    return f().item();
}

// A quadratic bowl with unequal curvatures around (1, -2, 3): Σ w·(x - c)².
inline Tensor quadratic(const Tensor& x) {
    const Tensor c = descent::tensor({1.0f, -2.0f, 3.0f});
    const Tensor w = descent::tensor({1.0f, 4.0f, 0.5f});
    const Tensor d = x - c;
    return descent::sum(w * d * d);
}

// Rosenbrock's banana valley, minimum 0 at (1, 1): (1 - x)² + 100·(y - x²)².
inline Tensor rosenbrock(const Tensor& xy) {
    const Tensor x = xy.select(0, 0), y = xy.select(0, 1);
    const Tensor a = 1.0f - x, b = y - x * x;
    return a * a + 100.0f * b * b;
}

}  // namespace optim_test
