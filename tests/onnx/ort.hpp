// Helpers for descent::onnx's tests: temporary paths, Fashion-MNIST test images (random images when
// the dataset is absent) and running a model in onnxruntime through run_ort.js.
#pragma once

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <descent/core/process.hpp>
#include <descent/descent.hpp>

namespace onnx_test {

// A fresh path in the system's temporary folder, removed when the holder goes.
struct TempPath {
    std::string path;
    explicit TempPath(const std::string& name)
        : path((std::filesystem::temp_directory_path() /
                ("descent_onnx_" + std::to_string(::getpid()) + "_" + name))
                   .string()) {}
    ~TempPath() { std::filesystem::remove(path); }
};

// n test images (n, 1, 28, 28) in [0, 1]: the first of Fashion-MNIST's test split, else random.
inline descent::Tensor test_images(int64_t n) {
    const std::string dir = descent::data::default_fashion_mnist_dir();
    if (std::filesystem::exists(dir + "/t10k-images-idx3-ubyte.gz") ||
        std::filesystem::exists(dir + "/t10k-images-idx3-ubyte")) {
        descent::data::MNIST test(dir, descent::data::Split::Test);
        std::vector<int64_t> idx;
        for (int64_t i = 0; i < n; ++i) idx.push_back(i);
        return test.get_batch(idx).data;
    }
    descent::Generator gen(7);
    return descent::rand({n, 1, 28, 28}, gen);
}

// BatchNorm's running statistics set to values far from (0, 1), so that their export is tested.
inline void randomize_running_stats(descent::nn::Module& m) {
    descent::NoGradGuard no_grad;
    descent::Generator gen(3);
    for (auto& [name, t] : m.named_buffers()) {
        if (name.find("running_mean") != std::string::npos)
            t.copy_(descent::randn(t.shape(), gen) * 0.2f);
        if (name.find("running_var") != std::string::npos)
            t.copy_(descent::rand(t.shape(), gen) + 0.5f);
    }
}

// The model's first output on `x` (float32, or int64 token ids), computed by onnxruntime. Fails the test (throws) if
// node or onnxruntime-node is missing: scripts/install-deps.sh installs both.
inline descent::Tensor run_onnxruntime(const std::string& model, const descent::Tensor& x) {
    if (std::string(DESCENT_NODE).empty() || !std::filesystem::exists(DESCENT_ORT_MODULE))
        throw std::runtime_error(std::string("onnxruntime-node is not installed at ") +
                                 DESCENT_ORT_MODULE +
                                 " (or node is missing): run "
                                 "scripts/install-deps.sh");
    TempPath in("in.bin"), out("out.bin"), log("ort.log");
    const descent::Tensor c = x.contiguous();
    {
        std::ofstream f(in.path, std::ios::binary);
        f.write(static_cast<const char*>(c.impl()->first_raw()), c.numel() * c.element_size());
    }
    std::string dims;
    for (int64_t d : c.shape()) dims += (dims.empty() ? "" : ",") + std::to_string(d);
    const int status = descent::detail::run_program(
        {DESCENT_NODE, std::string(DESCENT_ONNX_TEST_DIR) + "/run_ort.js", DESCENT_ORT_MODULE,
         model, in.path, dims, out.path, c.dtype() == descent::kInt64 ? "int64" : "float32"},
        log.path);
    std::ifstream logf(log.path);
    std::string line, text;
    while (std::getline(logf, line)) text += line + "\n";
    if (status != 0) throw std::runtime_error("onnxruntime failed: " + text);
    descent::Shape shape;
    std::string token;
    for (char ch : text.substr(0, text.find('\n')) + ",") {
        if (ch == ',') {
            if (!token.empty()) shape.push_back(std::stoll(token));
            token.clear();
        } else {
            token += ch;
        }
    }
    std::ifstream f(out.path, std::ios::binary);
    std::vector<float> v(static_cast<size_t>(descent::numel(shape)));
    f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
    return descent::tensor(v, shape);
}

// max |a - b| / max |b|: the difference relative to the output's scale.
inline double relative_difference(const descent::Tensor& a, const descent::Tensor& b) {
    const float diff = (a - b).abs().max().item();
    const float scale = b.abs().max().item();
    return static_cast<double>(diff) / std::max(static_cast<double>(scale), 1e-30);
}

}  // namespace onnx_test
