// The backward tracer: formats each autograd::BackwardStep, and pauses between steps on a terminal.
#include "descent/study/backward_tracer.hpp"

#include <unistd.h>

#include <cmath>
#include <iostream>
#include <sstream>
#include <string>

namespace descent::study {

std::string describe_gradient(const Tensor& view, int64_t max_values) {
    if (!view.defined()) return "none";
    const Tensor t = descent::detail::dense(view);
    const float* p = t.data();
    double sq = 0;
    for (int64_t i = 0; i < t.numel(); ++i) sq += double(p[i]) * p[i];
    std::ostringstream s;
    s << t.shape() << " norm " << std::sqrt(sq);
    if (t.numel() <= max_values) {
        s << " = [";
        for (int64_t i = 0; i < t.numel(); ++i) s << (i ? ", " : "") << p[i];
        s << "]";
    }
    return s.str();
}

namespace {

void print_step(std::ostream& os, const TraceOptions& options, const autograd::BackwardStep& step) {
    os << '#' << step.index << ' ' << step.node.name() << '\n'
       << "    grad in    " << describe_gradient(step.grad_output, options.max_values) << '\n';
    for (size_t i = 0; i < step.grad_inputs.size(); ++i)
        os << "    grad out " << i << ' '
           << describe_gradient(step.grad_inputs[i], options.max_values) << '\n';
    if (options.step && isatty(STDIN_FILENO)) {
        os << "    [Enter: next step]" << std::flush;
        std::string line;
        std::getline(std::cin, line);
    }
}

}  // namespace

BackwardTracer::BackwardTracer(std::ostream& os, TraceOptions options)
    : guard_(
          [&os, options](const autograd::BackwardStep& step) { print_step(os, options, step); }) {}

}  // namespace descent::study
