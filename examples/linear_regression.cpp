// Fits a line y = w·x + b to noisy points three ways side by side: batch gradient descent (one step
// per epoch on all points), stochastic (one step per point) and mini-batch (one step per 16
// points). The table shows the trade: batch GD takes the smoothest, fewest steps; SGD takes many
// noisy ones.
#include <cstdio>
#include <memory>
#include <vector>

#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

namespace {

constexpr float true_w = 3.0f, true_b = -2.0f;
constexpr int64_t points = 256;

struct Run {
    const char* name;
    int64_t batch_size;
    std::shared_ptr<nn::Linear> model;
    std::unique_ptr<optim::SGD> opt;
    std::unique_ptr<data::DataLoader> loader;
    int64_t steps = 0;
};

}  // namespace

int run() {
    manual_seed(0);
    // x uniform in [-1, 1), y = 3x - 2 + N(0, 0.1²) noise.
    const Tensor x = uniform({points, 1}, -1.0f, 1.0f);
    const Tensor y = x * true_w + true_b + normal({points, 1}, 0.0f, 0.1f);
    auto dataset = std::make_shared<data::TensorDataset>(x, y);

    std::vector<Run> runs;
    for (auto [name, batch] :
         {std::pair{"batch", points}, {"stochastic", int64_t{1}}, {"mini-batch", int64_t{16}}}) {
        Run r{name, batch, nullptr, nullptr, nullptr};
        manual_seed(1);  // the same starting line for all three
        r.model = std::make_shared<nn::Linear>(1, 1);
        r.opt = std::make_unique<optim::SGD>(r.model->parameters(), optim::SGDOptions(0.05));
        r.loader = std::make_unique<data::DataLoader>(
            dataset, data::DataLoaderOptions().batch_size(batch).shuffle(true).seed(2));
        runs.push_back(std::move(r));
    }

    nn::MSELoss mse;
    std::printf("fitting y = %.1f x %+.1f from %lld noisy points, SGD lr 0.05\n", true_w, true_b,
                static_cast<long long>(points));
    std::printf("%5s |", "epoch");
    for (const Run& r : runs) std::printf(" %10s loss  steps |", r.name);
    std::printf("\n");
    for (int epoch = 1; epoch <= 30; ++epoch) {
        for (Run& r : runs) {
            for (const data::Batch& b : *r.loader) {
                const Tensor loss = mse((*r.model)(b.data), b.target);
                r.opt->zero_grad();
                loss.backward();
                r.opt->step();
                ++r.steps;
            }
        }
        if (epoch > 5 && epoch % 5 != 0) continue;
        std::printf("%5d |", epoch);
        for (Run& r : runs) {
            NoGradGuard no_grad;
            std::printf(" %15.5f %6lld |", mse((*r.model)(x), y).item(),
                        static_cast<long long>(r.steps));
        }
        std::printf("\n");
    }
    for (const Run& r : runs)
        std::printf("%-10s w = %.3f, b = %.3f after %lld steps\n", r.name, r.model->weight.item(),
                    r.model->bias.item(), static_cast<long long>(r.steps));
    return 0;
}

int main(int argc, char** argv) {
    CLI::App app{
        "A line fitted by batch, stochastic and mini-batch gradient descent, side by side."};
    return examples::run_cli(app, "linear_regression", argc, argv, run);
}
