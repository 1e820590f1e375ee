// Upsample: functional::interpolate as a layer, torch.nn.Upsample: UpsampleOptions().size(...) or
// .scale_factor(...), .mode("nearest" | "linear" | "bilinear"), .align_corners(b); no parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "descent/nn/functional/interpolate.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

// PyTorch's UpsampleOptions (no recompute_scale_factor: a scale_factor is passed on as given).
struct UpsampleOptions {
    UpsampleOptions& size(std::vector<int64_t> v) {
        size_ = std::move(v);
        return *this;
    }
    UpsampleOptions& scale_factor(std::vector<double> v) {
        scale_factor_ = std::move(v);
        return *this;
    }
    UpsampleOptions& mode(std::string v) {
        mode_ = std::move(v);
        return *this;
    }
    UpsampleOptions& align_corners(bool v) {
        align_corners_ = v;
        return *this;
    }
    const std::optional<std::vector<int64_t>>& size() const { return size_; }
    const std::optional<std::vector<double>>& scale_factor() const { return scale_factor_; }
    const std::string& mode() const { return mode_; }
    const std::optional<bool>& align_corners() const { return align_corners_; }

private:
    std::optional<std::vector<int64_t>> size_;
    std::optional<std::vector<double>> scale_factor_;
    std::string mode_ = "nearest";
    std::optional<bool> align_corners_;
};

class Upsample : public Module {
public:
    // The options are checked here (ValueError naming Upsample): exactly one of size and
    // scale_factor, a known mode, align_corners only with linear / bilinear, values > 0 (so there
    // is no default: PyTorch's Upsample() fails at its first call instead).
    explicit Upsample(const UpsampleOptions& options);
    // functional::interpolate(x, options); ShapeError naming Upsample for a rank the mode refuses.
    Tensor forward(const Tensor& x) override;
    // Upsample(scale_factor=2, mode=bilinear) or Upsample(size=(4, 6), mode=nearest)
    void pretty_print(std::ostream& os) const override;
    UpsampleOptions options;

private:
    functional::InterpolateFuncOptions interpolate_options() const;
};

}  // namespace descent::nn
