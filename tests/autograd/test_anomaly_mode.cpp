// Anomaly mode: the first NaN/Inf in forward or backward throws, naming the op and where it was
// made.
#include <functional>

#include "support.hpp"

using namespace descent;

namespace {

// What `f` throws as a ValueError; empty if it throws nothing.
std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ValueError& e) {
        return e.what();
    }
    return {};
}

std::string here(int line) { return std::string(__FILE__) + ":" + std::to_string(line); }

}  // namespace

TEST_CASE("anomaly mode: a forward NaN or Inf names the op, the shape and the caller's line") {
    autograd::DetectAnomalyGuard anomaly;
    REQUIRE(autograd::is_anomaly_enabled());
    Tensor zero = tensor({0.0f, 1.0f}).requires_grad_();
    Tensor minus = tensor({-1.0f}).requires_grad_();

    const int log_line = __LINE__ + 1;  // the next line's
    const std::string l = error_of([&] { log(zero); });
    INFO(l);
    CHECK(l.find("LogBackward produced -inf in its output of shape (2)") != std::string::npos);
    CHECK(l.find("created at " + here(log_line)) != std::string::npos);

    const int div_line = __LINE__ + 1;  // the next line's
    const std::string d = error_of([&] { div(zero, zero); });
    INFO(d);
    CHECK(d.find("DivBackward produced nan") != std::string::npos);
    CHECK(d.find(here(div_line)) != std::string::npos);

    const int sqrt_line = __LINE__ + 1;  // the next line's
    const std::string s = error_of([&] { sqrt(minus); });
    INFO(s);
    CHECK(s.find("SqrtBackward produced nan in its output of shape (1)") != std::string::npos);
    CHECK(s.find(here(sqrt_line)) != std::string::npos);

    // matmul runs mm inside; the location is still the user's call of matmul.
    Tensor big = full({1, 2}, 3e38f).requires_grad_();
    const int mm_line = __LINE__ + 1;  // the next line's
    const std::string m = error_of([&] { matmul(big, ones({2, 1})); });
    INFO(m);
    CHECK(m.find("inf in its output of shape (1, 1)") != std::string::npos);
    CHECK(m.find(here(mm_line)) != std::string::npos);

    // Operators and method forms name the caller's line too (issue 24).
    const int op_line = __LINE__ + 1;  // the next line's
    const std::string o = error_of([&] { (void)(zero / zero); });
    INFO(o);
    CHECK(o.find("DivBackward produced nan") != std::string::npos);
    CHECK(o.find("created at " + here(op_line)) != std::string::npos);
    const int method_line = __LINE__ + 1;  // the next line's
    const std::string ml = error_of([&] { (void)zero.log(); });
    INFO(ml);
    CHECK(ml.find("LogBackward produced -inf") != std::string::npos);
    CHECK(ml.find("created at " + here(method_line)) != std::string::npos);
    // Finite results pass.
    CHECK(error_of([&] { (log(zero + 1.0f) * 2.0f).sum().backward(); }).empty());
}

TEST_CASE("anomaly mode: nodes made by operators and method forms name the caller's line") {
    autograd::DetectAnomalyGuard anomaly;
    Tensor big = full({2}, 3e38f).requires_grad_();
    Tensor x = tensor({1.0f, 100.0f}).requires_grad_();

    const int mul_line = __LINE__ + 1;  // the next line's
    const std::string m = error_of([&] { (void)(big * big); });
    INFO(m);
    CHECK(m.find("MulBackward produced inf in its output of shape (2)") != std::string::npos);
    CHECK(m.find("created at " + here(mul_line)) != std::string::npos);

    const int scalar_line = __LINE__ + 1;  // the next line's
    const std::string s = error_of([&] { (void)(2.0f * big + 1.0f); });
    INFO(s);
    CHECK(s.find("MulBackward produced inf") != std::string::npos);
    CHECK(s.find("created at " + here(scalar_line)) != std::string::npos);

    const int exp_line = __LINE__ + 1;  // the next line's
    const std::string e = error_of([&] { (void)x.exp(); });
    INFO(e);
    CHECK(e.find("ExpBackward produced inf in its output of shape (2)") != std::string::npos);
    CHECK(e.find("created at " + here(exp_line)) != std::string::npos);

    // A composite op (softmax's max-subtraction, a loss built from ops) reports the user's line,
    // not a line inside descent: the outermost located call of the statement wins.
    const int sum_line = __LINE__ + 1;  // the next line's
    const std::string r = error_of([&] { (void)big.sum(); });
    INFO(r);
    CHECK(r.find("SumBackward produced inf") != std::string::npos);
    CHECK(r.find("created at " + here(sum_line)) != std::string::npos);

    // A backward NaN from a node made by an operator names the operator's line.
    Tensor z = tensor({0.0f}).requires_grad_();
    const int node_line = __LINE__ + 1;  // the next line's
    Tensor y = z * z.sqrt();
    const std::string b = error_of([&] { y.sum().backward(); });
    INFO(b);
    CHECK(b.find("created at " + here(node_line)) != std::string::npos);
}

TEST_CASE("anomaly mode: a backward that makes an Inf names the backward node") {
    autograd::DetectAnomalyGuard anomaly;
    Tensor x = tensor({0.0f}).requires_grad_();
    const int line = __LINE__ + 1;                                // the next line's
    Tensor y = sqrt(x);                                           // forward sqrt(0) = 0 is finite
    const std::string e = error_of([&] { y.sum().backward(); });  // dL/dx = 1 / (2 * 0)
    INFO(e);
    CHECK(e.find("SqrtBackward (output shape (1), created at " + here(line) + ") returned inf") !=
          std::string::npos);
    CHECK(e.find("gradient for input 0 of shape (1)") != std::string::npos);
}

TEST_CASE("with anomaly mode off the same graphs run, producing the NaN and Inf") {
    CHECK_FALSE(autograd::is_anomaly_enabled());
    Tensor zero = tensor({0.0f, 1.0f}).requires_grad_();
    CHECK(std::isinf(log(zero).to_vector()[0]));
    CHECK(std::isnan(div(zero, zero).to_vector()[0]));
    CHECK(std::isnan(sqrt(tensor({-1.0f}).requires_grad_()).item()));
    Tensor x = tensor({0.0f}).requires_grad_();
    sqrt(x).sum().backward();
    CHECK(std::isinf(x.grad().item()));
}

TEST_CASE("anomaly guards restore the previous mode, and set_detect_anomaly sets it") {
    {
        autograd::DetectAnomalyGuard on;
        {
            autograd::DetectAnomalyGuard off(false);
            CHECK_FALSE(autograd::is_anomaly_enabled());
        }
        CHECK(autograd::is_anomaly_enabled());
    }
    CHECK_FALSE(autograd::is_anomaly_enabled());
    autograd::set_detect_anomaly(true);
    CHECK(autograd::is_anomaly_enabled());
    autograd::set_detect_anomaly(false);
    // Only recorded ops are checked: without requires_grad nothing is on the tape.
    autograd::DetectAnomalyGuard on;
    CHECK(error_of([] { log(zeros({2})); }).empty());
}
