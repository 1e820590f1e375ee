// The shard of an epoch: every rank computes the same permutation, pads or cuts it to
// replicas * size(), and keeps the positions rank, rank + replicas, ... (torch's order).
#include "descent/distributed/distributed_sampler.hpp"

#include <numeric>

#include "descent/core/error.hpp"
#include "descent/core/random.hpp"

namespace descent::distributed {

namespace {
uint64_t mix(uint64_t x) {  // SplitMix64's finaliser, as the DataLoader's shuffle seeds
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}
}  // namespace

DistributedSampler::DistributedSampler(int64_t dataset_size, int num_replicas, int rank,
                                       bool shuffle, uint64_t seed, bool drop_last)
    : dataset_size_(dataset_size),
      num_replicas_(num_replicas),
      rank_(rank),
      shuffle_(shuffle),
      seed_(seed),
      drop_last_(drop_last) {
    DESCENT_CHECK(num_replicas >= 1, ValueError,
                  "DistributedSampler(): num_replicas must be >= 1, got ", num_replicas);
    DESCENT_CHECK(rank >= 0 && rank < num_replicas, ValueError, "DistributedSampler(): rank ", rank,
                  " is outside [0, ", num_replicas, ")");
    DESCENT_CHECK(dataset_size >= 0, ValueError,
                  "DistributedSampler(): dataset size must be >= 0, got ", dataset_size);
    DESCENT_CHECK(!drop_last || dataset_size >= num_replicas, ValueError,
                  "DistributedSampler(): drop_last with ", dataset_size, " samples for ",
                  num_replicas, " replicas leaves every rank empty");
    num_samples_ =
        drop_last ? dataset_size / num_replicas : (dataset_size + num_replicas - 1) / num_replicas;
}

std::vector<int64_t> DistributedSampler::indices(int64_t epoch) const {
    DESCENT_CHECK(epoch >= 0, ValueError, "DistributedSampler::indices(): epoch must be >= 0, got ",
                  epoch);
    std::vector<int64_t> order(static_cast<size_t>(dataset_size_));
    if (shuffle_) {
        Generator gen(mix(mix(seed_) ^ static_cast<uint64_t>(epoch)));
        order = randperm(dataset_size_, gen);
    } else {
        std::iota(order.begin(), order.end(), int64_t{0});
    }
    const size_t total = static_cast<size_t>(total_size());
    // Pad with the first indices (again and again if the padding is longer than the set).
    for (size_t i = 0; order.size() < total; ++i) order.push_back(order[i]);
    std::vector<int64_t> mine;
    mine.reserve(static_cast<size_t>(num_samples_));
    for (size_t i = static_cast<size_t>(rank_); i < total; i += size_t(num_replicas_))
        mine.push_back(order[i]);
    return mine;
}

}  // namespace descent::distributed
