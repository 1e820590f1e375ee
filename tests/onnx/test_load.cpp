// onnx::load: exported example models load back as modules with the same outputs, named parameters
// and a working backward (one SGD step lowers the loss); hostile files are one clear descent error.
#include <doctest/doctest.h>

#include <onnx/onnx_pb.h>
#include <descent/onnx/export.hpp>
#include <descent/onnx/load.hpp>

#include "mnist_models.hpp"
#include "onnx/ort.hpp"
#include "support.hpp"

using namespace descent;
namespace donnx = descent::onnx;

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}
void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary);
    f << bytes;
}
void write_model(const std::string& path, const ::onnx::ModelProto& m) {
    std::string bytes;
    REQUIRE(m.SerializeToString(&bytes));
    write_bytes(path, bytes);
}

// x (2, 3) -> Relu(x @ w + b), w and b initializers: a small valid model to break in tests.
::onnx::ModelProto tiny_model() {
    ::onnx::ModelProto m;
    m.set_ir_version(8);
    m.add_opset_import()->set_version(17);
    auto* g = m.mutable_graph();
    g->set_name("tiny");
    auto value = [](::onnx::ValueInfoProto* v, const char* name, std::vector<int64_t> dims) {
        v->set_name(name);
        auto* t = v->mutable_type()->mutable_tensor_type();
        t->set_elem_type(::onnx::TensorProto::FLOAT);
        for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
    };
    value(g->add_input(), "x", {2, 3});
    value(g->add_output(), "y", {2, 4});
    auto init = [&](const char* name, std::vector<int64_t> dims) {
        auto* t = g->add_initializer();
        t->set_name(name);
        t->set_data_type(::onnx::TensorProto::FLOAT);
        int64_t n = 1;
        for (int64_t d : dims) t->add_dims(d), n *= d;
        for (int64_t i = 0; i < n; ++i) t->add_float_data(0.1f * static_cast<float>(i) - 0.5f);
    };
    init("fc.weight", {3, 4});
    init("fc.bias", {4});
    auto* mm = g->add_node();
    mm->set_name("matmul");
    mm->set_op_type("MatMul");
    mm->add_input("x");
    mm->add_input("fc.weight");
    mm->add_output("h");
    auto* add = g->add_node();
    add->set_name("add");
    add->set_op_type("Add");
    add->add_input("h");
    add->add_input("fc.bias");
    add->add_output("z");
    auto* relu = g->add_node();
    relu->set_name("relu");
    relu->set_op_type("Relu");
    relu->add_input("z");
    relu->add_output("y");
    return m;
}

void check_round_trip(nn::Module& model, const char* name) {
    onnx_test::TempPath path(std::string(name) + "_rt.onnx");
    const Tensor x = onnx_test::test_images(8);
    donnx::export_model(model, {x}, path.path);
    auto loaded = donnx::load(path.path);
    model.eval();
    const Tensor expected = model(x);
    const Tensor got = (*loaded)(x);
    CHECK(got.shape() == expected.shape());
    const double rel = onnx_test::relative_difference(got, expected);
    MESSAGE(std::string(name), ": loaded vs descent, max |difference| / max |output| = ", rel);
    CHECK(rel < 1e-6);
    // The same parameters and buffers under the same names.
    const auto want = model.named_parameters(), have = loaded->named_parameters();
    REQUIRE(want.size() == have.size());
    for (size_t i = 0; i < want.size(); ++i) {
        CHECK(have[i].first == want[i].first);
        CHECK(have[i].second.shape() == want[i].second.shape());
    }
}

}  // namespace

TEST_CASE("load: the exported example models load back with the same outputs and names") {
    manual_seed(1);
    check_round_trip(*examples::make_mlp({64, 32}), "mlp");
    check_round_trip(*examples::make_lenet(), "lenet");
    auto bn = examples::make_bn_net();
    onnx_test::randomize_running_stats(*bn);
    check_round_trip(*bn, "bn");
    onnx_test::TempPath path("bn_buffers.onnx");
    donnx::export_model(*bn, {onnx_test::test_images(1)}, path.path);
    auto loaded = donnx::load(path.path);
    int stats = 0;
    for (const auto& [name, t] : loaded->named_buffers())
        stats += name.find("running_") != std::string::npos;
    CHECK(stats == 10);  // five BatchNorm layers' running statistics are buffers, not parameters
}

TEST_CASE(
    "load: an imported LeNet fine-tunes (gradients reach every initializer, the loss drops)") {
    manual_seed(2);
    auto lenet = examples::make_lenet();
    onnx_test::TempPath path("lenet_ft.onnx");
    const Tensor x = onnx_test::test_images(32);
    donnx::export_model(*lenet, {x}, path.path);
    auto model = donnx::load(path.path);
    const Tensor y = tensor(std::vector<int64_t>(32, 3));
    optim::SGD opt(model->parameters(), 0.05);
    const float before = nn::functional::cross_entropy((*model)(x), y).item();
    for (int step = 0; step < 5; ++step) {
        Tensor loss = nn::functional::cross_entropy((*model)(x), y);
        opt.zero_grad();
        loss.backward();
        for (const Tensor& p : model->parameters()) CHECK(p.grad().defined());
        opt.step();
    }
    const float after = nn::functional::cross_entropy((*model)(x), y).item();
    MESSAGE("imported LeNet, 5 SGD steps: loss ", before, " -> ", after);
    CHECK(after < before);
}

