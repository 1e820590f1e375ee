// Lab `init`: the same deep ReLU MLP, four initial weight scales. Forward hooks on each Linear
// record its output std on the first batch, train::GradientDiagnostics the gradient norm of each
// weight on the first step; then every run takes the same SGD steps on the same batches.
#include "lab_init.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "../cli.hpp"

namespace lab {

using namespace descent;

namespace {

enum class Scheme { Small, Large, Xavier, Kaiming };

// The std of every element of t, in double.
double stddev(const Tensor& t) {
    const float* v = t.data();
    const int64_t n = t.numel();
    double sum = 0, squares = 0;
    for (int64_t i = 0; i < n; ++i) sum += v[i];
    const double mean = sum / static_cast<double>(n);
    for (int64_t i = 0; i < n; ++i) squares += (v[i] - mean) * (v[i] - mean);
    return std::sqrt(squares / static_cast<double>(n));
}

InitRun train_one(const InitOptions& o, const data::MNIST& images, Scheme scheme,
                  const std::string& name) {
    InitRun run;
    run.name = name;
    // 784 -> width ... -> 10, biases 0 so the scale of the weights alone sets the activations.
    Generator gen(o.seed);
    nn::Sequential model;
    model.push_back(nn::Flatten());
    std::vector<std::shared_ptr<nn::Linear>> layers;
    for (int l = 0; l < o.depth; ++l) {
        const int64_t in = l == 0 ? 784 : o.width, outs = l == o.depth - 1 ? 10 : o.width;
        auto linear = std::make_shared<nn::Linear>(in, outs);
        nn::init::zeros_(linear->bias);
        switch (scheme) {
            case Scheme::Small: nn::init::normal_(linear->weight, 0.0, 0.01, gen); break;
            case Scheme::Large: nn::init::normal_(linear->weight, 0.0, 1.0, gen); break;
            case Scheme::Xavier: nn::init::xavier_normal_(linear->weight, 1.0, gen); break;
            case Scheme::Kaiming:
                nn::init::kaiming_normal_(linear->weight, 0.0, nn::init::FanMode::FanIn,
                                          nn::init::Nonlinearity::ReLU, gen);
                break;
        }
        model.push_back(linear);
        if (l < o.depth - 1) model.push_back(nn::ReLU());
        layers.push_back(linear);
    }

    // Activation std of each layer on the first forward only.
    run.activation_std.assign(layers.size(), 0.0);
    bool first = true;
    std::vector<RemovableHandle> hooks;
    for (size_t l = 0; l < layers.size(); ++l)
        hooks.push_back(layers[l]->register_forward_hook(
            [&run, &first, l](nn::Module&, const Tensor&, const Tensor& output) {
                if (first) run.activation_std[l] = stddev(output);
            }));

    optim::SGD sgd(model.parameters(), optim::SGDOptions(o.lr).momentum(0.9));
    train::GradientDiagnostics diagnostics(model);
    Batches batches(images, o.images, o.batch, o.seed + 1);  // the same batches for every run
    for (int step = 1; step <= o.steps; ++step) {
        const data::Batch batch = batches.next();
        sgd.zero_grad();
        Tensor loss = nn::functional::cross_entropy(model(batch.data), batch.labels);
        const double value = loss.item();
        if (!std::isfinite(value)) {
            run.diverged_at = step;
            break;
        }
        run.loss.push_back(value);
        loss.backward();
        if (first) {
            diagnostics.before_step();
            sgd.step();
            diagnostics.after_step();
            for (const train::ParameterDiagnostics& p : diagnostics.report().parameters)
                if (p.name.size() > 7 && p.name.compare(p.name.size() - 7, 7, ".weight") == 0)
                    run.grad_norm.push_back(p.grad_norm);
            first = false;
        } else {
            sgd.step();
        }
    }
    const size_t tail = std::max<size_t>(1, static_cast<size_t>(o.steps) / 10);
    if (run.diverged_at != 0 || run.loss.size() < tail) {
        run.final_loss = std::numeric_limits<double>::quiet_NaN();
    } else {
        double sum = 0;
        for (size_t i = run.loss.size() - tail; i < run.loss.size(); ++i) sum += run.loss[i];
        run.final_loss = sum / static_cast<double>(tail);
    }
    return run;
}

std::vector<double> layer_numbers(size_t n) {
    std::vector<double> x;
    for (size_t l = 1; l <= n; ++l) x.push_back(static_cast<double>(l));
    return x;
}

// Values for a log axis: 0 (a gradient that underflowed) would be refused, so it shows at 1e-30.
std::vector<double> positive(std::vector<double> v) {
    for (double& x : v) x = std::max(x, 1e-30);
    return v;
}

std::string describe_loss(const InitRun& r) {
    if (r.diverged_at != 0)
        return "diverged (non-finite loss) at step " + std::to_string(r.diverged_at);
    return "reached loss " + num(r.final_loss);
}

}  // namespace

InitResult run_init(const InitOptions& o_in, Output& out) {
    InitOptions o = o_in;
    if (o.quick) o.steps = std::min(o.steps, 80), o.images = std::min<int64_t>(o.images, 1000);
    DESCENT_CHECK(o.depth >= 2, ValueError, "run_init(): depth must be >= 2, got ", o.depth);
    DESCENT_CHECK(o.batch <= o.images, ValueError, "run_init(): batch ", o.batch,
                  " is larger than the ", o.images, " images");
    const data::MNIST all(o.data, data::Split::Train);
    DESCENT_CHECK(o.images <= all.size(), ValueError, "run_init(): ", o.images,
                  " images asked for, the training set has ", all.size());

    InitResult r;
    r.small = train_one(o, all, Scheme::Small, "std 0.01");
    r.large = train_one(o, all, Scheme::Large, "std 1");
    r.xavier = train_one(o, all, Scheme::Xavier, "Xavier");
    r.kaiming = train_one(o, all, Scheme::Kaiming, "Kaiming");
    const InitRun* runs[] = {&r.small, &r.large, &r.xavier, &r.kaiming};

    std::vector<std::vector<double>> layer_rows;
    for (size_t l = 0; l < r.small.activation_std.size(); ++l) {
        std::vector<double> row{static_cast<double>(l + 1)};
        for (const InitRun* run : runs) row.push_back(run->activation_std[l]);
        for (const InitRun* run : runs) row.push_back(run->grad_norm[l]);
        layer_rows.push_back(row);
    }
    out.csv("layers",
            {"layer", "act_std_small", "act_std_large", "act_std_xavier", "act_std_kaiming",
             "grad_norm_small", "grad_norm_large", "grad_norm_xavier", "grad_norm_kaiming"},
            layer_rows);
    std::vector<std::vector<double>> loss_rows;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (size_t s = 0; s < static_cast<size_t>(o.steps); ++s) {
        std::vector<double> row{static_cast<double>(s + 1)};
        for (const InitRun* run : runs) row.push_back(s < run->loss.size() ? run->loss[s] : nan);
        loss_rows.push_back(row);
    }
    out.csv("loss", {"step", "loss_small", "loss_large", "loss_xavier", "loss_kaiming"}, loss_rows);

    const std::string arch =
        std::to_string(o.depth) + " Linear layers of " + std::to_string(o.width) + ", ReLU";
    study::Figure acts({"Activation std per layer at init (" + arch + ")", "layer",
                        "std of the layer's output (pre-activation)", "", false, true});
    study::Figure grads({"Weight gradient norm per layer, first step (" + arch + ")", "layer",
                         "||dL/dW||", "", false, true});
    std::string diverged;
    for (const InitRun* run : runs)
        if (run->diverged_at != 0 && run->loss.size() < 10)
            diverged += "; " + run->name + ": loss " + num(run->loss.empty() ? NAN : run->loss[0]) +
                        ", non-finite at step " + std::to_string(run->diverged_at);
    study::Figure losses(
        {"Training loss from each init (SGD, momentum 0.9, lr " + num(o.lr) + ")" + diverged,
         "step", "cross-entropy", "", false, true});
    for (const InitRun* run : runs) {
        const std::vector<double> x = layer_numbers(run->activation_std.size());
        acts.add({run->name, x, positive(run->activation_std), "linespoints"});
        grads.add({run->name, x, positive(run->grad_norm), "linespoints"});
        // A run that diverged within a few steps is named in the title instead: its one or two
        // points near 1e9 would squash the other curves into the bottom of the log axis.
        if (run->loss.size() >= 10)
            losses.add({run->name, layer_numbers(run->loss.size()), run->loss});
    }
    out.figure("activations", acts);
    out.figure("gradients", grads);
    out.figure("loss", losses);

    const size_t last = r.small.activation_std.size() - 1;
    auto ratio = [last](const InitRun& run) {
        return run.activation_std[last] / run.activation_std[0];
    };
    const auto layer = std::to_string(last + 1);
    out.lesson("std 0.01: activation std falls from " + num(r.small.activation_std[0]) +
               " at layer 1 to " + num(r.small.activation_std[last]) + " at layer " + layer +
               ", the gradient norm of layer 1 is " + num(r.small.grad_norm[0]) +
               " (vanishing); it " + describe_loss(r.small) + " (chance: ln 10 = 2.3)");
    out.lesson("std 1: activation std grows from " + num(r.large.activation_std[0]) + " to " +
               num(r.large.activation_std[last]) + " at layer " + layer +
               ", gradient norms up to " +
               num(*std::max_element(r.large.grad_norm.begin(), r.large.grad_norm.end())) +
               " (exploding); it " + describe_loss(r.large));
    const auto [kmin, kmax] =
        std::minmax_element(r.kaiming.activation_std.begin(), r.kaiming.activation_std.end());
    out.lesson("Kaiming keeps the activation std within [" + num(*kmin) + ", " + num(*kmax) +
               "] across the " + layer + " layers (last/first " + num(ratio(r.kaiming)) + ") and " +
               describe_loss(r.kaiming) + " in " + std::to_string(o.steps) + " steps");
    out.lesson("Xavier, made for tanh, loses half the variance at every ReLU: last/first " +
               num(ratio(r.xavier)) + "; it " + describe_loss(r.xavier));
    return r;
}

namespace {

Runner add_init(CLI::App& app, Common& common) {
    auto o = std::make_shared<InitOptions>();
    CLI::App* sub = app.add_subcommand(
        "init",
        "Init too small, too large, Xavier, Kaiming on a deep ReLU MLP: per-layer "
        "activation std and gradient norm, and the loss of training from each");
    add_common_flags(*sub, common);
    sub->add_option("--depth", o->depth, "Linear layers")->check(examples::integer_in(2, 50));
    sub->add_option("--width", o->width, "Hidden width")->check(examples::integer_in(1, 4096));
    sub->add_option("--steps", o->steps, "SGD steps per initialisation")
        ->check(examples::integer_in(1, 100000));
    sub->add_option("--batch-size", o->batch, "Images per step")
        ->check(examples::integer_in(1, 60000));
    sub->add_option("--images", o->images, "Training images used (the first ones)")
        ->check(examples::integer_in(1, 60000));
    sub->add_option("--lr", o->lr, "Learning rate")->check(examples::number_in(0, 10, true));
    sub->add_option("--data", o->data, "Folder of the Fashion-MNIST IDX files");
    return [o, &common] {
        o->seed = common.seed;
        o->quick = common.quick;
        Output out(common.out, "init");
        run_init(*o, out);
        out.commit();
    };
}

static lab::Registration reg(70, "init", add_init);

}  // namespace

}  // namespace lab
