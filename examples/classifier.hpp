// The training driver mnist_mlp and mnist_cnn share, in pieces train_classifier() names: the
// run's set-up (data, model, optimizer, resuming, logs), one epoch (progress bar, divergence guard,
// diagnostics), evaluation, and reporting (epoch lines, CSV log, confusion matrix, --plot,
// --report). Each program adds its model and its own flags (training_config.hpp has the shared
// ones). Under `mpirun -np N` it trains data-parallel (docs/distributed.md).
#pragma once

#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <descent/descent.hpp>
#ifdef DESCENT_WITH_ONNX
#include <descent/onnx/export.hpp>
#endif

#include "diagnostics_log.hpp"
#include "run_report.hpp"
#include "run_settings.hpp"
#include "training_config.hpp"

namespace examples {

using namespace descent;

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
        if (wrong)  // in order: not shuffled
            add_mistakes(logits, batch.labels.to_vector<int64_t>(), n, *wrong);
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

// After loading --resume: refuses a checkpoint this run cannot continue (UsageError). Returns
// true for a finished run (all its epochs done, or stopped early), whose outputs are then written
// without training.
inline bool check_resumable(const Config& c, const train::Checkpoint& ckpt,
                            const train::EarlyStopping& early,
                            const optim::LRScheduler* scheduler) {
    const std::string what = "--resume: " + c.resume;
    if (ckpt.batch != 0)
        throw UsageError(detail::cat(what, " stops after batch ", ckpt.batch, " of epoch ",
                                     ckpt.epoch + 1, "; this program resumes at epoch ends"));
    if (early.should_stop()) return true;
    if (const auto* cosine = dynamic_cast<const optim::CosineAnnealingLR*>(scheduler))
        if (cosine->T_max() != c.epochs)
            throw UsageError(detail::cat(what, " anneals over ", cosine->T_max(),
                                         " epochs: give --epochs ", cosine->T_max(),
                                         ", as its run had"));
    if (ckpt.epoch > c.epochs)
        throw UsageError(detail::cat(what, " has ", ckpt.epoch, " epochs done; --epochs ", c.epochs,
                                     " is fewer"));
    return ckpt.epoch == c.epochs;
}

// A checkpoint part "curves": the per-epoch rows so far, so that a resumed run's --plot and
// --report show all of its epochs. Float32, as every checkpoint tensor.
struct CurvesState {
    study::TrainingCurves* curves;
    NamedTensors state_dict() const {
        std::vector<float> values;
        for (const auto& row : curves->rows()) values.insert(values.end(), row.begin(), row.end());
        const auto cols = static_cast<int64_t>(curves->columns().size());
        return {{"rows", tensor(values, {static_cast<int64_t>(curves->rows().size()), cols})}};
    }
    void load_state_dict(const NamedTensors& dict) {
        const Tensor* rows = nullptr;
        for (const auto& [key, t] : dict)
            if (key == "rows") rows = &t;
        const auto cols = static_cast<int64_t>(curves->columns().size());
        if (!rows || rows->dim() != 2 || rows->size(1) != cols)
            throw StateError(detail::cat("the checkpoint's curves are not ", cols,
                                         " columns of per-epoch rows"));
        const std::vector<float> v = rows->to_vector();
        for (int64_t i = 0; i < rows->size(0); ++i)
            curves->log(std::vector<double>(v.begin() + i * cols, v.begin() + (i + 1) * cols));
    }
};

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
        {"batch size",
         std::to_string(c.batch_size) +
             (env.is_distributed() ? " per rank, " + std::to_string(env.world_size()) + " ranks"
                                   : "")},
        {"optimizer", c.optimizer},
        {"lr (at the start)", num(optimizer.param_groups()[0].options().get_lr())},
        {"schedule", c.schedule},
        {"weight decay", num(weight_decay_of(c))},
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

// The training set minus --validation images (held out at random), those images, and the test set.
struct Split {
    std::shared_ptr<data::Dataset> train, val, test;
};

inline Split load_data(const Config& c) {
    auto full_train = std::make_shared<data::MNIST>(c.data, data::MNIST::Split::Train);
    auto test = std::make_shared<data::MNIST>(c.data, data::MNIST::Split::Test);
    if (c.validation >= full_train->size())
        throw UsageError(detail::cat("--validation ", c.validation,
                                     " leaves no training images (the set has ", full_train->size(),
                                     ")"));
    auto parts =
        data::random_split(full_train, {full_train->size() - c.validation, c.validation}, c.seed);
    return {parts[0], parts[1], test};
}

// The training batches: shuffled, augmented if the program asks, and under mpirun drawn from this
// rank's shard only.
inline data::DataLoader make_loader(const Config& c, const Program& program,
                                    distributed::Environment& env,
                                    const std::shared_ptr<data::Dataset>& train_set) {
    const auto options =
        data::DataLoaderOptions().batch_size(c.batch_size).shuffle(true).seed(c.seed);
    data::DataLoader loader =
        env.is_distributed()
            ? data::DataLoader(train_set,
                               std::make_shared<distributed::DistributedSampler>(
                                   train_set->size(), env.world_size(), env.rank(), true, c.seed),
                               options)
            : data::DataLoader(train_set, options);
    if (program.augment) loader.set_transform(program.augment);
    return loader;
}

// Everything one run holds: the data, the model and its optimizer, what the epochs change
// (schedule, divergence guard, early stopping; the checkpoint saves them all, so that a resumed
// run goes on as if it had never stopped) and the logs. The constructor is the set-up. Not
// copyable: ckpt refers to the other members.
struct Run {
    const Config& c;
    const Program& program;
    distributed::Environment& env;
    Split sets;
    data::DataLoader loader;
    std::shared_ptr<nn::Module> model;
    std::unique_ptr<optim::Optimizer> optimizer;
    std::unique_ptr<distributed::DistributedDataParallel> ddp;  // checks, broadcasts rank 0's model
    std::vector<std::pair<std::string, std::string>> settings;  // before the schedule moves the lr
    bool has_val;                                               // --validation 0: no such columns
    train::EarlyStopping early;
    std::unique_ptr<optim::LRScheduler> scheduler;  // cosine: lr down to 0, stepped per epoch
    train::DivergenceGuard guard;
    distributed::WorldSizeState world;
    train::Checkpoint ckpt;
    std::vector<std::string> columns;       // of the --log CSV and of the curves
    std::unique_ptr<train::CsvLogger> csv;  // rank 0 only
    study::TrainingCurves curves;           // the run's epochs, for --plot and --report
    std::unique_ptr<DiagnosticsLog> diag;   // a resumed run starts a new file; rank 0 only
    RunSettingsState run_state;             // the checkpoint's "run" part: the run's flags
    CurvesState curves_state;               // the checkpoint's "curves" part
    bool finished = false;                  // resumed from a finished run: outputs only

