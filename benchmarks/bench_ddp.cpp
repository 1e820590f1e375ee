// bench_ddp: data-parallel throughput of W1, W2, W3 (shared/WORKLOADS.md; per-rank batch as there,
// global batch = ranks x that) and where a step goes: backward, allreduce, how much of it
// overlapped.
//   mpirun -np 2 build/benchmarks/bench_ddp --workload W2 --steps 300 [--no-overlap] [--bucket-mb
//   1]
//   --comm-only: the buckets' allreduce alone, after a barrier, without training
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include <descent/descent.hpp>

#include "workload_models.hpp"

using namespace descent;
using Clock = std::chrono::steady_clock;

namespace {

std::shared_ptr<nn::Module> make_model(const std::string& w) {
    if (w == "W3") return bench::lenet();
    return w == "W1" ? bench::mlp({784, 128, 10}) : bench::mlp({784, 512, 256, 10});
}

}  // namespace

int main(int argc, char** argv) {
    distributed::Environment env;
    std::string workload = "W1", data_dir = data::default_fashion_mnist_dir();
    int steps = 300, threads = 1;
    double bucket_mb = 1;
    bool overlap = true, comm_only = false;  // comm_only: the model's buckets' allreduce alone
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has = i + 1 < argc;
        if (a == "--workload" && has)
            workload = argv[++i];
        else if (a == "--steps" && has)
            steps = std::atoi(argv[++i]);
        else if (a == "--threads" && has)
            threads = std::atoi(argv[++i]);
        else if (a == "--bucket-mb" && has)
            bucket_mb = std::atof(argv[++i]);
        else if (a == "--data" && has)
            data_dir = argv[++i];
        else if (a == "--no-overlap")
            overlap = false;
        else if (a == "--comm-only")
            comm_only = true;
        else {
            std::fprintf(stderr, "bench_ddp: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    if ((workload != "W1" && workload != "W2" && workload != "W3") || steps < 10) {
        std::fprintf(stderr, "bench_ddp: --workload W1|W2|W3 and --steps >= 10\n");
        return 2;
    }
    set_num_threads(threads);
    auto& comm = env.communicator();
    auto train = std::make_shared<data::MNIST>(data_dir, data::MNIST::Split::Train);
    const int64_t batch = workload == "W2" ? 128 : 64;
    auto sampler = std::make_shared<distributed::DistributedSampler>(
        train->size(), env.world_size(), env.rank(), true, 0);
    data::DataLoader loader(train, sampler, data::DataLoaderOptions(batch));
    manual_seed(0);
    auto model = make_model(workload);
    std::unique_ptr<optim::Optimizer> opt;
    if (workload == "W2")
        opt = std::make_unique<optim::Adam>(model->parameters(), optim::AdamOptions(1e-3));
    else if (workload == "W3")
        opt = std::make_unique<optim::SGD>(model->parameters(),
                                           optim::SGDOptions(0.05).momentum(0.9));
    else
        opt = std::make_unique<optim::SGD>(model->parameters(), optim::SGDOptions(0.1));
    distributed::DistributedDataParallel ddp(
        *model, comm, distributed::DataParallelOptions().bucket_cap_mb(bucket_mb).overlap(overlap));

    if (comm_only) {  // the transport alone: every rank starts together, no compute to wait for
        std::vector<std::vector<float>> buffers;
        for (const auto& bucket : ddp.buckets()) {
            size_t n = 0;
            for (size_t k : bucket) n += size_t(model->parameters()[k].numel());
            buffers.emplace_back(n, 1.0f);
        }
        double total = 0;
        for (int i = 0; i < steps + 10; ++i) {
            comm.barrier();
            const auto t0 = Clock::now();
            for (auto& b : buffers) comm.allreduce_sum(b.data(), b.size());
            if (i >= 10) total += std::chrono::duration<double>(Clock::now() - t0).count();
        }
        if (env.is_main())
            std::printf("%s ranks %d: allreduce of %zu bucket(s) alone %.3f ms per step\n",
                        workload.c_str(), env.world_size(), buffers.size(), 1e3 * total / steps);
        return 0;
    }
    const int warmup = 10;
    int done = 0;
    double loss_sum = 0;
    Clock::time_point start;
    comm.barrier();
    for (int64_t epoch = 0; done < steps + warmup; ++epoch) {
        loader.set_epoch(epoch);
        for (const data::Batch& b : loader) {
            if (done == warmup) {
                comm.barrier();
                ddp.reset_stats();
                start = Clock::now();
            }
            Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
            opt->zero_grad();
            loss.backward();
            ddp.synchronize();
            opt->step();
            if (done >= warmup) loss_sum += loss.item();
            if (++done == steps + warmup) break;
        }
    }
    comm.barrier();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const auto& s = ddp.stats();
    const double per = 1e3 / double(s.steps);
    const double loss = distributed::mean_over_ranks(loss_sum / steps, comm);
    if (env.is_main())
        std::printf(
            "%s ranks %d threads %d buckets %zu (%.2f MB) overlap %s: %.0f samples/s, "
            "step %.3f ms, backward %.3f ms, allreduce %.3f ms of which exposed %.3f ms "
            "(%.0f%% overlapped), mean loss %.4f\n",
            workload.c_str(), env.world_size(), threads, ddp.buckets().size(),
            s.bytes / double(s.steps) / 1e6, overlap ? "on" : "off",
            double(steps) * double(batch) * env.world_size() / seconds, 1e3 * seconds / steps,
            s.backward_seconds * per, s.comm_seconds * per, s.exposed_seconds * per,
            s.comm_seconds > 0 && env.is_distributed()
                ? 100 * s.overlapped_seconds() / s.comm_seconds
                : 0.0,
            loss);
    return 0;
}
