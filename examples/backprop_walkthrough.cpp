// Backprop, step by step, on micrograd's neuron: o = tanh(x1·w1 + x2·w2 + b) with scalar tensors.
// Prints the forward values, the tape, and every backward step with the gradient arriving, each
// input's local derivative and their chain-rule product; then micrograd's README expression; then
// draws the graph (SVG and PNG, Graphviz) and writes the HTML stepper. --step pauses per step.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>

#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

namespace {

// The neuron, with a name for each tensor so the steps and the picture can say which is which.
struct Neuron {
    Tensor x1 = scalar_tensor(2.0f).requires_grad_(), x2 = scalar_tensor(0.0f).requires_grad_();
    Tensor w1 = scalar_tensor(-3.0f).requires_grad_(), w2 = scalar_tensor(1.0f).requires_grad_();
    // Karpathy's micrograd lecture values: b is chosen so that o comes out near 0.7071.
    Tensor b = scalar_tensor(6.8813735870195432f).requires_grad_();
    Tensor x1w1, x2w2, s, n, o;

    Neuron() {
        x1w1 = x1 * w1;
        x2w2 = x2 * w2;
        s = x1w1 + x2w2;
        n = s + b;
        o = tanh(n);
        for (const Tensor* t : {&x1w1, &x2w2, &s, &n}) t->retain_grad();  // shown in the picture
    }
    study::GraphOptions picture() const {
        study::GraphOptions options;
        options.parameters = {{"w1", w1}, {"w2", w2}, {"b", b}};
        options.inputs = {{"x1", x1}, {"x2", x2}};
        return options;
    }
    // What each node computes, for the printed steps: its output's name.
    std::map<const autograd::Node*, std::string> names() const {
        std::map<const autograd::Node*, std::string> m;
        const std::pair<const Tensor*, const char*> ops[] = {
            {&o, "o = tanh(n)"}, {&n, "n = s + b"}, {&s, "s = x1*w1 + x2*w2"},
            {&x1w1, "x1*w1"}, {&x2w2, "x2*w2"}};
        for (const auto& [t, name] : ops) m[t->grad_fn().get()] = name;
        for (const auto& [name, t] : picture().parameters)
            m[t.impl()->grad_accumulator.lock().get()] = name;
        for (const auto& [name, t] : picture().inputs)
            m[t.impl()->grad_accumulator.lock().get()] = name;
        return m;
    }
};

// One backward step: dL/d out arrives; each input's gradient is that times the local derivative
// d out/d input (scalars here, so the local derivative is the ratio, read back from the engine).
void print_step(const autograd::BackwardStep& s,
                const std::map<const autograd::Node*, std::string>& names, bool step) {
    const float up = s.grad_output.item();
    auto name_of = [&](const autograd::Node* n) {  // "o = tanh(n)", or a leaf's name
        auto it = names.find(n);
        return it == names.end() ? std::string(n ? n->name() : "?") : it->second;
    };
    auto short_name = [&](const autograd::Node* n) {  // "o"
        const std::string s = name_of(n);
        return s.substr(0, s.find(" = "));
    };
    std::printf("#%zu %s   %s\n", s.index, s.node.name(), name_of(&s.node).c_str());
    if (const auto* f = study::find_formula(s.node.name()))
        std::printf("    math: %s%s%s\n", f->forward.c_str(), f->forward.empty() ? "" : ":  ",
                    f->backward.c_str());
    std::printf("    dL/d out = %g\n", up);
    if (s.grad_inputs.empty()) std::printf("    a leaf: its .grad += %g\n", up);
    for (size_t i = 0; i < s.grad_inputs.size(); ++i) {
        const autograd::Node* to = s.node.next_edges()[i].fn.get();
        if (!to || !s.grad_inputs[i].defined()) continue;
        const float down = s.grad_inputs[i].item();
        if (up != 0)
            std::printf("    to %-8s local d out/d in = %-4g  chain rule: %g x %g = %g\n",
                        short_name(to).c_str(), down / up, up, down / up, down);
        else
            std::printf("    to %-8s dL/d in = %g (nothing arrived, so nothing flows on)\n",
                        short_name(to).c_str(), down);
    }
    if (step && isatty(STDIN_FILENO)) {
        std::printf("    [Enter: next step]");
        std::fflush(stdout);
        std::string line;
        std::getline(std::cin, line);
    }
}

// micrograd's README expression, whose gradients are 138.8338 (a) and 645.5773 (b).
void micrograd_expression() {
    Tensor a = scalar_tensor(-4.0f).requires_grad_(), b = scalar_tensor(2.0f).requires_grad_();
    Tensor c = a + b;
    Tensor d = a * b + b.pow(3.0f);
    c = c + c + 1.0f;
    c = c + 1.0f + c + (-a);
    d = d + d * 2.0f + relu(b + a);
    d = d + 3.0f * d + relu(b - a);
    Tensor e = c - d;
    Tensor f = e.pow(2.0f);
    Tensor g = f / 2.0f;
    g = g + 10.0f / f;
    g.backward();
    std::printf("micrograd's README expression: g = %.4f, dg/da = %.4f, dg/db = %.4f\n", g.item(),
                a.grad().item(), b.grad().item());
}

// A Fashion-MNIST-sized MLP's picture with each Linear collapsed into one box: how a real model's
// graph stays readable.
void draw_mlp(const std::string& path) {
    manual_seed(0);
    nn::Sequential net(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 128), nn::ReLU(),
                       nn::Linear(128, 10));
    Tensor x = randn({64, 784});
    std::vector<int64_t> labels(64);
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = int64_t(i % 10);
    Tensor loss = nn::functional::cross_entropy(net(x), labels);
    loss.backward();
    study::GraphOptions options;
    options.parameters = net.named_parameters();
    options.collapse = {"0", "2", "4"};
    study::render(study::to_dot(loss, options), path);
}

