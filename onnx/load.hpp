// onnx::load: an ONNX model file as an nn::Module whose parameters are descent parameters (named
// from the initializers: "1.weight" is the parameter "weight" of submodule "1") and whose forward
// runs the graph with descent's differentiable ops, so it can be evaluated, summarised, drawn and
// fine-tuned like any module. Default domain, opsets 11-17; the ops in docs/onnx.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "descent/nn/module.hpp"
#include "descent/onnx/graph.hpp"

namespace descent::onnx {

class OnnxModel : public nn::Module {
public:
    // The graph's first input -> its first output.
    Tensor forward(const Tensor& x) override;
    // Every graph input (in the file's order) -> every graph output.
    std::vector<Tensor> run(const std::vector<Tensor>& inputs);

    const std::vector<std::string>& input_names() const { return inputs_; }
    const std::vector<std::string>& output_names() const { return outputs_; }
    const std::vector<GraphNode>& nodes() const { return nodes_; }
    int64_t opset() const { return opset_; }
    void pretty_print(std::ostream& os) const override;

private:
    OnnxModel();
    friend std::shared_ptr<OnnxModel> load(const std::string& path);

    std::vector<std::string> inputs_, outputs_;
    std::vector<GraphNode> nodes_;
    std::vector<std::pair<std::string, Tensor*>> weights_;   // initializer -> parameter or buffer
    std::vector<std::pair<std::string, Tensor>> constants_;  // non-float initializers
    int64_t opset_ = 0;
};

// Reads and checks `path`. A file that cannot be read, is no ONNX model (truncated, corrupt),
// fails ONNX's checker, keeps data outside the file, has a tensor whose dims and data disagree,
// an opset outside 11-17, an op descent does not map (naming op, node and opset), or a node input
// no earlier node, input or initializer defines (a cycle, a missing value): one descent::Error
// (IOError for the file, ValueError for what descent cannot run), before any large allocation.
std::shared_ptr<OnnxModel> load(const std::string& path);

}  // namespace descent::onnx
