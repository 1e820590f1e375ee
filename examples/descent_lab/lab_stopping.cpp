// Lab "stopping": one run of Adam on an MLP far larger than its 20 noisy points, trained to the
// end, with two train::EarlyStopping rules watching it epoch by epoch: patience / min_delta on the
// validation loss, and a target training loss. The rules do not change the run, so where each one
// says stop is where a run that obeyed it would have stopped.
#include "lab_stopping.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "../cli.hpp"

namespace lab::stopping {

using namespace descent;

namespace {

// x uniform in [-1, 1], y = sin(3x) + N(0, noise²).
data::TensorDataset make_set(int64_t n, double noise, Generator& gen) {
    const Tensor x = uniform({n, 1}, -1.0f, 1.0f, gen);
    const Tensor y = (x * 3.0f).sin() + normal({n, 1}, 0.0f, static_cast<float>(noise), gen);
    return data::TensorDataset(x, y);
}

double loss_on(nn::Module& model, const data::TensorDataset& set) {
    NoGradGuard no_grad;
    return nn::functional::mse_loss(model(set.data()), set.targets()).item();
}

// Feeds one rule an epoch's value; fills `rule` the first time it says stop.
void watch(train::EarlyStopping& rule, Rule& r, double value, const Result& res, int epoch) {
    if (rule.should_stop()) return;
    if (!rule.step(value)) return;
    r.stop_epoch = epoch;
    r.stop_val = res.val_loss[epoch - 1];
    r.best_epoch = static_cast<int>(rule.best_epoch()) + 1;
    r.best_val = res.val_loss[r.best_epoch - 1];
    r.reason = rule.reason();
}

std::string at(const std::vector<double>& loss, int epoch) { return num(loss[epoch - 1], "%.4f"); }

}  // namespace

Result run_stopping(const Options& options, Output& out) {
    Options o = options;
    if (o.common.quick) o.epochs = 400, o.patience = std::min<int64_t>(o.patience, 40);
    DESCENT_CHECK(o.train_samples >= 2 && o.val_samples >= 1 && o.hidden >= 1 && o.epochs >= 2 &&
                      o.lr > 0 && o.batch_size >= 1 && o.noise > 0 && o.patience >= 1 &&
                      o.min_delta >= 0 && o.target >= 0,
                  ValueError, "descent_lab stopping: train_samples ", o.train_samples,
                  ", val_samples ", o.val_samples, ", hidden ", o.hidden, ", epochs ", o.epochs,
                  ", lr ", o.lr, ", batch_size ", o.batch_size, ", noise ", o.noise, ", patience ",
                  o.patience, ", min_delta ", o.min_delta, ", target ", o.target, " out of range");
    Generator gen(o.common.seed);
    auto train_set = std::make_shared<data::TensorDataset>(make_set(o.train_samples, o.noise, gen));
    const data::TensorDataset val_set = make_set(o.val_samples, o.noise, gen);
    manual_seed(o.common.seed + 1);
    nn::Sequential model(nn::Linear(1, o.hidden), nn::Tanh(), nn::Linear(o.hidden, o.hidden),
                         nn::Tanh(), nn::Linear(o.hidden, 1));
    optim::Adam opt(model.parameters(), optim::AdamOptions(o.lr));
    data::DataLoader loader(
        train_set,
        data::DataLoaderOptions().batch_size(o.batch_size).shuffle(true).seed(o.common.seed + 2));

    Result r;
    r.patience = o.patience;
    r.min_delta = o.min_delta;
    r.target = o.target > 0 ? o.target : o.noise * o.noise;
    // The target rule alone: a patience no run of `epochs` epochs can use up.
    train::EarlyStopping by_patience(o.patience, o.min_delta);
    train::EarlyStopping by_target(o.epochs + 1, 0, optim::Mode::min, r.target);
    r.patience_rule.name =
        "patience " + std::to_string(o.patience) + ", min_delta " + num(o.min_delta);
    r.target_rule.name = "train loss <= " + num(r.target);
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        for (const data::Batch& b : loader) {
            const Tensor loss = nn::functional::mse_loss(model(b.data), b.target);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        r.train_loss.push_back(loss_on(model, *train_set));
        r.val_loss.push_back(loss_on(model, val_set));
        watch(by_patience, r.patience_rule, r.val_loss.back(), r, epoch);
        watch(by_target, r.target_rule, r.train_loss.back(), r, epoch);
    }
    const auto best = std::min_element(r.val_loss.begin(), r.val_loss.end());
    r.best_epoch = static_cast<int>(best - r.val_loss.begin()) + 1;
    r.best_val = *best;

    std::vector<std::vector<double>> rows;
    for (int e = 1; e <= o.epochs; ++e)
        rows.push_back({double(e), r.train_loss[e - 1], r.val_loss[e - 1],
                        double(e == r.patience_rule.stop_epoch),
                        double(e == r.target_rule.stop_epoch), double(e == r.best_epoch)});
    out.csv("losses",
            {"epoch", "train_loss", "val_loss", "patience_stop", "target_stop", "best_val"}, rows);
    const auto stop_row = [](const Rule& rule) {
        return std::vector<double>{double(rule.stop_epoch), rule.stop_val, double(rule.best_epoch),
                                   rule.best_val};
    };
    out.csv("stops", {"stop_epoch", "val_at_stop", "best_epoch", "val_at_best"},
            {stop_row(r.patience_rule),
             stop_row(r.target_rule),
             {double(o.epochs), r.val_loss.back(), double(r.best_epoch), r.best_val}});

    // Both curves, and a point where each rule stops (a rule that never stopped has none).
    study::Figure f({"Adam on " + std::to_string(o.train_samples) + " noisy points, a 1-" +
                         std::to_string(o.hidden) + "-" + std::to_string(o.hidden) +
                         "-1 tanh MLP: where each rule stops",
                     "epoch", "mean squared error", "", false, true});
    std::vector<double> epochs(o.epochs);
    for (int e = 0; e < o.epochs; ++e) epochs[e] = e + 1;
    f.add({"train loss", epochs, r.train_loss});
    f.add({"validation loss", epochs, r.val_loss});
    const auto mark = [&](const std::string& title, int epoch, const std::vector<double>& loss) {
        if (epoch > 0) f.add({title, {double(epoch)}, {loss[epoch - 1]}, "points", false, 2.5});
    };
    mark("lowest validation loss (epoch " + std::to_string(r.best_epoch) + ")", r.best_epoch,
         r.val_loss);
    mark("patience stop (epoch " + std::to_string(r.patience_rule.stop_epoch) + ")",
         r.patience_rule.stop_epoch, r.val_loss);
    mark("target stop (epoch " + std::to_string(r.target_rule.stop_epoch) + ")",
         r.target_rule.stop_epoch, r.train_loss);
    out.figure("losses", f);

    const int end = o.epochs;
    out.lesson(
        "trained to the end, the validation loss is lowest at epoch " +
        std::to_string(r.best_epoch) + " (" + at(r.val_loss, r.best_epoch) + ") and ends at " +
        at(r.val_loss, end) + " after " + std::to_string(end) +
        " epochs while the train loss falls to " + at(r.train_loss, end) +
        (r.train_loss.back() < o.noise * o.noise
             ? ", below the noise variance " + num(o.noise * o.noise) + ": the net fits the noise"
             : ""));
    const Rule& p = r.patience_rule;
    if (p.stop_epoch > 0)
        out.lesson(p.name + " stopped at epoch " + std::to_string(p.stop_epoch) +
                   " with validation loss " + num(p.stop_val, "%.4f") + " (" +
                   std::to_string(end - p.stop_epoch) + " epochs saved); its best, epoch " +
                   std::to_string(p.best_epoch) + " with " + num(p.best_val, "%.4f") +
                   ", is what restoring the best checkpoint keeps");
    else
        out.lesson(p.name + " never stopped in " + std::to_string(end) + " epochs");
    const Rule& t = r.target_rule;
    if (t.stop_epoch > 0)
        out.lesson(t.name + " (the noise level: lower fits the noise) stopped at epoch " +
                   std::to_string(t.stop_epoch) + " with validation loss " +
                   num(t.stop_val, "%.4f") + " vs " + at(r.val_loss, end) + " at the end (" +
                   std::to_string(end - t.stop_epoch) + " epochs saved)");
    else
        out.lesson(t.name + " never reached in " + std::to_string(end) + " epochs");
    return r;
}

namespace {

Runner add_stopping(CLI::App& app, Common& common) {
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "stopping", "Early stopping by patience / min_delta and at a target loss vs training on");
    add_common_flags(*sub, common);
    sub->add_option("--epochs", o->epochs, "Epochs of the full run")
        ->check(examples::integer_in(2, 100000));
    sub->add_option("--patience", o->patience, "Epochs without improvement before stopping")
        ->check(examples::integer_in(1, 100000));
    sub->add_option("--min-delta", o->min_delta,
                    "Improvement of the validation loss that counts as one")
        ->check(examples::number_in(0, 10));
    sub->add_option("--target", o->target, "Training loss to stop at; 0: the noise variance")
        ->check(examples::number_in(0, 10));
    sub->add_option("--lr", o->lr, "Learning rate of Adam")->check(examples::number_in(0, 1, true));
    sub->add_option("--train-samples", o->train_samples, "Noisy points the net is fitted to")
        ->check(examples::integer_in(2, 100000));
    sub->add_option("--hidden", o->hidden, "Units of each of the two hidden layers")
        ->check(examples::integer_in(1, 4096));
    return [o, &common] {
        o->common = common;
        Output out(common.out, "stopping");
        run_stopping(*o, out);
        out.commit();
    };
}

Registration reg(40, "stopping", add_stopping);

}  // namespace

}  // namespace lab::stopping
