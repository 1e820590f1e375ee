// The training driver mnist_mlp and mnist_cnn share: their common flags, the optimizer and schedule
// they name, the epoch loop (progress bar, divergence guard, validation, CSV log, early stopping,
// checkpoints and resuming from one), the final confusion matrix, and the run's pictures (--plot)
// and HTML report (--report). Each program adds its model
// and its own flags. Under `mpirun -np N` it trains data-parallel (docs/distributed.md).
#pragma once

#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <descent/descent.hpp>

#include "cli.hpp"
#include "diagnostics_log.hpp"
#include "run_report.hpp"

namespace examples {

using namespace descent;

struct Config {
    int epochs = 10;
    int64_t batch_size = 64;
    double lr = 0;  // 0: the optimizer's usual rate
    std::string optimizer = "adam";
    uint64_t seed = 0;
    int threads = 0;  // 0: all cores
    std::string data = data::default_fashion_mnist_dir();
    std::string save, log;
    std::string checkpoint, resume;  // checkpoint: "{epoch}" in it becomes the epoch number
    int early_stop = 0;              // patience in epochs; 0: off
    int64_t validation = 5000;
    std::string schedule = "cosine";
    double weight_decay = 0;
    std::string diagnostics;          // gradient-flow CSV (diagnostics_log.hpp); "": off
    int64_t diagnostics_every = 100;  // batches between its samples
    std::string plot;                 // folder for the curves' PNG and SVG files; "": none
    std::string report;               // the run's HTML page (train::Report); "": none
};

inline std::unique_ptr<optim::Optimizer> make_optimizer(const Config& c,
                                                        std::vector<Tensor> params) {
    const bool adaptive =
        c.optimizer == "adam" || c.optimizer == "adamw" || c.optimizer == "rmsprop";
    const double lr = c.lr > 0 ? c.lr : adaptive ? 1e-3 : 0.05;
    if (c.optimizer == "sgd")
        return std::make_unique<optim::SGD>(params,
                                            optim::SGDOptions(lr).weight_decay(c.weight_decay));
    if (c.optimizer == "momentum")
        return std::make_unique<optim::SGD>(
            params, optim::SGDOptions(lr).momentum(0.9).weight_decay(c.weight_decay));
    if (c.optimizer == "nesterov")
        return std::make_unique<optim::SGD>(
            params,
            optim::SGDOptions(lr).momentum(0.9).nesterov(true).weight_decay(c.weight_decay));
    if (c.optimizer == "rmsprop")
        return std::make_unique<optim::RMSprop>(
            params, optim::RMSpropOptions(lr).weight_decay(c.weight_decay));
    if (c.optimizer == "adamw")
        return std::make_unique<optim::AdamW>(
            params,
            optim::AdamWOptions(lr).weight_decay(c.weight_decay > 0 ? c.weight_decay : 1e-2));
    return std::make_unique<optim::Adam>(params,
                                         optim::AdamOptions(lr).weight_decay(c.weight_decay));
}

// The checkpoint file of `epoch`: the --checkpoint path with "{epoch}" replaced by its number.
inline std::string checkpoint_path(std::string pattern, int epoch) {
    const std::string mark = "{epoch}";
    for (auto at = pattern.find(mark); at != std::string::npos; at = pattern.find(mark, at))
        pattern.replace(at, mark.size(), std::to_string(epoch));
    return pattern;
}

struct Evaluation {
    double loss = 0, accuracy = 0;
};

// Mean cross-entropy and accuracy over a dataset, without building a graph; fills cm and collects
// the wrong predictions (by index in the set) if given.
inline Evaluation evaluate(nn::Module& model, const std::shared_ptr<data::Dataset>& set,
                           train::ConfusionMatrix* cm = nullptr,
                           std::vector<Mistake>* wrong = nullptr) {
    NoGradGuard no_grad;
    model.eval();
    data::DataLoader loader(set, data::DataLoaderOptions().batch_size(1000));
    double loss_sum = 0;
    int64_t correct = 0, n = 0;
    for (const data::Batch& batch : loader) {
        const Tensor logits = model(batch.data);
        loss_sum += nn::functional::cross_entropy(logits, batch.labels).item() *
                    static_cast<double>(batch.size());
        correct += train::correct(logits, batch.labels);
        if (cm) cm->update(logits, batch.labels);
        if (wrong) add_mistakes(logits, batch.labels, n, *wrong);  // in order: not shuffled
        n += batch.size();
    }
    model.train();
    return {loss_sum / static_cast<double>(n),
            static_cast<double>(correct) / static_cast<double>(n)};
}

// What a program adds to the driver: its name (for messages), how to build its model, and an
// optional per-batch augmentation of the training set.
struct Program {
    const char* name;
    std::function<std::shared_ptr<nn::Module>()> make_model;
    data::Transform augment;  // empty: none
};

// After loading --resume: refuses a checkpoint this run cannot continue (UsageError).
inline void check_resumable(const Config& c, const train::Checkpoint& ckpt,
                            const train::EarlyStopping& early,
                            const optim::LRScheduler* scheduler) {
    const std::string what = "--resume: " + c.resume;
    if (ckpt.batch != 0)
        throw UsageError(detail::cat(what, " stops after batch ", ckpt.batch, " of epoch ",
                                     ckpt.epoch + 1, "; this program resumes at epoch ends"));
    if (early.should_stop())
        throw UsageError(what + " is of a run that stopped early (" + early.reason() + ")");
    if (const auto* cosine = dynamic_cast<const optim::CosineAnnealingLR*>(scheduler))
        if (cosine->T_max() != c.epochs)
            throw UsageError(detail::cat(what, " anneals over ", cosine->T_max(),
                                         " epochs: give --epochs ", cosine->T_max(),
                                         ", as its run had"));
    if (ckpt.epoch >= c.epochs)
        throw UsageError(detail::cat(what, " has ", ckpt.epoch, " epochs done; --epochs ", c.epochs,
                                     " leaves none to run"));
}

// The report's settings table: every flag's value, and what they resolved to.
inline std::vector<std::pair<std::string, std::string>> settings(
    const Config& c, const char* name, nn::Module& model, optim::Optimizer& optimizer,
    distributed::Environment& env) {
    auto num = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", v);
        return std::string(buf);
    };
    int64_t parameters = 0;
    for (const Tensor& p : model.parameters()) parameters += p.numel();
    std::vector<std::pair<std::string, std::string>> s{
        {"program", name},
        {"parameters", std::to_string(parameters)},
        {"epochs", std::to_string(c.epochs)},
        {"batch size", std::to_string(c.batch_size) +
                           (env.is_distributed()
                                ? " per rank, " + std::to_string(env.world_size()) + " ranks"
                                : "")},
        {"optimizer", c.optimizer},
        {"lr (at the start)", num(optimizer.param_groups()[0].options().get_lr())},
        {"schedule", c.schedule},
        {"weight decay", num(c.weight_decay)},
        {"validation images", std::to_string(c.validation)},
        {"early stop patience", c.early_stop > 0 ? std::to_string(c.early_stop) : "off"},
        {"seed", std::to_string(c.seed)},
        {"BLAS threads", std::to_string(get_num_threads())},
        {"data", c.data}};
    if (!c.resume.empty()) s.emplace_back("resumed from", c.resume);
    if (!c.diagnostics.empty())
        s.emplace_back("diagnostics", c.diagnostics + ", every " +
                                          std::to_string(c.diagnostics_every) + " batches");
    return s;
}

