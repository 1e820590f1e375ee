// Padding and pixel-shuffle layers: ZeroPad2d, ConstantPad2d, ReflectionPad2d, ReplicationPad2d,
// PixelShuffle and PixelUnshuffle, as PyTorch's (forward through functional::pad and
// pixel_shuffle; no parameters).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "descent/nn/module.hpp"

namespace descent::nn {

// (left, right, top, bottom) of an (N, C, H, W) or (C, H, W) input; one int pads all four.
struct Pad2 {
    std::array<int64_t, 4> sides;
    Pad2(int64_t all) : sides{all, all, all, all} {}  // NOLINT: implicit, as `ZeroPad2d(1)`
    Pad2(int64_t left, int64_t right, int64_t top, int64_t bottom)
        : sides{left, right, top, bottom} {}
};

// functional::pad(x, padding, mode, value) with the mode fixed; printed with PyTorch's name.
class Pad2d : public Module {
public:
    Pad2d(std::string type_name, Pad2 padding, std::string mode, double value = 0.0);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    Pad2 padding;
    std::string mode;
    double value;
};

struct ZeroPad2d : Pad2d {
    explicit ZeroPad2d(Pad2 padding) : Pad2d("ZeroPad2d", padding, "constant") {}
};
struct ConstantPad2d : Pad2d {
    ConstantPad2d(Pad2 padding, double value)
        : Pad2d("ConstantPad2d", padding, "constant", value) {}
};
// ValueError for a negative pad (a pad >= the input's size is refused when called).
struct ReflectionPad2d : Pad2d {
    explicit ReflectionPad2d(Pad2 padding) : Pad2d("ReflectionPad2d", padding, "reflect") {}
};
struct ReplicationPad2d : Pad2d {
    explicit ReplicationPad2d(Pad2 padding) : Pad2d("ReplicationPad2d", padding, "replicate") {}
};

// (N, C·r², H, W) -> (N, C, H·r, W·r). ValueError unless upscale_factor > 0.
class PixelShuffle : public Module {
public:
    explicit PixelShuffle(int64_t upscale_factor);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t upscale_factor;
};

class PixelUnshuffle : public Module {
public:
    explicit PixelUnshuffle(int64_t downscale_factor);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t downscale_factor;
};

}  // namespace descent::nn
