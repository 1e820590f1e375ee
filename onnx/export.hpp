// onnx::export_model: a descent module written as an ONNX model, for onnxruntime and other
// runtimes. One forward on the example input is traced module by module (each layer's forward
// hook), and each layer becomes its ONNX node(s), its parameters and buffers the initializers,
// under their named_parameters() / named_buffers() names.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/module.hpp"

namespace descent::onnx {

struct ExportOptions {
    int64_t opset = 17;         // the default ONNX domain's opset the model imports (11-17)
    bool dynamic_batch = true;  // dim 0 of the input and output is a symbol ("batch"), not a number
    std::string input_name = "input";
    std::string output_name = "output";
};

// Traces module.forward(example_inputs[0]) in eval mode (the module's mode is restored after) and
// writes the model atomically to `path`, checked with ONNX's checker and shape inference first.
// The layers it maps: Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1), BatchNorm1d/2d
// (eval form, running statistics), Flatten, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax,
// GELU (erf form), LayerNorm (opset 17), Embedding, Dropout, Identity; a Sequential or any module
// made of them. A layer of another type, or an op computed outside a layer's forward, is a
// ValueError naming it. One input and one output.
void export_model(nn::Module& module, const std::vector<Tensor>& example_inputs,
                  const std::string& path, const ExportOptions& options = {});

// One step of export_chain: a named layer applied to the running value; or, with no module, `add`
// (an initializer under `name`, broadcast: the GPT's learned positions) added to it. `mask` is a
// TransformerEncoder's attention mask (S, S), floating (added) or bool (true = may not attend),
// written as a constant: the causal mask of generate_square_subsequent_mask.
struct ChainLayer {
    // A constructor, not an aggregate: {"head", head.get()} leaves add and mask undefined without
    // -Wmissing-field-initializers flagging every such line.
    ChainLayer(std::string name, nn::Module* module, Tensor add = {}, Tensor mask = {})
        : name(std::move(name)), module(module), add(std::move(add)), mask(std::move(mask)) {}
    std::string name;
    nn::Module* module = nullptr;
    Tensor add;
    Tensor mask;
};

// A model whose forward the hook trace cannot follow (char_lm's: an LSTM's forward takes and
// returns more than one tensor, so it is called directly, not through operator()) written as a
// chain of named layers, each applied to the previous one's output: an Embedding (Gather), an
// RNN / LSTM / GRU (its output sequence: ONNX's RNN / LSTM / GRU, one node per layer, weights in
// ONNX's gate order), a batch_first TransformerEncoder (MatMul, Softmax, LayerNormalization...,
// the mask a constant), and every layer export_model maps. The names prefix the initializers
// ("embed" -> "embed.weight"). Opsets 14-17 (17 with a LayerNorm); otherwise as export_model.
void export_chain(const std::vector<ChainLayer>& layers, const Tensor& example_input,
                  const std::string& path, const ExportOptions& options = {});

}  // namespace descent::onnx
