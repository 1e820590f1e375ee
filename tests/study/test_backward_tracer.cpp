// The backward tracer's printout: index, op, gradient in and out, values only for tiny tensors.
#include <unistd.h>

#include <sstream>

#include "support.hpp"

using namespace descent;

TEST_CASE("describe_gradient: shape, norm, values when tiny, none when undefined") {
    CHECK(study::describe_gradient(tensor({3.0f, 4.0f})) == "(2) norm 5 = [3, 4]");
    CHECK(study::describe_gradient(ones({2, 3})) == "(2, 3) norm 2.44949");
    CHECK(study::describe_gradient(ones({2, 3}), 6) ==
          "(2, 3) norm 2.44949 = [1, 1, 1, 1, 1, 1]");
    CHECK(study::describe_gradient(Tensor()) == "none");
}

TEST_CASE("the tracer prints every step of a backward") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor w = ones({8}).requires_grad_();
    Tensor loss = (x * 3.0f).sum() + w.sum();
    std::ostringstream out;
    {
        study::BackwardTracer tracer(out);
        loss.backward();
    }
    const std::string s = out.str();
    CHECK(s.find("#0 AddBackward\n    grad in    () norm 1 = [1]\n"
                 "    grad out 0 () norm 1 = [1]\n    grad out 1 () norm 1 = [1]\n") == 0);
    CHECK(s.find("grad out 0 (2) norm 4.24264 = [3, 3]") != std::string::npos);  // MulBackward
    CHECK(s.find("grad in    (8) norm 2.82843\n") != std::string::npos);  // w: too big for values
    CHECK(std::count(s.begin(), s.end(), '#') == 6);  // Add, 2 Sum, Mul, 2 AccumulateGrad
    out.str("");
    (x * 3.0f).sum().backward();
    CHECK(out.str().empty());  // the tracer is gone
}

TEST_CASE("step mode never waits when stdin is not a terminal") {
    if (isatty(STDIN_FILENO)) return;  // run interactively it would wait; ctest and CI do not
    Tensor x = tensor({1.0f}).requires_grad_();
    std::ostringstream out;
    study::TraceOptions options;
    options.step = true;
    study::BackwardTracer tracer(out, options);
    (x * 2.0f).sum().backward();
    CHECK(out.str().find("Enter") == std::string::npos);
    CHECK(x.grad().item() == 2.0f);
}
