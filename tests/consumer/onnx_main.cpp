// A consumer of the installed descent::onnx component: exports a small MLP and loads it back, and
// the loaded model computes what the original does.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <descent/descent.hpp>
#include <descent/onnx/export.hpp>
#include <descent/onnx/load.hpp>

int main() {
    using namespace descent;
    auto model = std::make_shared<nn::Sequential>();
    model->push_back(std::make_shared<nn::Linear>(4, 8));
    model->push_back(std::make_shared<nn::ReLU>());
    model->push_back(std::make_shared<nn::Linear>(8, 3));
    const Tensor x = randn({2, 4});
    const std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                             "/descent_onnx_consumer.onnx";
    onnx::export_model(*model, {x}, path);
    auto loaded = onnx::load(path);
    const Tensor a = (*model)(x), b = (*loaded)(x);
    const float diff = (a - b).abs().max().item();
    std::printf("onnx round trip: %zu parameters, max difference %g\n", loaded->parameters().size(),
                diff);
    return loaded->parameters().size() == 4 && diff < 1e-6f ? 0 : 1;
}
