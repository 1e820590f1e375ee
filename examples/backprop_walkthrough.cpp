// Backprop, step by step, on micrograd's neuron: o = tanh(x1·w1 + x2·w2 + b) with scalar tensors.
// Prints the forward values, the tape, every backward step (autograd::BackwardTracer) and the
// gradients, then draws the graph with its gradients (Graphviz). --step pauses between steps.
#include <cstdio>
#include <iostream>

#include <descent/autograd/graph.hpp>
#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

int run(bool step, const std::string& graph) {
    // Karpathy's micrograd lecture values: b is chosen so that o comes out near 0.7071.
    Tensor x1 = scalar_tensor(2.0f).requires_grad_(), x2 = scalar_tensor(0.0f).requires_grad_();
    Tensor w1 = scalar_tensor(-3.0f).requires_grad_(), w2 = scalar_tensor(1.0f).requires_grad_();
    Tensor b = scalar_tensor(6.8813735870195432f).requires_grad_();

    Tensor x1w1 = x1 * w1, x2w2 = x2 * w2;
    Tensor n = x1w1 + x2w2 + b;
    Tensor o = tanh(n);
    for (const Tensor* t : {&x1w1, &x2w2, &n}) t->retain_grad();  // so the picture shows them
    std::printf("forward: x1*w1 = %g, x2*w2 = %g, n = %g, o = tanh(n) = %g\n\n", x1w1.item(),
                x2w2.item(), n.item(), o.item());

    std::cout << "The tape, in the order backward runs it:\n";
    autograd::print_tape(std::cout, o);

    std::cout << "\nBackward, one node at a time (dL/d output in, dL/d each input out):\n";
    {
        autograd::TraceOptions options;
        options.step = step;
        autograd::BackwardTracer tracer(std::cout, options);
        o.backward();
    }
    std::printf("\ngradients: do/dx1 = %g, do/dw1 = %g, do/dx2 = %g, do/dw2 = %g, do/db = %g\n",
                x1.grad().item(), w1.grad().item(), x2.grad().item(), w2.grad().item(),
                b.grad().item());

    if (!graph.empty()) {
        autograd::GraphOptions options;
        options.parameters = {{"w1", w1}, {"w2", w2}, {"b", b}};
        options.inputs = {{"x1", x1}, {"x2", x2}};
        autograd::render(autograd::to_dot(o, options), graph);
        std::cout << "graph written to " << graph << "\n";
    }
    return 0;
}

int main(int argc, char** argv) {
    CLI::App app{
        "micrograd's neuron through descent: forward values, the tape, each backward step, "
        "the graph."};
    examples::show_defaults(app);
    bool step = false;
    std::string graph = "backprop.svg";
    app.add_flag("--step", step, "wait for Enter after each backward step (on a terminal only)");
    app.add_option("--graph", graph, "where to draw the graph (.svg or .png; empty: don't)");
    return examples::run_cli(app, "backprop_walkthrough", argc, argv, [&] {
        examples::check_output("--graph", graph);
        return run(step, graph);
    });
}
