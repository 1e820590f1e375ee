// SyncBatchNorm on two ranks, each with half of a global batch, against BatchNorm2d in one process
// on the whole batch: outputs, input gradients (a rank's loss is the mean over its half, so its
// input gradient is 2x the global one), averaged parameter gradients and running statistics.
#include <doctest/doctest.h>

#include <cmath>

#include <descent/descent.hpp>
#include <descent/distributed/sync_batch_norm.hpp>

#include "mpi_env.hpp"

using namespace descent;

namespace {
double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
    return worst;
}
}  // namespace

TEST_CASE("SyncBatchNorm on two ranks equals BatchNorm2d on the global batch") {
    auto& env = mpi_tests::env();
    REQUIRE(env.world_size() == 2);
    Generator gen(21);
    const Tensor all = randn({8, 3, 4, 4}, gen) * 2.0f + 1.0f;
    const Tensor target = randn({8, 3, 4, 4}, gen);
    const std::vector<float> all_values = all.to_vector(), target_values = target.to_vector();
    const int64_t per = 4 * 3 * 4 * 4;  // floats of one rank's half

    // one process, the whole batch
    nn::BatchNorm2d bn(3);
    {
        NoGradGuard no_grad;
        bn.weight.copy_(tensor({1.5f, -0.5f, 2.0f}));
        bn.bias.copy_(tensor({0.1f, 0.2f, -0.3f}));
    }
    Tensor x1 = all.detach().requires_grad_();
    Tensor y1 = bn(x1);
    nn::functional::mse_loss(y1, target).backward();

    // two ranks, half each
    distributed::SyncBatchNorm sync(3, env.communicator());
    {
        NoGradGuard no_grad;
        sync.weight.copy_(tensor({1.5f, -0.5f, 2.0f}));
        sync.bias.copy_(tensor({0.1f, 0.2f, -0.3f}));
    }
    distributed::DistributedDataParallel ddp(sync, env.communicator());
    const auto first = all_values.begin() + env.rank() * per;
    Tensor x2 = tensor(std::vector<float>(first, first + per), {4, 3, 4, 4}).requires_grad_();
    const auto t_first = target_values.begin() + env.rank() * per;
    Tensor t2 = tensor(std::vector<float>(t_first, t_first + per), {4, 3, 4, 4});
    Tensor y2 = sync(x2);
    nn::functional::mse_loss(y2, t2).backward();
    ddp.synchronize();

    const std::vector<float> y1v = y1.to_vector(), dx1 = x1.grad().to_vector();
    const std::vector<float> mine_y(y1v.begin() + env.rank() * per,
                                    y1v.begin() + (env.rank() + 1) * per);
    std::vector<float> mine_dx(dx1.begin() + env.rank() * per,
                               dx1.begin() + (env.rank() + 1) * per);
    for (float& v : mine_dx) v *= 2.0f;
    CHECK(max_difference(y2.to_vector(), mine_y) < 1e-5);
    CHECK(max_difference(x2.grad().to_vector(), mine_dx) < 1e-6);
    CHECK(max_difference(sync.weight.grad().to_vector(), bn.weight.grad().to_vector()) < 1e-5);
    CHECK(max_difference(sync.bias.grad().to_vector(), bn.bias.grad().to_vector()) < 1e-5);
    CHECK(max_difference(sync.running_mean.to_vector(), bn.running_mean.to_vector()) < 1e-6);
    CHECK(max_difference(sync.running_var.to_vector(), bn.running_var.to_vector()) < 1e-5);
    // The int64 count, broadcast by DistributedDataParallel's constructor and counted once per
    // step.
    CHECK(sync.num_batches_tracked.dtype() == kInt64);
    CHECK(sync.num_batches_tracked.item<int64_t>() == 1);
    CHECK(bn.num_batches_tracked.item<int64_t>() == 1);
    // and not per-rank statistics: a BatchNorm2d on this rank's half alone normalises differently
    nn::BatchNorm2d alone(3);
    CHECK(max_difference(alone(x2.detach()).to_vector(), y2.to_vector()) > 1e-2);
}