inline int train_classifier(const Config& c, const Program& program,
                            distributed::Environment& env) {
    // A data-parallel run: every rank trains --batch-size samples of its own shard per step (a
    // global batch of N times that) and averages gradients; only rank 0 prints and writes files.
    auto& comm = env.communicator();
    if (!env.is_main()) std::freopen("/dev/null", "w", stdout);
    apply_threads(c.threads);
    manual_seed(c.seed);

    auto full_train = std::make_shared<data::MNIST>(c.data, data::MNIST::Split::Train);
    auto test = std::make_shared<data::MNIST>(c.data, data::MNIST::Split::Test);
    if (c.validation >= full_train->size())
        throw UsageError(detail::cat("--validation ", c.validation,
                                     " leaves no training images (the set has ", full_train->size(),
                                     ")"));
    auto parts =
        data::random_split(full_train, {full_train->size() - c.validation, c.validation}, c.seed);
    std::shared_ptr<data::Dataset> train_set = parts[0], val_set = parts[1];
    const auto loader_options =
        data::DataLoaderOptions().batch_size(c.batch_size).shuffle(true).seed(c.seed);
    data::DataLoader loader =
        env.is_distributed()
            ? data::DataLoader(train_set,
                               std::make_shared<distributed::DistributedSampler>(
                                   train_set->size(), env.world_size(), env.rank(), true, c.seed),
                               loader_options)
            : data::DataLoader(train_set, loader_options);
    if (program.augment) loader.set_transform(program.augment);

    auto model = program.make_model();
    auto optimizer = make_optimizer(c, model->parameters());
    std::unique_ptr<distributed::DistributedDataParallel> ddp;  // checks, broadcasts rank 0's model
    if (env.is_distributed())
        ddp = std::make_unique<distributed::DistributedDataParallel>(*model, comm);
    // Taken before the schedule changes the lr.
    const auto run_settings = settings(c, program.name, *model, *optimizer, env);
    std::cout << "descent: matrix products by " << gemm_backend() << ", " << get_num_threads()
              << " thread(s)\n";
    std::cout << nn::summary(*model, {1, 1, 28, 28}) << "\n";
    std::cout << "Fashion-MNIST from " << c.data << ": " << train_set->size() << " train, "
              << val_set->size() << " validation, " << test->size() << " test images; "
              << c.optimizer << " lr " << optimizer->param_groups()[0].options().get_lr()
              << ", batch " << c.batch_size << ", " << get_num_threads() << " BLAS thread(s)";
    if (env.is_distributed())
        std::cout << " per rank; " << env.world_size() << " ranks, global batch "
                  << c.batch_size * env.world_size();
    std::cout << "\n";

    const bool has_val = val_set->size() > 0;  // --validation 0: no validation columns
    train::EarlyStopping early(c.early_stop > 0 ? c.early_stop : 1);
    // Cosine annealing takes the rate from lr down to 0 over the run (stepped once per epoch).
    std::unique_ptr<optim::LRScheduler> scheduler;
    if (c.schedule == "cosine")
        scheduler = std::make_unique<optim::CosineAnnealingLR>(*optimizer, c.epochs);

    train::DivergenceGuard guard;
    // Everything the loop changes, so that a resumed run goes on as if it had never stopped.
    train::Checkpoint ckpt(*model, *optimizer);
    ckpt.add("divergence", guard);
    if (scheduler) ckpt.add("scheduler", *scheduler);
    if (c.early_stop > 0) ckpt.add("early_stopping", early);
    distributed::WorldSizeState world(env.world_size());
    if (env.is_distributed()) ckpt.add("distributed", world);  // refuses another world size
    if (!c.resume.empty()) {
        ckpt.load(c.resume);
        check_resumable(c, ckpt, early, scheduler.get());
        loader.set_epoch(ckpt.epoch);
        std::cout << "resumed from " << c.resume << " after epoch " << ckpt.epoch << "\n";
    }
    // A resumed run continues its log: the rows up to the checkpoint stay.
    std::unique_ptr<train::CsvLogger> csv;
    std::vector<std::string> columns{"epoch", "train_loss", "test_accuracy", "lr", "seconds"};
    if (has_val) columns.insert(columns.begin() + 2, {"val_loss", "val_accuracy"});
    if (!c.log.empty() && c.resume.empty() && env.is_main())
        csv = std::make_unique<train::CsvLogger>(c.log, columns);
    else if (!c.log.empty() && env.is_main())
        csv = std::make_unique<train::CsvLogger>(c.log, columns, static_cast<size_t>(ckpt.epoch));

    std::unique_ptr<DiagnosticsLog> diag;  // a resumed run starts a new file; rank 0 only
    // What --plot and --report draw: this run's epochs (a resumed run's earlier ones are in its
    // --log CSV) and, with --diagnostics, its gradient norms.
    train::TrainingCurves curves(columns);
    if (!c.diagnostics.empty() && env.is_main())
        diag = std::make_unique<DiagnosticsLog>(c.diagnostics, *model, c.diagnostics_every,
                                                &curves);

    for (int epoch = static_cast<int>(ckpt.epoch) + 1; epoch <= c.epochs; ++epoch) {
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "epoch %d/%d", epoch, c.epochs);
        train::ProgressBar bar(static_cast<int64_t>(loader.size()), prefix);
        int64_t step = 0;
        for (const data::Batch& batch : loader) {
            const Tensor loss = nn::functional::cross_entropy((*model)(batch.data), batch.labels);
            optimizer->zero_grad();
            loss.backward();
            if (ddp) ddp->synchronize();
            const bool sampled = diag && diag->wants(step + 1, int64_t(loader.size()));
            if (sampled) diag->before_step();
            optimizer->step();
            // the mean over ranks: the global batch's loss, the same on every rank
            const double value =
                ddp ? distributed::mean_over_ranks(loss.item(), comm) : loss.item();
            ++step;
            if (sampled)
                for (const std::string& warning :
                     diag->after_step(epoch, step, int64_t(loader.size()))) {
                    bar.finish();
                    std::cerr << program.name << ": diagnostics: " << warning << "\n";
                }
            // A NaN or inf loss ends the run here (one line, exit 1); a 10x growth is a warning.
            if (auto warning = guard.check(value, epoch, step,
                                           optimizer->param_groups()[0].options().get_lr())) {
                bar.finish();
                std::cerr << program.name << ": " << *warning << "\n";
            }
            bar.update(step, batch.size() * env.world_size(), value);  // all ranks' samples
        }
        bar.finish();
        guard.end_epoch(bar.mean_loss());
        const double seconds = bar.seconds();
        const Evaluation val = has_val ? evaluate(*model, val_set) : Evaluation{};
        const Evaluation tst = evaluate(*model, test);
        const double lr = optimizer->param_groups()[0].options().get_lr();  // this epoch's
        if (scheduler) scheduler->step();
        char val_text[64] = "";
        if (has_val)
            std::snprintf(val_text, sizeof val_text, "  val loss %.4f  val acc %.2f%%", val.loss,
                          100 * val.accuracy);
        std::printf("epoch %2d/%d  train loss %.4f%s  test acc %.2f%%  %.1f s (%.0f samples/s)\n",
                    epoch, c.epochs, bar.mean_loss(), val_text, 100 * tst.accuracy, seconds,
                    bar.samples_per_second());
        std::fflush(stdout);
        const std::vector<double> row =
            has_val ? std::vector<double>{double(epoch), bar.mean_loss(), val.loss, val.accuracy,
                                          tst.accuracy, lr, seconds}
                    : std::vector<double>{double(epoch), bar.mean_loss(), tst.accuracy, lr, seconds};
        if (csv) csv->log(row);
        curves.log(row);
        const bool stop = c.early_stop > 0 && early.step(val.loss);
        if (!c.checkpoint.empty() && env.is_main()) {
            ckpt.epoch = epoch;
            ckpt.save(checkpoint_path(c.checkpoint, epoch));  // atomic: a kill leaves the last one
        }
        if (stop) {
            std::cout << "early stop: " << early.reason() << "\n";
            break;
        }
    }

    train::ConfusionMatrix cm(10);
    std::vector<Mistake> wrong;
    const Evaluation final_test = evaluate(*model, test, &cm, c.report.empty() ? nullptr : &wrong);
    std::printf("\ntest accuracy %.2f%% (%lld images). Confusion matrix:\n",
                100 * final_test.accuracy, static_cast<long long>(test->size()));
    std::cout << cm.to_string(data::fashion_mnist_classes());
    if (!c.save.empty() && env.is_main()) {
        io::save_npz(c.save, model->state_dict());
        std::cout << "weights saved to " << c.save
                  << " (NumPy .npz; see docs/state-dict-format.md)\n";
    }
    if (!c.plot.empty() && env.is_main() && !curves.rows().empty()) {
        const std::vector<std::string> paths = curves.save(c.plot);
        std::cout << "pictures of the run: " << paths.size() << " files in " << c.plot << "\n";
    }
    if (!c.report.empty() && env.is_main()) {
        RunSummary run;
        run.title = std::string(program.name) + ": Fashion-MNIST training run";
        run.settings = run_settings;
        run.curves = &curves;
        run.confusion = &cm;
        run.class_names = data::fashion_mnist_classes();
        run.mistakes = most_confident(std::move(wrong), 16);
        run.test = test;
        make_report(run).save(c.report);
        std::cout << "report written to " << c.report << "\n";
    }
    return 0;
}