    Run(const Config& config, const Program& prog, distributed::Environment& environment);
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    double lr() const { return optimizer->param_groups()[0].options().get_lr(); }
};

// The kernels in use, the model's summary and one line on the data, the optimizer and the
// threads.
inline void print_setup(const Run& r) {
    std::cout << "descent: matrix products by " << gemm_backend();
    bool convolutions = false;
    for (const auto& [name, m] : r.model->named_modules())
        convolutions = convolutions || std::dynamic_pointer_cast<nn::Conv2d>(m) != nullptr;
    if (convolutions) std::cout << ", convolutions by " << conv_backend();
    std::cout << ", " << get_num_threads() << " thread(s)\n";
    std::cout << nn::summary(*r.model, {1, 1, 28, 28}) << "\n";
    std::cout << "Fashion-MNIST from " << r.c.data << ": " << r.sets.train->size() << " train, "
              << r.sets.val->size() << " validation, " << r.sets.test->size() << " test images; "
              << r.c.optimizer << " lr " << r.lr() << ", batch " << r.c.batch_size << ", "
              << get_num_threads() << " BLAS thread(s)";
    if (r.env.is_distributed())
        std::cout << " per rank; " << r.env.world_size() << " ranks, global batch "
                  << r.c.batch_size * r.env.world_size();
    std::cout << "\n";
}

inline std::vector<std::string> log_columns(bool has_val) {
    std::vector<std::string> columns{"epoch", "train_loss", "test_accuracy", "lr", "seconds"};
    if (has_val) columns.insert(columns.begin() + 2, {"val_loss", "val_accuracy"});
    return columns;
}

inline Run::Run(const Config& config, const Program& prog, distributed::Environment& environment)
    : c(config),
      program(prog),
      env(environment),
      sets(load_data(config)),
      loader(make_loader(config, prog, environment, sets.train)),
      model(prog.make_model()),
      optimizer(make_optimizer(config, model->parameters())),
      ddp(environment.is_distributed() ? std::make_unique<distributed::DistributedDataParallel>(
                                             *model, environment.communicator())
                                       : nullptr),
      settings(examples::settings(config, prog.name, *model, *optimizer, environment)),
      has_val(sets.val->size() > 0),
      early(config.early_stop > 0 ? config.early_stop : 1),
      scheduler(config.schedule == "cosine"
                    ? std::make_unique<optim::CosineAnnealingLR>(*optimizer, config.epochs)
                    : nullptr),
      world(environment.world_size()),
      ckpt(*model, *optimizer),
      columns(log_columns(has_val)),
      curves(columns),
      run_state{&config},
      curves_state{&curves} {
    print_setup(*this);
    ckpt.add("divergence", guard);
    if (scheduler) ckpt.add("scheduler", *scheduler);
    if (c.early_stop > 0) ckpt.add("early_stopping", early);
    if (env.is_distributed()) ckpt.add("distributed", world);  // refuses another world size
    // Checkpoints written before runs kept their flags and curves resume without them.
    if (c.resume.empty() || c.resume_has_settings) {
        ckpt.add("run", run_state);
        ckpt.add("curves", curves_state);
    }
    if (!c.resume.empty()) {
        ckpt.load(c.resume);
        finished = check_resumable(c, ckpt, early, scheduler.get());
        loader.set_epoch(ckpt.epoch);
        std::cout << "resumed from " << c.resume << " after epoch " << ckpt.epoch << "\n";
        if (finished)
            std::cout << "its run is complete ("
                      << (early.should_stop() ? "early stop: " + early.reason()
                                              : std::to_string(ckpt.epoch) + " epochs")
                      << "): writing its outputs without training\n";
    }
    // A resumed run continues its log: the rows up to the checkpoint stay.
    if (!c.log.empty() && env.is_main())
        csv = c.resume.empty() ? std::make_unique<train::CsvLogger>(c.log, columns)
                               : std::make_unique<train::CsvLogger>(
                                     c.log, columns, static_cast<size_t>(ckpt.epoch));
    if (!c.diagnostics.empty() && env.is_main())
        diag = std::make_unique<DiagnosticsLog>(c.diagnostics, *model, c.diagnostics_every,
                                                &curves);
}

struct EpochStats {
    double loss = 0, seconds = 0, samples_per_second = 0;  // mean over the epoch's samples
};

// One pass over the training set: a step per batch, with its progress bar, gradient diagnostics
// and divergence guard. Returns the epoch's mean training loss and its speed.
inline EpochStats train_epoch(Run& r, int epoch) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "epoch %d/%d", epoch, r.c.epochs);
    const auto batches = static_cast<int64_t>(r.loader.size());
    train::ProgressBar bar(batches, prefix);
    int64_t step = 0;
    for (const data::Batch& batch : r.loader) {
        const Tensor loss = nn::functional::cross_entropy((*r.model)(batch.data), batch.labels);
        r.optimizer->zero_grad();
        loss.backward();
        if (r.ddp) r.ddp->synchronize();
        const bool sampled = r.diag && r.diag->wants(step + 1, batches);
        if (sampled) r.diag->before_step();
        r.optimizer->step();
        // the mean over ranks: the global batch's loss, the same on every rank
        const double value =
            r.ddp ? distributed::mean_over_ranks(loss.item(), r.env.communicator()) : loss.item();
        ++step;
        if (sampled)
            for (const std::string& warning : r.diag->after_step(epoch, step, batches)) {
                bar.finish();
                std::cerr << r.program.name << ": diagnostics: " << warning << "\n";
            }
        // A NaN or inf loss ends the run here (one line, exit 1); a 10x growth is a warning.
        if (auto warning = r.guard.check(value, epoch, step, r.lr())) {
            bar.finish();
            std::cerr << r.program.name << ": " << *warning << "\n";
        }
        bar.update(step, batch.size() * r.env.world_size(), value);  // all ranks' samples
    }
    bar.finish();
    r.guard.end_epoch(bar.mean_loss());
    return {bar.mean_loss(), bar.seconds(), bar.samples_per_second()};
}

