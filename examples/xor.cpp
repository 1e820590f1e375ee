// XOR with a two-layer network: the four points no single line separates. A 2-8-1 tanh network
// learns them in a few hundred Adam steps; the loss and the final predictions are printed.
#include <cstdio>

#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

int run() {
    manual_seed(0);
    const Tensor x = tensor({0, 0, 0, 1, 1, 0, 1, 1}, {4, 2});
    const Tensor y = tensor({0, 1, 1, 0}, {4, 1});

    nn::Sequential net(nn::Linear(2, 8), nn::Tanh(), nn::Linear(8, 1));
    optim::Adam opt(net.parameters(), optim::AdamOptions(0.05));
    nn::BCEWithLogitsLoss bce;

    for (int step = 1; step <= 500; ++step) {
        const Tensor loss = bce(net(x), y);
        opt.zero_grad();
        loss.backward();
        opt.step();
        if (step == 1 || step % 100 == 0) std::printf("step %3d  loss %.5f\n", step, loss.item());
    }

    NoGradGuard no_grad;
    const Tensor p = sigmoid(net(x));
    int right = 0;
    for (int i = 0; i < 4; ++i) {
        const bool predicted = p.data()[i] > 0.5f;
        right += predicted == (y.data()[i] > 0.5f);
        std::printf("%g xor %g = %g  ->  p(1) = %.3f\n", x.data()[2 * i], x.data()[2 * i + 1],
                    y.data()[i], p.data()[i]);
    }
    std::printf("%d of 4 right\n", right);
    return right == 4 ? 0 : 1;
}

int main(int argc, char** argv) {
    CLI::App app{
        "XOR with a 2-8-1 tanh network trained by Adam: the loss and the four predictions."};
    return examples::run_cli(app, "xor", argc, argv, run);
}
