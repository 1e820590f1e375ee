// Trains a multi-layer perceptron on Fashion-MNIST (or any MNIST-style IDX folder) from the command
// line: per-epoch train loss, validation loss and accuracy, test accuracy and time, a CSV log,
// early stopping, and the test set's confusion matrix at the end (examples/classifier.hpp).
//   build/examples/mnist_mlp                                  # 784-256-128-10, Adam, 10 epochs
//   build/examples/mnist_mlp --optimizer nesterov --lr 0.05 --hidden 512,256 --log run.csv
#include "classifier.hpp"

using namespace descent;

namespace {

// 784 -> hidden... -> 10, ReLU between the linear layers.
std::shared_ptr<nn::Sequential> make_mlp(const std::vector<int64_t>& hidden) {
    auto model = std::make_shared<nn::Sequential>();
    model->push_back(std::make_shared<nn::Flatten>());
    int64_t in = 784;
    for (int64_t h : hidden) {
        model->push_back(std::make_shared<nn::Linear>(in, h));
        model->push_back(std::make_shared<nn::ReLU>());
        in = h;
    }
    model->push_back(std::make_shared<nn::Linear>(in, 10));
    return model;
}

}  // namespace

int main(int argc, char** argv) {
    examples::Config c;
    std::vector<int64_t> hidden{256, 128};
    CLI::App app{"Train an MLP on Fashion-MNIST (or any MNIST-style IDX folder) with descent."};
    examples::show_defaults(app);
    examples::add_training_flags(app, c);
    app.add_option("--hidden", hidden, "Hidden layer sizes, e.g. 256,128")
        ->delimiter(',')
        ->check(examples::integer_in(1, 1 << 16));
    return examples::run_training(app, "mnist_mlp", argc, argv, c, [&] {
        return examples::Program{"mnist_mlp", [&] { return make_mlp(hidden); }, {}};
    });
}
