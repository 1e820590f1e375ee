// CyclicLR: torch's get_lr (cycle, x, scale factor, scale_fn by cycle or by step), the momentum
// written into each group's "momentum" option, and the refusals.
#include "descent/optim/scheduler/cyclic_lr.hpp"

#include <cmath>

#include "descent/optim/scheduler/momentum_option.hpp"

namespace descent::optim {

namespace {
int64_t mode_index(const std::string& mode) {
    if (mode == "triangular") return 0;
    if (mode == "triangular2") return 1;
    if (mode == "exp_range") return 2;
    DESCENT_CHECK(
        false, ValueError,
        "CyclicLR(): mode must be \"triangular\", \"triangular2\" or \"exp_range\", got \"", mode,
        "\"");
    return 0;
}
}  // namespace

CyclicLR::CyclicLR(Optimizer& optimizer, double base_lr, double max_lr,
                   const CyclicLROptions& options)
    : LRScheduler(optimizer, "CyclicLR"),
      base_lr_(base_lr),
      max_lr_(max_lr),
      o_(options),
      mode_(mode_index(options.mode_)) {
    if (o_.step_size_down_ < 0) o_.step_size_down_ = o_.step_size_up_;
    if (o_.cycle_momentum_) detail::momentum_option(optimizer, 0, "CyclicLR()", false);
    start();
}

std::pair<double, double> CyclicLR::where(int64_t step) const {
    const double total = static_cast<double>(o_.step_size_up_ + o_.step_size_down_);
    const double ratio = static_cast<double>(o_.step_size_up_) / total;
    const double e = static_cast<double>(step);
    const double cycle = std::floor(1 + e / total);
    const double x = 1. + e / total - cycle;
    const double scale_factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    double scale = 1.0;
    if (mode_ == 1) scale = 1 / std::pow(2., cycle - 1);
    if (mode_ == 2) scale = std::pow(o_.gamma_, e);
    return {scale_factor, scale};
}

double CyclicLR::lr_at(double, int64_t step) const {
    const auto [factor, scale] = where(step);
    return base_lr_ + (max_lr_ - base_lr_) * factor * scale;
}

void CyclicLR::after_lr(int64_t step) {
    if (!o_.cycle_momentum_) return;
    const auto [factor, scale] = where(step);
    const double momentum =
        o_.max_momentum_ - (o_.max_momentum_ - o_.base_momentum_) * factor * scale;
    for (size_t g = 0; g < optimizer().param_groups().size(); ++g)
        *detail::momentum_option(optimizer(), g, "CyclicLR.step()", false) = momentum;
}

std::vector<detail::StateField> CyclicLR::hyper_parameters() {
    return {detail::number_field("base_lr", base_lr_),
            detail::number_field("max_lr", max_lr_),
            detail::count_field("step_size_up", o_.step_size_up_),
            detail::count_field("step_size_down", o_.step_size_down_),
            detail::count_field("mode", mode_),
            detail::number_field("gamma", o_.gamma_),
            detail::StateField{
                "cycle_momentum", detail::StateField::Kind::count, 0, 1,
                [this] { return std::vector<double>{o_.cycle_momentum_ ? 1.0 : 0.0}; },
                [this](const std::vector<double>& v) { o_.cycle_momentum_ = v[0] != 0; }},
            detail::number_field("base_momentum", o_.base_momentum_),
            detail::number_field("max_momentum", o_.max_momentum_)};
}

void CyclicLR::check(const std::string& who) const {
    require(who, std::isfinite(base_lr_) && base_lr_ >= 0, "base_lr", "finite and >= 0", base_lr_);
    require(who, std::isfinite(max_lr_) && max_lr_ >= 0, "max_lr", "finite and >= 0", max_lr_);
    require(who, o_.step_size_up_ > 0, "step_size_up", "> 0", o_.step_size_up_);
    require(who, o_.step_size_down_ > 0, "step_size_down", "> 0", o_.step_size_down_);
    require(who, mode_ >= 0 && mode_ <= 2, "mode", "0, 1 or 2", mode_);
    require(who, std::isfinite(o_.gamma_) && o_.gamma_ > 0, "gamma", "finite and > 0", o_.gamma_);
}

}  // namespace descent::optim
