// A convolutional variational autoencoder on Fashion-MNIST: strided convs encode an image to a
// Gaussian over a small latent space, transposed convs decode a sample of it to pixel logits; loss
// = binary cross-entropy + KL from the N(0, I) prior. --out draws reconstructions, samples from the
// prior and the latent space by class (PNG and SVG, gnuplot); docs/nn.md has the details.
//   build/examples/fmnist_vae --out vae
//   build/examples/fmnist_vae --latent 16 --epochs 10 --out vae16 --report vae16.html
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

namespace {

struct Options {
    int epochs = 5;
    int64_t latent = 2, batch_size = 128, limit = 0;  // limit 0: the whole training set
    double lr = 1e-3;
    uint64_t seed = 0;
    int threads = 0;
    std::string data = data::default_fashion_mnist_dir(), out, report;
};

constexpr int64_t side = 28;  // Fashion-MNIST's images are 28 x 28

// Encoder  1x28x28 -conv 4/2-> 32x14x14 -conv 4/2-> 64x7x7 -> 2·latent (mu, log sigma²)
// Decoder  latent -> 64x7x7 -transposed conv 4/2-> 32x14x14 -transposed conv 4/2-> 1x28x28 logits
class VAE : public nn::Module {
public:
    explicit VAE(int64_t latent) : Module("VAE"), latent(latent) {
        encoder = register_module(
            "encoder", std::make_shared<nn::Sequential>(
                           nn::Conv2d(1, 32, 4, 2, 1), nn::ReLU(), nn::Conv2d(32, 64, 4, 2, 1),
                           nn::ReLU(), nn::Flatten(), nn::Linear(64 * 7 * 7, 2 * latent)));
        decoder = register_module(
            "decoder", std::make_shared<nn::Sequential>(
                           nn::Linear(latent, 64 * 7 * 7), nn::ReLU(), nn::Unflatten(1, {64, 7, 7}),
                           nn::ConvTranspose2d(64, 32, 4, 2, 1), nn::ReLU(),
                           nn::ConvTranspose2d(32, 1, 4, 2, 1)));
    }
    // x [B, 1, 28, 28] -> mu, logvar [B, latent]
    std::pair<Tensor, Tensor> encode(const Tensor& x) {
        const Tensor h = (*encoder)(x);
        return {h.narrow(1, 0, latent), h.narrow(1, latent, latent)};
    }
    Tensor decode(const Tensor& z) { return (*decoder)(z); }  // [B, latent] -> [B, 1, 28, 28]
    // The reconstruction from the mean, without sampling: logits [B, 1, 28, 28].
    Tensor forward(const Tensor& x) override { return decode(encode(x).first); }

    int64_t latent;
    std::shared_ptr<nn::Sequential> encoder, decoder;
};

// One batch's loss per image: reconstruction (binary cross-entropy summed over the pixels) and
// KL(N(mu, sigma²) || N(0, I)) = -½ Σ (1 + log sigma² - mu² - sigma²), with z = mu + sigma·eps.
struct Loss {
    Tensor recon, kl;
    Tensor total() const { return recon + kl; }
};

Loss vae_loss(VAE& model, const Tensor& x, Generator& gen) {
    const auto [mu, logvar] = model.encode(x);
    const Tensor z = mu + randn(mu.shape(), gen) * (0.5 * logvar).exp();  // reparameterised
    const double batch = static_cast<double>(x.size(0));
    const Tensor recon =
        nn::functional::binary_cross_entropy_with_logits(model.decode(z), x, nn::Reduction::Sum) /
        batch;
    const Tensor kl = (1 + logvar - mu.square() - logvar.exp()).sum() * (-0.5 / batch);
    return {recon, kl};
}

struct Figures {
    double recon = 0, kl = 0, seconds = 0, samples_per_second = 0;
    double total() const { return recon + kl; }
};

// One pass over the training set: mean reconstruction and KL per image. The guard stops the run
// at a NaN or infinite loss (one line) and warns of a loss grown 10x.
Figures train_epoch(VAE& model, data::DataLoader& loader, optim::Optimizer& optimizer,
                    Generator& gen, train::DivergenceGuard& guard, int epoch, int epochs) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "epoch %d/%d", epoch, epochs);
    train::ProgressBar bar(static_cast<int64_t>(loader.size()), prefix);
    double recon = 0, kl = 0;
    int64_t n = 0, step = 0;
    for (const data::Batch& batch : loader) {
        const Loss loss = vae_loss(model, batch.data, gen);
        const Tensor total = loss.total();
        optimizer.zero_grad();
        total.backward();
        optimizer.step();
        const double value = total.item();
        if (auto warning = guard.check(value, epoch, step + 1,
                                       optimizer.param_groups()[0].options().get_lr())) {
            bar.finish();
            std::cerr << "fmnist_vae: " << *warning << "\n";
        }
        recon += loss.recon.item() * double(batch.size());
        kl += loss.kl.item() * double(batch.size());
        n += batch.size();
        bar.update(++step, batch.size(), value);
    }
    bar.finish();
    guard.end_epoch(bar.mean_loss());
    return {recon / double(n), kl / double(n), bar.seconds(), bar.samples_per_second()};
}

