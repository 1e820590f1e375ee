// Classifies images with a model saved by mnist_mlp --save: prints each image's top classes with
// their probabilities. Images come from an IDX file (all or --count of them) or from PGM/PNG files
// (grayscale or colour, converted to gray, up to 4096 x 4096 pixels, resized to the model's input
// by nearest pixel). The model may also be a training checkpoint (mnist_mlp --checkpoint).
//   build/examples/predict --model model.npz --images
//   /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --count 5 build/examples/predict
//   --model model.npz shirt.png boot.pgm
#include <png.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <descent/descent.hpp>

#include "cli.hpp"

using namespace descent;

namespace {

// An image as bytes, row-major, one gray channel.
struct Gray {
    int64_t rows = 0, cols = 0;
    std::vector<uint8_t> pixels;
};

// The largest image decoded (16 MiB of gray pixels): a header may claim any size, and memory is
// taken only after the claim is checked against this (and, for PGM, against the file's size).
constexpr int64_t max_side = 4096;

void check_claimed_size(const std::string& path, int64_t cols, int64_t rows) {
    if (cols > max_side || rows > max_side)
        throw IOError(path + " claims " + std::to_string(cols) + " x " + std::to_string(rows) +
                      " pixels; predict decodes images up to " + std::to_string(max_side) + " x " +
                      std::to_string(max_side));
}

// An image file must be a regular file: a FIFO would block open(), a directory has no pixels.
// Returns its size in bytes.
int64_t check_image_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw IOError("cannot open " + path + ": no such file");
    if (S_ISDIR(st.st_mode)) throw IOError(path + " is a directory, not an image");
    if (!S_ISREG(st.st_mode))
        throw IOError(path + " is not a regular file (a FIFO or device); give an image file");
    return static_cast<int64_t>(st.st_size);
}

// Binary PGM (P5, maxval < 256), the format `convert x.png x.pgm` writes.
Gray read_pgm(const std::string& path) {
    const int64_t file_size = check_image_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IOError("cannot open " + path);
    std::string magic;
    int64_t cols = 0, rows = 0, maxval = 0;
    in >> magic;
    auto skip_comments = [&] {
        in >> std::ws;
        while (in.peek() == '#') {
            std::string line;
            std::getline(in, line);
            in >> std::ws;
        }
    };
    skip_comments();
    in >> cols;
    skip_comments();
    in >> rows;
    skip_comments();
    in >> maxval;
    if (magic != "P5" || !in || cols <= 0 || rows <= 0 || cols > 1 << 15 || rows > 1 << 15 ||
        maxval <= 0 || maxval > 255)
        throw IOError(path + " is not a binary 8-bit PGM (P5) image");
    in.get();  // the single whitespace before the pixels
    check_claimed_size(path, cols, rows);
    const int64_t left = file_size - static_cast<int64_t>(in.tellg());
    if (left < rows * cols)
        throw IOError(path + " is truncated: its header claims " + std::to_string(cols) + " x " +
                      std::to_string(rows) + " pixels, the file holds " + std::to_string(left) +
                      " pixel bytes");
    Gray g{rows, cols, std::vector<uint8_t>(static_cast<size_t>(rows * cols))};
    in.read(reinterpret_cast<char*>(g.pixels.data()),
            static_cast<std::streamsize>(g.pixels.size()));
    if (in.gcount() != static_cast<std::streamsize>(g.pixels.size()))
        throw IOError(path + " is truncated: " + std::to_string(in.gcount()) + " of " +
                      std::to_string(g.pixels.size()) + " pixel bytes");
    if (maxval != 255)
        for (uint8_t& p : g.pixels) p = static_cast<uint8_t>(p * 255 / maxval);
    return g;
}

