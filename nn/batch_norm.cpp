// BatchNorm1d / BatchNorm2d: the input checks that name the layer, the running-statistics
// bookkeeping (num_batches_tracked, momentum or cumulative factor), and functional::batch_norm.
#include "descent/nn/batch_norm.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/storage.hpp"
#include "descent/nn/functional/batch_norm.hpp"

namespace descent::nn {

namespace {
// "(N, 16)", "(N, 16, L)", "(N, 16, H, W)": the input shape a layer expects.
std::string expected_shape(int64_t rank, int64_t channels) {
    static const char* const spatial[] = {"", "L", "H, W", "D, H, W"};
    std::ostringstream s;
    s << "(N, " << channels;
    if (rank > 2) s << ", " << (rank <= 5 ? spatial[rank - 2] : "*");
    s << ")";
    return s.str();
}
}  // namespace

BatchNorm::BatchNorm(std::string type_name, std::vector<int64_t> ranks, int64_t num_features_,
                     float eps_, std::optional<float> momentum_, bool affine_,
                     bool track_running_stats_)
    : Module(std::move(type_name)),
      num_features(num_features_),
      eps(eps_),
      momentum(momentum_),
      affine(affine_),
      track_running_stats(track_running_stats_),
      ranks_(std::move(ranks)) {
    DESCENT_CHECK(num_features > 0, ValueError, this->type_name(),
                  "(): num_features must be > 0, got ", num_features);
    DESCENT_CHECK(eps > 0.0f, ValueError, this->type_name(), "(): eps must be > 0, got ", eps);
    DESCENT_CHECK(!momentum || (*momentum >= 0.0f && *momentum <= 1.0f), ValueError,
                  this->type_name(), "(): momentum must be in [0, 1], got ", momentum.value_or(0));
    if (affine) {
        weight = register_parameter("weight", ones({num_features}));
        bias = register_parameter("bias", zeros({num_features}));
    }
    if (track_running_stats) {
        running_mean = register_buffer("running_mean", zeros({num_features}));
        running_var = register_buffer("running_var", ones({num_features}));
        num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, kInt64));
    }
}

void BatchNorm::reset_running_stats() {
    if (!track_running_stats) return;
    NoGradGuard no_grad;
    running_mean.zero_();
    running_var.fill_(1.0f);
    *num_batches_tracked.data<int64_t>() = 0;
    num_batches_tracked.impl()->storage->bump_version();
}

void BatchNorm::reset_parameters() {
    reset_running_stats();
    if (!affine) return;
    NoGradGuard no_grad;
    weight.fill_(1.0f);
    bias.zero_();
}

void BatchNorm::check_input(const Tensor& x) const {
    DESCENT_CHECK(x.defined(), ValueError, type_name(), ": input is an undefined tensor");
    const bool rank_ok = std::find(ranks_.begin(), ranks_.end(), x.dim()) != ranks_.end();
    if (!rank_ok || x.size(1) != num_features) {
        std::string expected;
        for (int64_t r : ranks_)
            expected += (expected.empty() ? "" : " or ") + expected_shape(r, num_features);
        throw ShapeError(::descent::detail::cat(type_name(), ": expected input ", expected,
                                                ", got ", x.shape()));
    }
    if (is_training()) functional::detail::check_values_per_channel(type_name().c_str(), x);
}

Tensor BatchNorm::forward(const Tensor& x) {
    check_input(x);
    float factor = momentum.value_or(0.0f);
    if (is_training() && track_running_stats) {
        NoGradGuard no_grad;
        const int64_t tracked = count_batch();
        if (!momentum) factor = 1.0f / static_cast<float>(tracked);  // the cumulative average
    }
    // Eval without running statistics normalises by the batch's, as PyTorch.
    const bool batch_stats = is_training() || !track_running_stats;
    return functional::batch_norm(x, running_mean, running_var, weight, bias, batch_stats, factor,
                                  eps);
}

int64_t BatchNorm::count_batch() {
    int64_t& count = *num_batches_tracked.data<int64_t>();
    num_batches_tracked.impl()->storage->bump_version();
    return ++count;
}

void BatchNorm::pretty_print(std::ostream& os) const {
    os << type_name() << "(" << num_features << ", eps=" << eps << ", momentum=";
    if (momentum)
        os << *momentum;
    else
        os << "None";
    os << ", affine=" << (affine ? "true" : "false")
       << ", track_running_stats=" << (track_running_stats ? "true" : "false") << ")";
}

BatchNorm1d::BatchNorm1d(int64_t num_features, float eps, std::optional<float> momentum,
                         bool affine, bool track_running_stats)
    : BatchNorm("BatchNorm1d", {2, 3}, num_features, eps, momentum, affine, track_running_stats) {}

BatchNorm2d::BatchNorm2d(int64_t num_features, float eps, std::optional<float> momentum,
                         bool affine, bool track_running_stats)
    : BatchNorm("BatchNorm2d", {4}, num_features, eps, momentum, affine, track_running_stats) {}

}  // namespace descent::nn
