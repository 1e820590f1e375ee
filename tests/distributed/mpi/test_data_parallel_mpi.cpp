// Two ranks against one process, on every rank: each rank also trains the one-process reference
// itself (no communication), so the comparison needs no files. Losses of 50 steps and the final
// parameters: within 1e-6 relative of the global-batch run, and bit for bit (deterministic mode)
// equal to one process that sums the ranks' shard gradients in rank order.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include <descent/descent.hpp>

#include "mpi_env.hpp"

using namespace descent;
using distributed::DataParallelOptions;
using distributed::DistributedDataParallel;

namespace {

constexpr int64_t features = 16, classes = 4, global_batch = 32, steps = 50;

std::shared_ptr<nn::Sequential> make_model(int64_t hidden = 32) {
    manual_seed(11);  // the same start on every rank and in the reference
    return std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(features, hidden),
                                            std::make_shared<nn::ReLU>(),
                                            std::make_shared<nn::Linear>(hidden, classes));
}

// steps * global_batch samples from a fixed generator; a sample's label is the largest of
// `classes` sums of its features, something the model can learn.
std::shared_ptr<data::TensorDataset> make_data() {
    Generator gen(5);
    Tensor x = randn({steps * global_batch, features}, gen);
    const float* v = x.data();
    std::vector<int64_t> labels;
    for (int64_t i = 0; i < steps * global_batch; ++i) {
        int64_t best = 0;
        float best_sum = -1e30f;
        for (int64_t c = 0; c < classes; ++c) {
            float sum = 0;
            for (int64_t f = c; f < features; f += classes) sum += v[i * features + f];
            if (sum > best_sum) best_sum = sum, best = c;
        }
        labels.push_back(best);
    }
    return std::make_shared<data::TensorDataset>(x, labels);
}

// The rows of global batch `step` that rank `rank` of `world` takes: a contiguous shard.
std::vector<int64_t> shard(int64_t step, int rank, int world) {
    const int64_t per = global_batch / world;
    std::vector<int64_t> rows(static_cast<size_t>(per));
    std::iota(rows.begin(), rows.end(), step * global_batch + rank * per);
    return rows;
}

struct Run {
    std::vector<double> losses;
    std::vector<std::vector<float>> params;
};

std::vector<std::vector<float>> values(nn::Module& model) {
    std::vector<std::vector<float>> v;
    for (const Tensor& p : model.parameters()) v.push_back(p.to_vector());
    return v;
}

// One process. micro == 0: the whole global batch at once. micro == N: N shards, their gradients
// summed in order and divided by N, as the ranks' mean is formed in deterministic mode.
Run reference(const data::TensorDataset& set, int micro) {
    auto model = make_model();
    optim::SGD opt(model->parameters(), optim::SGDOptions(0.1).momentum(0.9));
    Run run;
    for (int64_t s = 0; s < steps; ++s) {
        opt.zero_grad();
        if (micro == 0) {
            data::Batch b = set.get_batch(shard(s, 0, 1));
            Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
            loss.backward();
            run.losses.push_back(loss.item());
        } else {
            double sum = 0;
            for (int r = 0; r < micro; ++r) {
                data::Batch b = set.get_batch(shard(s, r, micro));
                Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
                loss.backward();
                sum += loss.item();
            }
            NoGradGuard no_grad;
            for (Tensor p : model->parameters()) {
                float* g = p.mutable_grad().data();
                for (int64_t i = 0; i < p.numel(); ++i) g[i] = g[i] / float(micro);
            }
            run.losses.push_back(sum / micro);
        }
        opt.step();
    }
    run.params = values(*model);
    return run;
}

Run distributed_run(const data::TensorDataset& set, DataParallelOptions options) {
    auto& env = mpi_tests::env();
    auto model = make_model();
    DistributedDataParallel ddp(*model, env.communicator(), options);
    optim::SGD opt(model->parameters(), optim::SGDOptions(0.1).momentum(0.9));
    Run run;
    for (int64_t s = 0; s < steps; ++s) {
        data::Batch b = set.get_batch(shard(s, env.rank(), env.world_size()));
        Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
        opt.zero_grad();
        loss.backward();
        ddp.synchronize();
        opt.step();
        run.losses.push_back(distributed::mean_over_ranks(loss.item(), env.communicator()));
    }
    run.params = values(*model);
    return run;
}

double relative(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-30); }

// ||a - b|| / ||b||
double relative(const std::vector<float>& a, const std::vector<float>& b) {
    double d = 0, n = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        d += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
        n += double(b[i]) * b[i];
    }
    return std::sqrt(d / n);
}

