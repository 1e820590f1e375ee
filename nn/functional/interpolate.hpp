// Resizing of sequences and images, as torch.nn.functional.interpolate (PyTorch 1.13's results):
// modes "nearest" (N, C, L) / (N, C, H, W), "linear" (N, C, L) and "bilinear" (N, C, H, W). Both
// are index_select along each spatial dim with precomputed indices (and, for the linear modes, a
// weighted sum of two such selections), so they are differentiable to every order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// PyTorch's InterpolateFuncOptions: exactly one of size and scale_factor (one value for every
// spatial dim, or one per dim), mode "nearest" (default), "linear" or "bilinear", align_corners
// only with the linear modes (unset means false), recompute_scale_factor only with scale_factor.
struct InterpolateFuncOptions {
    InterpolateFuncOptions& size(std::vector<int64_t> v) {
        size_ = std::move(v);
        return *this;
    }
    InterpolateFuncOptions& scale_factor(std::vector<double> v) {
        scale_factor_ = std::move(v);
        return *this;
    }
    InterpolateFuncOptions& mode(std::string v) {
        mode_ = std::move(v);
        return *this;
    }
    InterpolateFuncOptions& align_corners(bool v) {
        align_corners_ = v;
        return *this;
    }
    InterpolateFuncOptions& recompute_scale_factor(bool v) {
        recompute_scale_factor_ = v;
        return *this;
    }
    const std::optional<std::vector<int64_t>>& size() const { return size_; }
    const std::optional<std::vector<double>>& scale_factor() const { return scale_factor_; }
    const std::string& mode() const { return mode_; }
    const std::optional<bool>& align_corners() const { return align_corners_; }
    const std::optional<bool>& recompute_scale_factor() const { return recompute_scale_factor_; }

private:
    std::optional<std::vector<int64_t>> size_;
    std::optional<std::vector<double>> scale_factor_;
    std::string mode_ = "nearest";
    std::optional<bool> align_corners_;
    std::optional<bool> recompute_scale_factor_;
};

// input (N, C, L) or (N, C, H, W) -> the same with the spatial sizes `size`, or
// ⌊in·scale_factor⌋. nearest: source ⌊dst·s⌋ (clamped to in - 1), s = 1/scale_factor when
// scale_factor is given (and recompute_scale_factor is not true), else in/out, ⌊·⌋ taken in float
// as PyTorch's CPU kernel does (so out = in with scale_factor 1.2 is not a copy). linear /
// bilinear: src = s·(dst + ½) - ½ clamped at 0 (align_corners false), or dst·(in - 1)/(out - 1)
// (true); the weighted pair of neighbours, along W first, then H.
// ValueError: both or neither of size and scale_factor, an unknown or unsupported mode,
// align_corners with nearest, a size or scale_factor <= 0 or of the wrong length, an empty output;
// ShapeError for a rank the mode does not take; TypeError for a linear mode on integers.
Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& options = {},
                   CallSite = {});

namespace detail {
// The checks that need no input (mode, size vs scale_factor, align_corners, values > 0), naming
// `who`; Upsample runs them at construction.
void check_interpolate_options(const char* who, const InterpolateFuncOptions& options);
Tensor interpolate(const char* who, const Tensor& input, const InterpolateFuncOptions& options);
}  // namespace detail

}  // namespace descent::nn::functional
