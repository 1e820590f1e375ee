// Lab "variants": the same SGD at the same learning rate on the same noisy linear regression,
// fed by batches of 1, several sizes, and all N points. Each run's full-data loss is measured
// (off the clock) 16 times per epoch and at every quarter doubling of the samples seen, and the
// noise of its steps over the last epochs.
#include "lab_variants.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "../cli.hpp"

namespace lab::variants {

using namespace descent;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Problem {
    Tensor x, y;  // [N, d], [N, 1]
};

// y = x·w* + 1 + N(0, 0.5²) noise, x standard normal: the least-squares loss is about 0.25.
Problem make_problem(const Options& o) {
    Generator gen(o.common.seed);
    Problem p;
    p.x = randn({o.samples, o.features}, gen);
    const Tensor w = randn({o.features, 1}, gen);
    p.y = p.x.matmul(w) + 1.0f + normal({o.samples, 1}, 0.0f, 0.5f, gen);
    return p;
}

Variant train_variant(const Options& o, const Problem& p, int64_t batch_size) {
    Variant v;
    v.batch_size = batch_size;
    v.name = batch_size == o.samples ? "full batch (" + std::to_string(batch_size) + ")"
                                     : "batch " + std::to_string(batch_size);
    manual_seed(o.common.seed + 1);  // the same starting weights for every variant
    auto model = std::make_shared<nn::Linear>(o.features, 1);
    optim::SGD opt(model->parameters(), optim::SGDOptions(o.lr));
    data::DataLoader loader(
        std::make_shared<data::TensorDataset>(p.x, p.y),
        data::DataLoaderOptions().batch_size(batch_size).shuffle(true).seed(o.common.seed + 2));
    const auto full_loss = [&] {
        NoGradGuard no_grad;
        return nn::functional::mse_loss((*model)(p.x), p.y).item();
    };

    const int64_t per_epoch = loader.size();
    Point at{0, 0, 0, 0, full_loss()};
    v.curve.push_back(at);
    double noise_sq = 0;
    int64_t uphill = 0;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        const bool noisy = epoch > o.epochs - o.noise_epochs;
        Clock::time_point start = Clock::now();
        double paused = 0;  // evaluation time inside the epoch, taken off its clock
        int64_t j = 0;
        for (const data::Batch& b : loader) {
            // The last step of an epoch is always evaluated, and so is every step of the noisy
            // epochs: at.loss is the full-data loss at the weights this step starts from.
            const double before = at.loss;
            const Tensor loss = nn::functional::mse_loss((*model)(b.data), b.target);
            opt.zero_grad();
            loss.backward();
            opt.step();
            ++j;
            at.updates += 1;
            at.samples += b.size();
            // 16 points per epoch, and 4 per doubling of the samples seen, so that the log-scale
            // pictures show the first steps too.
            const auto quarter_octave = [](int64_t n) { return std::floor(4 * std::log2(n)); };
            const int64_t seen_before = at.samples - b.size();
            const bool record = j * 16 / per_epoch != (j - 1) * 16 / per_epoch ||
                                seen_before == 0 ||
                                quarter_octave(at.samples) != quarter_octave(seen_before);
            if (noisy || record) {
                const Clock::time_point t = Clock::now();
                at.loss = full_loss();
                paused += seconds_since(t);
            }
            if (noisy) {
                noise_sq += std::pow((loss.item() - before) / before, 2);
                uphill += at.loss > before;
                v.noise_updates += 1;
            }
            if (record) {
                at.epoch = static_cast<double>(at.samples) / static_cast<double>(o.samples);
                at.seconds = v.curve.back().seconds + seconds_since(start) - paused;
                v.curve.push_back(at);
                // The next segment of the clock starts here.
                paused = 0;
                start = Clock::now();
            }
        }
        v.epoch_loss.push_back(at.loss);
    }
    v.noise_rms = std::sqrt(noise_sq / static_cast<double>(v.noise_updates));
    v.uphill = static_cast<double>(uphill) / static_cast<double>(v.noise_updates);
    return v;
}

// Steps per epoch.
int64_t per(const Variant& v) {
    return v.curve.back().updates / static_cast<int64_t>(v.epoch_loss.size());
}

// The first point of a curve at or below `loss`, or nullptr.
const Point* reaching(const Variant& v, double loss) {
    for (const Point& p : v.curve)
        if (p.loss <= loss) return &p;
    return nullptr;
}

}  // namespace

