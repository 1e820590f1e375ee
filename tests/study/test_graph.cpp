// Graph pictures: the DOT text names every node with its shape and gradient, dot parses it, and a
// collapsed MLP shows one box per module.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "descent/study/graph.hpp"
#include "support.hpp"

using namespace descent;

namespace {

std::string read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

size_t count(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("to_dot names ops and leaves with shapes, values, and gradients after backward") {
    Tensor w = tensor({1.0f, 2.0f}).requires_grad_(), x = tensor({3.0f, -4.0f}).requires_grad_();
    Tensor loss = (x * w).sum();
    study::GraphOptions options;
    options.parameters = {{"fc.weight", w}};
    options.inputs = {{"x", x}};
    const std::string before = study::to_dot(loss, options);
    CHECK(before.find("label=\"fc.weight\\nparameter\\n(2)\\n[1, 2]\"") != std::string::npos);
    CHECK(before.find("label=\"x\\ninput\\n(2)\\n[3, -4]\"") != std::string::npos);
    CHECK(before.find("label=\"MulBackward\\n(2)\"") != std::string::npos);
    CHECK(before.find("label=\"SumBackward\\n()\\n[-5]\"") != std::string::npos);
    CHECK(count(before, " -> ") == 3);  // w, x -> mul -> sum
    CHECK(before.find("grad") == std::string::npos);

    loss.backward();
    const std::string after = study::to_dot(loss, options);
    CHECK(after.find("fc.weight\\nparameter\\n(2)\\n[1, 2]\\ngrad [3, -4]") != std::string::npos);
    CHECK(after.find("x\\ninput\\n(2)\\n[3, -4]\\ngrad [1, 2]") != std::string::npos);
    options.gradients = false;
    CHECK(study::to_dot(loss, options).find("grad") == std::string::npos);

    const std::string svg = "test_graph_small.svg";
    study::render(after, svg);  // throws unless dot exits 0
    const std::string text = read_all(svg);
    CHECK(text.find("<svg") != std::string::npos);
    CHECK(text.find("fc.weight") != std::string::npos);
    CHECK(text.find("grad [3, &#45;4]") != std::string::npos);
    std::remove(svg.c_str());
}

TEST_CASE("to_dot: big gradients as norms, retained outputs, depth limit") {
    Tensor w = ones({3, 2}).requires_grad_();
    Tensor h = w * 2.0f;
    h.retain_grad();
    Tensor loss = h.sum();
    loss.backward();
    study::GraphOptions options;
    options.parameters = {{"w", w}};
    const std::string dot = study::to_dot(loss, options);
    CHECK(dot.find("w\\nparameter\\n(3, 2)\\ngrad norm 4.89898") != std::string::npos);
    CHECK(dot.find("MulBackward\\n(3, 2)\\ngrad norm 2.44949") != std::string::npos);
    options.max_depth = 1;  // the sum and the product, not the leaf
    const std::string shallow = study::to_dot(loss, options);
    CHECK(shallow.find("MulBackward") != std::string::npos);
    CHECK(shallow.find("parameter") == std::string::npos);
    CHECK(count(shallow, " -> ") == 1);
    CHECK_THROWS_AS(study::to_dot(ones({2})), StateError);
}

TEST_CASE("a collapsed 784-256-128-10 MLP draws one box per module") {
    manual_seed(0);
    nn::Sequential net(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 128), nn::ReLU(),
                       nn::Linear(128, 10));
    Tensor loss = net(randn({2, 784})).sum();
    loss.backward();
    study::GraphOptions options;
    options.parameters = net.named_parameters();
    options.collapse = {"0", "2", "4"};
    const std::string dot = study::to_dot(loss, options);
    for (const char* box : {"m0", "m1", "m2"})
        CHECK(count(dot, std::string("  ") + box + " [") == 1);
    CHECK(dot.find("label=\"0\\n1 op\\nweight (256, 784)\\nbias (256)\"") != std::string::npos);
    CHECK(dot.find("label=\"4\\n1 op\\nweight (10, 128)\\nbias (10)\"") != std::string::npos);
    CHECK(dot.find("parameter") == std::string::npos);  // every parameter is inside a box
    CHECK(count(dot, "ReluBackward") == 2);
    CHECK(dot.find("m0 -> n") != std::string::npos);
    const std::string png = "test_graph_mlp.png";
    study::render(dot, png);
    CHECK(read_all(png).substr(1, 3) == "PNG");
    std::remove(png.c_str());
}

TEST_CASE("render: clear errors for a wrong extension and a missing dot") {
    CHECK_THROWS_WITH_AS(study::render("digraph {}", "g.pdf"),
                         doctest::Contains("should end in .svg or .png"), ValueError);
    const std::string path = std::getenv("PATH");
    setenv("PATH", "/nonexistent", 1);
    CHECK_THROWS_WITH_AS(study::render("digraph {}", "g.svg"),
                         doctest::Contains("dot program is not on PATH"), IOError);
    setenv("PATH", path.c_str(), 1);
    CHECK_THROWS_AS(study::render("not dot at all {", "bad.svg"), IOError);
    CHECK_FALSE(std::ifstream("bad.svg").good());  // nothing half-written left behind
}

TEST_CASE("an input that does not require grad is refused by name, not silently left out") {
    Tensor w = tensor({1.0f, 2.0f}).requires_grad_(), x = tensor({3.0f, -4.0f});
    Tensor loss = (x * w).sum();
    study::GraphOptions options;
    options.inputs = {{"x", x}};
    CHECK_ERROR(ValueError, [&] { study::to_dot(loss, options); },
                {"to_dot(): input 'x' (2) does not require grad", "x.requires_grad_()"});
    x.requires_grad_();
    Tensor drawn = (x * w).sum();
    CHECK(study::to_dot(drawn, options).find("label=\"x\\ninput") != std::string::npos);
}
