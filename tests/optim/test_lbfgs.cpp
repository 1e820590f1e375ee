// LBFGS: torch.optim.LBFGS's trajectories on Rosenbrock (tests/optim/data, written by
// lbfgs_torch_reference.py), a double-precision reference loop, convergence, the stopping rules
// and their closure counts, the state dict and exact resumption, options and errors.
#include "optim/problem.hpp"

#include <fstream>
#include <map>

#include "descent/autograd/grad_mode.hpp"
#include "descent/optim/lbfgs.hpp"

using namespace descent;
using namespace optim_test;
using optim::LBFGS;
using optim::LBFGSOptions;

namespace {

// A closure for `f` over `params` that counts its calls.
struct CountingClosure {
    std::vector<Tensor> params;
    std::function<Tensor()> f;
    int calls = 0;
    Tensor operator()() {
        ++calls;
        for (Tensor& p : params) p.mutable_grad() = Tensor();
        Tensor loss = f();
        loss.backward();
        return loss;
    }
};

optim::LossClosure closure_of(CountingClosure& c) {
    return [&c] { return c(); };
}

// One row of lbfgs_rosenbrock.csv: the state after outer step `step` of case `name`.
struct TorchRow {
    std::string name;
    int step;
    double x, y, loss;
    int64_t func_evals, n_iter;
};

std::vector<TorchRow> read_torch_rows() {
    std::ifstream in(DESCENT_OPTIM_DATA_DIR "/lbfgs_rosenbrock.csv");
    REQUIRE_MESSAGE(in, "cannot open " DESCENT_OPTIM_DATA_DIR "/lbfgs_rosenbrock.csv");
    std::vector<TorchRow> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream s(line);
        TorchRow r;
        std::string field;
        std::getline(s, r.name, ',');
        std::getline(s, field, ',');
        r.step = std::stoi(field);
        char comma;
        s >> r.x >> comma >> r.y >> comma >> r.loss >> comma >> r.func_evals >> comma >> r.n_iter;
        REQUIRE_MESSAGE(!s.fail(), "bad line: " << line);
        rows.push_back(r);
    }
    return rows;
}

// The options of each case of lbfgs_torch_reference.py.
const std::map<std::string, LBFGSOptions> torch_cases = {
    {"default", LBFGSOptions()},
    {"strong_wolfe", LBFGSOptions().line_search_fn("strong_wolfe")},
    {"history_3", LBFGSOptions().history_size(3)},
    {"history_3_strong_wolfe", LBFGSOptions().history_size(3).line_search_fn("strong_wolfe")},
    {"lr_0.5_max_iter_5", LBFGSOptions(0.5).max_iter(5)},
};

// torch.optim.LBFGS without a line search, in double, written from its algorithm: the state it
// keeps and one step() over x, with f and its gradient given.
struct ReferenceLBFGS {
    using Objective = std::function<double(const std::vector<double>&, std::vector<double>&)>;
    ReferenceLBFGS(double lr, int max_iter, int history_size, Objective f)
        : lr(lr), max_iter(max_iter), history_size(history_size), f(std::move(f)) {}
    double lr;
    int max_iter, history_size;
    Objective f;  // the loss at x; writes the gradient
    int n_iter = 0;
    std::vector<double> d, prev_g;
    double t = 0, h_diag = 1;
    std::vector<std::vector<double>> ys_y, ys_s;  // the curvature pairs (y, s), oldest first
    std::vector<double> ro;

    static double dot(const std::vector<double>& a, const std::vector<double>& b) {
        double s = 0;
        for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
        return s;
    }

