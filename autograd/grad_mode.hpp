// Grad mode: whether ops record nodes. On by default, per thread. NoGradGuard turns it off for a
// scope (inference, optimizer updates); backward(create_graph=true) turns it on while it runs.
#pragma once

namespace descent::autograd {

class GradMode {
public:
    static bool is_enabled();
    static void set_enabled(bool enabled);
};

// Sets grad mode for the guard's lifetime, then restores the previous mode.
class AutoGradMode {
public:
    explicit AutoGradMode(bool enabled) : prev_(GradMode::is_enabled()) {
        GradMode::set_enabled(enabled);
    }
    ~AutoGradMode() { GradMode::set_enabled(prev_); }
    AutoGradMode(const AutoGradMode&) = delete;
    AutoGradMode& operator=(const AutoGradMode&) = delete;

private:
    bool prev_;
};

// Nothing is recorded while one is alive: torch::NoGradGuard.
class NoGradGuard : public AutoGradMode {
public:
    NoGradGuard() : AutoGradMode(false) {}
};

}  // namespace descent::autograd

namespace descent {
using autograd::NoGradGuard;
}