// An epoch's line on stdout and its row in the --log CSV and the curves.
inline void report_epoch(Run& r, int epoch, const EpochStats& train, const Evaluation& val,
                         const Evaluation& test, double lr) {
    char val_text[64] = "";
    if (r.has_val)
        std::snprintf(val_text, sizeof val_text, "  val loss %.4f  val acc %.2f%%", val.loss,
                      100 * val.accuracy);
    std::printf("epoch %2d/%d  train loss %.4f%s  test acc %.2f%%  %.1f s (%.0f samples/s)\n",
                epoch, r.c.epochs, train.loss, val_text, 100 * test.accuracy, train.seconds,
                train.samples_per_second);
    std::fflush(stdout);
    std::vector<double> row{double(epoch), train.loss};  // the order of log_columns()
    if (r.has_val) row.insert(row.end(), {val.loss, val.accuracy});
    row.insert(row.end(), {test.accuracy, lr, train.seconds});
    if (r.csv) r.csv->log(row);
    r.curves.log(row);
}

// After the last epoch: the test set's accuracy and confusion matrix, then the files asked for
// (weights, pictures, the HTML report).
inline void report_run(Run& r) {
    train::ConfusionMatrix cm(10);
    std::vector<Mistake> wrong;
    const Evaluation test =
        evaluate(*r.model, r.sets.test, &cm, r.c.report.empty() ? nullptr : &wrong);
    std::printf("\ntest accuracy %.2f%% (%lld images). Confusion matrix:\n", 100 * test.accuracy,
                static_cast<long long>(r.sets.test->size()));
    std::cout << cm.to_string(data::fashion_mnist_classes());
    if (!r.env.is_main()) return;
    if (!r.c.save.empty()) {
        io::save_npz(r.c.save, r.model->state_dict());
        std::cout << "weights saved to " << r.c.save
                  << " (NumPy .npz; see docs/state-dict-format.md)\n";
    }
#ifdef DESCENT_WITH_ONNX
    if (!r.c.export_onnx.empty()) {  // traced on one test image; the batch stays a symbol
        onnx::export_model(*r.model, {r.sets.test->get_batch({0}).data}, r.c.export_onnx);
        std::cout << "model exported to " << r.c.export_onnx << " (ONNX, opset 17)\n";
    }
#endif
    if (!r.c.plot.empty() && !r.curves.rows().empty()) {
        const std::vector<std::string> paths = r.curves.save(r.c.plot);
        std::cout << "pictures of the run: " << paths.size() << " files in " << r.c.plot << "\n";
    }
    if (!r.c.report.empty()) {
        RunSummary run;
        run.title = std::string(r.program.name) + ": Fashion-MNIST training run";
        run.settings = r.settings;
        run.curves = &r.curves;
        run.confusion = &cm;
        run.class_names = data::fashion_mnist_classes();
        run.mistakes = most_confident(std::move(wrong), 16);
        run.test = r.sets.test;
        make_report(run).save(r.c.report);
        std::cout << "report written to " << r.c.report << "\n";
    }
}