    void step(std::vector<double>& x) {
        const size_t n = x.size();
        std::vector<double> g(n);
        double loss = f(x, g), prev_loss = 0;
        int evals = 1;
        for (int it = 1; it <= max_iter; ++it) {
            ++n_iter;
            if (n_iter == 1) {
                d.assign(n, 0);
                for (size_t j = 0; j < n; ++j) d[j] = -g[j];
            } else {
                std::vector<double> y(n), s(n);
                for (size_t j = 0; j < n; ++j) y[j] = g[j] - prev_g[j], s[j] = t * d[j];
                const double sy = dot(y, s);
                if (sy > 1e-10) {
                    if (static_cast<int>(ro.size()) == history_size) {
                        ys_y.erase(ys_y.begin()), ys_s.erase(ys_s.begin()), ro.erase(ro.begin());
                    }
                    ys_y.push_back(y), ys_s.push_back(s), ro.push_back(1 / sy);
                    h_diag = sy / dot(y, y);
                }
                // H·(-g) by the two-loop recursion.
                std::vector<double> q(n), a(ro.size());
                for (size_t j = 0; j < n; ++j) q[j] = -g[j];
                for (size_t i = ro.size(); i-- > 0;) {
                    a[i] = ro[i] * dot(ys_s[i], q);
                    for (size_t j = 0; j < n; ++j) q[j] -= a[i] * ys_y[i][j];
                }
                for (size_t j = 0; j < n; ++j) q[j] *= h_diag;
                for (size_t i = 0; i < ro.size(); ++i) {
                    const double b = ro[i] * dot(ys_y[i], q);
                    for (size_t j = 0; j < n; ++j) q[j] += (a[i] - b) * ys_s[i][j];
                }
                d = q;
            }
            prev_g = g;
            prev_loss = loss;
            double l1 = 0;
            for (double gj : g) l1 += std::fabs(gj);
            t = n_iter == 1 ? std::min(1.0, 1.0 / l1) * lr : lr;
            if (dot(g, d) > -1e-9) break;
            for (size_t j = 0; j < n; ++j) x[j] += t * d[j];
            if (it == max_iter) break;
            loss = f(x, g);
            ++evals;
            double gmax = 0, move = 0;
            for (size_t j = 0; j < n; ++j)
                gmax = std::max(gmax, std::fabs(g[j])), move = std::max(move, std::fabs(t * d[j]));
            if (evals >= max_iter * 5 / 4 || gmax <= 1e-7 || move <= 1e-9 ||
                std::fabs(loss - prev_loss) < 1e-9)
                break;
        }
    }
};

// Σ (x - c)²/2 + x⁴/8, problem.hpp's loss, whose gradient set_grads() writes.
double problem_loss(const std::vector<double>& x) {
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i)
        s += 0.5 * (x[i] - centre[i]) * (x[i] - centre[i]) + x[i] * x[i] * x[i] * x[i] / 8;
    return s;
}

}  // namespace

TEST_CASE("LBFGS follows torch.optim.LBFGS on Rosenbrock to float precision") {
    const std::vector<TorchRow> rows = read_torch_rows();
    std::map<std::string, std::vector<TorchRow>> by_case;
    for (const TorchRow& r : rows) by_case[r.name].push_back(r);
    REQUIRE(by_case.size() == torch_cases.size());
    for (const auto& [name, case_rows] : by_case) {
        CAPTURE(name);
        REQUIRE(torch_cases.count(name) == 1);
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        LBFGS opt({xy}, torch_cases.at(name));
        CountingClosure f{{xy}, [&] { return rosenbrock(xy); }};
        double max_diff = 0;
        int bit_equal = 0;
        for (const TorchRow& r : case_rows) {
            CAPTURE(r.step);
            const double loss = opt.step(closure_of(f)).item();
            // The file holds torch's floats to 9 digits, which read back as exactly those floats.
            const double dx = std::fabs(xy.data()[0] - static_cast<float>(r.x));
            const double dy = std::fabs(xy.data()[1] - static_cast<float>(r.y));
            bit_equal += (dx == 0) + (dy == 0);
            CHECK(dx <= 1e-5 * std::max(1.0, std::fabs(r.x)));
            CHECK(dy <= 1e-5 * std::max(1.0, std::fabs(r.y)));
            CHECK(std::fabs(loss - r.loss) <= 1e-5 * std::max(1.0, std::fabs(r.loss)));
            // torch's counting rules: closure calls and iterations, over all steps.
            CHECK(opt.global_state().func_evals == r.func_evals);
            CHECK(opt.global_state().n_iter == r.n_iter);
            CHECK(f.calls == r.func_evals);
            max_diff = std::max({max_diff, dx, dy});
        }
        MESSAGE(name << ": largest |x - torch| " << max_diff << "; " << bit_equal << " of "
                     << 2 * case_rows.size() << " values bit-equal to torch's");
    }
}

