// The models of the shared workloads (shared/WORKLOADS.md), for every benchmark that trains them:
// W1 784-128-10 and W2 784-512-256-10 MLPs, W3 LeNet, W7 the BatchNorm CNN of mnist_cnn --model bn
// (the examples' own definition).
#pragma once

#include <memory>
#include <vector>

#include <descent/descent.hpp>

#include "examples/mnist_models.hpp"

namespace bench {

// Flatten, then Linear layers of these sizes with ReLU between them.
inline std::shared_ptr<descent::nn::Sequential> mlp(const std::vector<int64_t>& sizes) {
    using namespace descent;
    auto model = std::make_shared<nn::Sequential>();
    model->push_back(std::make_shared<nn::Flatten>());
    for (size_t i = 0; i + 1 < sizes.size(); ++i) {
        model->push_back(std::make_shared<nn::Linear>(sizes[i], sizes[i + 1]));
        if (i + 2 < sizes.size()) model->push_back(std::make_shared<nn::ReLU>());
    }
    return model;
}

// W3: conv(1->6, 5x5, pad 2)-ReLU-maxpool 2 -> conv(6->16, 5x5)-ReLU-maxpool 2 -> 400-120-84-10.
inline std::shared_ptr<descent::nn::Sequential> lenet() {
    using namespace descent;
    return std::make_shared<nn::Sequential>(
        nn::Conv2d(1, 6, 5, 1, 2), nn::ReLU(), nn::MaxPool2d(2), nn::Conv2d(6, 16, 5), nn::ReLU(),
        nn::MaxPool2d(2), nn::Flatten(), nn::Linear(400, 120), nn::ReLU(), nn::Linear(120, 84),
        nn::ReLU(), nn::Linear(84, 10));
}

// W7: mnist_cnn's --model bn, the examples' own definition.
inline std::shared_ptr<descent::nn::Sequential> bn_cnn() { return examples::make_bn_net(); }

}  // namespace bench
