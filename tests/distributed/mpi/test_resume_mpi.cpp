// A two-rank run stopped after one epoch and resumed from its checkpoint, on objects built afresh,
// ends with exactly the parameters of an uninterrupted two-epoch run, on every rank.
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <string>

#include <descent/descent.hpp>

#include "mpi_env.hpp"

using namespace descent;

namespace {

std::shared_ptr<data::TensorDataset> make_data() {
    Generator gen(9);
    Tensor x = randn({200, 8}, gen);
    std::vector<int64_t> labels;
    for (int i = 0; i < 200; ++i) labels.push_back(gen.randint(0, 3));
    return std::make_shared<data::TensorDataset>(x, labels);
}

struct Trainer {
    std::shared_ptr<nn::Sequential> model;
    std::unique_ptr<optim::SGD> opt;
    std::unique_ptr<distributed::DistributedDataParallel> ddp;
    std::unique_ptr<data::DataLoader> loader;
    std::unique_ptr<train::Checkpoint> ckpt;

    Trainer(uint64_t init_seed, const std::shared_ptr<data::TensorDataset>& set,
            const std::string& resume) {
        auto& env = mpi_tests::env();
        manual_seed(init_seed);
        model = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(8, 16),
                                                 std::make_shared<nn::ReLU>(),
                                                 std::make_shared<nn::Linear>(16, 3));
        opt = std::make_unique<optim::SGD>(model->parameters(),
                                           optim::SGDOptions(0.05).momentum(0.9));
        ckpt = std::make_unique<train::Checkpoint>(*model, *opt);
        auto sampler = std::make_shared<distributed::DistributedSampler>(
            set->size(), env.world_size(), env.rank(), true, 4);
        loader = std::make_unique<data::DataLoader>(set, sampler, data::DataLoaderOptions(10));
        if (!resume.empty()) {
            ckpt->load(resume);  // every rank reads the checkpoint rank 0 wrote
            loader->set_epoch(ckpt->epoch);
        }
        ddp = std::make_unique<distributed::DistributedDataParallel>(*model, env.communicator());
    }
    void epoch() {
        for (const data::Batch& b : *loader) {
            Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
            opt->zero_grad();
            loss.backward();
            ddp->synchronize();
            opt->step();
        }
    }
    std::vector<float> flat() const {
        std::vector<float> all;
        for (const Tensor& p : model->parameters()) {
            auto v = p.to_vector();
            all.insert(all.end(), v.begin(), v.end());
        }
        return all;
    }
};

}  // namespace

TEST_CASE("a resumed two-rank run equals an uninterrupted one") {
    auto& env = mpi_tests::env();
    auto& comm = env.communicator();
    set_num_threads(1);
    const auto set = make_data();
    Trainer whole(1, set, "");
    whole.epoch();
    whole.epoch();

    // The checkpoint's path: rank 0's pid names it, and every rank learns it.
    int64_t pid = getpid();
    comm.broadcast(&pid, sizeof pid, 0);
    const std::string path = "/tmp/descent_mpi_resume_" + std::to_string(pid) + ".npz";
    {
        Trainer first(1, set, "");
        first.epoch();
        first.ckpt->epoch = 1;
        if (env.is_main()) first.ckpt->save(path);
        comm.barrier();
    }
    Trainer resumed(2, set, path);  // another initialisation: only the checkpoint makes it equal
    CHECK(resumed.loader->epoch() == 1);
    resumed.epoch();
    comm.barrier();
    if (env.is_main()) std::remove(path.c_str());

    const std::vector<float> a = whole.flat(), b = resumed.flat();
    REQUIRE(a.size() == b.size());
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
    std::vector<float> root = a;
    comm.broadcast(root.data(), root.size() * sizeof(float), 0);
    CHECK(root == a);  // every rank holds rank 0's parameters
}