TEST_CASE("load: a hand-made graph (MatMul, Add, Relu) computes its formula") {
    onnx_test::TempPath path("tiny.onnx");
    write_model(path.path, tiny_model());
    auto m = donnx::load(path.path);
    const Tensor x = tensor({1.0, -2.0, 0.5, 0.0, 1.0, 2.0}, kFloat32).reshape({2, 3});
    // Both initializers count 0.1·i - 0.5: w rows (-.5 -.4 -.3 -.2), (-.1 0 .1 .2), (.3 .4 .5 .6),
    // b (-.5 -.4 -.3 -.2). Row 0: x·w = (-.15 -.2 -.25 -.3), + b < 0, so 0; row 1: x·w = w1 + 2·w2
    // = (.5 .8 1.1 1.4), + b = (0 .4 .8 1.2).
    CHECK_VALUES((*m)(x), {2, 4}, {0, 0, 0, 0, 0, 0.4f, 0.8f, 1.2f});
    CHECK(m->named_parameters()[0].first == "fc.weight");
    CHECK(m->input_names() == std::vector<std::string>{"x"});
}

TEST_CASE("load: truncated, corrupt, unknown-op, lying and dangling files are one descent error") {
    onnx_test::TempPath path("bad.onnx");
    write_model(path.path, tiny_model());
    const std::string good = file_bytes(path.path);

    CHECK_ERROR(IOError, [&] { donnx::load("/nonexistent/m.onnx"); },
                {"onnx::load(/nonexistent/m.onnx)", "cannot open"});
    // Every truncation of the file is refused or loads a model that still runs: never a crash.
    int refused = 0;
    for (size_t len = 0; len < good.size(); len += 7) {
        write_bytes(path.path, good.substr(0, len));
        try {
            donnx::load(path.path);
        } catch (const Error&) {
            ++refused;
        }
    }
    CHECK(refused > 0);
    write_bytes(path.path, good.substr(0, good.size() / 2));
    CHECK_ERROR(Error, [&] { donnx::load(path.path); }, {"onnx::load("});
    write_bytes(path.path, std::string("\xff\xff\xff\xff garbage", 13));
    CHECK_ERROR(IOError, [&] { donnx::load(path.path); }, {"onnx::load(", "not an ONNX model"});

    auto m = tiny_model();
    m.mutable_graph()->mutable_node(2)->set_op_type("FancyOp");
    write_model(path.path, m);
    CHECK_ERROR(ValueError, [&] { donnx::load(path.path); },
                {"onnx::load(", "node 'relu'", "FancyOp", "opset 17", "does not map"});

    m = tiny_model();
    m.mutable_opset_import(0)->set_version(9);
    write_model(path.path, m);
    CHECK_ERROR(ValueError, [&] { donnx::load(path.path); }, {"opset 9", "opsets 11-17"});

    // Dims that promise far more data than the file holds: refused before allocating.
    m = tiny_model();
    m.mutable_graph()->mutable_initializer(0)->set_dims(0, 1000000000);
    write_model(path.path, m);
    CHECK_ERROR(IOError, [&] { donnx::load(path.path); },
                {"tensor \"fc.weight\"", "dims (1000000000, 4)", "holds 12 elements"});
    m = tiny_model();
    m.mutable_graph()->mutable_initializer(0)->set_dims(0, -3);
    write_model(path.path, m);
    CHECK_ERROR(IOError, [&] { donnx::load(path.path); }, {"fc.weight", "negative dim -3"});

    m = tiny_model();
    m.mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
    write_model(path.path, m);
    CHECK_ERROR(Error, [&] { donnx::load(path.path); }, {"onnx::load(", "nowhere"});

    m = tiny_model();
    auto* t = m.mutable_graph()->mutable_initializer(1);
    t->clear_float_data();
    t->set_data_location(::onnx::TensorProto::EXTERNAL);
    auto* e = t->add_external_data();
    e->set_key("location");
    e->set_value("/etc/passwd");
    write_model(path.path, m);
    CHECK_ERROR(IOError, [&] { donnx::load(path.path); }, {"fc.bias", "external file"});
}

// Every input scripts/fuzz.sh's fuzz_onnx caught (tests/io/regressions/fuzz_onnx/, with hand-made
// ones for the defects it found) loads or is refused with a descent::Error, never a crash.
TEST_CASE("load: the fuzz_onnx regressions replay cleanly") {
    const std::filesystem::path dir =
        std::filesystem::path(DESCENT_ONNX_TEST_DIR) / ".." / "io" / "regressions" / "fuzz_onnx";
    int replayed = 0;
    if (std::filesystem::is_directory(dir))
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            if (!e.is_regular_file()) continue;
            CAPTURE(e.path().string());
            try {
                donnx::load(e.path().string());
            } catch (const Error&) {
            } catch (const std::exception& ex) {
                FAIL("not a descent error: " << ex.what());
            }
            ++replayed;
        }
    MESSAGE("replayed ", replayed, " fuzz_onnx inputs");
    CHECK(replayed > 0);
}