TEST_CASE("LBFGS without a line search follows a double-precision reference loop") {
    struct Case {
        double lr;
        int max_iter, history_size;
    };
    for (const Case& c : {Case{1.0, 4, 100}, Case{0.5, 3, 2}, Case{0.3, 5, 1}}) {
        CAPTURE(c.lr);
        CAPTURE(c.history_size);
        std::vector<Tensor> params = make_params();
        LBFGS opt(params, LBFGSOptions(c.lr).max_iter(c.max_iter).history_size(c.history_size));
        auto closure = [&] {
            set_grads(params);
            return scalar_tensor(static_cast<float>(problem_loss(flat_values(params))));
        };
        ReferenceLBFGS ref{c.lr, c.max_iter, c.history_size,
                           [](const std::vector<double>& x, std::vector<double>& g) {
                               g.resize(x.size());
                               for (size_t i = 0; i < x.size(); ++i) g[i] = grad_at(x[i], i);
                               return problem_loss(x);
                           }};
        std::vector<double> x = x0;
        Trajectory actual, expected;
        for (int s = 0; s < 3; ++s) {
            opt.step(closure);
            actual.push_back(flat_values(params));
            ref.step(x);
            expected.push_back(x);
        }
        CHECK_OUTCOME(compare(actual, expected, 1e-4));
        CHECK(opt.global_state().n_iter == ref.n_iter);
        // As many pairs kept, never more than history_size.
        CHECK(opt.global_state().ro.size() == ref.ro.size());
        CHECK(static_cast<int>(ref.ro.size()) <= c.history_size);
    }
}

TEST_CASE("LBFGS reaches Rosenbrock's minimum with strong_wolfe, a quadratic's in one step") {
    Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
    LBFGS opt({xy}, LBFGSOptions().line_search_fn("strong_wolfe"));
    CountingClosure f{{xy}, [&] { return rosenbrock(xy); }};
    for (int s = 0; s < 3; ++s) opt.step(closure_of(f));
    CHECK_VALUES(xy, {2}, {1, 1}, 1e-4);
    CHECK(rosenbrock(xy).item() < 1e-8);

    for (bool wolfe : {false, true}) {
        CAPTURE(wolfe);
        Tensor x = zeros({3}).requires_grad_();
        LBFGSOptions o = LBFGSOptions().max_iter(50);
        if (wolfe) o.line_search_fn("strong_wolfe");
        LBFGS q({x}, o);
        CountingClosure c{{x}, [&] { return quadratic(x); }};
        q.step(closure_of(c));
        CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-5);
    }
}

TEST_CASE("LBFGS stops as torch does: gradient, directional derivative, step and loss change") {
    SUBCASE("at a minimum the closure runs once and nothing moves") {
        Tensor x = tensor({1.0f, -2.0f, 3.0f}).requires_grad_();
        LBFGS opt({x});
        CountingClosure c{{x}, [&] { return quadratic(x); }};
        const Tensor loss = opt.step(closure_of(c));
        CHECK(c.calls == 1);
        CHECK(loss.item() == 0);
        CHECK(equal(x, tensor({1.0f, -2.0f, 3.0f})));
        CHECK(opt.global_state().func_evals == 1);
        CHECK(opt.global_state().n_iter == 0);
    }
    // x² from 4: g = 8, d = -8, the first step t = 1/|g|₁ = 1/8 lands at 3 (loss 16 -> 9).
    Tensor x = tensor({4.0f}).requires_grad_();
    CountingClosure c{{x}, [&] { return sum(x * x); }};
    SUBCASE("a direction whose slope gᵀd = -64 is above -tolerance_change is not taken") {
        LBFGS opt({x}, LBFGSOptions().tolerance_change(100));
        opt.step(closure_of(c));
        CHECK(c.calls == 1);
        CHECK(x.data()[0] == 4.0f);
        CHECK(opt.global_state().n_iter == 1);
        CHECK(opt.global_state().d == std::vector<float>{-8.0f});
        CHECK(opt.global_state().t == 0.125f);
    }
    SUBCASE("a step that moves no parameter by more than tolerance_change ends the step") {
        LBFGS opt({x}, LBFGSOptions().tolerance_change(2));  // |t·d| = 1, loss change 7
        opt.step(closure_of(c));
        CHECK(c.calls == 2);
        CHECK(x.data()[0] == 3.0f);
        CHECK(opt.global_state().n_iter == 1);
    }
    SUBCASE("a loss change below tolerance_change ends the step") {
        // x²/4 from 1: g = 0.5, t = 1, lands at 0.5: |t·d| = 0.5, gᵀd = -0.25, loss change 0.1875.
        Tensor z = tensor({1.0f}).requires_grad_();
        CountingClosure q{{z}, [&] { return sum(0.25f * z * z); }};
        LBFGS opt({z}, LBFGSOptions().tolerance_change(0.2));
        opt.step(closure_of(q));
        CHECK(q.calls == 2);
        CHECK(z.data()[0] == 0.5f);
        CHECK(opt.global_state().n_iter == 1);
    }
    SUBCASE("a gradient below tolerance_grad after a step ends it") {
        // x² from 1: t = 1/2 lands exactly on 0.
        Tensor z = tensor({1.0f}).requires_grad_();
        CountingClosure q{{z}, [&] { return sum(z * z); }};
        LBFGS opt({z});
        opt.step(closure_of(q));
        CHECK(q.calls == 2);
        CHECK(z.data()[0] == 0.0f);
        CHECK(opt.global_state().n_iter == 1);
    }
}

