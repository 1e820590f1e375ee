// A synthetic classification problem and a small training loop, shared by the checkpoint and
// training tests: three Gaussian blobs in the plane, a 2-16-3 MLP, Adam, a shuffling DataLoader.
#pragma once

#include <memory>
#include <vector>

#include "descent/descent.hpp"

namespace test {

// n points per class around (2, 0), (-1, 1.7), (-1, -1.7) with std 0.5: separable, not trivially.
inline std::shared_ptr<descent::data::TensorDataset> blobs(int64_t n, uint64_t seed) {
    descent::Generator gen(seed);
    const float centers[3][2] = {{2.0f, 0.0f}, {-1.0f, 1.7f}, {-1.0f, -1.7f}};
    descent::Tensor x = descent::empty({3 * n, 2});
    std::vector<int64_t> labels;
    for (int64_t k = 0; k < 3; ++k)
        for (int64_t i = 0; i < n; ++i) {
            const int64_t row = k * n + i;
            x.data()[2 * row] = centers[k][0] + 0.5f * gen.normal();
            x.data()[2 * row + 1] = centers[k][1] + 0.5f * gen.normal();
            labels.push_back(k);
        }
    return std::make_shared<descent::data::TensorDataset>(x, labels);
}

struct Run {
    std::shared_ptr<descent::nn::Sequential> model;
    std::unique_ptr<descent::optim::Adam> opt;
    std::unique_ptr<descent::data::DataLoader> loader;
    std::vector<float> losses;  // every step's loss, in order

    Run(std::shared_ptr<descent::data::Dataset> data, uint64_t init_seed) {
        descent::manual_seed(init_seed);
        model = std::make_shared<descent::nn::Sequential>(
            descent::nn::Linear(2, 16), descent::nn::ReLU(), descent::nn::Linear(16, 3));
        opt = std::make_unique<descent::optim::Adam>(model->parameters(),
                                                     descent::optim::AdamOptions(0.02));
        loader = std::make_unique<descent::data::DataLoader>(
            data, descent::data::DataLoaderOptions().batch_size(32).shuffle(true).seed(3));
    }

    void epochs(int n) {
        for (int e = 0; e < n; ++e)
            for (auto& [x, y] : *loader) {
                const descent::Tensor loss = descent::nn::functional::cross_entropy((*model)(x), y);
                opt->zero_grad();
                loss.backward();
                opt->step();
                losses.push_back(loss.item());
            }
    }
};

}  // namespace test
