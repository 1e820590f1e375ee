// BatchNorm1d and BatchNorm2d: batch normalisation over the channels of (N, C) / (N, C, L) and
// (N, C, H, W) inputs, as torch.nn's. Weight ones and bias zeros (affine); running_mean (zeros),
// running_var (ones) and num_batches_tracked (int64) are buffers, saved and loaded with the state
// dict.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "descent/nn/module.hpp"

namespace descent::nn {

// What BatchNorm1d and BatchNorm2d share (PyTorch's _BatchNorm); they differ only in the input
// ranks they accept.
class BatchNorm : public Module {
public:
    // Training: normalises by the batch's statistics and, when tracking, updates the running ones
    // (running = (1 - momentum)·running + momentum·batch, unbiased var into running_var; with
    // momentum = nullopt the cumulative average, factor 1/num_batches_tracked). Eval: normalises by
    // the running statistics (the batch's when not tracking). A wrong rank or channel count is a
    // ShapeError, one value per channel in training a ValueError, both naming the layer.
    Tensor forward(const Tensor& x) override;
    // running_mean = 0, running_var = 1, num_batches_tracked = 0.
    void reset_running_stats();
    // reset_running_stats(), weight = 1, bias = 0.
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t num_features;
    float eps;
    std::optional<float> momentum;  // nullopt: cumulative moving average
    bool affine, track_running_stats;
    Tensor weight, bias;               // (C) parameters; undefined unless affine
    Tensor running_mean, running_var;  // (C) buffers; undefined unless track_running_stats
    Tensor num_batches_tracked;        // () int64 buffer, as PyTorch's

protected:
    // num_batches_tracked += 1 (a training step that tracks); returns the new count.
    int64_t count_batch();
    // ranks: the input ranks this layer accepts, e.g. {2, 3}.
    BatchNorm(std::string type_name, std::vector<int64_t> ranks, int64_t num_features, float eps,
              std::optional<float> momentum, bool affine, bool track_running_stats);

private:
    void check_input(const Tensor& x) const;
    std::vector<int64_t> ranks_;
};

// Input (N, C) or (N, C, L), statistics over N (and L).
class BatchNorm1d : public BatchNorm {
public:
    // ValueError unless num_features > 0, eps > 0 and momentum in [0, 1].
    explicit BatchNorm1d(int64_t num_features, float eps = 1e-5f,
                         std::optional<float> momentum = 0.1f, bool affine = true,
                         bool track_running_stats = true);
};

// Input (N, C, H, W), statistics over N, H and W.
class BatchNorm2d : public BatchNorm {
public:
    explicit BatchNorm2d(int64_t num_features, float eps = 1e-5f,
                         std::optional<float> momentum = 0.1f, bool affine = true,
                         bool track_running_stats = true);
};

}  // namespace descent::nn
