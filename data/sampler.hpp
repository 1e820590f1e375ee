// Sampler: which dataset indices an epoch visits, in order (torch.utils.data.Sampler). A
// DataLoader given one batches its indices instead of 0..N-1 or its own shuffle; e.g.
// distributed::DistributedSampler, a shard of the dataset per rank.
#pragma once

#include <cstdint>
#include <vector>

namespace descent::data {

class Sampler {
public:
    virtual ~Sampler() = default;
    // Indices per epoch; the same for every epoch.
    virtual int64_t size() const = 0;
    // The indices of epoch `epoch`: size() of them, each in [0, dataset size).
    virtual std::vector<int64_t> indices(int64_t epoch) const = 0;
};

}  // namespace descent::data
