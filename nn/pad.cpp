// The padding and pixel-shuffle layers: argument checks at construction, forward through
// functional::pad and pixel_(un)shuffle.
#include "descent/nn/pad.hpp"

#include <ostream>

#include "descent/nn/functional/pad.hpp"

namespace descent::nn {

Pad2d::Pad2d(std::string type_name, Pad2 padding_, std::string mode_, double value_)
    : Module(std::move(type_name)), padding(padding_), mode(std::move(mode_)), value(value_) {
    if (mode != "constant")
        for (int64_t p : padding.sides)
            DESCENT_CHECK(p >= 0, ValueError, this->type_name(), "(): padding must be >= 0, got ",
                          p);
}

Tensor Pad2d::forward(const Tensor& x) {
    const auto& s = padding.sides;
    return functional::pad(x, {s[0], s[1], s[2], s[3]}, mode, value);
}

void Pad2d::pretty_print(std::ostream& os) const {
    const auto& s = padding.sides;
    os << type_name() << "((" << s[0] << ", " << s[1] << ", " << s[2] << ", " << s[3] << ")";
    if (type_name() == "ConstantPad2d") os << ", value=" << value;
    os << ")";
}

PixelShuffle::PixelShuffle(int64_t r) : Module("PixelShuffle"), upscale_factor(r) {
    DESCENT_CHECK(r > 0, ValueError, "PixelShuffle(): upscale_factor must be > 0, got ", r);
}
Tensor PixelShuffle::forward(const Tensor& x) {
    return functional::pixel_shuffle(x, upscale_factor);
}
void PixelShuffle::pretty_print(std::ostream& os) const {
    os << "PixelShuffle(upscale_factor=" << upscale_factor << ")";
}

PixelUnshuffle::PixelUnshuffle(int64_t r) : Module("PixelUnshuffle"), downscale_factor(r) {
    DESCENT_CHECK(r > 0, ValueError, "PixelUnshuffle(): downscale_factor must be > 0, got ", r);
}
Tensor PixelUnshuffle::forward(const Tensor& x) {
    return functional::pixel_unshuffle(x, downscale_factor);
}
void PixelUnshuffle::pretty_print(std::ostream& os) const {
    os << "PixelUnshuffle(downscale_factor=" << downscale_factor << ")";
}

}  // namespace descent::nn