TEST_CASE("LBFGS counts closure calls against max_iter and max_eval as torch does") {
    SUBCASE("without a line search the last iteration is not re-evaluated: max_iter calls") {
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        LBFGS opt({xy}, LBFGSOptions().max_iter(7).tolerance_change(0).tolerance_grad(0));
        CountingClosure f{{xy}, [&] { return rosenbrock(xy); }};
        opt.step(closure_of(f));
        CHECK(f.calls == 7);
        CHECK(opt.global_state().n_iter == 7);
        opt.step(closure_of(f));
        CHECK(f.calls == 14);
        CHECK(opt.global_state().func_evals == 14);
        CHECK(opt.global_state().n_iter == 14);
    }
    SUBCASE("max_eval ends a step once that many calls were made") {
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        LBFGS opt({xy}, LBFGSOptions().max_iter(10).max_eval(3));
        CountingClosure f{{xy}, [&] { return rosenbrock(xy); }};
        opt.step(closure_of(f));
        CHECK(f.calls == 3);
        CHECK(opt.global_state().n_iter == 2);
    }
    SUBCASE("with strong_wolfe every line-search call counts") {
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        LBFGS opt({xy}, LBFGSOptions().max_iter(1).line_search_fn("strong_wolfe"));
        CountingClosure f{{xy}, [&] { return rosenbrock(xy); }};
        opt.step(closure_of(f));
        CHECK(f.calls > 2);  // the first step from (-1.5, 2) needs several trials
        CHECK(opt.global_state().func_evals == f.calls);
        CHECK(opt.global_state().n_iter == 1);
    }
}

TEST_CASE(
    "LBFGS: closure in grad mode, updates under no-grad, first loss returned, missing grads are "
    "zeros") {
    Tensor a = tensor({-1.5f, 2.0f}).requires_grad_();
    Tensor unused = tensor({7.0f}).requires_grad_();
    LBFGS opt({a, unused}, LBFGSOptions().max_iter(3));
    std::vector<bool> grad_mode;
    Tensor first;
    const uint64_t version = a.version();
    auto closure = [&] {
        grad_mode.push_back(autograd::GradMode::is_enabled());
        a.mutable_grad() = Tensor();
        Tensor loss = rosenbrock(a);
        loss.backward();
        if (!first.defined()) first = loss;
        return loss;
    };
    {
        NoGradGuard off;  // the closure still runs with grad mode on
        const Tensor loss = opt.step(closure);
        CHECK(loss.impl() == first.impl());
    }
    CHECK(grad_mode == std::vector<bool>(3, true));
    CHECK(a.version() > version);
    CHECK(unused.data()[0] == 7.0f);
    CHECK(opt.global_state().d.size() == 3);

    // The same trajectory as LBFGS over `a` alone.
    Tensor b = tensor({-1.5f, 2.0f}).requires_grad_();
    LBFGS alone({b}, LBFGSOptions().max_iter(3));
    CountingClosure f{{b}, [&] { return rosenbrock(b); }};
    alone.step(closure_of(f));
    CHECK(equal(a, b));
}

