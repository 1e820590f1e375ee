// LBFGS's options, its step and its state dict. The step is torch.optim.LBFGS 1.13's algorithm in
// its float32 arithmetic and order: dot products by the same OpenBLAS sdot as torch.dot, `add_`
// with alpha as one fused multiply-add (fmadd), every other product and quotient rounded on its own
// (optim/*.cpp is compiled with -ffp-contract=off).
#include "descent/optim/lbfgs.hpp"

#include <algorithm>
#include <cmath>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/blas.hpp"
#include "descent/optim/state_codec.hpp"
#include "descent/optim/strong_wolfe.hpp"

#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;
using detail::MixedScalar;

// ---- options ------------------------------------------------------------------------------------

OptionFields LBFGSOptions::fields() {
    if (!max_eval_) max_eval_ = max_iter_ * 5 / 4;
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"tolerance_grad", &tolerance_grad_, Require::nonneg},
                 {"tolerance_change", &tolerance_change_, Require::nonneg}};
    f.counts = {{"max_iter", &max_iter_, 1},
                {"max_eval", &*max_eval_, 1},
                {"history_size", &history_size_, 1}};
    f.choices = {{"line_search_fn", &line_search_fn_, {"strong_wolfe"}}};
    return f;
}

// ---- construction -------------------------------------------------------------------------------

namespace {
// As libtorch: an unset max_eval becomes max_iter·5/4 when the optimizer is built.
LBFGSOptions with_max_eval(LBFGSOptions o) {
    if (!o.max_eval()) o.max_eval(o.max_iter() * 5 / 4);
    return o;
}

std::vector<OptimizerParamGroup> one_group(std::vector<OptimizerParamGroup> groups) {
    DESCENT_CHECK(groups.size() <= 1, ValueError,
                  "LBFGS(): takes one parameter group (it optimizes all parameters as one "
                  "vector), got ",
                  groups.size());
    return groups;
}
}  // namespace

