// DistributedSampler in one process, every rank simulated: torch's shards (padding with the first
// indices, drop_last), the shuffle shared by all ranks, and the DataLoader that batches a shard.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include <descent/core/error.hpp>
#include <descent/core/factory.hpp>
#include <descent/data/dataloader.hpp>
#include <descent/data/tensor_dataset.hpp>
#include <descent/distributed/distributed_sampler.hpp>

using namespace descent;
using distributed::DistributedSampler;

TEST_CASE("DistributedSampler without shuffle: torch's shards of 10 samples over 3 ranks") {
    // total 12 = 10 + the first 2 again; rank r takes positions r, r+3, ...
    CHECK(DistributedSampler(10, 3, 0, false).indices(0) == std::vector<int64_t>{0, 3, 6, 9});
    CHECK(DistributedSampler(10, 3, 1, false).indices(0) == std::vector<int64_t>{1, 4, 7, 0});
    CHECK(DistributedSampler(10, 3, 2, false).indices(0) == std::vector<int64_t>{2, 5, 8, 1});
    // drop_last: 9 of the 10, 3 each
    CHECK(DistributedSampler(10, 3, 2, false, 0, true).indices(0) == std::vector<int64_t>{2, 5, 8});
    // padding longer than the set repeats it: 2 samples over 5 ranks
    CHECK(DistributedSampler(2, 5, 4, false).indices(0) == std::vector<int64_t>{0});
}

TEST_CASE("DistributedSampler with shuffle: disjoint shards of one permutation, new per epoch") {
    for (int64_t epoch : {0, 1, 7}) {
        std::multiset<int64_t> all;
        for (int r = 0; r < 4; ++r)
            for (int64_t i : DistributedSampler(40, 4, r, true, 9).indices(epoch)) all.insert(i);
        CHECK(all.size() == 40);
        CHECK(std::set<int64_t>(all.begin(), all.end()).size() == 40);
    }
    const DistributedSampler s(40, 4, 1, true, 9);
    CHECK(s.indices(0) != s.indices(1));
    CHECK(s.indices(3) == DistributedSampler(40, 4, 1, true, 9).indices(3));   // a pure function
    CHECK(s.indices(0) != DistributedSampler(40, 4, 1, true, 10).indices(0));  // of the seed too
}

TEST_CASE("DistributedSampler refuses a bad rank or replica count") {
    CHECK_THROWS_WITH_AS(DistributedSampler(10, 2, 2),
                         "DistributedSampler(): rank 2 is outside [0, 2)", ValueError);
    CHECK_THROWS_WITH_AS(DistributedSampler(10, 0, 0),
                         "DistributedSampler(): num_replicas must be >= 1, got 0", ValueError);
    CHECK_THROWS_WITH_AS(DistributedSampler(1, 2, 0, true, 0, true),
                         "DistributedSampler(): drop_last with 1 samples for 2 replicas leaves "
                         "every rank empty",
                         ValueError);
}

TEST_CASE("DataLoader over a DistributedSampler batches the shard") {
    std::vector<float> values(10);
    for (int i = 0; i < 10; ++i) values[size_t(i)] = float(i);
    auto set =
        std::make_shared<data::TensorDataset>(tensor(values, {10, 1}), std::vector<int64_t>(10, 0));
    data::DataLoader loader(set, std::make_shared<DistributedSampler>(10, 3, 1, false),
                            data::DataLoaderOptions(3));
    CHECK(loader.size() == 2);  // 4 samples in batches of 3
    std::vector<float> seen;
    for (const data::Batch& b : loader)
        for (float v : b.data.to_vector()) seen.push_back(v);
    CHECK(seen == std::vector<float>{1, 4, 7, 0});
    CHECK_THROWS_WITH_AS(data::DataLoader(set, nullptr), "DataLoader(): sampler is null",
                         ValueError);
}