TEST_CASE("LBFGS resumes exactly from a state dict") {
    for (const LBFGSOptions& o :
         {LBFGSOptions().max_iter(4).history_size(3),
          LBFGSOptions(0.8).max_iter(4).history_size(3).line_search_fn("strong_wolfe")}) {
        CAPTURE(o.line_search_fn().value_or("none"));
        Tensor straight = tensor({-1.5f, 2.0f}).requires_grad_();
        LBFGS opt({straight}, o);
        CountingClosure f{{straight}, [&] { return rosenbrock(straight); }};
        for (int s = 0; s < 2; ++s) opt.step(closure_of(f));
        const NamedTensors saved = opt.state_dict();
        Tensor resumed = straight.detach().clone().requires_grad_();
        for (int s = 0; s < 2; ++s) opt.step(closure_of(f));

        LBFGS fresh({resumed});  // the defaults: options come from the dict
        fresh.load_state_dict(saved);
        CHECK(fresh.param_groups()[0].options().get_lr() == o.lr());
        CountingClosure g{{resumed}, [&] { return rosenbrock(resumed); }};
        for (int s = 0; s < 2; ++s) fresh.step(closure_of(g));
        CHECK(equal(straight, resumed));
        CHECK_OUTCOME(test::same_state(opt.state_dict(), fresh.state_dict()));
        CHECK(fresh.global_state().old_dirs.size() == 3);
    }
}

TEST_CASE("LBFGS's state dict: layout, and what load_state_dict refuses") {
    Tensor a = tensor({-1.5f, 2.0f}).requires_grad_(), b = tensor({0.5f}).requires_grad_();
    LBFGS fresh({a, b});
    std::vector<std::string> keys;
    for (const auto& [k, t] : fresh.state_dict()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"param_groups.0.lr", "param_groups.0.tolerance_grad",
                                           "param_groups.0.tolerance_change",
                                           "param_groups.0.max_iter", "param_groups.0.max_eval",
                                           "param_groups.0.history_size",
                                           "param_groups.0.line_search_fn", "param_groups.0.params",
                                           "state.func_evals", "state.n_iter"});

    LBFGS opt({a, b}, LBFGSOptions().max_iter(3).max_eval(30).line_search_fn("strong_wolfe"));
    CountingClosure f{{a, b}, [&] { return rosenbrock(a) + sum(b * b); }};
    opt.step(closure_of(f));
    const NamedTensors dict = opt.state_dict();
    auto at = [&](const std::string& key) {
        for (const auto& [k, t] : dict)
            if (k == key) return t;
        FAIL("no key " << key);
        return Tensor();
    };
    CHECK(at("param_groups.0.max_iter").item() == 3);
    CHECK(at("param_groups.0.max_eval").item() == 30);
    CHECK(at("param_groups.0.line_search_fn").item() == 1);
    CHECK(at("state.n_iter").item() == 3);
    CHECK(at("state.d").shape() == Shape{3});
    CHECK(at("state.prev_flat_grad").shape() == Shape{3});
    const int64_t k = static_cast<int64_t>(opt.global_state().ro.size());
    CHECK(k >= 1);
    CHECK(at("state.old_dirs").shape() == Shape{k, 3});
    CHECK(at("state.old_stps").shape() == Shape{k, 3});
    CHECK(at("state.ro").shape() == Shape{k});

    Tensor c = tensor({0.0f, 0.0f}).requires_grad_(), e = tensor({0.0f}).requires_grad_();
    LBFGS other({c, e});
    CHECK_ERROR(StateError,
                [&] { other.load_state_dict(test::with_entry(dict, "state.old_dirs", Tensor())); },
                {"LBFGS.load_state_dict()", "missing keys: state.old_dirs"});
    CHECK_ERROR(StateError,
                [&] { other.load_state_dict(test::with_entry(dict, "state.d", zeros({2}))); },
                {"state.d has shape (2), expected (3)"});
    CHECK_ERROR(StateError,
                [&] {
                    other.load_state_dict(test::with_entry(dict, "param_groups.0.line_search_fn",
                                                           scalar_tensor(2.0f)));
                },
                {"param_groups.0.line_search_fn"});
    CHECK(other.global_state().n_iter == 0);  // nothing changed
    CHECK_FALSE(
        static_cast<const LBFGSOptions&>(other.param_groups()[0].options()).line_search_fn());
    other.load_state_dict(dict);
    CHECK(other.global_state().n_iter == 3);
    CHECK(static_cast<const LBFGSOptions&>(other.param_groups()[0].options()).line_search_fn() ==
          std::optional<std::string>("strong_wolfe"));
}