// The flags both programs take; call after show_defaults(app).
inline void add_training_flags(CLI::App& app, Config& c) {
    app.add_option("--epochs", c.epochs, "Passes over the training set")
        ->check(integer_in(1, 100000));
    app.add_option("--batch-size", c.batch_size, "Samples per step")->check(integer_in(1, 1 << 20));
    app.add_option("--lr", c.lr, "Learning rate; 0: 1e-3 for adam/adamw/rmsprop, 0.05 for sgd")
        ->check(number_in(0, 10));
    app.add_option("--optimizer", c.optimizer, "Optimizer")
        ->check(CLI::IsMember({"sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"}));
    app.add_option("--seed", c.seed, "Seed for initialisation, shuffling and the split")
        ->check(integer_in(0, std::numeric_limits<int64_t>::max()));
    add_threads_flag(app, c.threads);
    app.add_option("--data", c.data, "Folder with the four MNIST-style IDX files (.gz or not)");
    app.add_option("--save", c.save, "Write the trained weights to this .npz file");
    app.add_option("--log", c.log, "Write per-epoch metrics to this CSV file");
    app.add_option("--checkpoint", c.checkpoint,
                   "After every epoch, write everything needed to resume (model, optimizer, "
                   "schedule, random state, epoch) to this .npz, atomically; {epoch} in the path "
                   "becomes the epoch number");
    app.add_option("--resume", c.resume,
                   "Continue the run that wrote this --checkpoint file, exactly as if it had not "
                   "stopped; give that run's flags");
    app.add_option("--early-stop", c.early_stop,
                   "Stop when validation loss has not improved for this many epochs (0: off; "
                   "needs --validation > 0)")
        ->check(integer_in(0, 100000));
    app.add_option("--validation", c.validation,
                   "Training images held out for validation (0: none)")
        ->check(integer_in(0, 59999));
    app.add_option("--schedule", c.schedule, "Learning-rate schedule over the epochs")
        ->check(CLI::IsMember({"none", "cosine"}));
    app.add_option("--weight-decay", c.weight_decay, "L2 weight decay (AdamW: decoupled; 0: 1e-2)")
        ->check(number_in(0, 1));
    app.add_option("--diagnostics", c.diagnostics,
                   "Write gradient-flow diagnostics (per parameter: gradient norm, weight norm, "
                   "update/weight ratio; per ReLU: dead fraction) to this CSV file "
                   "(docs/diagnostics.md)");
    app.add_option("--diagnostics-every", c.diagnostics_every,
                   "Batches between two --diagnostics samples (the last batch of an epoch too)")
        ->check(integer_in(1, 1 << 30));
    app.add_option("--plot", c.plot,
                   "At the end, draw loss and accuracy curves (lr on a second axis) and, with "
                   "--diagnostics, gradient norms per parameter, as PNG and SVG into this folder "
                   "(made if missing; needs gnuplot)");
    app.add_option("--report", c.report,
                   "At the end, write one self-contained HTML page of the run: settings, curves, "
                   "per-epoch table, gradient norms, confusion matrix, the test images most "
                   "confidently misclassified");
}

