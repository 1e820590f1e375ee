// SyncBatchNorm's training forward and backward over (N, C, S) data, S the product of the spatial
// sizes. Statistics in two allreduces (sums and count, then squared deviations from the global
// mean), which keeps float sums accurate; backward allreduces sum(g) and sum(g * xhat) per channel.
#include "descent/distributed/sync_batch_norm.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "descent/autograd/function.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/storage.hpp"

namespace descent::distributed {

SyncBatchNorm::SyncBatchNorm(int64_t num_features, Communicator& comm, float eps,
                             std::optional<float> momentum, bool affine, bool track_running_stats)
    : nn::BatchNorm("SyncBatchNorm", {2, 3, 4}, num_features, eps, momentum, affine,
                    track_running_stats),
      comm_(comm) {}

Tensor SyncBatchNorm::forward(const Tensor& x_) {
    if (!is_training() || comm_.size() == 1) return nn::BatchNorm::forward(x_);
    const Tensor x = x_.contiguous();  // read as one row-major buffer
    DESCENT_CHECK(x.defined() && x.dim() >= 2 && x.dim() <= 4 && x.size(1) == num_features,
                  ShapeError, "SyncBatchNorm: expected input (N, ", num_features,
                  ", *) of rank 2 to 4, got ", x.defined() ? x.shape() : Shape{});
    const int64_t n = x.size(0), channels = num_features, s = x.numel() / (n * channels);
    const float* in = x.data();
    // local sums and count -> global mean
    std::vector<float> sums(static_cast<size_t>(channels) + 1, 0.0f);
    for (int64_t c = 0; c < channels; ++c) {
        double acc = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t k = 0; k < s; ++k) acc += in[(i * channels + c) * s + k];
        sums[size_t(c)] = float(acc);
    }
    sums.back() = float(n * s);
    comm_.allreduce_sum(sums.data(), sums.size());
    const double count = sums.back();
    DESCENT_CHECK(count > 1, ValueError,
                  "SyncBatchNorm: expected more than 1 value per channel "
                  "over all ranks in training, got ",
                  count);
    const size_t nc = static_cast<size_t>(channels);
    std::vector<float> mean(nc), squares(nc);
    for (int64_t c = 0; c < channels; ++c) mean[size_t(c)] = float(sums[size_t(c)] / count);
    for (int64_t c = 0; c < channels; ++c) {
        double acc = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t k = 0; k < s; ++k) {
                const double d = in[(i * channels + c) * s + k] - mean[size_t(c)];
                acc += d * d;
            }
        squares[size_t(c)] = float(acc);
    }
    comm_.allreduce_sum(squares.data(), squares.size());

    auto invstd = std::make_shared<std::vector<float>>(nc);
    for (int64_t c = 0; c < channels; ++c)
        (*invstd)[size_t(c)] = float(1.0 / std::sqrt(squares[size_t(c)] / count + eps));
    if (track_running_stats) {
        NoGradGuard no_grad;
        const int64_t tracked = count_batch();
        const float f = momentum ? *momentum : 1.0f / static_cast<float>(tracked);
        float* rm = running_mean.data();
        float* rv = running_var.data();
        for (int64_t c = 0; c < channels; ++c) {
            const double unbiased = squares[size_t(c)] / (count - 1);  // as torch's running_var
            rm[c] = (1 - f) * rm[c] + f * mean[size_t(c)];
            rv[c] = float((1 - f) * rv[c] + f * unbiased);
        }
        running_mean.impl()->storage->bump_version();
        running_var.impl()->storage->bump_version();
    }
    // y = w * xhat + b, xhat = (x - mean) * invstd; xhat kept for backward
    auto xhat = std::make_shared<Tensor>(zeros(x.shape()));
    Tensor y = zeros(x.shape());
    float* h = xhat->data();
    float* out = y.data();
    const float* w = affine ? weight.data() : nullptr;
    const float* b = affine ? bias.data() : nullptr;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t c = 0; c < channels; ++c)
            for (int64_t k = 0; k < s; ++k) {
                const int64_t at = (i * channels + c) * s + k;
                h[at] = (in[at] - mean[size_t(c)]) * (*invstd)[size_t(c)];
                out[at] = affine ? w[c] * h[at] + b[c] : h[at];
            }
    std::vector<Tensor> inputs{x};
    if (affine) inputs.insert(inputs.end(), {weight, bias});
    Communicator* comm = &comm_;
    const Tensor w_saved = affine ? weight.detach() : Tensor();
    return autograd::custom_op(
        "SyncBatchNormBackward", inputs, y,
        [=](const Tensor& g) {
            // dx = w * invstd * (g - sum(g)/M - xhat * sum(g * xhat)/M), the sums over every
            // rank's shard; dw = sum(g * xhat), db = sum(g) over this rank's (DDP averages them).
            const Tensor gc = descent::detail::dense(g);
            const float* gd = gc.data();
            const float* hd = xhat->data();
            std::vector<float> local(2 * nc, 0.0f);
            for (int64_t c = 0; c < channels; ++c) {
                double sg = 0, sgh = 0;
                for (int64_t i = 0; i < n; ++i)
                    for (int64_t k = 0; k < s; ++k) {
                        const int64_t at = (i * channels + c) * s + k;
                        sg += gd[at];
                        sgh += double(gd[at]) * hd[at];
                    }
                local[size_t(c)] = float(sg);
                local[size_t(channels + c)] = float(sgh);
            }
            std::vector<float> global = local;
            comm->allreduce_sum(global.data(), global.size());
            Tensor dx = zeros(g.shape());
            float* dxd = dx.data();
            const float* wd = w_saved.defined() ? w_saved.data() : nullptr;
            for (int64_t i = 0; i < n; ++i)
                for (int64_t c = 0; c < channels; ++c) {
                    const float scale = (wd ? wd[c] : 1.0f) * (*invstd)[size_t(c)];
                    const float mg = float(global[size_t(c)] / count);
                    const float mgh = float(global[size_t(channels + c)] / count);
                    for (int64_t k = 0; k < s; ++k) {
                        const int64_t at = (i * channels + c) * s + k;
                        dxd[at] = scale * (gd[at] - mg - hd[at] * mgh);
                    }
                }
            std::vector<Tensor> grads{dx};
            if (wd) {
                grads.push_back(
                    tensor(std::vector<float>(local.begin() + channels, local.end()), {channels}));
                grads.push_back(tensor(std::vector<float>(local.begin(), local.begin() + channels),
                                       {channels}));
            }
            return grads;
        },
        /*once_differentiable=*/true);
}

}  // namespace descent::distributed
