// The models mnist_mlp and mnist_cnn train, in one header so that tests (tests/onnx) build the same
// nets: the MLP, LeNet and the BatchNorm CNN.
#pragma once

#include <memory>
#include <vector>

#include <descent/descent.hpp>

namespace examples {

// 784 -> hidden... -> 10, ReLU between the linear layers.
inline std::shared_ptr<descent::nn::Sequential> make_mlp(const std::vector<int64_t>& hidden) {
    using namespace descent;
    auto model = std::make_shared<nn::Sequential>();
    model->push_back(std::make_shared<nn::Flatten>());
    int64_t in = 784;
    for (int64_t h : hidden) {
        model->push_back(std::make_shared<nn::Linear>(in, h));
        model->push_back(std::make_shared<nn::ReLU>());
        in = h;
    }
    model->push_back(std::make_shared<nn::Linear>(in, 10));
    return model;
}

//   lenet  conv 1->6 5x5 pad 2, ReLU, maxpool 2, conv 6->16 5x5, ReLU, maxpool 2, 120, 84, 10
inline std::shared_ptr<descent::nn::Sequential> make_lenet() {
    using namespace descent;
    auto m = std::make_shared<nn::Sequential>();
    m->push_back(std::make_shared<nn::Conv2d>(1, 6, 5, 1, 2));
    m->push_back(std::make_shared<nn::ReLU>());
    m->push_back(std::make_shared<nn::MaxPool2d>(2));
    m->push_back(std::make_shared<nn::Conv2d>(6, 16, 5));
    m->push_back(std::make_shared<nn::ReLU>());
    m->push_back(std::make_shared<nn::MaxPool2d>(2));
    m->push_back(std::make_shared<nn::Flatten>());
    m->push_back(std::make_shared<nn::Linear>(400, 120));
    m->push_back(std::make_shared<nn::ReLU>());
    m->push_back(std::make_shared<nn::Linear>(120, 84));
    m->push_back(std::make_shared<nn::ReLU>());
    m->push_back(std::make_shared<nn::Linear>(84, 10));
    return m;
}

// conv 3x3 (no bias: BatchNorm's shift replaces it), BatchNorm2d, ReLU.
inline void conv_bn_relu(descent::nn::Sequential& m, int64_t in, int64_t out) {
    using namespace descent;
    m.push_back(std::make_shared<nn::Conv2d>(in, out, 3, 1, 1, 1, 1, /*bias=*/false));
    m.push_back(std::make_shared<nn::BatchNorm2d>(out));
    m.push_back(std::make_shared<nn::ReLU>());
}

//   bn     two blocks of two 3x3 convs with BatchNorm and ReLU (16 then 32 channels), each block
//          ending in maxpool 2, then 1568 -> 128 (BatchNorm1d, ReLU, dropout 0.3) -> 10
inline std::shared_ptr<descent::nn::Sequential> make_bn_net() {
    using namespace descent;
    auto m = std::make_shared<nn::Sequential>();
    conv_bn_relu(*m, 1, 16);
    conv_bn_relu(*m, 16, 16);
    m->push_back(std::make_shared<nn::MaxPool2d>(2));  // 14 x 14
    conv_bn_relu(*m, 16, 32);
    conv_bn_relu(*m, 32, 32);
    m->push_back(std::make_shared<nn::MaxPool2d>(2));  // 7 x 7
    m->push_back(std::make_shared<nn::Flatten>());
    m->push_back(std::make_shared<nn::Linear>(32 * 7 * 7, 128, /*bias=*/false));
    m->push_back(std::make_shared<nn::BatchNorm1d>(128));
    m->push_back(std::make_shared<nn::ReLU>());
    m->push_back(std::make_shared<nn::Dropout>(0.3f));
    m->push_back(std::make_shared<nn::Linear>(128, 10));
    return m;
}

}  // namespace examples
