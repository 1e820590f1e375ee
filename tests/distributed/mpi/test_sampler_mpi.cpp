// DistributedSampler across real ranks: the shards of one epoch, gathered, cover every sample once
// (padding repeats only the first few; drop_last drops only a few), and the next epoch reshuffles.
#include <doctest/doctest.h>

#include <map>

#include <descent/descent.hpp>

#include "mpi_env.hpp"

using namespace descent;

namespace {
// Every rank's indices of `epoch`, counted: sample -> times visited.
std::map<int64_t, int> visits(const distributed::DistributedSampler& sampler, int64_t epoch) {
    auto& comm = mpi_tests::env().communicator();
    std::map<int64_t, int> count;
    for (int64_t i : sampler.indices(epoch))
        for (int64_t v : comm.allgather(i)) ++count[v];
    return count;
}
}  // namespace

TEST_CASE("DistributedSampler: every sample exactly once per epoch across the ranks") {
    auto& env = mpi_tests::env();
    REQUIRE(env.world_size() == 2);
    const distributed::DistributedSampler even(100, env.world_size(), env.rank(), true, 3);
    for (int64_t epoch : {0, 1}) {
        const auto count = visits(even, epoch);
        CHECK(count.size() == 100);
        for (const auto& [sample, times] : count) {
            CHECK(sample >= 0);
            CHECK(sample < 100);
            CHECK(times == 1);
        }
    }
    CHECK(even.indices(0) != even.indices(1));  // reshuffled per epoch

    // 103 for 2 ranks: 52 each, one sample seen twice (padding); drop_last: 51 each, one unseen.
    const distributed::DistributedSampler padded(103, 2, env.rank(), true, 3);
    const auto count = visits(padded, 0);
    CHECK(padded.size() == 52);
    CHECK(count.size() == 103);
    int twice = 0;
    for (const auto& [sample, times] : count) twice += times == 2;
    CHECK(twice == 1);
    const distributed::DistributedSampler dropped(103, 2, env.rank(), true, 3, true);
    CHECK(dropped.size() == 51);
    const auto kept = visits(dropped, 0);
    CHECK(kept.size() == 102);
    for (const auto& [sample, times] : kept) CHECK(times == 1);
}
