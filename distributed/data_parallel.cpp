// The bucketed gradient reducer. A hook copies its parameter's gradient (as AccumulateGrad will
// leave it: the old grad() plus the new one) into its bucket; buckets start strictly in order, so
// every rank issues the same collectives in the same order, as MPI requires.
#include "descent/distributed/data_parallel.hpp"

#include <algorithm>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/storage.hpp"
#include "descent/distributed/model_sync.hpp"

namespace descent::distributed {

DistributedDataParallel::DistributedDataParallel(nn::Module& model, Communicator& comm,
                                                 DataParallelOptions options)
    : comm_(comm), options_(options) {
    DESCENT_CHECK(options.bucket_cap_mb() > 0, ValueError,
                  "DistributedDataParallel(): bucket_cap_mb must be > 0, got ",
                  options.bucket_cap_mb());
    if (options.sync_at_start()) {
        check_same_model(model, comm);
        broadcast_parameters(model, comm);
    }
    for (const auto& [name, p] : model.named_parameters())
        if (p.requires_grad()) {
            params_.push_back(p);
            names_.push_back(name);
        }
    // Backward reaches the last layers first: fill buckets from the last parameter back.
    const double cap = options.bucket_cap_mb() * 1024 * 1024;
    bucket_of_.resize(params_.size());
    offset_.resize(params_.size());
    ready_.assign(params_.size(), 0);
    double bytes = 0;
    for (size_t k = params_.size(); k-- > 0;) {
        const double size = double(params_[k].numel()) * sizeof(float);
        if (bucket_params_.empty() || (bytes > 0 && bytes + size > cap)) {
            bucket_params_.emplace_back();
            buckets_.emplace_back();
            bytes = 0;
        }
        bucket_of_[k] = bucket_params_.size() - 1;
        offset_[k] = buckets_.back().buffer.size();
        bucket_params_.back().push_back(k);
        buckets_.back().buffer.resize(offset_[k] + size_t(params_[k].numel()));
        bytes += size;
    }
    for (Bucket& b : buckets_) {
        if (options.deterministic()) b.gathered.resize(b.buffer.size() * size_t(comm.size()));
    }
    for (size_t b = 0; b < buckets_.size(); ++b) buckets_[b].pending = bucket_params_[b].size();
    for (size_t k = 0; k < params_.size(); ++k)
        hooks_.push_back(params_[k].register_hook([this, k](const Tensor& g) {
            on_gradient(k, g);
            return Tensor();
        }));
}

DistributedDataParallel::~DistributedDataParallel() {
    for (RemovableHandle& h : hooks_) h.remove();
}

void DistributedDataParallel::on_gradient(size_t k, const Tensor& grad) {
    const auto now = Clock::now();
    if (!in_step_) {
        in_step_ = true;
        first_hook_ = now;
    }
    DESCENT_CHECK(!ready_[k], StateError, "DistributedDataParallel: a second backward reached ",
                  names_[k], " before synchronize(); call synchronize() after every backward");
    ready_[k] = 1;
    Bucket& b = buckets_[bucket_of_[k]];
    float* dst = b.buffer.data() + offset_[k];
    const size_t n = size_t(grad.numel());
    const float* g = grad.data();
    const Tensor& acc = params_[k].grad();
    if (acc.defined()) {
        const float* a = acc.data();
        for (size_t i = 0; i < n; ++i) dst[i] = a[i] + g[i];  // what AccumulateGrad's axpy leaves
    } else {
        std::copy(g, g + n, dst);
    }
    --b.pending;
    if (options_.overlap()) {
        poll();
        launch_ready();
    }
}

void DistributedDataParallel::launch(size_t index) {
    Bucket& b = buckets_[index];
    if (index == 0) first_launch_ = Clock::now();
    b.done = false;
    b.work = options_.deterministic()
                 ? comm_.iallgather(b.buffer.data(), b.buffer.size(), b.gathered.data())
                 : comm_.iallreduce_sum(b.buffer.data(), b.buffer.size());
    stats_.bytes += double(b.buffer.size()) * sizeof(float);
}

void DistributedDataParallel::launch_ready() {
    while (next_launch_ < buckets_.size() && buckets_[next_launch_].pending == 0)
        launch(next_launch_++);
}

// Lets MPI progress the buckets in flight (it does so only inside MPI calls) and notes when each
// completes.
void DistributedDataParallel::poll() {
    for (size_t i = 0; i < next_launch_; ++i) {
        Bucket& b = buckets_[i];
        if (!b.done && b.work->test()) {
            b.done = true;
            last_done_ = Clock::now();
        }
    }
}

void DistributedDataParallel::synchronize() {
    const auto start = Clock::now();
    if (!in_step_) first_hook_ = start;  // backward reached no parameter
    // Parameters backward did not reach count with the gradient they have (or zeros), so that
    // every rank still takes part in every bucket.
    for (size_t k = 0; k < params_.size(); ++k) {
        if (ready_[k]) continue;
        Bucket& b = buckets_[bucket_of_[k]];
        float* dst = b.buffer.data() + offset_[k];
        const Tensor& acc = params_[k].grad();
        if (acc.defined())
            std::copy(acc.data(), acc.data() + acc.numel(), dst);
        else
            std::fill(dst, dst + params_[k].numel(), 0.0f);
        --b.pending;
    }
    launch_ready();
    for (Bucket& b : buckets_) {
        if (!b.done) {
            b.work->wait();
            b.done = true;
            last_done_ = Clock::now();
        }
    }
    const auto end = Clock::now();
    stats_.steps += 1;
    stats_.backward_seconds += std::chrono::duration<double>(start - first_hook_).count();
    stats_.comm_seconds += std::chrono::duration<double>(last_done_ - first_launch_).count();
    stats_.exposed_seconds += std::chrono::duration<double>(end - start).count();

    // The mean, written into grad(): a division by the world size, the same on every rank.
    const float world = float(comm_.size());
    const size_t ranks = size_t(comm_.size());
    NoGradGuard no_grad;
    for (size_t k = 0; k < params_.size(); ++k) {
        Bucket& b = buckets_[bucket_of_[k]];
        const size_t n = size_t(params_[k].numel());
        Tensor& grad = params_[k].mutable_grad();
        if (!grad.defined() || grad.requires_grad()) grad = zeros(params_[k].shape());
        float* out = grad.data();
        if (options_.deterministic()) {
            const size_t stride = b.buffer.size();
            const float* all = b.gathered.data() + offset_[k];
            for (size_t i = 0; i < n; ++i) {
                float sum = all[i];
                for (size_t r = 1; r < ranks; ++r) sum += all[r * stride + i];
                out[i] = sum / world;
            }
        } else {
            const float* sum = b.buffer.data() + offset_[k];
            for (size_t i = 0; i < n; ++i) out[i] = sum[i] / world;
        }
        grad.impl()->storage->bump_version();
        ready_[k] = 0;
    }
    for (size_t i = 0; i < buckets_.size(); ++i) {
        buckets_[i].pending = bucket_params_[i].size();
        buckets_[i].work.reset();
    }
    next_launch_ = 0;
    in_step_ = false;
}

double mean_over_ranks(double value, Communicator& comm) {
    return comm.allreduce_sum(value) / comm.size();
}

}  // namespace descent::distributed
