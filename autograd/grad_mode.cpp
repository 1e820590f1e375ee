// Grad mode: the per-thread flag that says whether ops record nodes.
#include "descent/autograd/grad_mode.hpp"

namespace descent::autograd {

namespace {
thread_local bool grad_enabled = true;
}

bool GradMode::is_enabled() { return grad_enabled; }
void GradMode::set_enabled(bool enabled) { grad_enabled = enabled; }

}  // namespace descent::autograd
