// A first look at descent: build a small graph, list the tape backward will run, read the
// gradients, check them against finite differences, then watch gradient descent fit one neuron.
#include <cstdio>
#include <iostream>

#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

int run() {
    manual_seed(0);

    // One tanh neuron on a batch of 4 two-feature points: y = tanh(x·w + b).
    const Tensor x = tensor({0.5f, -1.0f, 1.5f, 0.2f, -0.3f, 0.8f, 1.0f, 1.0f}, {4, 2});
    const Tensor target = tensor({0.3f, 0.9f, -0.2f, 0.5f}, {4, 1});
    Tensor w = randn({2, 1}).requires_grad_();
    Tensor b = zeros({1}).requires_grad_();

    Tensor y = tanh(matmul(x, w) + b);
    Tensor loss = ((y - target).pow(2.0f)).mean();
    std::cout << "loss = " << loss << "\n\nThe tape, in the order backward runs it:\n";
    study::print_tape(std::cout, loss, {{"w", w}, {"b", b}});

    loss.backward();
    std::cout << "\ndloss/dw = " << w.grad() << "\ndloss/db = " << b.grad() << "\n\n";

    // The same function, checked against finite differences.
    const auto f = [&](const std::vector<Tensor>& p) {
        return (tanh(matmul(x, p[0]) + p[1]) - target).pow(2.0f).mean();
    };
    std::cout << autograd::gradcheck(f, {w, b}) << "\n\n";

    // Gradient descent: step against the gradient and watch the loss fall.
    const float lr = 0.5f;
    for (int step = 0; step <= 50; ++step) {
        w.mutable_grad() = Tensor();
        b.mutable_grad() = Tensor();
        Tensor l = (tanh(matmul(x, w) + b) - target).pow(2.0f).mean();
        l.backward();
        if (step % 10 == 0) std::printf("step %2d  loss %.5f\n", step, l.item());
        NoGradGuard no_grad;  // the update itself is not part of any graph
        w.sub_(w.grad(), lr);
        b.sub_(b.grad(), lr);
    }
    return 0;
}

int main(int argc, char** argv) {
    CLI::App app{
        "A small graph, its tape, its gradients against finite differences, and one neuron "
        "trained."};
    return examples::run_cli(app, "autograd_demo", argc, argv, run);
}
