// Runs an ONNX model with descent (onnx::load): prints the loaded module and its parameters, then
// classifies images from an IDX file (--idx, --count; with --labels also the accuracy) or a PNG
// (--png, converted to gray and resized to --side pixels by nearest pixel), fed as (N, 1, side,
// side) in [0, 1] as mnist_mlp and mnist_cnn train; --graph draws the graph descent ran for the
// first image (study::to_dot: .dot text, or .svg / .png through Graphviz's dot).
//   build/examples/onnx_run model.onnx --idx t10k-images-idx3-ubyte.gz --labels
//   t10k-labels-idx1-ubyte.gz --count 100 --graph model.svg
#include <png.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <descent/descent.hpp>
#include <descent/onnx/load.hpp>
#include <descent/study/graph.hpp>

#include "cli.hpp"

using namespace descent;

namespace {

constexpr int64_t max_side = 4096;  // a PNG header may claim any size: checked before decoding

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A PNG through libpng's simplified API as (1, 1, side, side) gray in [0, 1], nearest pixel.
Tensor read_png(const std::string& path, int64_t side) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw IOError(path + ": " + image.message);
    image.format = PNG_FORMAT_GRAY;
    const int64_t cols = image.width, rows = image.height;
    if (cols == 0 || rows == 0 || cols > max_side || rows > max_side) {
        png_image_free(&image);
        throw IOError(path + " claims " + std::to_string(cols) + " x " + std::to_string(rows) +
                      " pixels; onnx_run reads images of 1 to 4096 pixels a side");
    }
    std::vector<uint8_t> pixels(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr))
        throw IOError(path + ": " + image.message);
    std::vector<float> x(static_cast<size_t>(side * side));
    for (int64_t r = 0; r < side; ++r)
        for (int64_t c = 0; c < side; ++c)
            x[r * side + c] = pixels[(r * rows / side) * cols + c * cols / side] / 255.0f;
    return tensor(x, {1, 1, side, side});
}

void print_model(onnx::OnnxModel& model, const std::string& path) {
    std::ostringstream line;
    model.pretty_print(line);  // the one line, without the submodules the parameter paths made
    std::printf("%s: %s\n", path.c_str(), line.str().c_str());
    int64_t total = 0;
    for (const auto& [name, p] : model.named_parameters()) {
        std::printf("  parameter %-28s %s\n", name.c_str(), detail::cat("", p.shape()).c_str());
        total += p.numel();
    }
    for (const auto& [name, b] : model.named_buffers())
        std::printf("  buffer    %-28s %s\n", name.c_str(), detail::cat("", b.shape()).c_str());
    std::string ops;
    for (const auto& n : model.nodes()) ops += (ops.empty() ? "" : " ") + n.op_type;
    std::printf("  %zu nodes: %s\n  %lld parameters\n", model.nodes().size(), ops.c_str(),
                static_cast<long long>(total));
}

}  // namespace

