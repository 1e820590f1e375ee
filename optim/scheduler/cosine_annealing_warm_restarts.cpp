// CosineAnnealingWarmRestarts: the position in the current period from the epoch (restarts
// subtracted one by one, exact for any fraction), the cosine, and the state as torch's T_cur/T_i.
#include "descent/optim/scheduler/cosine_annealing_warm_restarts.hpp"

#include <cmath>

#include "descent/optim/state_codec.hpp"

namespace descent::optim {

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0,
                                                         int64_t T_mult, double eta_min)
    : LRScheduler(optimizer, "CosineAnnealingWarmRestarts"),
      T_0_(T_0),
      T_mult_(T_mult),
      eta_min_(eta_min) {
    start();
}

std::pair<double, int64_t> CosineAnnealingWarmRestarts::position(int64_t epoch) const {
    double t_cur = static_cast<double>(epoch) + fraction_;
    int64_t t_i = T_0_;
    while (t_cur >= static_cast<double>(t_i)) {
        t_cur -= static_cast<double>(t_i);
        t_i *= T_mult_;
    }
    return {t_cur, t_i};
}

double CosineAnnealingWarmRestarts::T_cur() const { return position(last_epoch()).first; }
int64_t CosineAnnealingWarmRestarts::T_i() const { return position(last_epoch()).second; }

void CosineAnnealingWarmRestarts::step(double epoch) {
    DESCENT_CHECK(epoch >= 0 && std::isfinite(epoch), ValueError, name(),
                  ".step(): expected a non-negative epoch, got ", epoch);
    const double whole = std::floor(epoch);
    const double old = fraction_;
    fraction_ = epoch - whole;
    try {
        jump_to(static_cast<int64_t>(whole));
    } catch (...) {
        fraction_ = old;
        throw;
    }
}

double CosineAnnealingWarmRestarts::lr_at(double base_lr, int64_t epoch) const {
    const auto [t_cur, t_i] = position(epoch);
    const double pi = std::acos(-1.0);
    return eta_min_ +
           (base_lr - eta_min_) * (1 + std::cos(pi * t_cur / static_cast<double>(t_i))) / 2;
}

std::vector<detail::StateField> CosineAnnealingWarmRestarts::hyper_parameters() {
    // T_cur and T_i as torch saves them; T_cur's fraction is the state, T_i follows from the epoch.
    detail::StateField t_cur{
        "T_cur",
        detail::StateField::Kind::number,
        0,
        0,
        [this] { return std::vector<double>{T_cur()}; },
        [this](const std::vector<double>& v) { fraction_ = v[0] - std::floor(v[0]); }};
    detail::StateField t_i{"T_i",
                           detail::StateField::Kind::count,
                           1,
                           detail::max_exact_count,
                           [this] { return std::vector<double>{static_cast<double>(T_i())}; },
                           [](const std::vector<double>&) {}};
    return {detail::count_field("T_0", T_0_), detail::count_field("T_mult", T_mult_),
            detail::number_field("eta_min", eta_min_), t_cur, t_i};
}

void CosineAnnealingWarmRestarts::check(const std::string& who) const {
    require(who, T_0_ > 0, "T_0", "a positive integer", T_0_);
    require(who, T_mult_ >= 1, "T_mult", "an integer >= 1", T_mult_);
    require(who, std::isfinite(eta_min_) && eta_min_ >= 0, "eta_min", "finite and >= 0", eta_min_);
}

}  // namespace descent::optim
