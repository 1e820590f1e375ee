// OneCycleLR: torch's phases (end steps, start and end lr and momentum), the anneal functions, the
// momentum written into each group's "momentum" or "beta1" option, and the refusals.
#include "descent/optim/scheduler/one_cycle_lr.hpp"

#include <cmath>

#include "descent/optim/scheduler/momentum_option.hpp"

namespace descent::optim {

OneCycleLR::OneCycleLR(Optimizer& optimizer, double max_lr, int64_t total_steps,
                       const OneCycleLROptions& options)
    : LRScheduler(optimizer, "OneCycleLR"),
      max_lr_(max_lr),
      total_steps_(total_steps),
      o_(options),
      linear_(options.anneal_strategy_ == "linear" ? 1 : 0) {
    DESCENT_CHECK(o_.anneal_strategy_ == "cos" || o_.anneal_strategy_ == "linear", ValueError,
                  "OneCycleLR(): anneal_strategy must be \"cos\" or \"linear\", got \"",
                  o_.anneal_strategy_, "\"");
    if (o_.cycle_momentum_) detail::momentum_option(optimizer, 0, "OneCycleLR()");  // or refuse
    start();
}

namespace {
int64_t total_of(int64_t epochs, int64_t steps_per_epoch) {
    DESCENT_CHECK(epochs > 0, ValueError, "OneCycleLR(): epochs must be a positive integer, got ",
                  epochs);
    DESCENT_CHECK(steps_per_epoch > 0, ValueError,
                  "OneCycleLR(): steps_per_epoch must be a positive integer, got ",
                  steps_per_epoch);
    return epochs * steps_per_epoch;
}
}  // namespace

OneCycleLR::OneCycleLR(Optimizer& optimizer, double max_lr, int64_t epochs, int64_t steps_per_epoch,
                       const OneCycleLROptions& options)
    : OneCycleLR(optimizer, max_lr, total_of(epochs, steps_per_epoch), options) {}

std::vector<OneCycleLR::Phase> OneCycleLR::phases() const {
    const double T = static_cast<double>(total_steps_), p = o_.pct_start_;
    if (o_.three_phase_)
        return {{p * T - 1, 0, 1, 1, 0}, {2 * p * T - 2, 1, 0, 0, 1}, {T - 1, 0, 2, 1, 1}};
    return {{p * T - 1, 0, 1, 1, 0}, {T - 1, 1, 2, 0, 1}};
}

std::pair<const OneCycleLR::Phase*, double> OneCycleLR::locate(const std::vector<Phase>& ph,
                                                               int64_t step) const {
    double start = 0;
    const double s = static_cast<double>(step);
    for (size_t i = 0; i < ph.size(); ++i) {
        if (s <= ph[i].end_step || i == ph.size() - 1)
            return {&ph[i], (s - start) / (ph[i].end_step - start)};
        start = ph[i].end_step;
    }
    return {&ph.back(), 1.0};
}

double OneCycleLR::anneal(double start, double end, double pct) const {
    if (linear_) return (end - start) * pct + start;
    const double pi = std::acos(-1.0);
    return end + (start - end) / 2.0 * (std::cos(pi * pct) + 1);
}

double OneCycleLR::lr_at(double, int64_t step) const {
    DESCENT_CHECK(step <= total_steps_, ValueError, "OneCycleLR.step(): tried to step ", step + 1,
                  " times; the specified number of total steps is ", total_steps_);
    const double initial = max_lr_ / o_.div_factor_;
    const double lrs[3] = {initial, max_lr_, initial / o_.final_div_factor_};
    const std::vector<Phase> ph = phases();
    const auto [phase, pct] = locate(ph, step);
    return anneal(lrs[phase->start_lr], lrs[phase->end_lr], pct);
}

void OneCycleLR::after_lr(int64_t step) {
    if (!o_.cycle_momentum_) return;
    const double m[2] = {o_.base_momentum_, o_.max_momentum_};
    const std::vector<Phase> ph = phases();
    const auto [phase, pct] = locate(ph, step);
    const double momentum = anneal(m[phase->start_m], m[phase->end_m], pct);
    for (size_t g = 0; g < optimizer().param_groups().size(); ++g)
        *detail::momentum_option(optimizer(), g, "OneCycleLR.step()") = momentum;
}

std::vector<detail::StateField> OneCycleLR::hyper_parameters() {
    return {
        detail::number_field("max_lr", max_lr_),
        detail::count_field("total_steps", total_steps_),
        detail::number_field("pct_start", o_.pct_start_),
        detail::count_field("anneal_strategy", linear_),
        detail::StateField{
            "cycle_momentum", detail::StateField::Kind::count, 0, 1,
            [this] { return std::vector<double>{o_.cycle_momentum_ ? 1.0 : 0.0}; },
            [this](const std::vector<double>& v) { o_.cycle_momentum_ = v[0] != 0; }},
        detail::number_field("base_momentum", o_.base_momentum_),
        detail::number_field("max_momentum", o_.max_momentum_),
        detail::number_field("div_factor", o_.div_factor_),
        detail::number_field("final_div_factor", o_.final_div_factor_),
        detail::StateField{"three_phase", detail::StateField::Kind::count, 0, 1,
                           [this] { return std::vector<double>{o_.three_phase_ ? 1.0 : 0.0}; },
                           [this](const std::vector<double>& v) { o_.three_phase_ = v[0] != 0; }}};
}

void OneCycleLR::check(const std::string& who) const {
    require(who, total_steps_ > 0, "total_steps", "a positive integer", total_steps_);
    require(who, std::isfinite(max_lr_) && max_lr_ >= 0, "max_lr", "finite and >= 0", max_lr_);
    require(who, o_.pct_start_ >= 0 && o_.pct_start_ <= 1, "pct_start", "in [0, 1]", o_.pct_start_);
    require(who, linear_ == 0 || linear_ == 1, "anneal_strategy", "0 (cos) or 1 (linear)", linear_);
    require(who, o_.div_factor_ > 0 && std::isfinite(o_.div_factor_), "div_factor",
            "finite and > 0", o_.div_factor_);
    require(who, o_.final_div_factor_ > 0 && std::isfinite(o_.final_div_factor_),
            "final_div_factor", "finite and > 0", o_.final_div_factor_);
    require(who, o_.base_momentum_ >= 0 && o_.base_momentum_ <= 1, "base_momentum", "in [0, 1]",
            o_.base_momentum_);
    require(who, o_.max_momentum_ >= 0 && o_.max_momentum_ <= 1, "max_momentum", "in [0, 1]",
            o_.max_momentum_);
}

}  // namespace descent::optim