int main(int argc, char** argv) {
    std::string model_path, idx_path, labels_path, png_path, graph_path;
    int64_t count = 10, side = 28;
    CLI::App app{"Load an ONNX model with descent, print it, and classify images with it."};
    examples::show_defaults(app);
    app.add_option("model", model_path, "The .onnx file")->required();
    app.add_option("--idx", idx_path, "An IDX file of images (e.g. t10k-images-idx3-ubyte.gz)");
    app.add_option("--labels", labels_path, "The IDX labels of --idx: prints the accuracy");
    app.add_option("--count", count, "How many images of the IDX file (from the first)")
        ->check(examples::integer_in(1, 1 << 20));
    app.add_option("--png", png_path, "A PNG image");
    app.add_option("--side", side, "The square side PNG images are resized to")
        ->check(examples::integer_in(1, 1024));
    app.add_option("--graph", graph_path,
                   "Draw the graph run on the first image: .dot (text), .svg or .png (Graphviz)");
    return examples::run_cli(app, "onnx_run", argc, argv, [&] {
        examples::check_input("model", model_path);
        examples::check_input("--idx", idx_path);
        examples::check_input("--labels", labels_path);
        examples::check_input("--png", png_path);
        examples::check_output("--graph", graph_path);
        if (!labels_path.empty() && idx_path.empty())
            throw examples::UsageError("--labels needs --idx");
        if (!graph_path.empty() && !ends_with(graph_path, ".dot") &&
            !ends_with(graph_path, ".svg") && !ends_with(graph_path, ".png"))
            throw examples::UsageError("--graph: '" + graph_path +
                                       "' must end in .dot, .svg or .png");
        auto model = onnx::load(model_path);
        model->eval();
        print_model(*model, model_path);

        std::vector<std::string> names;
        Tensor x;
        std::vector<int64_t> labels;
        if (!idx_path.empty()) {
            const Tensor images = io::read_idx_images(idx_path);  // (N, rows, cols) in [0, 1]
            if (images.dim() != 3)
                throw ValueError(detail::cat("", idx_path, " holds an array of shape ",
                                             images.shape(), ", not images (N, rows, cols)"));
            const int64_t n = std::min(count, images.size(0));
            x = images.narrow(0, 0, n).unsqueeze(1).contiguous();
            for (int64_t i = 0; i < n; ++i)
                names.push_back(idx_path + "[" + std::to_string(i) + "]");
            if (!labels_path.empty()) {
                labels = io::read_idx_labels(labels_path);
                if (static_cast<int64_t>(labels.size()) < n)
                    throw ValueError(detail::cat("", labels_path, " holds ", labels.size(),
                                                 " labels for ", n, " images"));
                labels.resize(static_cast<size_t>(n));
            }
        }
        if (!png_path.empty()) {
            const Tensor img = read_png(png_path, x.defined() ? x.size(2) : side);
            if (x.defined() && x.size(3) != img.size(3))
                throw ValueError(png_path + ": IDX images are not square; give --png alone");
            x = x.defined() ? cat({x, img}, 0) : img;
            names.push_back(png_path);
        }
        if (!x.defined()) return 0;  // only the summary

        Tensor out;
        {
            NoGradGuard no_grad;
            out = (*model)(x);
        }
        if (out.dim() != 2 || out.size(0) != x.size(0))
            throw ValueError(detail::cat("", model_path, " gives an output of shape ", out.shape(),
                                         " for ", x.size(0), " images, not (N, classes)"));
        const Tensor probs = softmax(out.to(kFloat32), 1).contiguous();
        const int64_t n = probs.size(0), k = probs.size(1);
        const std::vector<std::string>& classes = data::fashion_mnist_classes();
        int64_t correct = 0;
        for (int64_t i = 0; i < n; ++i) {
            const float* p = probs.data() + i * k;
            const int64_t best = std::max_element(p, p + k) - p;
            const std::string label = k == 10 ? classes[best] : std::to_string(best);
            std::printf("%s: %lld %s %.1f%%", names[i].c_str(), static_cast<long long>(best),
                        label.c_str(), 100.0 * p[best]);
            if (i < static_cast<int64_t>(labels.size())) {
                correct += labels[i] == best;
                std::printf(" (label %lld)", static_cast<long long>(labels[i]));
            }
            std::printf("\n");
        }
        if (!labels.empty())
            std::printf("accuracy: %lld/%zu = %.2f%%\n", static_cast<long long>(correct),
                        labels.size(), 100.0 * correct / labels.size());

        if (!graph_path.empty()) {
            // The first image, as a leaf that requires grad, so that the drawing starts from it.
            const Tensor first = x.narrow(0, 0, 1).clone().requires_grad_();
            const Tensor y = (*model)(first);  // recorded: the graph to draw
            study::GraphOptions options;
            options.gradients = false;
            options.parameters = model->named_parameters();
            options.inputs = {{model->input_names().front(), first}};
            const std::string dot = study::to_dot(y, options);
            if (ends_with(graph_path, ".dot")) {
                std::ofstream f(graph_path);
                f << dot;
                if (!f.flush()) throw IOError("--graph: cannot write " + graph_path);
            } else {
                study::render(dot, graph_path);
            }
            std::printf("graph written to %s\n", graph_path.c_str());
        }
        return 0;
    });
}
