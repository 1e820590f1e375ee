// descent::onnx::export_model: each example model exported, checked by ONNX, and run in
// onnxruntime, whose outputs must equal descent's on Fashion-MNIST test images; and the errors for
// what has no ONNX form.
#include <doctest/doctest.h>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <descent/onnx/export.hpp>

#include "mnist_models.hpp"
#include "onnx/ort.hpp"
#include "support.hpp"

using namespace descent;

namespace {

::onnx::ModelProto read_model(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    ::onnx::ModelProto m;
    REQUIRE(m.ParseFromIstream(&f));
    return m;
}

// Exports `model`, runs it in onnxruntime on 16 test images and compares with descent's eval
// output.
void check_against_onnxruntime(nn::Module& model, const char* name) {
    manual_seed(0);
    onnx_test::TempPath path(std::string(name) + ".onnx");
    const Tensor x = onnx_test::test_images(16);
    descent::onnx::export_model(model, {x.slice(0, 0, 2)},
                                path.path);  // traced at batch 2: dynamic batch
    CHECK(model.is_training());              // the mode is restored
    ::onnx::checker::check_model(read_model(path.path));
    model.eval();
    const Tensor expected = model(x);
    const Tensor got = onnx_test::run_onnxruntime(path.path, x);
    CHECK(got.shape() == expected.shape());
    const double rel = onnx_test::relative_difference(got, expected);
    MESSAGE(std::string(name), ": onnxruntime vs descent, max |difference| / max |output| = ", rel);
    CHECK(rel < 1e-5);
}

}  // namespace

TEST_CASE("export_model: mnist_mlp's MLP runs in onnxruntime with descent's outputs") {
    auto m = examples::make_mlp({256, 128});
    check_against_onnxruntime(*m, "mlp");
    const ::onnx::ModelProto proto = [&] {
        onnx_test::TempPath p("mlp_names.onnx");
        descent::onnx::export_model(*m, {onnx_test::test_images(1)}, p.path);
        return read_model(p.path);
    }();
    // Initializers carry the parameter names; the batch dim is a symbol.
    std::vector<std::string> names;
    for (const auto& init : proto.graph().initializer()) names.push_back(init.name());
    CHECK(names == std::vector<std::string>{"1.weight", "1.bias", "3.weight", "3.bias", "5.weight",
                                            "5.bias"});
    CHECK(proto.graph().input(0).type().tensor_type().shape().dim(0).dim_param() == "batch");
    CHECK(proto.opset_import(0).version() == 17);
}

TEST_CASE("export_model: mnist_cnn's lenet runs in onnxruntime with descent's outputs") {
    auto m = examples::make_lenet();
    check_against_onnxruntime(*m, "lenet");
}

TEST_CASE("export_model: mnist_cnn's bn net (BatchNorm in eval form) matches in onnxruntime") {
    auto m = examples::make_bn_net();
    onnx_test::randomize_running_stats(*m);
    check_against_onnxruntime(*m, "bn");
    onnx_test::TempPath p("bn_ops.onnx");
    descent::onnx::export_model(*m, {onnx_test::test_images(1)}, p.path);
    int bn = 0;
    const ::onnx::ModelProto proto = read_model(p.path);
    for (const auto& n : proto.graph().node()) bn += n.op_type() == "BatchNormalization";
    CHECK(bn == 5);
}

TEST_CASE("export_model: a fixed batch, and opsets 11 and 13 write checked models") {
    auto m = examples::make_lenet();
    for (int64_t opset : {11, 13}) {
        onnx_test::TempPath p("fixed.onnx");
        descent::onnx::ExportOptions o;
        o.opset = opset;
        o.dynamic_batch = false;
        descent::onnx::export_model(*m, {onnx_test::test_images(3)}, p.path, o);
        const auto proto = read_model(p.path);
        CHECK(proto.graph().input(0).type().tensor_type().shape().dim(0).dim_value() == 3);
        CHECK(proto.opset_import(0).version() == opset);
    }
}

namespace {
struct Residual : nn::Module {
    std::shared_ptr<nn::Linear> fc;
    Residual() : nn::Module("Residual") {
        fc = register_module("fc", std::make_shared<nn::Linear>(4, 4));
    }
    Tensor forward(const Tensor& x) override { return (*fc)(x) + x; }
};
struct Custom : nn::Module {
    Custom() : nn::Module("Custom") {}
    Tensor forward(const Tensor& x) override { return x * 2.0f; }
};
}  // namespace

TEST_CASE("export_model: what has no ONNX form is a ValueError naming it, and no file is written") {
    onnx_test::TempPath p("refused.onnx");
    Residual r;
    CHECK_ERROR(ValueError,
                [&] {
                    descent::onnx::export_model(r, {randn({2, 4})}, p.path);
                },
                {"onnx::export_model()", "output", "AddBackward"});
    auto seq = std::make_shared<nn::Sequential>();
    seq->push_back(std::make_shared<nn::Linear>(4, 4));
    seq->push_back(std::make_shared<Custom>());
    CHECK_ERROR(ValueError,
                [&] {
                    descent::onnx::export_model(*seq, {randn({2, 4})}, p.path);
                },
                {"onnx::export_model()", "layer '1'", "Custom", "no ONNX mapping"});
    CHECK(seq->is_training());
    CHECK_ERROR(ValueError, [&] { descent::onnx::export_model(*seq, {}, p.path); },
                {"onnx::export_model()", "one example input, got 0"});
    descent::onnx::ExportOptions o;
    o.opset = 9;
    CHECK_ERROR(ValueError,
                [&] {
                    descent::onnx::export_model(*seq, {randn({2, 4})}, p.path, o);
                },
                {"onnx::export_model()", "opset 9"});
    CHECK_FALSE(std::filesystem::exists(p.path));
}

namespace {
// One Linear and one ReLU, each called twice: fc(relu(fc(x))).
struct Twice : nn::Module {
    std::shared_ptr<nn::Linear> fc;
    std::shared_ptr<nn::ReLU> act;
    Twice() : nn::Module("Twice") {
        fc = register_module("fc", std::make_shared<nn::Linear>(4, 4));
        act = register_module("act", std::make_shared<nn::ReLU>());
    }
    Tensor forward(const Tensor& x) override { return (*fc)((*act)((*fc)(x))); }
};
}  // namespace

TEST_CASE("export_model: a layer called twice is written twice, its weights once") {
    manual_seed(4);
    Twice m;
    onnx_test::TempPath p("twice.onnx");
    const Tensor x = randn({3, 4});
    descent::onnx::export_model(m, {x}, p.path);
    const ::onnx::ModelProto proto = read_model(p.path);
    CHECK(proto.graph().node_size() == 4);  // Gemm, Relu, Gemm, and the output's Identity
    CHECK(proto.graph().initializer_size() == 2);
    const Tensor got = onnx_test::run_onnxruntime(p.path, x);
    CHECK(onnx_test::relative_difference(got, m(x)) < 1e-5);
}