// Any PNG through libpng's simplified API, converted to 8-bit gray.
Gray read_png(const std::string& path) {
    check_image_file(path);
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw IOError(path + ": " + image.message);
    image.format = PNG_FORMAT_GRAY;
    if (image.width == 0 || image.height == 0 || image.width > max_side ||
        image.height > max_side) {
        const int64_t cols = image.width, rows = image.height;
        png_image_free(&image);
        if (cols == 0 || rows == 0) throw IOError(path + ": an image of no pixels");
        check_claimed_size(path, cols, rows);
    }
    Gray g{image.height, image.width, std::vector<uint8_t>(PNG_IMAGE_SIZE(image))};
    if (!png_image_finish_read(&image, nullptr, g.pixels.data(), 0, nullptr))
        throw IOError(path + ": " + image.message);
    return g;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Nearest-pixel resize to rows x cols, then bytes / 255 as mnist_mlp's inputs are.
std::vector<float> to_input(const Gray& g, int64_t rows, int64_t cols) {
    std::vector<float> out(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            out[r * cols + c] = g.pixels[(r * g.rows / rows) * g.cols + c * g.cols / cols] / 255.0f;
    return out;
}

// Rebuilds mnist_mlp's Flatten-Linear-ReLU-...-Linear from the saved weights' shapes, so any
// --hidden the model was trained with loads without being told.
std::shared_ptr<nn::Sequential> mlp_from(NamedTensors state, const std::string& path) {
    // A training checkpoint holds the model under "model.": use it.
    bool checkpoint = false;
    for (const auto& [name, t] : state) checkpoint = checkpoint || name == "version";
    if (checkpoint) {
        NamedTensors model_state;
        for (const auto& [name, t] : state)
            if (name.compare(0, 6, "model.") == 0) model_state.emplace_back(name.substr(6), t);
        if (model_state.empty())
            throw ValueError(path + " is a training checkpoint without a model");
        state = std::move(model_state);
    }
    // Weights that are not finite give "nan%" for every class: refused, by name.
    for (const auto& [name, t] : state) {
        if (!t.is_floating_point()) continue;  // an int64 count (BatchNorm's) is always finite
        int64_t bad = 0;
        for (const float v : t.to(kFloat32).to_vector()) bad += !std::isfinite(v);
        if (bad > 0)
            throw ValueError(path + ": tensor '" + name + "' has " + std::to_string(bad) + " of " +
                             std::to_string(t.numel()) +
                             " values not finite (NaN or inf); the model cannot predict");
    }
    std::vector<Shape> weights;
    for (const auto& [name, t] : state)
        if (ends_with(name, ".weight")) weights.push_back(t.shape());
    if (weights.empty() || weights.front().ndim() != 2)
        throw ValueError(path +
                         " holds no Linear weights; expected a model saved by mnist_mlp --save");
    auto model = std::make_shared<nn::Sequential>();
    model->push_back(std::make_shared<nn::Flatten>());
    for (size_t i = 0; i < weights.size(); ++i) {
        if (weights[i].ndim() != 2 || (i > 0 && weights[i][1] != weights[i - 1][0]))
            throw ValueError(path + ": layer " + std::to_string(i) +
                             " does not follow the one before; not an mnist_mlp model");
        model->push_back(std::make_shared<nn::Linear>(weights[i][1], weights[i][0]));
        if (i + 1 < weights.size()) model->push_back(std::make_shared<nn::ReLU>());
    }
    model->load_state_dict(state);
    model->eval();
    return model;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model_path, idx_path;
    std::vector<std::string> files;
    int64_t count = 10, top = 3;
    CLI::App app{"Classify images with a model saved by mnist_mlp --save."};
    examples::show_defaults(app);
    app.add_option("--model", model_path,
                   "The .npz file mnist_mlp --save wrote (or a --checkpoint file)")
        ->required();
    app.add_option("--images", idx_path, "An IDX file of images (e.g. t10k-images-idx3-ubyte.gz)");
    app.add_option("--count", count, "How many images of the IDX file (from the first)")
        ->check(examples::integer_in(1, 1 << 20));
    app.add_option("--top", top, "Classes shown per image")->check(examples::integer_in(1, 10));
    app.add_option("files", files, "PGM or PNG images, up to 4096 x 4096 pixels");
    return examples::run_cli(app, "predict", argc, argv, [&] {
        if (idx_path.empty() && files.empty())
            throw examples::UsageError("give --images FILE.idx or image files (PGM/PNG)");
        examples::check_input("--model", model_path);
        examples::check_input("--images", idx_path);
        for (const std::string& f : files) examples::check_not_a_flag("image", f);
        auto model = mlp_from(io::load_npz(model_path), model_path);
        const int64_t in_features = model->named_parameters().front().second.size(1);
        const int64_t side = static_cast<int64_t>(std::lround(std::sqrt(double(in_features))));
        if (side * side != in_features)
            throw ValueError("the model takes " + std::to_string(in_features) +
                             " inputs, not a square image");

        std::vector<std::string> names;
        std::vector<float> inputs;
        if (!idx_path.empty()) {
            const Tensor images = io::read_idx_images(idx_path);  // [N, rows, cols] in [0, 1]
            if (images.dim() != 3 || images.size(1) * images.size(2) != in_features)
                throw ValueError(detail::cat("", idx_path, " holds images of shape ",
                                             images.shape(), "; the model takes ", side, " x ",
                                             side));
            const int64_t n = std::min(count, images.size(0));
            inputs.assign(images.data(), images.data() + n * in_features);
            for (int64_t i = 0; i < n; ++i)
                names.push_back(idx_path + "[" + std::to_string(i) + "]");
        }
        for (const std::string& f : files) {
            const Gray g = ends_with(f, ".png") ? read_png(f) : read_pgm(f);
            const std::vector<float> x = to_input(g, side, side);
            inputs.insert(inputs.end(), x.begin(), x.end());
            names.push_back(f);
        }
        NoGradGuard no_grad;
        const int64_t n = static_cast<int64_t>(names.size());
        const Tensor probs = softmax((*model)(tensor(inputs, {n, 1, side, side})), 1);
        const std::vector<std::string>& classes = data::fashion_mnist_classes();
        const int64_t k = probs.size(1);
        for (int64_t i = 0; i < n; ++i) {
            std::vector<int64_t> order(static_cast<size_t>(k));
            for (int64_t c = 0; c < k; ++c) order[c] = c;
            const float* p = probs.data() + i * k;
            std::sort(order.begin(), order.end(),
                      [&](int64_t a, int64_t b) { return p[a] > p[b]; });
            std::printf("%s:", names[i].c_str());
            for (int64_t j = 0; j < std::min(top, k); ++j) {
                const int64_t c = order[j];
                std::printf("  %s %.1f%%", k == 10 ? classes[c].c_str() : std::to_string(c).c_str(),
                            100.0 * p[c]);
            }
            std::printf("\n");
        }
        return 0;
    });
}
