// The command line mnist_mlp and mnist_cnn share: the training flags, the Config they fill, the
// optimizer they name and the --checkpoint path of an epoch. classifier.hpp runs what they say.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <descent/descent.hpp>

#include "cli.hpp"

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
    std::optional<double> weight_decay;  // not given: 0, AdamW's 1e-2
    std::string diagnostics;          // gradient-flow CSV (diagnostics_log.hpp); "": off
    int64_t diagnostics_every = 100;  // batches between its samples
    std::string plot;                 // folder for the curves' PNG and SVG files; "": none
    std::string report;               // the run's HTML page (study::Report); "": none
    std::string export_onnx;          // the trained model as ONNX (descent::onnx); "": none
    bool resume_has_settings = false;  // the --resume checkpoint keeps its run's flags
};

// The weight decay the run uses: --weight-decay as given (0 is 0, for AdamW too), else the
// optimizer's default (AdamW's 1e-2, 0 for the others).
inline double weight_decay_of(const Config& c) {
    return c.weight_decay.value_or(c.optimizer == "adamw" ? 1e-2 : 0.0);
}

// The optimizer --optimizer names, at --lr (or its usual rate) with --weight-decay.
inline std::unique_ptr<optim::Optimizer> make_optimizer(const Config& c,
                                                        std::vector<Tensor> params) {
    const bool adaptive =
        c.optimizer == "adam" || c.optimizer == "adamw" || c.optimizer == "rmsprop";
    const double lr = c.lr > 0 ? c.lr : adaptive ? 1e-3 : 0.05;
    const double wd = weight_decay_of(c);
    if (c.optimizer == "sgd")
        return std::make_unique<optim::SGD>(params, optim::SGDOptions(lr).weight_decay(wd));
    if (c.optimizer == "momentum")
        return std::make_unique<optim::SGD>(params,
                                            optim::SGDOptions(lr).momentum(0.9).weight_decay(wd));
    if (c.optimizer == "nesterov")
        return std::make_unique<optim::SGD>(
            params, optim::SGDOptions(lr).momentum(0.9).nesterov(true).weight_decay(wd));
    if (c.optimizer == "rmsprop")
        return std::make_unique<optim::RMSprop>(params, optim::RMSpropOptions(lr).weight_decay(wd));
    if (c.optimizer == "adamw")
        return std::make_unique<optim::AdamW>(params, optim::AdamWOptions(lr).weight_decay(wd));
    return std::make_unique<optim::Adam>(params, optim::AdamOptions(lr).weight_decay(wd));
}

// The checkpoint file of `epoch`: the --checkpoint path with "{epoch}" replaced by its number.
inline std::string checkpoint_path(std::string pattern, int epoch) {
    const std::string mark = "{epoch}";
    for (auto at = pattern.find(mark); at != std::string::npos; at = pattern.find(mark, at))
        pattern.replace(at, mark.size(), std::to_string(epoch));
    return pattern;
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
    app.add_option("--export", c.export_onnx,
                   "Write the trained model to this .onnx file (opset 17, any batch size), for "
                   "onnxruntime and other ONNX runtimes");
    app.add_option("--log", c.log, "Write per-epoch metrics to this CSV file");
    app.add_option("--checkpoint", c.checkpoint,
                   "After every epoch, write everything needed to resume (model, optimizer, "
                   "schedule, random state, epoch) to this .npz, atomically; {epoch} in the path "
                   "becomes the epoch number");
    app.add_option("--resume", c.resume,
                   "Continue the run that wrote this --checkpoint file, exactly as if it had not "
                   "stopped: the run's flags come from the checkpoint (one given differently is "
                   "refused); a finished run writes its --save, --plot and --report");
    app.add_option("--early-stop", c.early_stop,
                   "Stop when validation loss has not improved for this many epochs (0: off; "
                   "needs --validation > 0)")
        ->check(integer_in(0, 100000));
    app.add_option("--validation", c.validation,
                   "Training images held out for validation (0: none)")
        ->check(integer_in(0, 59999));
    app.add_option("--schedule", c.schedule, "Learning-rate schedule over the epochs")
        ->check(CLI::IsMember({"none", "cosine"}));
    app.add_option("--weight-decay", c.weight_decay,
                   "L2 weight decay (AdamW: decoupled); when not given, 0 (AdamW: 1e-2)")
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

}  // namespace examples