// The same loss over a dataset without a graph; z drawn from a generator seeded afresh, so that
// every evaluation of the same model gives the same figures.
Figures evaluate(VAE& model, const std::shared_ptr<data::Dataset>& set, uint64_t seed) {
    NoGradGuard no_grad;
    Generator gen(seed);
    data::DataLoader loader(set, data::DataLoaderOptions().batch_size(500));
    double recon = 0, kl = 0;
    int64_t n = 0;
    for (const data::Batch& batch : loader) {
        const Loss loss = vae_loss(model, batch.data, gen);
        recon += loss.recon.item() * double(batch.size());
        kl += loss.kl.item() * double(batch.size());
        n += batch.size();
    }
    return {recon / double(n), kl / double(n)};
}

// ---- pictures ----

// Images of side x side pixels in [0, 1], row by row, tiled `columns` wide with a blank line of
// `gap` pixels between them: one study::Image, one unit per pixel.
study::Image tile(const std::vector<std::vector<float>>& images, int columns, int gap = 2) {
    const int rows = (static_cast<int>(images.size()) + columns - 1) / columns;
    const int s = static_cast<int>(side);
    study::Image im;
    im.nx = columns * s + (columns - 1) * gap;
    im.ny = rows * s + (rows - 1) * gap;
    im.x1 = im.nx;
    im.y1 = im.ny;
    im.pixels.assign(static_cast<size_t>(im.nx) * im.ny, 0.0);
    for (size_t k = 0; k < images.size(); ++k) {
        const int top = static_cast<int>(k) / columns * (s + gap),
                  left = static_cast<int>(k) % columns * (s + gap);
        for (int r = 0; r < s; ++r)
            for (int c = 0; c < s; ++c)
                im.pixels[static_cast<size_t>(top + r) * im.nx + left + c] =
                    std::clamp(double(images[k][size_t(r * s + c)]), 0.0, 1.0);
    }
    return im;
}

// A figure of one tiled picture, `scale` screen pixels per image pixel.
study::Figure picture(const std::string& title, study::Image im, int scale = 3) {
    study::FigureOptions o;
    o.title = title;
    o.width = std::max(300, im.nx * scale + 20);
    o.height = im.ny * scale + 50;
    study::Figure f(o);
    f.image(std::move(im));
    return f;
}

std::vector<std::vector<float>> rows_of(const Tensor& t) {  // [B, ...] -> B vectors
    const std::vector<float> v = t.to_vector();
    const size_t per = v.size() / size_t(t.size(0));
    std::vector<std::vector<float>> out;
    for (size_t b = 0; b < size_t(t.size(0)); ++b)
        out.emplace_back(v.begin() + long(b * per), v.begin() + long((b + 1) * per));
    return out;
}

// Test images and their reconstructions (from the mean): the first two of each class, a column per
// class, each row of originals above the row of their reconstructions.
struct Reconstructions {
    std::vector<std::vector<float>> originals,
        decoded;  // [20][784]: each class's first, then second
    std::vector<int64_t> labels;
};

Reconstructions reconstruct(VAE& model, const data::MNIST& test) {
    std::vector<int64_t> picked;  // a class with fewer images (another --data) leaves a gap out
    for (int round = 0; round < 2; ++round)
        for (int64_t cls = 0; cls < 10; ++cls) {
            int seen = 0;
            for (int64_t i = 0; i < test.size(); ++i)
                if (test.labels()[size_t(i)] == cls && seen++ == round) {
                    picked.push_back(i);
                    break;
                }
        }
    NoGradGuard no_grad;
    const data::Batch batch = test.get_batch(picked);
    return {rows_of(batch.data), rows_of(model(batch.data).sigmoid()),
            batch.labels.to_vector<int64_t>()};
}

