// DistributedDataParallel in one process (the fallback communicator): gradients come out as plain
// backward leaves them, buckets run from the last parameter back, and misuse is refused.
#include <doctest/doctest.h>

#include <descent/descent.hpp>

using namespace descent;
using distributed::DataParallelOptions;
using distributed::DistributedDataParallel;

namespace {
std::shared_ptr<nn::Sequential> mlp() {
    manual_seed(3);
    return std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(6, 5),
                                            std::make_shared<nn::ReLU>(),
                                            std::make_shared<nn::Linear>(5, 2));
}
}  // namespace

TEST_CASE("DistributedDataParallel on one process leaves backward's gradients") {
    distributed::LocalCommunicator comm;
    Tensor x = randn({4, 6});
    std::vector<int64_t> y{0, 1, 1, 0};
    auto plain = mlp();
    nn::functional::cross_entropy((*plain)(x), y).backward();
    auto model = mlp();
    DistributedDataParallel ddp(*model, comm, DataParallelOptions().bucket_cap_mb(1e-6));
    // one bucket per parameter (each is over the 1-byte cap), the last parameter's first
    REQUIRE(ddp.buckets().size() == 4);
    CHECK(ddp.buckets()[0] == std::vector<size_t>{3});
    CHECK(ddp.buckets()[3] == std::vector<size_t>{0});
    for (int step = 0; step < 2; ++step) {  // twice: without zero_grad, gradients accumulate
        nn::functional::cross_entropy((*model)(x), y).backward();
        ddp.synchronize();
    }
    nn::functional::cross_entropy((*plain)(x), y).backward();
    for (size_t k = 0; k < 4; ++k)
        CHECK(model->parameters()[k].grad().to_vector() ==
              plain->parameters()[k].grad().to_vector());
    CHECK(ddp.stats().steps == 2);
}

TEST_CASE("DistributedDataParallel: one bucket by default, and a second backward is refused") {
    distributed::LocalCommunicator comm;
    auto model = mlp();
    DistributedDataParallel ddp(*model, comm);
    CHECK(ddp.buckets().size() == 1);
    Tensor x = randn({4, 6});
    nn::functional::cross_entropy((*model)(x), {0, 1, 1, 0}).backward();
    std::string message;
    try {
        nn::functional::cross_entropy((*model)(x), {0, 1, 1, 0}).backward();
    } catch (const StateError& e) {
        message = e.what();
    }
    // the parameter named is whichever backward reaches first: 2.bias or 2.weight
    CHECK(message.rfind("DistributedDataParallel: a second backward reached 2.", 0) == 0);
    CHECK(message.find(" before synchronize(); call synchronize() after every backward") !=
          std::string::npos);
    CHECK_THROWS_WITH_AS(
        DistributedDataParallel(*model, comm, DataParallelOptions().bucket_cap_mb(0)),
        "DistributedDataParallel(): bucket_cap_mb must be > 0, got 0", ValueError);
}

TEST_CASE("Environment outside a launcher is rank 0 of 1") {
    distributed::Environment env;
    CHECK(env.rank() == 0);
    CHECK(env.world_size() == 1);
    CHECK_FALSE(env.is_distributed());
    CHECK(env.is_main());
    auto model = mlp();
    distributed::check_same_model(*model, env.communicator());  // nothing to differ from
    CHECK(distributed::mean_over_ranks(2.5, env.communicator()) == 2.5);
}
