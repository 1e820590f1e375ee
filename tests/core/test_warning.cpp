// Warnings (core/warning): once per kind, through an installed handler; the first one descent
// gives, PyTorch's for grad() of a non-leaf read without retain_grad().
#include <string>
#include <vector>

#include "descent/core/warning.hpp"
#include "support.hpp"

using namespace descent;

namespace {
// Captures warnings while alive; restores the previous handler.
struct CapturedWarnings {
    std::vector<std::string> messages;
    WarningHandler previous;
    CapturedWarnings() {
        detail::reset_warnings();
        previous = set_warning_handler([this](const std::string& m) { messages.push_back(m); });
    }
    ~CapturedWarnings() { set_warning_handler(previous); }
};
}  // namespace

TEST_CASE("a warning of one kind is given once") {
    CapturedWarnings w;
    detail::warn_once("test_kind", "first");
    detail::warn_once("test_kind", "second");
    detail::warn_once("other_kind", "third");
    CHECK(w.messages == std::vector<std::string>{"first", "third"});
}

TEST_CASE("reading grad() of a non-leaf without retain_grad() warns once, naming retain_grad") {
    CapturedWarnings w;
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor y = x * 3.0f;
    y.sum().backward();
    CHECK(x.grad().defined());
    CHECK(w.messages.empty());  // a leaf's grad(): no warning
    CHECK_FALSE(y.grad().defined());
    REQUIRE(w.messages.size() == 1);
    CHECK(w.messages[0].find("retain_grad()") != std::string::npos);
    (void)y.grad();
    CHECK(w.messages.size() == 1);

    detail::reset_warnings();
    Tensor z = x * 2.0f;
    z.retain_grad();
    z.sum().backward();
    CHECK_VALUES(z.grad(), {2}, {1, 1});
    CHECK(w.messages.size() == 1);  // retained: no new warning
}
