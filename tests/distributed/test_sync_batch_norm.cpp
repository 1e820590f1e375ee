// SyncBatchNorm in one process: with a world of one it is BatchNorm, in training and evaluation,
// and refuses a wrong input as BatchNorm does, naming itself. (Two ranks:
// mpi/test_sync_batch_norm_mpi.)
#include <doctest/doctest.h>

#include <descent/descent.hpp>

using namespace descent;

TEST_CASE("SyncBatchNorm on one process is BatchNorm") {
    distributed::LocalCommunicator comm;
    distributed::SyncBatchNorm sync(3, comm);
    nn::BatchNorm2d bn(3);
    const Tensor x = randn({4, 3, 2, 2}) * 3.0f + 2.0f;
    CHECK(sync(x).to_vector() == bn(x).to_vector());
    CHECK(sync.running_mean.to_vector() == bn.running_mean.to_vector());
    CHECK(sync.running_var.to_vector() == bn.running_var.to_vector());
    CHECK(sync.num_batches_tracked.dtype() == kInt64);
    CHECK(sync.num_batches_tracked.item<int64_t>() == bn.num_batches_tracked.item<int64_t>());
    CHECK(sync.num_batches_tracked.item<int64_t>() == 1);
    sync.eval();
    bn.eval();
    CHECK(sync(x).to_vector() == bn(x).to_vector());
    CHECK_THROWS_WITH_AS(sync(randn({2, 4})),
                         "SyncBatchNorm: expected input (N, 3) or (N, 3, L) or (N, 3, H, W), got "
                         "(2, 4)",
                         ShapeError);
}
