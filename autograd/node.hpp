// Node: one recorded op on the tape. An op's output owns its node (grad_fn); a node owns edges to
// the nodes of its inputs, pointing upstream only, so the graph has no cycles and is freed with its
// last output. backward() walks nodes from the output towards the leaves, calling apply() on each
// with the gradient of the loss w.r.t. that node's output.
//
// A node keeps the tensors its apply() needs with save_for_backward() and reads them with saved(i);
// release() frees them, so an op's node declares only what it computes. A leaf that requires grad
// gets an AccumulateGrad node (accumulate_grad.hpp), shared by all uses, so that summing a leaf's
// gradients works like summing any other node's.
#pragma once

#include <initializer_list>
#include <memory>
#include <vector>

#include "descent/autograd/saved_tensor.hpp"
#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent::autograd {

class Node;

// Where the gradient for one input of a node goes.
struct Edge {
    std::shared_ptr<Node> fn;  // the input's grad_fn or AccumulateGrad; null if it needs no grad
    Shape shape;               // the input's shape; the gradient sent along the edge must match it
    ScalarType dtype = ScalarType::Float32;  // the input's dtype; the engine converts to it
};

class Node : public std::enable_shared_from_this<Node> {
public:
    Node() = default;
    virtual ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    // The op's name as the tape shows it, e.g. "MulBackward".
    virtual const char* name() const = 0;

    // dL/d(input i) for every input, from grad = dL/d(output). An entry is left undefined for an
    // input that needs no gradient. Written with descent's own ops, so that under create_graph the
    // backward is itself recorded and can be differentiated again.
    virtual std::vector<Tensor> apply(Tensor grad) = 0;

    // True for a node whose apply() runs a fused kernel rather than recordable ops: asking for a
    // second-order gradient through it throws.
    virtual bool once_differentiable() const { return false; }

    // Keeps `tensors` for apply(), in slots 0, 1, ... of saved(). Each is stamped with its version,
    // so one modified in place before backward is refused. An undefined tensor leaves its slot
    // empty: save only what backward needs (MulBackward saves a only if b needs a gradient). The
    // node's own output is kept without its grad_fn, so the node does not own itself.
    void save_for_backward(std::initializer_list<Tensor> tensors) {
        save(tensors.begin(), tensors.size());
    }
    void save_for_backward(const std::vector<Tensor>& tensors) {
        save(tensors.data(), tensors.size());
    }
    // Slot i of save_for_backward(); StateError if it was modified in place since it was saved.
    Tensor saved(size_t i);
    size_t saved_count() const { return saved_.size(); }

    // Frees the saved tensors. The engine calls it after apply() unless retain_graph; applying a
    // released node throws.
    virtual void release();
    bool released() const { return released_; }

    const std::vector<Edge>& next_edges() const { return next_edges_; }
    const Shape& output_shape() const { return output_shape_; }
    bool needs_input_grad(size_t i) const { return next_edges_[i].fn != nullptr; }
    const Shape& input_shape(size_t i) const { return next_edges_[i].shape; }

    // Connects this node to its inputs and its output (done once, by the recording helpers).
    void connect(std::vector<Edge> edges, Shape output_shape);

    // The user's call that created this node, for anomaly mode's messages: set while anomaly mode
    // is on, from the CallSite that every op, operator and method form takes (source_location.hpp).
    SourceLocation created_at;

    // Set by Tensor::retain_grad(): the output whose .grad the engine fills on the way through.
    std::weak_ptr<TensorImpl> retained_output;
    // Tensor::register_hook() on this node's output, by id: run on the gradient before apply().
    std::vector<std::pair<uint64_t, GradHook>> grad_hooks;
    // The hooks of the tensor whose gradient reaches this node: grad_hooks, or for a leaf's
    // AccumulateGrad the leaf's own (kept on the leaf, which outlives its node).
    virtual std::vector<std::pair<uint64_t, GradHook>>& tensor_hooks() { return grad_hooks; }

private:
    void save(const Tensor* tensors, size_t n);

    std::vector<Edge> next_edges_;
    std::vector<SavedTensor> saved_;
    Shape output_shape_;
    bool released_ = false;
};

}  // namespace descent::autograd
