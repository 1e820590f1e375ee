// SyncBatchNorm: batch normalisation whose batch statistics are those of the global batch, every
// rank's shard together (torch.nn.SyncBatchNorm): in training, the per-channel sums are allreduced
// in forward, and the sums backward needs in backward. Evaluation, and a world of one, are
// BatchNorm.
#pragma once

#include "descent/distributed/communicator.hpp"
#include "descent/nn/batch_norm.hpp"

namespace descent::distributed {

// Input (N, C), (N, C, L) or (N, C, H, W). Every rank must call forward and backward the same
// number of times (they are collectives). Its backward is a fused kernel: once differentiable.
class SyncBatchNorm : public nn::BatchNorm {
public:
    SyncBatchNorm(int64_t num_features, Communicator& comm, float eps = 1e-5f,
                  std::optional<float> momentum = 0.1f, bool affine = true,
                  bool track_running_stats = true);
    Tensor forward(const Tensor& x) override;

private:
    Communicator& comm_;
};

}  // namespace descent::distributed