LBFGS::LBFGS(std::vector<Tensor> params, const LBFGSOptions& defaults)
    : LBFGS(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

LBFGS::LBFGS(std::vector<OptimizerParamGroup> groups, const LBFGSOptions& defaults)
    : Optimizer("LBFGS", one_group(std::move(groups)),
                std::make_unique<LBFGSOptions>(with_max_eval(defaults))) {
    auto& o = static_cast<LBFGSOptions&>(param_groups()[0].options());  // a group's own options
    o = with_max_eval(o);
}

std::unique_ptr<OptimizerParamState> LBFGS::make_state(const Tensor&,
                                                       const OptimizerOptions&) const {
    DESCENT_ASSERT(false, "(LBFGS keeps no per-parameter state)");
    return nullptr;
}

void LBFGS::update(Tensor&, const Tensor&, OptimizerParamState&, const OptimizerOptions&) {
    DESCENT_ASSERT(false, "(LBFGS::step updates the parameters itself)");
}

// ---- the step -----------------------------------------------------------------------------------

namespace {

float max_abs(const std::vector<float>& v) {
    float m = 0;
    for (float x : v) m = std::fabs(x) > m ? std::fabs(x) : m;
    return m;
}

float dot(const std::vector<float>& a, const std::vector<float>& b) {
    return kernels::dot(static_cast<int64_t>(a.size()), a.data(), b.data());
}

// The parameters as one vector: gradients gathered, steps applied, values saved and restored.
class FlatParams {
public:
    explicit FlatParams(std::vector<Tensor>& params) : params_(params) {
        for (const Tensor& p : params_) numel_ += p.numel();
    }
    int64_t numel() const { return numel_; }

    // Calls the closure with grad mode on; returns its loss as a double, as torch's float(loss).
    double evaluate(const LossClosure& closure, Tensor* loss_out = nullptr) const {
        Tensor loss;
        {
            autograd::AutoGradMode grad_on(true);
            loss = closure();
        }
        DESCENT_CHECK(loss.defined() && loss.numel() == 1, ValueError,
                      "LBFGS.step(): the closure must return the loss, one value; got ",
                      loss.defined() ? descent::detail::cat("shape ", loss.shape())
                                     : std::string("an undefined tensor"));
        if (loss_out) *loss_out = loss;
        return static_cast<double>(loss.item());
    }

    // Every gradient, flattened; zeros for a parameter without one (torch's _gather_flat_grad).
    std::vector<float> gradient() const {
        std::vector<float> g(static_cast<size_t>(numel_), 0.0f);
        float* out = g.data();
        for (const Tensor& p : params_) {
            const Tensor& grad = p.grad();
            if (grad.defined()) {
                DESCENT_CHECK(grad.shape() == p.shape(), ShapeError,
                              "LBFGS.step(): parameter of shape ", p.shape(),
                              " has a gradient of shape ", grad.shape());
                std::copy(grad.data(), grad.data() + p.numel(), out);
            }
            out += p.numel();
        }
        return g;
    }

    // p = p + t·d, one rounding per element (torch's p.add_(d, alpha=t)).
    void add(float t, const std::vector<float>& d) {
        const float* in = d.data();
        for (Tensor& p : params_) {
            float* v = p.data();
            for (int64_t i = 0; i < p.numel(); ++i) v[i] = fmadd(in[i], t, v[i]);
            in += p.numel();
            p.impl()->storage->bump_version();  // a graph that saved p must not use the old value
        }
    }

    std::vector<float> values() const {
        std::vector<float> x;
        x.reserve(static_cast<size_t>(numel_));
        for (const Tensor& p : params_) x.insert(x.end(), p.data(), p.data() + p.numel());
        return x;
    }
    void set_values(const std::vector<float>& x) {
        const float* in = x.data();
        for (Tensor& p : params_) {
            std::copy(in, in + p.numel(), p.data());
            in += p.numel();
            p.impl()->storage->bump_version();
        }
    }

private:
    std::vector<Tensor>& params_;
    int64_t numel_ = 0;
};

// The L-BFGS direction -H·g from the curvature pairs (the two-loop recursion, with torch's one
// buffer q → r): q = -g; for the pairs newest to oldest, a_i = ro_i·s_iᵀq and q -= a_i·y_i; then
// r = H_diag·q; for the pairs oldest to newest, b_i = ro_i·y_iᵀr and r += (a_i - b_i)·s_i.
std::vector<float> lbfgs_direction(const std::vector<float>& g, const LBFGSState& s) {
    const size_t k = s.old_dirs.size(), n = g.size();
    std::vector<float> q(n), alpha(k);
    for (size_t j = 0; j < n; ++j) q[j] = -g[j];
    for (size_t i = k; i-- > 0;) {
        alpha[i] = dot(s.old_stps[i], q) * s.ro[i];
        const float* y = s.old_dirs[i].data();
        for (size_t j = 0; j < n; ++j) q[j] = fmadd(y[j], -alpha[i], q[j]);
    }
    for (size_t j = 0; j < n; ++j) q[j] = q[j] * s.H_diag;
    for (size_t i = 0; i < k; ++i) {
        const float beta = dot(s.old_dirs[i], q) * s.ro[i];
        const float* step = s.old_stps[i].data();
        for (size_t j = 0; j < n; ++j) q[j] = fmadd(step[j], alpha[i] - beta, q[j]);
    }
    return q;
}

}  // namespace

Tensor LBFGS::step(const LossClosure& closure) {
    DESCENT_CHECK(closure, ValueError,
                  "LBFGS.step(): needs a closure that re-evaluates the loss (zero_grad, forward, "
                  "backward, return the loss): L-BFGS calls it several times per step");
    DESCENT_CHECK(param_groups().size() == 1, ValueError,
                  "LBFGS.step(): takes one parameter group, got ", param_groups().size());
    count_step();
    NoGradGuard no_grad;
    const LBFGSOptions& o = static_cast<const LBFGSOptions&>(param_groups()[0].options());
    FlatParams flat(param_groups()[0].params());
    LBFGSState& s = state_;
    DESCENT_CHECK(s.n_iter == 0 || static_cast<int64_t>(s.d.size()) == flat.numel(), StateError,
                  "LBFGS.step(): the parameters hold ", flat.numel(), " values, the state ",
                  s.d.size(), " (parameters were added or changed size since the last step)");
    const int64_t max_iter = o.max_iter();
    const int64_t max_eval = o.max_eval().value_or(max_iter * 5 / 4);
    const size_t history_size = static_cast<size_t>(o.history_size());
    // Compared in float, as torch compares a float32 tensor with a Python number.
    const float tolerance_grad = static_cast<float>(o.tolerance_grad());
    const float tolerance_change_f = static_cast<float>(o.tolerance_change());

    Tensor orig_loss;
    double loss = flat.evaluate(closure, &orig_loss);
    std::vector<float> flat_grad = flat.gradient();
    int64_t current_evals = 1;
    ++s.func_evals;
    // Already at a stationary point: nothing moves.
    if (max_abs(flat_grad) <= tolerance_grad) return orig_loss;

    MixedScalar t = MixedScalar::f32(s.t);
    for (int64_t n_iter = 1; n_iter <= max_iter; ++n_iter) {
        ++s.n_iter;

        // The direction: steepest descent at first, then L-BFGS from the pairs kept.
        if (s.n_iter == 1) {
            s.d.resize(flat_grad.size());
            for (size_t j = 0; j < flat_grad.size(); ++j) s.d[j] = -flat_grad[j];
            s.old_dirs.clear();
            s.old_stps.clear();
            s.ro.clear();
            s.H_diag = 1;
        } else {
            const size_t n = flat_grad.size();
            std::vector<float> y(n), step(n);
            const float last_t = t.as_float();
            for (size_t j = 0; j < n; ++j) y[j] = flat_grad[j] - s.prev_flat_grad[j];
            for (size_t j = 0; j < n; ++j) step[j] = s.d[j] * last_t;
            const float ys = dot(y, step);
            if (ys > static_cast<float>(1e-10)) {  // keeps H positive definite
                while (s.old_dirs.size() >= history_size) {
                    s.old_dirs.pop_front();
                    s.old_stps.pop_front();
                    s.ro.pop_front();
                }
                s.ro.push_back(1.0f / ys);
                s.H_diag = ys / dot(y, y);
                s.old_dirs.push_back(std::move(y));
                s.old_stps.push_back(std::move(step));
            }
            s.d = lbfgs_direction(flat_grad, s);
        }
        s.prev_flat_grad = flat_grad;
        s.prev_loss = static_cast<float>(loss);

        // The first step ever is scaled down to at most lr/|g|₁; later ones start at lr.
        const MixedScalar lr = MixedScalar::f64(o.lr());
        if (s.n_iter == 1) {
            double l1 = 0;  // exact for two terms; torch's cascade sum is as accurate for more
            for (float g : flat_grad) l1 += std::fabs(g);
            const MixedScalar inverse = MixedScalar::f32(1.0f / static_cast<float>(l1));
            t = detail::py_min(MixedScalar::f64(1.0), inverse) * lr;
        } else {
            t = lr;
        }

        const float gtd = dot(flat_grad, s.d);
        if (gtd > -tolerance_change_f) break;  // not a descent direction any more

        int64_t ls_evals = 0;
        bool small_gradient = false;
        if (o.line_search_fn()) {
            const std::vector<float> x = flat.values();
            auto objective = [&](float step_length, std::vector<float>& grad) {
                flat.add(step_length, s.d);
                const double f = flat.evaluate(closure);
                grad = flat.gradient();
                flat.set_values(x);
                return f;
            };
            detail::LineSearchResult r =
                detail::strong_wolfe(objective, s.d, t, loss, flat_grad, gtd, o.tolerance_change());
            loss = r.loss;
            flat_grad = std::move(r.grad);
            t = r.t;
            ls_evals = r.evals;
            flat.add(t.as_float(), s.d);
            small_gradient = max_abs(flat_grad) <= tolerance_grad;
        } else {
            flat.add(t.as_float(), s.d);
            // The last iteration's loss is not needed (torch skips it too: in a stochastic
            // setting it would only cost a closure call).
            if (n_iter != max_iter) {
                loss = flat.evaluate(closure);
                flat_grad = flat.gradient();
                small_gradient = max_abs(flat_grad) <= tolerance_grad;
                ls_evals = 1;
            }
        }
        current_evals += ls_evals;
        s.func_evals += ls_evals;

        if (n_iter == max_iter || current_evals >= max_eval || small_gradient) break;
        // Lack of progress: the step moved no parameter by more than tolerance_change, or the
        // loss changed by less.
        float largest_move = 0;
        const float t_f = t.as_float();
        for (float dj : s.d) largest_move = std::max(largest_move, std::fabs(dj * t_f));
        if (largest_move <= tolerance_change_f) break;
        if (std::fabs(loss - s.prev_loss) < o.tolerance_change()) break;
    }
    s.t = t.as_float();
    return orig_loss;
}

// ---- state dict ---------------------------------------------------------------------------------

namespace {

Tensor flat_tensor(const std::vector<float>& v) {
    return tensor(v, {static_cast<int64_t>(v.size())});
}

Tensor stacked(const std::deque<std::vector<float>>& rows, int64_t n) {
    std::vector<float> all;
    for (const auto& r : rows) all.insert(all.end(), r.begin(), r.end());
    return tensor(all, {static_cast<int64_t>(rows.size()), n});
}

}  // namespace

void LBFGS::global_state_dict(NamedTensors& dict) const {
    dict.emplace_back("state.func_evals",
                      detail::encode_count(state_.func_evals, "state.func_evals"));
    dict.emplace_back("state.n_iter", detail::encode_count(state_.n_iter, "state.n_iter"));
    if (state_.n_iter == 0) return;  // nothing else exists before the first iteration
    const int64_t n = static_cast<int64_t>(state_.d.size());
    dict.emplace_back("state.d", flat_tensor(state_.d));
    dict.emplace_back("state.t", scalar_tensor(state_.t));
    dict.emplace_back("state.old_dirs", stacked(state_.old_dirs, n));
    dict.emplace_back("state.old_stps", stacked(state_.old_stps, n));
    dict.emplace_back("state.ro", tensor(std::vector<float>(state_.ro.begin(), state_.ro.end()),
                                         {static_cast<int64_t>(state_.ro.size())}));
    dict.emplace_back("state.H_diag", scalar_tensor(state_.H_diag));
    dict.emplace_back("state.prev_flat_grad", flat_tensor(state_.prev_flat_grad));
    dict.emplace_back("state.prev_loss", scalar_tensor(state_.prev_loss));
}

std::function<void()> LBFGS::read_global_state(detail::StateDictReader& reader) {
    auto s = std::make_shared<LBFGSState>();
    if (auto v = reader.count("state.func_evals")) s->func_evals = *v;
    if (auto v = reader.count("state.n_iter")) s->n_iter = *v;
    if (s->n_iter > 0) {
        int64_t n = 0;
        for (const Tensor& p : param_groups()[0].params()) n += p.numel();
        auto vector_at = [&](const char* key, std::vector<float>& out) {
            if (const Tensor* t = reader.take(key, {n})) out.assign(t->data(), t->data() + n);
        };
        auto scalar_at = [&](const char* key, float& out) {
            if (const Tensor* t = reader.take(key, {})) out = t->item();
        };
        vector_at("state.d", s->d);
        vector_at("state.prev_flat_grad", s->prev_flat_grad);
        scalar_at("state.t", s->t);
        scalar_at("state.H_diag", s->H_diag);
        scalar_at("state.prev_loss", s->prev_loss);
        if (const Tensor* ro = reader.take_vector("state.ro")) {
            const int64_t k = ro->numel();
            s->ro.assign(ro->data(), ro->data() + k);
            auto rows_at = [&](const char* key, std::deque<std::vector<float>>& out) {
                if (const Tensor* t = reader.take(key, {k, n}))
                    for (int64_t i = 0; i < k; ++i)
                        out.emplace_back(t->data() + i * n, t->data() + (i + 1) * n);
            };
            rows_at("state.old_dirs", s->old_dirs);
            rows_at("state.old_stps", s->old_stps);
        }
    }
    return [this, s] { state_ = std::move(*s); };
}

}  // namespace descent::optim