// Usage errors that need more than one flag, then the output paths, then the run.
inline int run_training(CLI::App& app, const char* name, int argc, char** argv, Config& c,
                        const std::function<Program()>& program) {
    distributed::Environment env;  // under mpirun: this process's rank; otherwise rank 0 of 1
    const int status = run_cli(app, name, argc, argv, [&] {
        if (c.early_stop > 0 && c.validation == 0)
            throw UsageError("--early-stop monitors the validation loss: give --validation N > 0");
        check_output("--save", c.save);
        check_output("--log", c.log);
        check_output("--diagnostics", c.diagnostics);
        check_output("--report", c.report);
        check_output_folder("--plot", c.plot);
        if (!c.plot.empty() && !train::gnuplot_available())
            throw UsageError("--plot draws with gnuplot, which is not on PATH (install "
                             "gnuplot-nox, e.g. with scripts/install-deps.sh)");
        check_output("--checkpoint", checkpoint_path(c.checkpoint, 1));
        check_input("--resume", c.resume);
        return train_classifier(c, program(), env);
    });
    // This rank failed and said why: end every rank rather than leave them in a collective.
    if (status != 0 && env.is_distributed())
        env.communicator().abort(status, std::string(name) + ": ending the run (see above)");
    return status;
}

}  // namespace examples
