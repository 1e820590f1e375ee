// Upsample: options checked at construction, forward through functional::interpolate.
#include "descent/nn/upsample.hpp"

#include <ostream>

namespace descent::nn {

Upsample::Upsample(const UpsampleOptions& options_) : Module("Upsample"), options(options_) {
    functional::detail::check_interpolate_options("Upsample()", interpolate_options());
}

functional::InterpolateFuncOptions Upsample::interpolate_options() const {
    functional::InterpolateFuncOptions o;
    if (options.size()) o.size(*options.size());
    if (options.scale_factor()) o.scale_factor(*options.scale_factor());
    o.mode(options.mode());
    if (options.align_corners()) o.align_corners(*options.align_corners());
    return o;
}

Tensor Upsample::forward(const Tensor& x) {
    return functional::detail::interpolate("Upsample", x, interpolate_options());
}

void Upsample::pretty_print(std::ostream& os) const {
    auto values = [&os](const auto& v) {
        if (v.size() == 1) {
            os << v[0];
            return;
        }
        os << "(";
        for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
        os << ")";
    };
    os << "Upsample(";
    if (options.size()) {
        os << "size=";
        values(*options.size());
    } else if (options.scale_factor()) {
        os << "scale_factor=";
        values(*options.scale_factor());
    }
    os << ", mode=" << options.mode();
    if (options.align_corners())
        os << ", align_corners=" << (*options.align_corners() ? "true" : "false");
    os << ")";
}

}  // namespace descent::nn
