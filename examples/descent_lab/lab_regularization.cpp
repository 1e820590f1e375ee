// Lab `regularization`: 30 samples, 100 features of which 5 matter, a linear model trained by
// full-batch gradient descent with no penalty, with L2 (SGD's weight_decay) and with L1 (a
// proximal step: soft-thresholding after each gradient step; and, to compare, the subgradient of
// optim::l1_penalty, which leaves weights dithering around 0 instead of at it).
#include "lab_regularization.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "../cli.hpp"

namespace lab {

using namespace descent;

namespace {

enum class Penalty { None, L2, L1Proximal, L1Subgradient };

struct Problem {
    Tensor x_train, y_train, x_val, y_val;
    std::vector<float> true_weights;
};

// y = x·w_true + noise, x standard normal; the first `informative` weights are nonzero.
Problem make_problem(const RegularizationOptions& o) {
    Generator gen(o.seed);
    Problem p;
    p.true_weights.assign(static_cast<size_t>(o.features), 0.0f);
    const float pattern[] = {3.0f, -2.0f, 1.5f, -1.0f, 0.75f};
    for (int64_t j = 0; j < o.informative; ++j)
        p.true_weights[static_cast<size_t>(j)] = pattern[j % 5] * (j < 5 ? 1.0f : 0.5f);
    const Tensor w = tensor(p.true_weights, {o.features, 1});
    auto make = [&](int64_t n, Tensor& x, Tensor& y) {
        x = randn({n, o.features}, gen);
        NoGradGuard no_grad;
        y = matmul(x, w) + normal({n, 1}, 0.0f, static_cast<float>(o.noise), gen);
    };
    make(o.train, p.x_train, p.y_train);
    make(o.val, p.x_val, p.y_val);
    return p;
}

double mse(nn::Linear& model, const Tensor& x, const Tensor& y) {
    NoGradGuard no_grad;
    return nn::functional::mse_loss(model(x), y).item();
}

RegularizationRun train(const RegularizationOptions& o, const Problem& p, Penalty penalty,
                        const std::string& name) {
    manual_seed(o.seed);  // every run starts from the same weights
    nn::Linear model(o.features, 1, /*bias=*/false);
    const double decay = penalty == Penalty::L2 ? o.l2 : 0.0;
    optim::SGD sgd(model.parameters(), optim::SGDOptions(o.lr).weight_decay(decay));
    RegularizationRun run;
    run.name = name;
    auto record = [&] {
        run.train_loss.push_back(mse(model, p.x_train, p.y_train));
        run.val_loss.push_back(mse(model, p.x_val, p.y_val));
    };
    record();
    const auto threshold = static_cast<float>(o.lr * o.l1);
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        sgd.zero_grad();
        Tensor loss = nn::functional::mse_loss(model(p.x_train), p.y_train);
        if (penalty == Penalty::L1Subgradient)
            loss = loss + optim::l1_penalty({model.weight}, static_cast<float>(o.l1));
        loss.backward();
        sgd.step();
        if (penalty == Penalty::L1Proximal) {
            // The proximal operator of lr·lambda·|w|: shrink toward 0 and stop there. A weight
            // whose data gradient cannot outpull lambda lands on exactly 0 and stays, where the
            // subgradient step would overshoot 0 by up to lr·lambda every step.
            NoGradGuard no_grad;
            float* w = model.weight.data();
            for (int64_t j = 0; j < model.weight.numel(); ++j) {
                const float shrunk = std::fabs(w[j]) - threshold;
                w[j] = shrunk > 0 ? std::copysign(shrunk, w[j]) : 0.0f;  // +0, not -0, in the CSV
            }
        }
        record();
    }
    run.weights = model.weight.to_vector();
    run.min_abs = INFINITY;
    for (float w : run.weights) {
        run.zeros += w == 0.0f;
        run.min_abs = std::min(run.min_abs, static_cast<double>(std::fabs(w)));
    }
    return run;
}

// Counts of `weights` in bins of `width` centred on multiples of it, drawn as boxes a third of a
// bin wide, shifted by `shift` bins so that three histograms stand side by side.
study::Series histogram(const RegularizationRun& run, double width, double lo, double hi,
                        double shift, const std::string& title) {
    const int bins = static_cast<int>(std::lround((hi - lo) / width)) + 1;
    std::vector<double> counts(static_cast<size_t>(bins), 0.0);
    for (float w : run.weights) {
        const long b = std::lround((w - lo) / width);
        counts[static_cast<size_t>(std::clamp<long>(b, 0, bins - 1))] += 1;
    }
    study::Series s{title, {}, {}, "boxes"};
    // Zero-height boxes a third of a bin either side make gnuplot's automatic box width a third.
    for (int b = 0; b < bins; ++b) {
        const double centre = lo + b * width + shift * width;
        for (double d : {-1.0, 0.0, 1.0}) {
            s.x.push_back(centre + d * width / 3);
            s.y.push_back(d == 0.0 ? counts[static_cast<size_t>(b)] : 0.0);
        }
    }
    return s;
}

}  // namespace