int run(bool step, const std::string& output) {
    Neuron neuron;
    std::printf("forward: x1*w1 = %g, x2*w2 = %g, s = %g, n = s + b = %g, o = tanh(n) = %g\n\n",
                neuron.x1w1.item(), neuron.x2w2.item(), neuron.s.item(), neuron.n.item(),
                neuron.o.item());

    std::cout << "The tape, in the order backward runs it:\n";
    NamedTensors leaves = neuron.picture().parameters;
    for (const auto& input : neuron.picture().inputs) leaves.push_back(input);
    study::print_tape(std::cout, neuron.o, leaves);

    std::cout << "\nBackward, one node at a time: the gradient arriving (dL/d out), each input's "
                 "local derivative, and their product, the gradient sent on:\n";
    {
        const auto names = neuron.names();
        autograd::BackwardObserverGuard watch(
            [&](const autograd::BackwardStep& s) { print_step(s, names, step); });
        neuron.o.backward();
    }
    std::printf("\ngradients: do/dx1 = %g, do/dw1 = %g, do/dx2 = %g, do/dw2 = %g, do/db = %g\n",
                neuron.x1.grad().item(), neuron.w1.grad().item(), neuron.x2.grad().item(),
                neuron.w2.grad().item(), neuron.b.grad().item());
    micrograd_expression();

    if (!output.empty()) {
        const std::string dot = study::to_dot(neuron.o, neuron.picture());
        study::render(dot, output + ".svg");
        study::render(dot, output + ".png");
        // The page runs its own backward, on a fresh copy of the graph.
        Neuron again;
        study::HtmlOptions page;
        page.graph = again.picture();
        page.title = "descent: backward through micrograd's neuron, step by step";
        study::write_html(again.o, output + ".html", page);
        draw_mlp(output + "_mlp.png");
        std::printf("pictures written to %s.svg and %s.png (an MLP's to %s_mlp.png), the stepper "
                    "to %s.html\n", output.c_str(), output.c_str(), output.c_str(),
                    output.c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "micrograd's neuron through descent: forward values, the tape, each backward step, "
        "the graph."};
    examples::show_defaults(app);
    bool step = false;
    std::string output = "backprop";
    app.add_flag("--step", step, "wait for Enter after each backward step (on a terminal only)");
    app.add_option("--output", output,
                   "write the graph to OUTPUT.svg and OUTPUT.png and the HTML stepper to "
                   "OUTPUT.html, an MLP's collapsed graph to OUTPUT_mlp.png (empty: write "
                   "nothing)");
    return examples::run_cli(app, "backprop_walkthrough", argc, argv, [&] {
        if (!output.empty())
            for (const char* ext : {".svg", ".png", ".html", "_mlp.png"})
                examples::check_output("--output", output + ext);
        return run(step, output);
    });
}