// Whether every rank holds exactly rank 0's values.
bool same_on_every_rank(std::vector<float> v) {
    auto& comm = mpi_tests::env().communicator();
    std::vector<float> root = v;
    comm.broadcast(root.data(), root.size() * sizeof(float), 0);
    const bool same = std::memcmp(root.data(), v.data(), v.size() * sizeof(float)) == 0;
    return comm.allreduce_sum(double(!same)) == 0;
}

}  // namespace

TEST_CASE("two ranks on a global batch equal one process on it, to 1e-6") {
    set_num_threads(1);  // one BLAS thread per rank: two ranks share two cores
    const auto set = make_data();
    const Run one = reference(*set, 0);
    const Run two = distributed_run(*set, DataParallelOptions());
    REQUIRE(mpi_tests::env().world_size() >= 2);
    REQUIRE(two.losses.size() == size_t(steps));
    double worst = 0;
    for (int64_t s = 0; s < steps; ++s)
        worst = std::max(worst, relative(two.losses[s], one.losses[s]));
    MESSAGE("largest relative loss difference over 50 steps: ", worst);
    CHECK(worst <= 1e-6);
    for (size_t k = 0; k < one.params.size(); ++k) {
        MESSAGE("parameter ", k, ": relative difference ", relative(two.params[k], one.params[k]));
        CHECK(relative(two.params[k], one.params[k]) <= 1e-6);
        CHECK(same_on_every_rank(two.params[k]));
    }
    // and training moved: the last loss is below the first
    CHECK(one.losses.back() < one.losses.front());
}

TEST_CASE("deterministic mode: bit for bit the rank-ordered sum of the shards' gradients") {
    set_num_threads(1);
    const auto set = make_data();
    const int world = mpi_tests::env().world_size();
    const Run reference_run = reference(*set, world);
    const Run a = distributed_run(*set, DataParallelOptions().deterministic(true));
    const Run b =
        distributed_run(*set, DataParallelOptions().deterministic(true).bucket_cap_mb(1e-3));
    for (int64_t s = 0; s < steps; ++s) {
        CHECK(a.losses[s] == reference_run.losses[s]);
        CHECK(b.losses[s] == a.losses[s]);  // other buckets, same bits
    }
    for (size_t k = 0; k < a.params.size(); ++k) {
        CHECK(std::memcmp(a.params[k].data(), reference_run.params[k].data(),
                          a.params[k].size() * sizeof(float)) == 0);
        CHECK(b.params[k] == a.params[k]);
        CHECK(same_on_every_rank(a.params[k]));
    }
}

TEST_CASE("small buckets overlap backward and reduce to the same result") {
    set_num_threads(1);
    auto& env = mpi_tests::env();
    const auto set = make_data();
    auto model = make_model(256);
    // 1 KiB buckets: one per parameter here, launched as backward reaches each.
    DistributedDataParallel ddp(*model, env.communicator(),
                                DataParallelOptions().bucket_cap_mb(1.0 / 1024));
    CHECK(ddp.buckets().size() == 4);
    CHECK(ddp.buckets().front() == std::vector<size_t>{3});  // the last bias first
    data::Batch b = set->get_batch(shard(0, env.rank(), env.world_size()));
    Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
    loss.backward();
    ddp.synchronize();
    CHECK(ddp.stats().steps == 1);
    CHECK(ddp.stats().bytes == doctest::Approx(4.0 * (256 * 16 + 256 + 4 * 256 + 4)));
    CHECK(ddp.stats().comm_seconds >= ddp.stats().exposed_seconds * 0);  // defined, not negative
    CHECK(ddp.stats().comm_seconds >= 0);
    for (const Tensor& p : model->parameters()) CHECK(same_on_every_rank(p.grad().to_vector()));
}

TEST_CASE("check_same_model names the first rank and entry that differ") {
    auto& env = mpi_tests::env();
    REQUIRE(env.world_size() >= 2);
    auto model = make_model(env.rank() == 1 ? 33 : 32);
    CHECK_THROWS_WITH_AS(DistributedDataParallel(*model, env.communicator()),
                         "check_same_model(): rank 1 built a different model than rank 0: entry 0 "
                         "is parameter 0.weight (32, 16) on rank 0 but parameter 0.weight (33, 16) "
                         "on rank 1",
                         ValueError);
    // the same models pass, and rank 0's values reach every rank
    auto same = make_model();
    {
        NoGradGuard no_grad;
        same->parameters()[0].data()[0] = float(env.rank());
    }
    DistributedDataParallel ddp(*same, env.communicator());
    CHECK(same->parameters()[0].data()[0] == 0.0f);
}