study::Image reconstruction_grid(const Reconstructions& r) {
    std::vector<std::vector<float>> grid;
    for (size_t first = 0; first < r.originals.size(); first += 10) {
        const size_t end = std::min(first + 10, r.originals.size());
        grid.insert(grid.end(), r.originals.begin() + long(first), r.originals.begin() + long(end));
        grid.resize(grid.size() + 10 - (end - first), std::vector<float>(side * side, 0.0f));
        grid.insert(grid.end(), r.decoded.begin() + long(first), r.decoded.begin() + long(end));
    }
    return tile(grid, 10);
}

// 64 images decoded from z ~ N(0, I).
std::vector<std::vector<float>> prior_samples(VAE& model, uint64_t seed) {
    NoGradGuard no_grad;
    Generator gen(seed);
    return rows_of(model.decode(randn({64, model.latent}, gen)).sigmoid());
}

// The top two principal axes of the rows of `points` [n][d] (d >= 2), by power iteration on their
// covariance with deflation; returns the projections [n][2] of the centred points.
std::vector<std::array<double, 2>> pca2(const std::vector<std::vector<double>>& points) {
    const size_t n = points.size(), d = points[0].size();
    std::vector<double> mean(d, 0.0), cov(d * d, 0.0);
    for (const auto& p : points)
        for (size_t j = 0; j < d; ++j) mean[j] += p[j] / double(n);
    for (const auto& p : points)
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j)
                cov[i * d + j] += (p[i] - mean[i]) * (p[j] - mean[j]) / double(n);
    std::vector<std::vector<double>> axes;
    for (int k = 0; k < 2; ++k) {
        std::vector<double> v(d);
        for (size_t j = 0; j < d; ++j) v[j] = 1.0 + 0.1 * double(j);  // not orthogonal to an axis
        double lambda = 0;
        for (int it = 0; it < 500; ++it) {
            std::vector<double> w(d, 0.0);
            for (size_t i = 0; i < d; ++i)
                for (size_t j = 0; j < d; ++j) w[i] += cov[i * d + j] * v[j];
            const double norm = std::sqrt(std::inner_product(w.begin(), w.end(), w.begin(), 0.0));
            if (norm == 0) break;
            for (size_t i = 0; i < d; ++i) v[i] = w[i] / norm;
            lambda = norm;
        }
        for (size_t i = 0; i < d; ++i)  // deflate: the next axis is the next largest
            for (size_t j = 0; j < d; ++j) cov[i * d + j] -= lambda * v[i] * v[j];
        axes.push_back(v);
    }
    std::vector<std::array<double, 2>> out(n);
    for (size_t p = 0; p < n; ++p)
        for (size_t k = 0; k < 2; ++k)
            for (size_t j = 0; j < d; ++j) out[p][k] += (points[p][j] - mean[j]) * axes[k][j];
    return out;
}

// The means of the first `count` test images, as points in 2-D (a PCA of them for latent > 2),
// one series per class in matplotlib's ten colours.
study::Figure latent_figure(VAE& model, const data::MNIST& test, int64_t count) {
    std::vector<std::vector<double>> points;
    {
        NoGradGuard no_grad;
        for (int64_t first = 0; first < count; first += 500) {
            std::vector<int64_t> idx(size_t(std::min<int64_t>(500, count - first)));
            std::iota(idx.begin(), idx.end(), first);
            for (const auto& row : rows_of(model.encode(test.get_batch(idx).data).first))
                points.emplace_back(row.begin(), row.end());
        }
    }
    std::vector<std::array<double, 2>> xy(points.size());
    if (model.latent == 2)
        for (size_t p = 0; p < points.size(); ++p) xy[p] = {points[p][0], points[p][1]};
    else if (model.latent == 1)
        for (size_t p = 0; p < points.size(); ++p)  // spread along y by class, to be seen
            xy[p] = {points[p][0], double(test.labels()[p])};
    else
        xy = pca2(points);
    study::FigureOptions o;
    o.title = "Latent means of " + std::to_string(count) + " test images" +
              (model.latent > 2 ? " (PCA of " + std::to_string(model.latent) + " dimensions)" : "");
    o.xlabel = model.latent > 2 ? "first principal axis" : "z1";
    o.ylabel = model.latent > 2 ? "second principal axis" : model.latent == 1 ? "class" : "z2";
    o.width = 800;
    o.height = 760;
    study::Figure f(o);
    static const char* colours[10] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    const std::vector<std::string> names = data::fashion_mnist_classes();
    for (int64_t cls = 0; cls < 10; ++cls) {
        study::Series s{names[size_t(cls)], {}, {}, "points", false, 0.8, colours[cls]};
        for (size_t p = 0; p < xy.size(); ++p)
            if (test.labels()[p] == cls) s.x.push_back(xy[p][0]), s.y.push_back(xy[p][1]);
        if (!s.x.empty()) f.add(std::move(s));
    }
    return f;
}

