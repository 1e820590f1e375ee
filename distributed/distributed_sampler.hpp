// DistributedSampler: rank `rank` of `num_replicas` visits its own shard of the dataset, disjoint
// from the others', reshuffled every epoch from (seed, epoch) identically on every rank; the
// dataset is padded with its first indices, or cut (drop_last), to equal shards: torch's rules.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/data/sampler.hpp"

namespace descent::distributed {

// Give it to a DataLoader, whose epoch (DataLoader::set_epoch, when resuming) picks the shuffle:
// torch's sampler.set_epoch(e) is the loader's own epoch here.
//   auto sampler = std::make_shared<DistributedSampler>(set->size(), env.world_size(), env.rank());
//   data::DataLoader loader(set, sampler, data::DataLoaderOptions(64));
class DistributedSampler final : public data::Sampler {
public:
    // ValueError for num_replicas < 1, a rank outside [0, num_replicas), a negative size, or
    // drop_last with fewer samples than replicas.
    DistributedSampler(int64_t dataset_size, int num_replicas, int rank, bool shuffle = true,
                       uint64_t seed = 0, bool drop_last = false);

    // Samples per rank per epoch: ceil(N / replicas), or floor(N / replicas) with drop_last.
    int64_t size() const override { return num_samples_; }
    std::vector<int64_t> indices(int64_t epoch) const override;
    int64_t total_size() const { return num_samples_ * num_replicas_; }

private:
    int64_t dataset_size_;
    int num_replicas_, rank_;
    bool shuffle_;
    uint64_t seed_;
    bool drop_last_;
    int64_t num_samples_;
};

}  // namespace descent::distributed