TEST_CASE("LBFGSOptions: torch's defaults, max_eval from max_iter") {
    LBFGSOptions o;
    CHECK(o.lr() == 1);
    CHECK(o.max_iter() == 20);
    CHECK_FALSE(o.max_eval());
    CHECK(o.tolerance_grad() == 1e-7);
    CHECK(o.tolerance_change() == 1e-9);
    CHECK(o.history_size() == 100);
    CHECK_FALSE(o.line_search_fn());
    LBFGSOptions& same = o.max_iter(8).line_search_fn("strong_wolfe");
    CHECK(&same == &o);
    std::vector<Tensor> params = make_params();
    LBFGS opt(params, o);
    const auto& got = static_cast<const LBFGSOptions&>(opt.param_groups()[0].options());
    CHECK(got.max_eval() == std::optional<int64_t>(10));  // 8·5/4
    CHECK(static_cast<const LBFGSOptions&>(opt.defaults()).max_eval() ==
          std::optional<int64_t>(10));
    std::vector<Tensor> more = make_params();
    LBFGS explicit_eval(more, LBFGSOptions().max_eval(7));
    CHECK(static_cast<const LBFGSOptions&>(explicit_eval.param_groups()[0].options()).max_eval() ==
          std::optional<int64_t>(7));
}

TEST_CASE("LBFGS refuses bad options, a missing closure and more than one group") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { LBFGS(params, LBFGSOptions(-0.1)); }, {"LBFGS()", "lr", "-0.1"});
    CHECK_ERROR(ValueError, [&] { LBFGS(params, LBFGSOptions().history_size(0)); },
                {"LBFGS()", "history_size", "0", ">= 1"});
    CHECK_ERROR(ValueError, [&] { LBFGS(params, LBFGSOptions().max_iter(0)); },
                {"LBFGS()", "max_iter", "0"});
    CHECK_ERROR(ValueError, [&] { LBFGS(params, LBFGSOptions().max_eval(-2)); },
                {"LBFGS()", "max_eval", "-2"});
    CHECK_ERROR(ValueError, [&] { LBFGS(params, LBFGSOptions().tolerance_grad(-1)); },
                {"LBFGS()", "tolerance_grad", "-1"});
    CHECK_ERROR(ValueError, [&] { LBFGS(params, LBFGSOptions().line_search_fn("wolfe")); },
                {"LBFGS()", "line_search_fn", "\"wolfe\"", "\"strong_wolfe\""});

    LBFGS opt(params);
    CHECK_ERROR(ValueError, [&] { opt.step(); }, {"LBFGS.step()", "closure"});
    optim::Optimizer& base = opt;  // step() is virtual: the base's loop never runs for LBFGS
    CHECK_ERROR(ValueError, [&] { base.step(); }, {"LBFGS.step()", "closure"});
    CHECK_ERROR(ValueError, [&] { opt.step([] { return Tensor(); }); },
                {"LBFGS.step()", "the closure must return the loss", "undefined"});

    std::vector<optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<Tensor>{params[0]});
    groups.emplace_back(std::vector<Tensor>{params[1]});
    CHECK_ERROR(ValueError, [&] { LBFGS(groups, LBFGSOptions()); },
                {"LBFGS()", "one parameter group", "got 2"});
    std::vector<Tensor> first = {tensor({1.0f}).requires_grad_()};
    LBFGS grown(first);
    grown.add_param_group(optim::OptimizerParamGroup({tensor({2.0f}).requires_grad_()}));
    CHECK_ERROR(ValueError, [&] { grown.step([] { return scalar_tensor(0.0f); }); },
                {"LBFGS.step()", "one parameter group", "got 2"});
}