Result run_variants(const Options& options, Output& out) {
    Options o = options;
    if (o.common.quick) o.samples = 256, o.epochs = 10, o.noise_epochs = 3;
    DESCENT_CHECK(o.samples >= 2 && o.features >= 1 && o.epochs >= 1 && o.lr > 0 &&
                      o.noise_epochs >= 1 && o.noise_epochs <= o.epochs,
                  ValueError, "descent_lab variants: samples ", o.samples, ", features ",
                  o.features, ", epochs ", o.epochs, ", lr ", o.lr, ", noise_epochs ",
                  o.noise_epochs, " out of range");
    for (int64_t b : o.batch_sizes)
        DESCENT_CHECK(b >= 1 && b < o.samples, ValueError, "descent_lab variants: batch size ", b,
                      " is not in [1, ", o.samples - 1, "] (full batch ", o.samples,
                      " is always run)");
    const Problem problem = make_problem(o);
    Result r;
    r.samples = o.samples;
    std::vector<int64_t> sizes = o.batch_sizes;
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    sizes.push_back(o.samples);
    for (int64_t b : sizes) r.variants.push_back(train_variant(o, problem, b));

    // Tables: every curve point, and one summary row per variant.
    std::vector<std::vector<double>> rows, summary;
    const Variant& full = r.variants.back();
    const double goal = full.epoch_loss.back();  // where full batch ends
    for (const Variant& v : r.variants) {
        for (const Point& p : v.curve)
            rows.push_back({double(v.batch_size), p.epoch, double(p.updates), double(p.samples),
                            p.seconds, p.loss});
        const Point* hit = reaching(v, goal);
        summary.push_back({double(v.batch_size), v.epoch_loss.back(), v.noise_rms, v.uphill,
                           double(v.noise_updates), hit ? double(hit->samples) : NAN,
                           hit ? hit->seconds : NAN, v.curve.back().seconds});
    }
    out.csv("curves", {"batch_size", "epoch", "updates", "samples", "seconds", "loss"}, rows);
    out.csv("summary",
            {"batch_size", "final_loss", "relative_noise_rms", "uphill_fraction", "noise_updates",
             "samples_to_full_batch_final", "seconds_to_full_batch_final", "seconds"},
            summary);

    // Three pictures of the same curves: against epochs, samples seen and seconds.
    const auto draw = [&](const std::string& name, const std::string& xlabel, bool logx, auto xof) {
        study::Figure f({"SGD lr " + num(o.lr) + " on " + std::to_string(o.samples) +
                             "-point linear regression: full-data loss",
                         xlabel, "mean squared error", "", logx, true});
        for (const Variant& v : r.variants) {
            study::Series s{v.name, {}, {}};
            for (const Point& p : v.curve)
                if (!logx || xof(p) > 0) s.x.push_back(xof(p)), s.y.push_back(p.loss);
            f.add(s);
        }
        out.figure(name, f);
    };
    draw("epochs", "epoch (passes over the data)", false, [](const Point& p) { return p.epoch; });
    draw("samples", "samples seen", true, [](const Point& p) { return double(p.samples); });
    draw("seconds", "training seconds (evaluation excluded)", true,
         [](const Point& p) { return p.seconds; });

    // The lesson, with the numbers just measured.
    const Variant& one = r.variants.front();
    std::string per_epoch = "after " + std::to_string(o.epochs) + " epochs the full-data loss is";
    for (const Variant& v : r.variants)
        per_epoch += " " + num(v.epoch_loss.back()) + " (" + v.name + ", " +
                     std::to_string(v.curve.back().updates) + " steps)" + (&v == &full ? "" : ",");
    const Variant* lowest = &full;
    for (const Variant& v : r.variants)
        if (v.epoch_loss.back() < lowest->epoch_loss.back()) lowest = &v;
    out.lesson(per_epoch + ": per epoch, smaller batches take more steps and descend further; " +
               "the lowest is " + lowest->name + ", batch 1 levels off at its noise floor");
    std::string noise_list;  // "142% at batch 1, 50.5% at batch 8, ..."
    for (const Variant& v : r.variants)
        noise_list +=
            (noise_list.empty() ? "" : ", ") + num(100 * v.noise_rms, "%.3g%%") + " at " + v.name;
    out.lesson("noise over the last " + std::to_string(o.noise_epochs) +
               " epochs: the loss a step follows strays from the full-data loss by an RMS of " +
               noise_list + " (float rounding only); " + num(100 * one.uphill, "%.0f") +
               "% of batch-1 steps raised the full-data loss vs " + num(100 * full.uphill, "%.0f") +
               "% of full-batch steps");
    const Variant* fastest = nullptr;
    for (const Variant& v : r.variants) {
        const Point* hit = reaching(v, goal);
        if (hit && (!fastest || hit->seconds < reaching(*fastest, goal)->seconds)) fastest = &v;
    }
    const Point* one_hit = reaching(one, goal);
    const Point* fast_hit = reaching(*fastest, goal);
    const auto ms = [](double seconds) { return num(1000 * seconds) + " ms"; };
    const auto epoch_ms = [&](const Variant& v) { return ms(v.curve.back().seconds / o.epochs); };
    out.lesson("an epoch costs " + epoch_ms(one) + " at batch 1 (" + std::to_string(per(one)) +
               " steps) vs " + epoch_ms(full) + " at full batch (1 step); to reach full batch's " +
               "final loss " + num(goal) + ", batch 1 needed " + std::to_string(one_hit->samples) +
               " samples (" + ms(one_hit->seconds) + ") vs " +
               std::to_string(full.curve.back().samples) + " (" + ms(full.curve.back().seconds) +
               ") for full batch, and per second " + fastest->name + " got there first (" +
               ms(fast_hit->seconds) + ")");
    return r;
}

namespace {

Runner add_variants(CLI::App& app, Common& common) {
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "variants",
        "Batch vs stochastic vs mini-batch gradient descent, per epoch, sample, second");
    add_common_flags(*sub, common);
    sub->add_option("--samples", o->samples, "Points of the linear regression")
        ->check(examples::integer_in(16, 1 << 20));
    sub->add_option("--epochs", o->epochs, "Passes over the data")
        ->check(examples::integer_in(1, 10000));
    sub->add_option("--lr", o->lr, "Learning rate of SGD, the same for every batch size")
        ->check(examples::number_in(0, 0.2, true));
    sub->add_option("--batch-sizes", o->batch_sizes,
                    "Batch sizes besides full batch, each below --samples")
        ->check(examples::integer_in(1, 1 << 20));
    return [o, &common] {
        o->common = common;
        Output out(common.out, "variants");
        run_variants(*o, out);
        out.commit();
    };
}

Registration reg(10, "variants", add_variants);

}  // namespace

}  // namespace lab::variants
