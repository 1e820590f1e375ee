// Padding and pixel shuffling of images and sequences, as PyTorch's F.pad, F.pixel_shuffle and
// F.pixel_unshuffle: compositions of narrow, flip, expand, cat, reshape and permute, so
// differentiable to any order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// pad = {left, right} for the last dim, then {top, bottom} for the one before, ... (PyTorch's
// order). mode "constant" (filled with `value`; a negative pad crops), "reflect" (mirrored without
// the edge: each pad < that dim's size) or "replicate" (the edge repeated); the last two pad the
// last 1-3 dims of an input with one or two dims more (batch, channels) and take pads >= 0.
// ValueError for an odd-length pad, too many pads, an unknown mode or a pad out of range.
Tensor pad(const Tensor& input, const std::vector<int64_t>& pad,
           const std::string& mode = "constant", double value = 0.0, CallSite = {});

// (N, C·r², H, W) -> (N, C, H·r, W·r) (any leading dims); ShapeError unless C·r² divides.
Tensor pixel_shuffle(const Tensor& input, int64_t upscale_factor, CallSite = {});
// Its inverse: (N, C, H·r, W·r) -> (N, C·r², H, W).
Tensor pixel_unshuffle(const Tensor& input, int64_t downscale_factor, CallSite = {});

}  // namespace descent::nn::functional
