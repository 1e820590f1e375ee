// Trains a multi-layer perceptron on Fashion-MNIST (or any MNIST-style IDX folder) from the command
// line: per-epoch train loss, validation loss and accuracy, test accuracy and time, a CSV log,
// early stopping, and the test set's confusion matrix at the end (examples/classifier.hpp).
//   build/examples/mnist_mlp                                  # 784-256-128-10, Adam, 10 epochs
//   build/examples/mnist_mlp --optimizer nesterov --lr 0.05 --hidden 512,256 --log run.csv
#include "classifier.hpp"
#include "mnist_models.hpp"

using namespace descent;

using examples::make_mlp;

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