// The driver, read top to bottom: set up, then per epoch train, evaluate, report, checkpoint.
inline int train_classifier(const Config& c, const Program& program,
                            distributed::Environment& env) {
    // A data-parallel run: every rank trains --batch-size samples of its own shard per step (a
    // global batch of N times that) and averages gradients; only rank 0 prints and writes files.
    if (!env.is_main()) std::freopen("/dev/null", "w", stdout);
    apply_threads(c.threads);
    manual_seed(c.seed);
    Run r(c, program, env);
    for (int epoch = static_cast<int>(r.ckpt.epoch) + 1; !r.finished && epoch <= c.epochs;
         ++epoch) {
        const EpochStats train = train_epoch(r, epoch);
        const Evaluation val = r.has_val ? evaluate(*r.model, r.sets.val) : Evaluation{};
        const Evaluation test = evaluate(*r.model, r.sets.test);
        const double lr = r.lr();  // this epoch's
        if (r.scheduler) r.scheduler->step();
        report_epoch(r, epoch, train, val, test, lr);
        const bool stop = c.early_stop > 0 && r.early.step(val.loss);
        if (!c.checkpoint.empty() && env.is_main()) {  // after early.step: it saves its state
            r.ckpt.epoch = epoch;
            r.ckpt.save(checkpoint_path(c.checkpoint, epoch));  // atomic: a kill leaves the last
        }
        if (stop) {
            std::cout << "early stop: " << r.early.reason() << "\n";
            break;
        }
    }
    report_run(r);
    return 0;
}