std::vector<study::ReportImage> report_images(const std::vector<std::vector<float>>& images,
                                              const std::vector<std::string>& captions) {
    std::vector<study::ReportImage> out;
    for (size_t k = 0; k < images.size(); ++k) out.push_back({side, side, images[k], captions[k]});
    return out;
}

int run(const Options& o) {
    examples::apply_threads(o.threads);
    manual_seed(o.seed);  // initialisation
    auto full_train = std::make_shared<data::MNIST>(o.data, data::MNIST::Split::Train);
    auto test = std::make_shared<data::MNIST>(o.data, data::MNIST::Split::Test);
    std::shared_ptr<data::Dataset> train_set = full_train;
    if (o.limit > 0 && o.limit < full_train->size()) {
        std::vector<int64_t> first(static_cast<size_t>(o.limit));
        std::iota(first.begin(), first.end(), 0);
        train_set = std::make_shared<data::Subset>(full_train, first);
    }
    VAE model(o.latent);
    optim::Adam optimizer(model.parameters(), optim::AdamOptions(o.lr));
    data::DataLoader loader(
        train_set, data::DataLoaderOptions().batch_size(o.batch_size).shuffle(true).seed(o.seed));
    Generator gen(o.seed);  // the reparameterisation's noise
    train::DivergenceGuard guard;
    std::cout << "descent: matrix products by " << gemm_backend() << ", convolutions by "
              << conv_backend() << ", " << get_num_threads() << " thread(s)\n"
              << nn::summary(model, {1, 1, side, side}) << "\n"
              << "Fashion-MNIST from " << o.data << ": " << train_set->size() << " train, "
              << test->size() << " test images; latent " << o.latent << ", adam lr " << o.lr
              << ", batch " << o.batch_size << "\n";
    const Figures untrained = evaluate(model, test, o.seed + 1);
    std::printf("untrained: test loss %.2f (reconstruction %.2f + KL %.2f) per image\n",
                untrained.total(), untrained.recon, untrained.kl);
    study::TrainingCurves curves({"epoch", "train_loss", "train_recon_loss", "train_kl_loss",
                                  "test_loss", "test_recon_loss", "test_kl_loss", "seconds"});
    Figures tested = untrained;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        const Figures trained = train_epoch(model, loader, optimizer, gen, guard, epoch, o.epochs);
        tested = evaluate(model, test, o.seed + 1);
        std::printf(
            "epoch %2d/%d  train loss %.2f (recon %.2f + KL %.2f)  test loss %.2f (recon %.2f + "
            "KL %.2f)  %.1f s (%.0f samples/s)\n",
            epoch, o.epochs, trained.total(), trained.recon, trained.kl, tested.total(),
            tested.recon, tested.kl, trained.seconds, trained.samples_per_second);
        std::fflush(stdout);
        curves.log({double(epoch), trained.total(), trained.recon, trained.kl, tested.total(),
                    tested.recon, tested.kl, trained.seconds});
    }
    std::printf("test reconstruction loss %.2f per image (KL %.2f; untrained %.2f)\n", tested.recon,
                tested.kl, untrained.recon);
    if (o.out.empty() && o.report.empty()) {
        std::cout << "(--out DIR draws reconstructions, samples and the latent space)\n";
        return 0;
    }
    const Reconstructions rec = reconstruct(model, *test);
    const std::vector<std::vector<float>> samples = prior_samples(model, o.seed + 2);
    const int64_t scattered = std::min<int64_t>(5000, test->size());
    const study::Figure recon_fig =
        picture("Test images (rows 1, 3) and their reconstructions (rows 2, 4), a column per class",
                reconstruction_grid(rec));
    const study::Figure samples_fig =
        picture("64 samples decoded from z ~ N(0, I), latent " + std::to_string(o.latent),
                tile(samples, 8));
    const study::Figure latent_fig = latent_figure(model, *test, scattered);
    if (!o.out.empty()) {
        study::FileSet set;  // all six files or none
        for (const char* ext : {".png", ".svg"}) {
            set.add(o.out + "/reconstructions" + ext, recon_fig);
            set.add(o.out + "/samples" + ext, samples_fig);
            set.add(o.out + "/latent" + ext, latent_fig);
        }
        std::cout << "pictures: " << set.commit().size() << " files in " << o.out
                  << " (reconstructions, samples, latent; .png and .svg)\n";
    }
    if (!o.report.empty()) {
        study::Report report("fmnist_vae: a convolutional VAE on Fashion-MNIST");
        int64_t parameters = 0;
        for (const Tensor& p : model.parameters()) parameters += p.numel();
        for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
                 {"program", "fmnist_vae"},
                 {"parameters", std::to_string(parameters)},
                 {"latent size", std::to_string(o.latent)},
                 {"epochs", std::to_string(o.epochs)},
                 {"batch size", std::to_string(o.batch_size)},
                 {"optimizer", "adam, lr " + detail::cat(o.lr)},
                 {"training images", std::to_string(train_set->size())},
                 {"seed", std::to_string(o.seed)},
                 {"BLAS threads", std::to_string(get_num_threads())},
                 {"data", o.data}})
            report.setting(name, value);
        if (!curves.rows().empty()) {
            report.figure("Loss per image (reconstruction + KL)", curves.loss_figure());
            report.table("Per epoch", curves.columns(), curves.rows());
        }
        const std::vector<std::string> names = data::fashion_mnist_classes();
        std::vector<std::vector<float>> pairs;
        std::vector<std::string> captions;
        // Each image is inline SVG, some 20 kB: the first of each class, and 16 samples.
        for (size_t k = 0; k < std::min<size_t>(10, rec.originals.size()); ++k) {
            pairs.push_back(rec.originals[k]);
            captions.push_back(names.at(size_t(rec.labels[k])));
            pairs.push_back(rec.decoded[k]);
            captions.push_back("its reconstruction");
        }
        report.images("Test images, each followed by its reconstruction",
                      report_images(pairs, captions));
        report.images("Samples from the prior",
                      report_images({samples.begin(), samples.begin() + 16},
                                    std::vector<std::string>(16, "")));
        report.figure("Latent space", latent_fig);
        report.save(o.report);
        std::cout << "report written to " << o.report << "\n";
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{"Train a convolutional variational autoencoder on Fashion-MNIST with descent."};
    examples::show_defaults(app);
    app.add_option("--epochs", o.epochs, "Passes over the training set")
        ->check(examples::integer_in(1, 100000));
    app.add_option("--latent", o.latent,
                   "Size of the latent space (2: drawn as it is; more: drawn through a PCA)")
        ->check(examples::integer_in(1, 512));
    app.add_option("--batch-size", o.batch_size, "Samples per step")
        ->check(examples::integer_in(1, 1 << 20));
    app.add_option("--limit", o.limit, "Train on the first N training images only (0: all)")
        ->check(examples::integer_in(0, 1 << 30));
    app.add_option("--lr", o.lr, "Adam's learning rate")->check(examples::number_in(0, 10, true));
    app.add_option("--seed", o.seed,
                   "Seed for initialisation, shuffling, the latent noise and the samples")
        ->check(examples::integer_in(0, std::numeric_limits<int64_t>::max()));
    examples::add_threads_flag(app, o.threads);
    app.add_option("--data", o.data, "Folder with the four MNIST-style IDX files (.gz or not)");
    app.add_option("--out", o.out,
                   "At the end, draw reconstructions, samples from the prior and the latent space "
                   "as PNG and SVG into this folder (made if missing; needs gnuplot)");
    app.add_option("--report", o.report,
                   "At the end, write one self-contained HTML page of the run: settings, loss "
                   "curves, per-epoch table, reconstructions, samples, latent space");
    return examples::run_cli(app, "fmnist_vae", argc, argv, [&] {
        examples::check_output("--report", o.report);
        examples::check_output_folder("--out", o.out);
        if (!o.out.empty() && !study::gnuplot_available())
            throw examples::UsageError(
                "--out draws with gnuplot, which is not on PATH (install "
                "gnuplot-nox, e.g. with scripts/install-deps.sh)");
        return run(o);
    });
}
