// The tape listing: backward's order, op names, shapes, and what backward freed.
#include <algorithm>
#include <sstream>

#include "support.hpp"

using namespace descent;

TEST_CASE("the tape lists nodes in the order backward runs them") {
    Tensor x = ones({4, 3}), w = ones({3, 2}).requires_grad_(), b = zeros({2}).requires_grad_();
    Tensor loss = relu(matmul(x, w) + b).sum();
    const auto t = study::tape(loss);
    REQUIRE(t.size() == 6);
    CHECK(t[0].op == "SumBackward");
    CHECK(t[0].output == Shape{});
    CHECK(t[1].op == "ReluBackward");
    CHECK(t[2].op == "AddBackward");
    CHECK(t[2].inputs == std::vector<Shape>{{4, 2}, {2}});
    // The two leaves come after everything that feeds them, in either order.
    std::vector<std::string> rest{t[3].op, t[4].op, t[5].op};
    CHECK(std::count(rest.begin(), rest.end(), "AccumulateGrad") == 2);
    CHECK(std::count(rest.begin(), rest.end(), "MmBackward") == 1);
    for (const auto& e : t) CHECK_FALSE(e.freed);

    loss.backward();
    const auto after = study::tape(loss);
    CHECK(after[0].freed);
    CHECK(after[1].freed);

    std::ostringstream s;
    study::print_tape(s, loss);
    CHECK(s.str().find("MmBackward") != std::string::npos);
    CHECK(s.str().find("(4, 3), (3, 2) -> (4, 2)") != std::string::npos);
    CHECK(s.str().find("[freed]") != std::string::npos);
}

TEST_CASE("tape of tensors outside the graph") {
    CHECK(study::tape(ones({2})).empty());
    const auto leaf = study::tape(ones({2}).requires_grad_());
    REQUIRE(leaf.size() == 1);
    CHECK(leaf[0].op == "AccumulateGrad");
}

TEST_CASE("print_tape says which leaf each AccumulateGrad adds into: its name, or where it is used") {
    Tensor x = ones({4, 3}), w = ones({3, 2}).requires_grad_(), b = zeros({2}).requires_grad_();
    Tensor loss = (matmul(x, w) + b).sum();
    // 0 SumBackward, 1 AddBackward (mm, b), then the mm and b's AccumulateGrad in either order.
    const auto t = study::tape(loss);
    std::vector<std::string> unnamed;
    for (const auto& e : t)
        if (e.op == "AccumulateGrad") unnamed.push_back(e.leaf);
        else CHECK(e.leaf.empty());
    std::sort(unnamed.begin(), unnamed.end());
    REQUIRE(unnamed.size() == 2);
    CHECK(unnamed[0] == "input 1 of #1 AddBackward");
    CHECK(unnamed[1].rfind("input 1 of #", 0) == 0);  // w: the second input of MmBackward
    CHECK(unnamed[1].find("MmBackward") != std::string::npos);

    std::ostringstream s;
    study::print_tape(s, loss, {{"fc.weight", w}, {"fc.bias", b}});
    CHECK(s.str().find("AccumulateGrad  -> (3, 2)  into fc.weight\n") != std::string::npos);
    CHECK(s.str().find("AccumulateGrad  -> (2)  into fc.bias\n") != std::string::npos);
    std::ostringstream alone;
    study::print_tape(alone, w);
    CHECK(alone.str().find("into the root itself") != std::string::npos);
}
