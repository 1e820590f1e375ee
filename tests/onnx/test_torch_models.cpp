// onnx::load on models PyTorch 1.13 exported (tests/onnx/data, written by
// torch_export_reference.py): an MLP, a LeNet flattened with x.view (torch's Shape, Gather,
// Unsqueeze, Concat, Reshape chain), the bn CNN in eval form (BatchNorm folded into Conv) and in
// training form (TrainingMode.PRESERVE: BatchNormalization with training_mode 1) match PyTorch's
// outputs; the imported LeNet fine-tunes on Fashion-MNIST with descent's optimizer.
#include <doctest/doctest.h>

#include <numeric>

#include <descent/descent.hpp>
#include <descent/onnx/load.hpp>

#include "onnx/ort.hpp"

using namespace descent;
namespace donnx = descent::onnx;

namespace {

std::string data_path(const std::string& file) {
    return std::string(DESCENT_ONNX_TEST_DIR) + "/data/" + file;
}

Tensor reference(const std::string& key) {
    for (auto& [name, t] : io::load_npz(data_path("torch_reference.npz")))
        if (name == key) return t;
    FAIL("torch_reference.npz has no entry ", key);
    return {};
}

double check_torch_model(const std::string& name) {
    auto model = donnx::load(data_path("torch_" + name + ".onnx"));
    CHECK(model->opset() == 14);
    const Tensor x = reference("input"), want = reference(name);
    Tensor got;
    {
        NoGradGuard no_grad;
        got = (*model)(x);
    }
    REQUIRE(got.shape() == want.shape());
    const double rel = onnx_test::relative_difference(got, want);
    MESSAGE("torch_", name, ".onnx: max |descent - PyTorch| / max |PyTorch| = ", rel);
    CHECK(rel < 1e-5);
    return rel;
}

}  // namespace

TEST_CASE("torch export: an MLP 784-256-128-10 matches PyTorch's output") {
    check_torch_model("mlp");
    auto model = donnx::load(data_path("torch_mlp.onnx"));
    CHECK(model->named_parameters().size() == 6);
    CHECK(model->named_parameters()[0].first == "1.weight");
}

TEST_CASE("torch export: LeNet flattened with view (Shape, Gather, Unsqueeze, Concat, Reshape)") {
    check_torch_model("lenet");
    auto model = donnx::load(data_path("torch_lenet.onnx"));
    std::vector<std::string> ops;
    for (const auto& n : model->nodes()) ops.push_back(n.op_type);
    CHECK(std::count(ops.begin(), ops.end(), "Gather") == 1);
    CHECK(model->named_parameters()[0].first == "conv1.weight");
    // The batch stays free: another batch size runs too.
    CHECK((*model)(reference("input").narrow(0, 0, 3)).shape() == Shape{3, 10});
}

TEST_CASE("torch export: the bn CNN in eval form (default options, BatchNorm folded into Conv)") {
    check_torch_model("bn_eval");
}

TEST_CASE("torch export: the bn CNN with TrainingMode.PRESERVE (training-mode BatchNormalization)") {
    check_torch_model("bn_preserve");
    auto model = donnx::load(data_path("torch_bn_preserve.onnx"));
    int training = 0;
    for (const auto& n : model->nodes())
        if (n.op_type == "BatchNormalization") training += n.attributes.at("training_mode").i;
    CHECK(training == 5);
    // The running statistics are buffers; running the graph leaves them as they were.
    int stats = 0;
    for (const auto& [name, t] : model->named_buffers())
        stats += name.find("running_") != std::string::npos;
    CHECK(stats == 10);
    const Tensor before = model->named_buffers()[0].second.clone();
    (*model)(reference("input"));
    CHECK(equal(model->named_buffers()[0].second, before));
}

TEST_CASE("torch export: the imported LeNet fine-tunes on Fashion-MNIST (one short epoch)") {
    const std::string dir = data::default_fashion_mnist_dir();
    if (!std::filesystem::exists(dir + "/train-images-idx3-ubyte.gz") &&
        !std::filesystem::exists(dir + "/train-images-idx3-ubyte")) {
        MESSAGE("Fashion-MNIST is not at ", dir, ": the fine-tune test is skipped");
        return;
    }
    manual_seed(5);
    auto model = donnx::load(data_path("torch_lenet.onnx"));
    // Parameters are descent parameters named from the initializers.
    const auto named = model->named_parameters();
    REQUIRE(named.size() == 10);
    CHECK(named[0].first == "conv1.weight");
    CHECK(named[9].first == "fc3.bias");
    for (const auto& [name, p] : named) CHECK(p.requires_grad());

    data::MNIST train(dir, data::Split::Train), test(dir, data::Split::Test);
    std::vector<int64_t> held_out(512);
    std::iota(held_out.begin(), held_out.end(), 0);
    const data::Batch eval_batch = test.get_batch(held_out);
    auto eval_loss = [&] {
        NoGradGuard no_grad;
        return nn::functional::cross_entropy((*model)(eval_batch.data), eval_batch.labels).item();
    };
    const float before = eval_loss();
    // One epoch over a cut of Fashion-MNIST's training split (its first 2048 images), batches of
    // 64, Adam.
    optim::Adam opt(model->parameters(), optim::AdamOptions(1e-3));
    int steps = 0;
    for (int64_t start = 0; start < 2048; start += 64, ++steps) {
        std::vector<int64_t> idx(64);
        std::iota(idx.begin(), idx.end(), start);
        const data::Batch b = train.get_batch(idx);
        Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    const float after = eval_loss();
    MESSAGE("imported torch LeNet, ", steps, " Adam steps on 2048 Fashion-MNIST images: held-out "
            "loss ", before, " -> ", after);
    CHECK(steps == 32);
    CHECK(after < before - 0.8f);  // measured: 2.30 -> 1.19
}