RegularizationResult run_regularization(const RegularizationOptions& o_in, Output& out) {
    RegularizationOptions o = o_in;
    if (o.quick) o.epochs = std::min(o.epochs, 1500);
    DESCENT_CHECK(o.informative >= 1 && o.informative < o.features, ValueError,
                  "run_regularization(): informative features must be in [1, features), got ",
                  o.informative, " of ", o.features);
    const Problem p = make_problem(o);
    RegularizationResult r;
    r.true_weights = p.true_weights;
    r.noise_floor = o.noise * o.noise;
    r.none = train(o, p, Penalty::None, "none");
    r.l2 = train(o, p, Penalty::L2, "L2");
    r.l1 = train(o, p, Penalty::L1Proximal, "L1");
    r.l1_subgradient = train(o, p, Penalty::L1Subgradient, "L1 subgradient");
    const RegularizationRun* runs[] = {&r.none, &r.l2, &r.l1, &r.l1_subgradient};

    std::vector<std::vector<double>> curve_rows;
    for (size_t e = 0; e < r.none.train_loss.size(); ++e) {
        std::vector<double> row{static_cast<double>(e)};
        for (const RegularizationRun* run : runs) {
            row.push_back(run->train_loss[e]);
            row.push_back(run->val_loss[e]);
        }
        curve_rows.push_back(row);
    }
    out.csv("curves",
            {"epoch", "train_none", "val_none", "train_l2", "val_l2", "train_l1", "val_l1",
             "train_l1_subgradient", "val_l1_subgradient"},
            curve_rows);
    std::vector<std::vector<double>> weight_rows;
    for (size_t j = 0; j < r.true_weights.size(); ++j)
        weight_rows.push_back({static_cast<double>(j), r.true_weights[j], r.none.weights[j],
                               r.l2.weights[j], r.l1.weights[j], r.l1_subgradient.weights[j]});
    out.csv("weights", {"feature", "true", "none", "l2", "l1", "l1_subgradient"}, weight_rows);

    // Histogram of the final weights, bins 0.1 wide; the bin at 0 holds |w| < 0.05.
    double lo = 0, hi = 0;
    for (const RegularizationRun* run : runs)
        for (float w : run->weights) lo = std::min(lo, double(w)), hi = std::max(hi, double(w));
    const double width = 0.1;
    lo = std::floor(lo / width) * width, hi = std::ceil(hi / width) * width;
    const std::string f = std::to_string(o.features), k = std::to_string(o.informative);
    study::Figure weights(
        {"Final weights of " + f + " (" + k + " nonzero in truth): L1 sets most exactly to 0",
         "weight (bins of 0.1)", "count", "", false, false});
    weights.add(histogram(r.none, width, lo, hi, -1.0 / 3,
                          "none (" + std::to_string(r.none.zeros) + " exact zeros)"));
    weights.add(
        histogram(r.l2, width, lo, hi, 0.0, "L2 (" + std::to_string(r.l2.zeros) + " exact zeros)"));
    weights.add(histogram(r.l1, width, lo, hi, 1.0 / 3,
                          "L1 proximal (" + std::to_string(r.l1.zeros) + " exact zeros)"));
    out.figure("weights", weights);

    // Loss curves, every epoch, log y; train solid-ish, validation as the second series of a pair.
    study::Figure curves({"Train vs validation loss (" + std::to_string(o.train) +
                              " train samples, " + f + " features)",
                          "epoch", "mean squared error", "", false, true});
    for (const RegularizationRun* run : {&r.none, &r.l2, &r.l1}) {
        std::vector<double> epochs, train, val;
        for (size_t e = 0; e < run->train_loss.size(); e += 5) {
            epochs.push_back(static_cast<double>(e));
            train.push_back(std::max(run->train_loss[e], 1e-12));
            val.push_back(run->val_loss[e]);
        }
        curves.add({run->name + " train", epochs, train});
        curves.add({run->name + " validation", epochs, val, "lines", false, 3.0});
    }
    out.figure("curves", curves);

    const auto n = std::to_string(r.true_weights.size());
    out.lesson("L1 (proximal soft-thresholding) set " + std::to_string(r.l1.zeros) + " of " + n +
               " weights to exactly 0, L2 " + std::to_string(r.l2.zeros) +
               " (smallest |w| = " + num(r.l2.min_abs) + "), none " + std::to_string(r.none.zeros) +
               " (smallest |w| = " + num(r.none.min_abs) + ")");
    out.lesson("the plain L1 subgradient set " + std::to_string(r.l1_subgradient.zeros) +
               " to exactly 0: its step sign(w)·lr·lambda = " + num(o.lr * o.l1) +
               " jumps over 0, leaving weights dithering (smallest |w| = " +
               num(r.l1_subgradient.min_abs) + ")");
    out.lesson("val loss none " + num(r.none.val_loss.back()) + " vs L2 " +
               num(r.l2.val_loss.back()) + " vs L1 " + num(r.l1.val_loss.back()) +
               " (noise floor " + num(r.noise_floor) + "); train loss none " +
               num(r.none.train_loss.back()) + ": it fits the noise");
    return r;
}

namespace {

Runner add_regularization(CLI::App& app, Common& common) {
    auto o = std::make_shared<RegularizationOptions>();
    CLI::App* sub = app.add_subcommand(
        "regularization",
        "None vs L2 vs L1 on 30 samples of 100 features (5 matter): losses, weights, exact zeros");
    add_common_flags(*sub, common);
    sub->add_option("--epochs", o->epochs, "Full-batch gradient steps")
        ->check(examples::integer_in(1, 1000000));
    sub->add_option("--lr", o->lr, "Learning rate")->check(examples::number_in(0, 0.1, true));
    sub->add_option("--l1", o->l1, "lambda of the L1 penalty lambda·Σ|w|")
        ->check(examples::number_in(0, 100));
    sub->add_option("--l2", o->l2, "Weight decay of the L2 run")
        ->check(examples::number_in(0, 100));
    sub->add_option("--noise", o->noise, "Std of the target noise")
        ->check(examples::number_in(0, 100));
    return [o, &common] {
        o->seed = common.seed;
        o->quick = common.quick;
        Output out(common.out, "regularization");
        run_regularization(*o, out);
        out.commit();
    };
}

static lab::Registration reg(30, "regularization", add_regularization);

}  // namespace

}  // namespace lab
