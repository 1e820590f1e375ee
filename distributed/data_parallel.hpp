// Data-parallel gradient averaging (torch's DistributedDataParallel, as a gradient reducer): the
// model's gradients, packed into buckets of about bucket_cap_mb in reverse parameter order, are
// summed across ranks with a non-blocking allreduce launched from each parameter's gradient hook
// as soon as its bucket is complete, so communication overlaps the rest of backward.
//   DistributedDataParallel ddp(model, env.communicator());   // checks and broadcasts the model
//   loss.backward(); ddp.synchronize(); opt.step();            // synchronize: wait, then average
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "descent/core/removable_handle.hpp"
#include "descent/distributed/communicator.hpp"
#include "descent/nn/module.hpp"

namespace descent::distributed {

class DataParallelOptions {
public:
    // Bucket size in MiB; a parameter larger than that is a bucket of its own.
    DataParallelOptions& bucket_cap_mb(double v) { return bucket_cap_mb_ = v, *this; }
    // Sums every bucket in rank order 0, 1, ... on every rank (an allgather, then a local sum):
    // runs repeat bit for bit whatever the world size and MPI's algorithm; costs size() times
    // the bytes of an allreduce.
    DataParallelOptions& deterministic(bool v) { return deterministic_ = v, *this; }
    // false: every bucket starts in synchronize(), after backward (the no-overlap baseline).
    DataParallelOptions& overlap(bool v) { return overlap_ = v, *this; }
    // false: no check_same_model and no broadcast from rank 0 at construction.
    DataParallelOptions& sync_at_start(bool v) { return sync_at_start_ = v, *this; }

    double bucket_cap_mb() const { return bucket_cap_mb_; }
    bool deterministic() const { return deterministic_; }
    bool overlap() const { return overlap_; }
    bool sync_at_start() const { return sync_at_start_; }

private:
    double bucket_cap_mb_ = 1.0;
    bool deterministic_ = false, overlap_ = true, sync_at_start_ = true;
};

// Time spent communicating, summed over synchronize() calls. Per step, comm is from the first
// bucket's launch to the last bucket's completion and exposed is what synchronize() waited;
// the rest of comm ran while backward was still computing.
struct CommStats {
    int64_t steps = 0;
    double bytes = 0;             // gradient bytes reduced (per rank)
    double backward_seconds = 0;  // from the first gradient hook to synchronize()
    double comm_seconds = 0;
    double exposed_seconds = 0;
    double overlapped_seconds() const { return comm_seconds - exposed_seconds; }
};

class DistributedDataParallel {
public:
    // Collective: unless options.sync_at_start(false), check_same_model then
    // broadcast_parameters. Registers a gradient hook on every parameter that requires grad.
    DistributedDataParallel(nn::Module& model, Communicator& comm,
                            DataParallelOptions options = DataParallelOptions());
    ~DistributedDataParallel();  // removes the hooks
    DistributedDataParallel(const DistributedDataParallel&) = delete;
    DistributedDataParallel& operator=(const DistributedDataParallel&) = delete;

    // Collective, after every backward and before step(): starts the buckets not yet started
    // (a parameter backward did not reach counts with its current gradient, or zeros), waits
    // for all, and sets every parameter's grad() to the mean over ranks.
    void synchronize();

    // The parameters (indices into model.parameters()) of each bucket, in launch order.
    const std::vector<std::vector<size_t>>& buckets() const { return bucket_params_; }
    const CommStats& stats() const { return stats_; }
    void reset_stats() { stats_ = CommStats(); }
    Communicator& communicator() { return comm_; }

private:
    using Clock = std::chrono::steady_clock;
    struct Bucket {
        std::vector<float> buffer;    // the bucket's gradients, packed
        std::vector<float> gathered;  // deterministic: every rank's buffer, by rank
        size_t pending = 0;           // parameters whose gradient has not arrived this step
        std::unique_ptr<Work> work;
        bool done = false;
    };
    void on_gradient(size_t param, const Tensor& grad);
    void launch_ready();
    void launch(size_t bucket);
    void poll();

    Communicator& comm_;
    DataParallelOptions options_;
    std::vector<Tensor> params_;
    std::vector<std::string> names_;
    std::vector<size_t> bucket_of_, offset_;  // per parameter
    std::vector<char> ready_;                 // per parameter, this step
    std::vector<std::vector<size_t>> bucket_params_;
    std::vector<Bucket> buckets_;
    std::vector<RemovableHandle> hooks_;
    size_t next_launch_ = 0;
    bool in_step_ = false;
    Clock::time_point first_hook_, first_launch_, last_done_;
    CommStats stats_;
};

// The mean of `value` over the ranks (a metric: the loss, an accuracy). Collective.
double mean_over_ranks(double value, Communicator& comm);

}  // namespace descent::distributed
