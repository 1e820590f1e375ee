// write_html and the formula table: the page holds one step per applied node with the gradients
// the engine passed and each op's math line, loads nothing from outside, and bad input fails
// before backward runs. The browser half is tests/study/html_in_browser.py.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>

#include "descent/study/formulas.hpp"
#include "descent/study/html_stepper.hpp"
#include "support.hpp"

using namespace descent;

namespace {

std::string read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace

TEST_CASE("write_html records every step with the gradients backward passed") {
    Tensor w = tensor({1.0f, -2.0f}).requires_grad_(), x = tensor({3.0f, 4.0f});
    Tensor h = x * w;
    Tensor loss = tanh(h).sum();

    // What the engine passes, seen by an observer of our own on an identical graph.
    Tensor w2 = tensor({1.0f, -2.0f}).requires_grad_();
    std::vector<std::string> expected;
    {
        autograd::BackwardObserverGuard guard([&](const autograd::BackwardStep& s) {
            expected.push_back(std::string(s.node.name()) + " " +
                               study::describe_gradient(s.grad_output));
        });
        tanh(x * w2).sum().backward();
    }
    REQUIRE(expected.size() == 4);  // SumBackward, TanhBackward, MulBackward, AccumulateGrad

    study::HtmlOptions options;
    options.graph.parameters = {{"fc.weight", w}};
    options.title = "a <small> test";
    const std::string path = "test_html_stepper.html";
    study::write_html(loss, path, options);
    CHECK(w.grad().defined());  // write_html ran backward
    CHECK(w.grad().data()[0] == doctest::Approx(3.0 * (1 - std::pow(std::tanh(3.0), 2))));

    const std::string page = read_all(path);
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find("<title>a &lt;small&gt; test</title>") != std::string::npos);
    CHECK(page.find("<svg") != std::string::npos);
    // Self-contained: no external script, style sheet or image.
    CHECK(page.find("<script src") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(!std::regex_search(page, std::regex("(src|href)=\"https?:")));

    // One JSON step per applied node, in the engine's order, with the gradient it received.
    std::vector<std::string> shown;
    const std::regex step("\"op\": \"(\\w+)\", \"label\": \"([^\"]*)\", \"id\": \"(\\w+)\", "
                          "\"forward\": \"[^\"]*\", \"backward\": \"([^\"]*)\", \"grad_in\": "
                          "\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), step);
         it != std::sregex_iterator(); ++it) {
        shown.push_back((*it)[1].str() + " " + (*it)[5].str());
        CHECK((*it)[4].str() != "(no formula recorded)");
        CHECK(page.find("<title>" + (*it)[3].str() + "</title>") != std::string::npos);
    }
    CHECK(shown == expected);
    CHECK(page.find("\"label\": \"fc.weight\"") != std::string::npos);
    CHECK(page.find("dL/da = g * (1 - out²)") != std::string::npos);  // TanhBackward's line
    std::remove(path.c_str());
}

TEST_CASE("write_html refuses bad input before running backward") {
    Tensor w = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor loss = (w * w).sum();
    CHECK_THROWS_WITH_AS(study::write_html(tensor({1.0f}), "x.html"),
                         doctest::Contains("write_html(): the root does not require grad"),
                         StateError);
    CHECK_THROWS_WITH_AS(study::write_html(loss, "/nonexistent/dir/page.html"),
                         doctest::Contains("write_html(): cannot write /nonexistent/dir/page.html"),
                         IOError);
    CHECK(!w.grad().defined());  // backward did not run
    CHECK(!exists("x.html"));
    // A root of more than one element has no implicit gradient, as for backward().
    CHECK_THROWS_WITH_AS(study::write_html(w * 2.0f, "x.html"),
                         "write_html(): the root has shape (2); backward from it needs a "
                         "one-element tensor (a loss), as backward() does",
                         ValueError);
    CHECK(!exists("x.html"));
}

TEST_CASE("every node of the library has a formula, split into forward and backward") {
    const auto& all = study::op_formulas();
    CHECK(all.size() >= 57);
    for (const char* node : {"AddBackward", "MulBackward", "TanhBackward", "MmBackward",
                             "Conv2dBackward", "BatchNormBackward", "CrossEntropyBackward",
                             "AccumulateGrad", "MaxBackward", "MinBackward"}) {
        CAPTURE(node);
        const study::OpFormula* f = study::find_formula(node);
        REQUIRE(f != nullptr);
        CHECK(!f->backward.empty());
        CHECK(f->source.find(".cpp") != std::string::npos);
    }
    CHECK(study::find_formula("MulBackward")->forward == "out = a * b");
    CHECK(study::find_formula("MulBackward")->backward == "dL/da = g * b,  dL/db = g * a");
    CHECK(study::find_formula("NoSuchBackward") == nullptr);
    // Every node a real graph produces is in the table.
    Tensor a = test::input({2, 3}, 1).requires_grad_(), b = test::input({3, 2}, 2).requires_grad_();
    Tensor y = log_softmax(relu(mm(a, b)) + sigmoid(b.sum(1)).reshape({1, 3}).sum(), 1).mean();
    for (const auto& n : study::tape(y)) {
        CAPTURE(n.op);
        CHECK(study::find_formula(n.op) != nullptr);
    }
}
