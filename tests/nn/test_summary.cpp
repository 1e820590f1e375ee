// summary(): layer rows with dotted names, types, output shapes and parameter counts; totals;
// no side effects on training flags, the random generator or gradients.
#include "support.hpp"

#include "descent/nn/activation.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/sequential.hpp"
#include "descent/nn/summary.hpp"

using namespace descent;

namespace {

// The line of `text` that starts with `prefix`, or "" if none does.
std::string line_starting(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) return line;
    return "";
}

bool has(const std::string& line, const std::string& part) {
    return line.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("summary lists each layer's output shape and parameter count") {
    nn::Sequential net(nn::Linear(784, 256), nn::ReLU(), nn::Dropout(0.2f), nn::Linear(256, 10));
    const std::string s = nn::summary(net, {64, 784});
    INFO(s);
    const std::string l0 = line_starting(s, "0 (Linear)"), l1 = line_starting(s, "1 (ReLU)");
    const std::string l2 = line_starting(s, "2 (Dropout)"), l3 = line_starting(s, "3 (Linear)");
    // 784·256 + 256 = 200,960 and 256·10 + 10 = 2,570 parameters.
    CHECK(has(l0, "(64, 256)"));
    CHECK(has(l0, "200,960"));
    CHECK(has(l1, "(64, 256)"));
    CHECK(has(l1, " 0"));
    CHECK(has(l2, "(64, 256)"));
    CHECK(has(l3, "(64, 10)"));
    CHECK(has(l3, "2,570"));
    CHECK(has(s, "Total params: 203,530\n"));
    CHECK(has(s, "Trainable params: 203,530\n"));
    CHECK(has(s, "Non-trainable params: 0\n"));
    CHECK(has(s, "input (64, 784) -> output (64, 10)"));
}

TEST_CASE("summary: nested names, frozen parameters, unused layers, no side effects") {
    struct Net : nn::Module {
        std::shared_ptr<nn::Sequential> body;
        std::shared_ptr<nn::Linear> head, unused;
        Net() : Module("Net") {
            body = register_module(
                "body", std::make_shared<nn::Sequential>(nn::Linear(3, 4), nn::Dropout(0.5f)));
            head = register_module("head", std::make_shared<nn::Linear>(4, 2));
            unused = register_module("unused", std::make_shared<nn::Linear>(2, 2, false));
            head->bias.requires_grad_(false);
        }
        Tensor forward(const Tensor& x) override { return (*head)((*body)(x)); }
    } net;
    net.body->eval();  // a mixed state, which summary must give back
    manual_seed(7);
    const float expected_next = default_generator().uniform();
    manual_seed(7);
    const std::string s = nn::summary(net, {5, 3});
    INFO(s);
    CHECK(has(line_starting(s, "body (Sequential)"), "(5, 4)"));
    CHECK(has(line_starting(s, "body (Sequential)"), "16"));  // a container counts its children
    CHECK(has(line_starting(s, "body.0 (Linear)"), "(5, 4)"));
    CHECK(has(line_starting(s, "body.1 (Dropout)"), "(5, 4)"));
    CHECK(has(line_starting(s, "head (Linear)"), "(5, 2)"));
    const std::string unused = line_starting(s, "unused (Linear)");
    CHECK(has(unused, " - "));
    CHECK(has(unused, "4"));
    // 12 + 4 + 8 + 2 + 4 = 30, of which head.bias (2) is frozen.
    CHECK(has(s, "Total params: 30\n"));
    CHECK(has(s, "Trainable params: 28\n"));
    CHECK(has(s, "Non-trainable params: 2\n"));
    CHECK(net.is_training());
    CHECK_FALSE(net.body->is_training());
    CHECK_FALSE((*net.body)[1]->is_training());
    CHECK(net.head->is_training());
    CHECK(default_generator().uniform() == expected_next);  // dropout drew nothing
    for (const Tensor& p : net.parameters()) CHECK_FALSE(p.grad().defined());
    // A wrong input shape reports the layer's own error, and the observer is removed after it.
    CHECK_ERROR(ShapeError, [&] { nn::summary(net, {5, 7}); }, {"linear()", "(5, 7)"});
    CHECK(net.is_training());
    CHECK(nn::detail::forward_observer() == nullptr);
}
