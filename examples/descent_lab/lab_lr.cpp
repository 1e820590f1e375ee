// Lab "lr": gradient descent on ½ Σ λ_i x_i² at three lrs around 2/L, SGD on a Fashion-MNIST MLP
// at three lrs, and train::lr_range_test on both. A train::DivergenceGuard (factor 1e3, the best
// step as the reference) watches every run; a diverged curve ends before its bad value.
#include "lab_lr.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "../cli.hpp"

namespace lab::lr {

using namespace descent;

namespace {

constexpr double guard_factor = 1e3;

// The loss of a stateful problem at its current parameters; forward only.
using StepLoss = std::function<Tensor()>;

// `steps` optimizer steps. A non-finite loss always ends the run; the guard's "over 1e3 x the
// best" warning ends it too when stop_at_warning, otherwise it is noted and the run goes on (to
// show what an exploded MLP does next).
Run train_run(const std::string& name, double lr, int steps, optim::Optimizer& opt,
              const StepLoss& loss_of_next_batch, bool stop_at_warning = true) {
    Run run;
    run.name = name;
    run.lr = lr;
    train::DivergenceGuard guard(guard_factor);
    for (int step = 1; step <= steps; ++step) {
        opt.zero_grad();
        Tensor loss = loss_of_next_batch();
        const double value = loss.item();
        try {
            auto warning = guard.check(value, step, 1, lr);
            if (warning && !run.diverged) {
                run.diverged = true, run.diverged_at = step, run.reason = *warning;
                if (stop_at_warning) {
                    run.stopped = true;
                    break;
                }
            }
        } catch (const train::NonFiniteLoss& e) {
            if (!run.diverged) run.diverged = true, run.diverged_at = step, run.reason = e.what();
            run.stopped = true;
            break;
        }
        run.loss.push_back(value);
        guard.end_epoch(value);  // each step is its own reference: the best loss so far
        loss.backward();
        opt.step();
    }
    const size_t tail = std::max<size_t>(1, static_cast<size_t>(steps) / 10);
    if (run.stopped || run.loss.size() < tail) {
        run.final_loss = std::numeric_limits<double>::quiet_NaN();
    } else {
        double sum = 0;
        for (size_t i = run.loss.size() - tail; i < run.loss.size(); ++i) sum += run.loss[i];
        run.final_loss = sum / static_cast<double>(tail);
    }
    return run;
}

// ½ Σ λ_i x_i², λ log-spaced over [1, L], x = 1 at the start.
struct Quadratic : nn::Module {
    Tensor x, lambda;
    Quadratic(int64_t n, double L) : nn::Module("Quadratic") {
        std::vector<float> l(static_cast<size_t>(n)), ones(static_cast<size_t>(n), 1.0f);
        for (int64_t i = 0; i < n; ++i)
            l[static_cast<size_t>(i)] = static_cast<float>(
                std::pow(L, static_cast<double>(i) / static_cast<double>(n - 1)));
        x = register_parameter("x", tensor(ones, {n}));
        lambda = register_buffer("lambda", tensor(l, {n}));
    }
    Tensor loss() { return sum(lambda * x * x) * 0.5f; }
};

Run quadratic_run(const Options& o, const std::string& name, double lr, int steps) {
    Quadratic q(o.dim, o.L);
    optim::SGD gd(q.parameters(), optim::SGDOptions(lr));
    return train_run(name, lr, steps, gd, [&q] { return q.loss(); });
}

// 784 -> hidden -> 10 with ReLU, Kaiming-initialised from `seed`: every run starts the same.
std::shared_ptr<nn::Sequential> make_mlp(int64_t hidden, uint64_t seed) {
    Generator gen(seed);
    auto model = std::make_shared<nn::Sequential>();
    model->push_back(nn::Flatten());
    auto first = std::make_shared<nn::Linear>(784, hidden);
    auto last = std::make_shared<nn::Linear>(hidden, 10);
    for (const auto& linear : {first, last}) {
        nn::init::kaiming_normal_(linear->weight, 0.0, nn::init::FanMode::FanIn,
                                  nn::init::Nonlinearity::ReLU, gen);
        nn::init::zeros_(linear->bias);
    }
    model->push_back(first);
    model->push_back(nn::ReLU());
    model->push_back(last);
    return model;
}

Run mlp_run(const Options& o, const data::MNIST& set, const std::string& name, double lr,
            int steps, bool stop_at_warning = true) {
    auto model = make_mlp(o.hidden, o.common.seed);
    optim::SGD sgd(model->parameters(), optim::SGDOptions(lr));
    Batches batches(set, o.images, o.batch, o.common.seed + 1);
    return train_run(name, lr, steps, sgd, [&] {
        const data::Batch b = batches.next();
        return nn::functional::cross_entropy((*model)(b.data), b.labels);
    }, stop_at_warning);
}

std::vector<double> steps_of(size_t n) {
    std::vector<double> x;
    for (size_t s = 1; s <= n; ++s) x.push_back(static_cast<double>(s));
    return x;
}

// One table for several runs, one row per recorded step: a diverged run just has fewer rows.
void loss_csv(Output& out, const std::string& name, const std::vector<const Run*>& runs) {
    std::vector<std::vector<double>> rows;
    for (const Run* r : runs)
        for (size_t s = 0; s < r->loss.size(); ++s)
            rows.push_back({r->lr, static_cast<double>(s + 1), r->loss[s]});
    out.csv(name, {"lr", "step", "loss"}, rows);
}

std::string describe(const Run& r) {
    if (r.stopped)
        return "diverges at step " + std::to_string(r.diverged_at) + " (loss " +
               num(r.loss.empty() ? NAN : r.loss.back()) + " the step before, curve cut there)";
    if (r.diverged)
        return "explodes at step " + std::to_string(r.diverged_at) + " (loss " +
               num(r.loss[static_cast<size_t>(r.diverged_at - 1)]) + ", over " +
               num(guard_factor) + "x the best so far), then never turns non-finite but stalls at " +
               num(r.final_loss);
    return "ends at loss " + num(r.final_loss);
}

// The printed line for a run the guard stopped or warned about.
void report_divergence(Output& out, const std::string& problem, const Run& r) {
    if (r.diverged)
        out.log() << "divergence detected (" << problem << ", lr " << num(r.lr) << ", step "
                  << r.diverged_at << "; the guard's epoch is the step): " << r.reason << "\n";
}

// Curves on a log loss axis; a diverged run is cut before its bad value and named in the key.
study::Figure loss_figure(const std::string& title, const std::string& ylabel,
                          const std::vector<const Run*>& runs) {
    study::Figure f({title, "step", ylabel, "", false, true});
    for (const Run* r : runs) {
        if (r->loss.empty()) continue;
        std::vector<double> y = r->loss;
        for (double& v : y) v = std::max(v, 1e-30);  // an exact 0 on the log axis
        const std::string step = std::to_string(r->diverged_at);
        f.add({"lr " + num(r->lr) + " (" + r->name +
                   (r->stopped    ? ": diverged at step " + step + ", cut)"
                    : r->diverged ? ": exploded at step " + step + ")"
                                  : ")"),
               steps_of(y.size()), y});
    }
    return f;
}

void check_options(const Options& o) {
    const char* op = "run_lr()";
    DESCENT_CHECK(o.dim >= 2 && o.L > 1 && std::isfinite(o.L), ValueError, op,
                  ": the quadratic needs dim >= 2 and a finite L > 1, got dim ", o.dim, ", L ",
                  o.L);
    for (double lr : {o.quad_small, o.quad_good, o.quad_large, o.mlp_small, o.mlp_good,
                      o.mlp_large})
        DESCENT_CHECK(lr > 0 && std::isfinite(lr), ValueError, op,
                      ": every lr must be finite and > 0, got ", lr);
    DESCENT_CHECK(o.quad_steps >= 10 && o.mlp_steps >= 10, ValueError, op,
                  ": at least 10 steps per run, got ", o.quad_steps, " and ", o.mlp_steps);
    DESCENT_CHECK(o.batch >= 1 && o.batch <= o.images, ValueError, op, ": batch ", o.batch,
                  " must be in [1, images ", o.images, "]");
    DESCENT_CHECK(o.hidden >= 1, ValueError, op, ": hidden must be >= 1, got ", o.hidden);
}

}  // namespace

Result run_lr(const Options& o_in, Output& out) {
    Options o = o_in;
    if (o.common.quick) {
        o.quad_steps = std::min(o.quad_steps, 150);
        o.mlp_steps = std::min(o.mlp_steps, 80);
        o.images = std::min<int64_t>(o.images, 1000);
        o.range_iter = std::min<int64_t>(o.range_iter, 80);
    }
    check_options(o);
    Result r;
    r.limit = 2 / o.L;

    // (a) The quadratic, where the limit is known.
    r.quad_small = quadratic_run(o, "too small", o.quad_small, o.quad_steps);
    r.quad_good = quadratic_run(o, "good", o.quad_good, o.quad_steps);
    r.quad_large = quadratic_run(o, "too large", o.quad_large, o.quad_steps);
    {
        Quadratic q(o.dim, o.L);
        optim::SGD gd(q.parameters(), optim::SGDOptions(o.quad_small));
        train::LRFinderOptions f;
        f.start_lr = 1e-5, f.end_lr = 1, f.num_iter = 200;
        r.quad_range = train::lr_range_test(q, gd, [&q] { return q.loss(); }, f);
    }
    const std::vector<const Run*> quad = {&r.quad_small, &r.quad_good, &r.quad_large};
    loss_csv(out, "quadratic", quad);
    out.figure("quadratic",
               loss_figure("Gradient descent on 1/2 sum lambda_i x_i^2, lambda in [1, " +
                               num(o.L) + "] (stable iff lr < 2/L = " + num(r.limit) + ")",
                           "f(x)", quad));
    for (const Run* run : quad) report_divergence(out, "quadratic", *run);

    // (b) The MLP at three lrs, (c) the range test from the same initial weights and batches.
    const data::MNIST set(o.data, data::Split::Train);
    DESCENT_CHECK(o.images <= set.size(), ValueError, "run_lr(): ", o.images,
                  " images asked for, the training set has ", set.size());
    r.mlp_small = mlp_run(o, set, "too small", o.mlp_small, o.mlp_steps);
    r.mlp_good = mlp_run(o, set, "good", o.mlp_good, o.mlp_steps);
    // Run on past the explosion: cross-entropy's gradient is bounded, so what follows matters.
    r.mlp_large = mlp_run(o, set, "too large", o.mlp_large, o.mlp_steps, false);
    {
        auto model = make_mlp(o.hidden, o.common.seed);
        optim::SGD sgd(model->parameters(), optim::SGDOptions(o.mlp_small));
        Batches batches(set, o.images, o.batch, o.common.seed + 1);
        train::LRFinderOptions f;
        f.start_lr = o.start_lr, f.end_lr = o.end_lr, f.num_iter = o.range_iter;
        r.range = train::lr_range_test(*model, sgd, [&] {
            const data::Batch b = batches.next();
            return nn::functional::cross_entropy((*model)(b.data), b.labels);
        }, f);
    }
    DESCENT_CHECK(r.range.suggested_lr > 0, ValueError,
                  "run_lr(): the range test found no finite loss from lr ", o.start_lr);
    r.mlp_suggested = mlp_run(o, set, "suggested", r.range.suggested_lr, o.mlp_steps);
    for (const Run* run : {&r.mlp_small, &r.mlp_good, &r.mlp_large, &r.mlp_suggested})
        report_divergence(out, "MLP", *run);

    const std::vector<const Run*> mlp = {&r.mlp_small, &r.mlp_good, &r.mlp_large,
                                         &r.mlp_suggested};
    loss_csv(out, "mlp", mlp);
    const std::string arch = "784-" + std::to_string(o.hidden) + "-10 MLP, " +
                             std::to_string(o.images) + " Fashion-MNIST images, batch " +
                             std::to_string(o.batch);
    out.figure("mlp", loss_figure("SGD on a " + arch, "cross-entropy", mlp));

    std::vector<std::vector<double>> range_rows;
    for (size_t i = 0; i < r.range.lrs.size(); ++i)
        range_rows.push_back({r.range.lrs[i], r.range.losses[i], r.range.smoothed[i]});
    out.csv("range", {"lr", "loss", "smoothed"}, range_rows);
    study::Figure range({"LR range test on the " + arch + " (" + std::to_string(o.range_iter) +
                             " steps, lr " + num(o.start_lr) + " to " + num(o.end_lr) + ")",
                         "learning rate", "cross-entropy", "", true, true});
    range.add({"raw batch loss", r.range.lrs, r.range.losses, "lines", false, 1.0});
    range.add({"smoothed (beta 0.98)", r.range.lrs, r.range.smoothed, "lines", false, 2.5});
    const auto [lo, hi] = std::minmax_element(r.range.losses.begin(), r.range.losses.end());
    range.add({"suggested lr " + num(r.range.suggested_lr) + " (steepest descent)",
               {r.range.suggested_lr, r.range.suggested_lr}, {*lo, *hi}, "lines", false, 2.0});
    // The fixed-lr runs' final losses at their lrs, where they did not diverge.
    std::vector<double> fx, fy;
    for (const Run* run : mlp)
        if (!run->stopped) fx.push_back(run->lr), fy.push_back(run->final_loss);
    if (!fx.empty())
        range.add({"final loss of " + std::to_string(o.mlp_steps) + " SGD steps at that lr", fx,
                   fy, "points", false, 2.0});
    out.figure("range", range);

    const auto& qr = r.quad_range;
    out.lesson("quadratic (2/L = " + num(r.limit) + "): lr " + num(o.quad_small) + " " +
               describe(r.quad_small) + ", lr " + num(o.quad_good) + " " +
               describe(r.quad_good) + " after " + std::to_string(o.quad_steps) + " steps, lr " +
               num(o.quad_large) + " " + describe(r.quad_large) + "; the range test suggests " +
               num(qr.suggested_lr) + " = 2/L / " + num(r.limit / qr.suggested_lr, "%.2g"));
    out.lesson("MLP with SGD, " + std::to_string(o.mlp_steps) + " steps: lr " + num(o.mlp_small) +
               " " + describe(r.mlp_small) + ", lr " + num(o.mlp_good) + " " +
               describe(r.mlp_good) + ", lr " + num(o.mlp_large) + " " + describe(r.mlp_large));
    out.lesson("range test: the smoothed loss is lowest at lr " +
               num(r.range.lrs[static_cast<size_t>(r.range.best_index)]) +
               (r.range.diverged ? " and explodes by lr " + num(r.range.lrs.back()) : "") +
               "; its steepest fall, at lr " + num(r.range.suggested_lr) + ", trains to loss " +
               num(r.mlp_suggested.final_loss) + " vs " + num(r.mlp_small.final_loss) +
               " at lr " + num(o.mlp_small) + ", in " + std::to_string(o.range_iter) +
               " test steps instead of a search over runs");
    return r;
}

namespace {

Runner add_lr(CLI::App& app, Common& common) {
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "lr",
        "Learning rate too small, good, too large on an ill-conditioned quadratic and a "
        "Fashion-MNIST MLP, and the lr range test finding one");
    add_common_flags(*sub, common);
    sub->add_option("--L", o->L, "Largest curvature of the quadratic (the smallest is 1)")
        ->check(examples::number_in(1, 1e6, true));
    sub->add_option("--quad-steps", o->quad_steps, "Gradient-descent steps on the quadratic")
        ->check(examples::integer_in(10, 100000));
    sub->add_option("--mlp-steps", o->mlp_steps, "SGD steps on the MLP")
        ->check(examples::integer_in(10, 100000));
    sub->add_option("--mlp-large", o->mlp_large, "The too-large lr of the MLP")
        ->check(examples::number_in(0, 1e6, true));
    sub->add_option("--range-iter", o->range_iter, "Steps of the range test")
        ->check(examples::integer_in(2, 100000));
    sub->add_option("--images", o->images, "Training images used (the first ones)")
        ->check(examples::integer_in(1, 60000));
    sub->add_option("--batch-size", o->batch, "Images per step")
        ->check(examples::integer_in(1, 60000));
    sub->add_option("--data", o->data, "Folder of the Fashion-MNIST IDX files");
    return [o, &common] {
        o->common = common;
        Output out(common.out, "lr");
        run_lr(*o, out);
        out.commit();
    };
}

Registration reg(20, "lr", add_lr);

}  // namespace

}  // namespace lab::lr