// Under mpirun, before any work: a checkpoint of a one-process run (no 'distributed.' part) cannot
// continue on several ranks (every rank's shard of the data would change); say so plainly.
inline void check_resume_world(const std::string& path, int world_size) {
    for (const auto& [key, t] : io::load_npz(path))
        if (key.compare(0, 12, "distributed.") == 0) return;  // its world size is checked on load
    throw UsageError("--resume: " + path + " is the checkpoint of a run on 1 process and cannot " +
                     "continue on " + std::to_string(world_size) +
                     " ranks (every rank's shard of the data would change): resume it without "
                     "mpirun");
}

// Usage errors that need more than one flag, then the output paths, then the run.
inline int run_training(CLI::App& app, const char* name, int argc, char** argv, Config& c,
                        const std::function<Program()>& program) {
    distributed::Environment env;  // under mpirun: this process's rank; otherwise rank 0 of 1
    const std::string rank_prefix =
        env.is_distributed() ? "[rank " + std::to_string(env.rank()) + "] " : "";
    bool ranks_refused = false;
    const int status = run_cli(app, name, argc, argv, rank_prefix, [&] {
        if (c.early_stop > 0 && c.validation == 0)
            throw UsageError("--early-stop monitors the validation loss: give --validation N > 0");
        check_output("--save", c.save);
        check_output("--export", c.export_onnx);
#ifndef DESCENT_WITH_ONNX
        if (!c.export_onnx.empty())
            throw UsageError("--export needs descent built with ONNX (libonnx-dev and "
                             "libprotobuf-dev, e.g. from scripts/install-deps.sh)");
#endif
        check_output("--log", c.log);
        check_output("--diagnostics", c.diagnostics);
        check_output("--report", c.report);
        check_output_folder("--plot", c.plot);
        if (!c.plot.empty() && !study::gnuplot_available())
            throw UsageError("--plot draws with gnuplot, which is not on PATH (install "
                             "gnuplot-nox, e.g. with scripts/install-deps.sh)");
        check_output("--checkpoint", checkpoint_path(c.checkpoint, 1));
        check_input("--resume", c.resume);
        if (!c.resume.empty()) {
            std::set<std::string> given;
            for (const Setting& s : run_settings(c))
                if (app.count(s.flag) > 0) given.insert(s.flag);
            c.resume_has_settings = resume_settings(c, given);
        }
        if (env.is_distributed()) {
            ranks_refused = true;  // if this throws, it throws on every rank
            if (!c.resume.empty()) check_resume_world(c.resume, env.world_size());
            check_ranks_agree(c, env.communicator());
            ranks_refused = false;
        }
        return train_classifier(c, program(), env);
    });
    // This rank failed and said why: end every rank rather than leave them in a collective (when
    // all refused together, each ends by itself).
    if (status != 0 && env.is_distributed() && !ranks_refused)
        env.communicator().abort(status, std::string(name) + ": ending the run (see above)");
    return status;
}

}  // namespace examples
