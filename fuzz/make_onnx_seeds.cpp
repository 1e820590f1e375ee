// Writes fuzz_onnx's seed corpus: small models descent::onnx exports (initializers of each kind:
// Linear's, Conv's, BatchNorm's statistics), beside the ONNX conformance models fuzz/CMakeLists.txt
// copies. Run by the build (DESCENT_FUZZ=ON with descent::onnx): make_onnx_seeds <out_dir>.
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "descent/descent.hpp"
#include "descent/onnx/export.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_onnx_seeds <out_dir>\n");
        return 2;
    }
    const std::string out = argv[1];
    ::mkdir(out.c_str(), 0755);
    using namespace descent;
    manual_seed(0);
    auto mlp = std::make_shared<nn::Sequential>();
    mlp->push_back(std::make_shared<nn::Flatten>());
    mlp->push_back(std::make_shared<nn::Linear>(16, 8));
    mlp->push_back(std::make_shared<nn::ReLU>());
    mlp->push_back(std::make_shared<nn::Linear>(8, 3));
    mlp->push_back(std::make_shared<nn::LogSoftmax>(1));
    onnx::export_model(*mlp, {rand({2, 1, 4, 4})}, out + "/mlp.onnx");
    auto cnn = std::make_shared<nn::Sequential>();
    cnn->push_back(std::make_shared<nn::Conv2d>(1, 2, 3, 1, 1));
    cnn->push_back(std::make_shared<nn::BatchNorm2d>(2));
    cnn->push_back(std::make_shared<nn::ReLU>());
    cnn->push_back(std::make_shared<nn::MaxPool2d>(2));
    cnn->push_back(std::make_shared<nn::Flatten>());
    cnn->push_back(std::make_shared<nn::Linear>(8, 2));
    onnx::export_model(*cnn, {rand({1, 1, 4, 4})}, out + "/cnn.onnx");
    return 0;
}
