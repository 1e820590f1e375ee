// The lr range test: option checks, the exponential sweep with its moving average and divergence
// stop, the steepest-descent suggestion, and the snapshot that puts model and optimizer back.
#include "descent/train/lr_finder.hpp"

#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include "descent/core/error.hpp"

namespace descent::train {

namespace {

void check_options(const LRFinderOptions& o) {
    const char* op = "lr_range_test()";
    DESCENT_CHECK(std::isfinite(o.start_lr) && o.start_lr > 0, ValueError, op,
                  ": start_lr must be finite and > 0, got ", o.start_lr);
    DESCENT_CHECK(std::isfinite(o.end_lr) && o.end_lr > o.start_lr, ValueError, op,
                  ": end_lr must be finite and > start_lr ", o.start_lr, ", got ", o.end_lr);
    DESCENT_CHECK(o.num_iter >= 2, ValueError, op, ": num_iter must be >= 2, got ", o.num_iter);
    DESCENT_CHECK(o.smooth >= 0 && o.smooth < 1, ValueError, op,
                  ": smooth must be in [0, 1), got ", o.smooth);
    DESCENT_CHECK(std::isfinite(o.diverge_factor) && o.diverge_factor > 1, ValueError, op,
                  ": diverge_factor must be finite and > 1, got ", o.diverge_factor);
}

// Everything the sweep changes in the model and the optimizer, copied, and put back by restore().
class Snapshot {
public:
    Snapshot(nn::Module& model, optim::Optimizer& optimizer)
        : model_(model), optimizer_(optimizer), optimizer_state_(optimizer.state_dict()) {
        // state_dict() shares the module's storage: clone to keep the values.
        for (const auto& [name, t] : model.state_dict()) model_state_.emplace_back(name, t.clone());
        for (const Tensor& p : model.parameters())
            grads_.push_back(p.grad().defined() ? p.grad().clone() : Tensor());
        for (const optim::OptimizerParamGroup& g : optimizer.param_groups())
            lrs_.push_back(g.options().get_lr());
    }

    void restore() {
        model_.load_state_dict(model_state_);
        std::vector<Tensor> params = model_.parameters();
        for (size_t i = 0; i < params.size() && i < grads_.size(); ++i)
            params[i].mutable_grad() = grads_[i];
        // The optimizer's dict holds the lrs too; setting them again keeps them exact even if an
        // optimizer's dict did not.
        optimizer_.load_state_dict(optimizer_state_);
        auto& groups = optimizer_.param_groups();
        for (size_t g = 0; g < groups.size() && g < lrs_.size(); ++g)
            groups[g].options().set_lr(lrs_[g]);
    }

private:
    nn::Module& model_;
    optim::Optimizer& optimizer_;
    NamedTensors model_state_;
    NamedTensors optimizer_state_;
    std::vector<Tensor> grads_;
    std::vector<double> lrs_;
};

// The most negative d smoothed / d log lr over points 0..best (central differences inside, one
// sided at the ends, as numpy.gradient); lrs[best] / 10 with fewer than three points.
double suggest(const LRFinderResult& r) {
    const int64_t best = r.best_index;
    if (best < 2) return r.lrs[static_cast<size_t>(best)] / 10;
    auto slope = [&r](int64_t a, int64_t b) {
        const auto i = static_cast<size_t>(a), j = static_cast<size_t>(b);
        return (r.smoothed[j] - r.smoothed[i]) / (std::log(r.lrs[j]) - std::log(r.lrs[i]));
    };
    int64_t steepest = 0;
    double most = slope(0, 1);
    for (int64_t i = 1; i <= best; ++i) {
        const double s = i == best ? slope(i - 1, i) : slope(i - 1, i + 1);
        if (s < most) most = s, steepest = i;
    }
    return r.lrs[static_cast<size_t>(steepest)];
}

}  // namespace

LRFinderResult lr_range_test(nn::Module& model, optim::Optimizer& optimizer,
                             const std::function<Tensor()>& step_loss,
                             const LRFinderOptions& options) {
    check_options(options);
    DESCENT_CHECK(std::strcmp(optimizer.name(), "LBFGS") != 0, ValueError,
                  "lr_range_test(): LBFGS is not supported (its step re-evaluates a closure)");
    DESCENT_CHECK(static_cast<bool>(step_loss), ValueError, "lr_range_test(): step_loss is empty");

    Snapshot snapshot(model, optimizer);
    LRFinderResult r;
    r.stopped_at = options.num_iter;
    try {
        const double ratio = options.end_lr / options.start_lr;
        double average = 0, correction = 1, best = 0;
        for (int64_t i = 0; i < options.num_iter; ++i) {
            const double lr =
                options.start_lr *
                std::pow(ratio, static_cast<double>(i) / static_cast<double>(options.num_iter - 1));
            for (optim::OptimizerParamGroup& g : optimizer.param_groups()) g.options().set_lr(lr);

            optimizer.zero_grad();
            Tensor loss = step_loss();
            DESCENT_CHECK(loss.defined() && loss.numel() == 1, ValueError,
                          "lr_range_test(): step_loss must return a one-element loss, got ",
                          loss.defined() ? std::to_string(loss.numel()) + " elements"
                                         : std::string("an undefined tensor"),
                          " at step ", i);
            const double value = loss.item();
            if (!std::isfinite(value)) {
                r.diverged = true, r.stopped_at = i;
                break;
            }
            average = options.smooth * average + (1 - options.smooth) * value;
            correction *= options.smooth;
            const double smoothed = average / (1 - correction);
            r.lrs.push_back(lr);
            r.losses.push_back(value);
            r.smoothed.push_back(smoothed);
            if (i == 0 || smoothed < best)
                best = smoothed, r.best_index = static_cast<int64_t>(r.smoothed.size()) - 1;
            // Only a positive best scales up: factor x a negative loss would be below it.
            if (best > 0 && smoothed > options.diverge_factor * best) {
                r.diverged = true, r.stopped_at = i;
                break;
            }
            loss.backward();
            optimizer.step();
        }
    } catch (...) {
        snapshot.restore();
        throw;
    }
    snapshot.restore();
    if (!r.lrs.empty()) r.suggested_lr = suggest(r);
    return r;
}

}  // namespace descent::train
