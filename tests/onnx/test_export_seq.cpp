// export_chain: char_lm's recurrent models (Embedding -> LSTM / GRU / RNN -> Linear) written as
// ONNX (Gather, LSTM / GRU / RNN with ONNX's gate order, MatMul) run in onnxruntime with descent's
// outputs on a token window, and load back with onnx::load; what it cannot write is refused.
#include <doctest/doctest.h>

#include <descent/onnx/export.hpp>
#include <descent/onnx/load.hpp>

#include "onnx/ort.hpp"
#include "support.hpp"

using namespace descent;
namespace donnx = descent::onnx;

namespace {

struct Chain {
    std::shared_ptr<nn::Embedding> embed = std::make_shared<nn::Embedding>(40, 16);
    std::shared_ptr<nn::Module> rnn;
    std::shared_ptr<nn::Linear> head;
    std::vector<donnx::ChainLayer> layers() {
        return {{"embed", embed.get()}, {"rnn", rnn.get()}, {"head", head.get()}};
    }
    Tensor forward(const Tensor& tokens) {
        NoGradGuard no_grad;
        Tensor x = (*embed)(tokens);
        if (auto* l = dynamic_cast<nn::LSTM*>(rnn.get())) x = std::get<0>(l->forward(x));
        if (auto* g = dynamic_cast<nn::GRU*>(rnn.get())) x = std::get<0>(g->forward(x));
        if (auto* r = dynamic_cast<nn::RNN*>(rnn.get())) x = std::get<0>(r->forward(x));
        return (*head)(x);
    }
};

Chain chain(const std::string& kind) {
    manual_seed(11);
    Chain c;
    auto o = nn::RNNOptions(16, 32).batch_first(true);
    if (kind == "lstm") c.rnn = std::make_shared<nn::LSTM>(o.num_layers(2));
    if (kind == "gru") c.rnn = std::make_shared<nn::GRU>(o.bidirectional(true));
    if (kind == "rnn") c.rnn = std::make_shared<nn::RNN>(o.nonlinearity("relu").num_layers(2));
    c.head = std::make_shared<nn::Linear>(kind == "gru" ? 64 : 32, 40);
    return c;
}

Tensor tokens(int64_t n, int64_t t) {
    std::vector<int64_t> v;
    for (int64_t i = 0; i < n * t; ++i) v.push_back((i * 7 + 3) % 40);
    return tensor(v, Shape{n, t}, kInt64);
}

}  // namespace

TEST_CASE(
    "export_chain: char_lm's LSTM, GRU and RNN models run in onnxruntime with descent's outputs") {
    for (const std::string kind : {"lstm", "gru", "rnn"}) {
        CAPTURE(kind);
        Chain c = chain(kind);
        onnx_test::TempPath path("chain_" + kind + ".onnx");
        donnx::export_chain(c.layers(), tokens(1, 12), path.path);
        // traced at batch 1, run at 3: the batch is a symbol
        const Tensor x = tokens(3, 12);
        const Tensor want = c.forward(x);
        const Tensor ort = onnx_test::run_onnxruntime(path.path, x);
        REQUIRE(ort.shape() == want.shape());
        const double rel = onnx_test::relative_difference(ort, want);
        MESSAGE(kind, ": onnxruntime vs descent, max |difference| / max |output| = ", rel);
        CHECK(rel < 1e-5);
        auto loaded = donnx::load(path.path);
        CHECK(onnx_test::relative_difference((*loaded)(x), want) < 1e-5);
    }
}

TEST_CASE("export_chain: an empty chain, a low opset and an unbatched LSTM input are refused") {
    Chain c = chain("lstm");
    onnx_test::TempPath path("chain_bad.onnx");
    CHECK_ERROR(ValueError, [&] { donnx::export_chain({}, tokens(1, 4), path.path); },
                {"export_chain", "at least one layer"});
    donnx::ExportOptions old;
    old.opset = 13;
    CHECK_ERROR(ValueError, [&] { donnx::export_chain(c.layers(), tokens(1, 4), path.path, old); },
                {"opset 13", "14-17"});
    CHECK_ERROR(ValueError,
                [&] {
                    donnx::export_chain({{"rnn", c.rnn.get()}}, randn({4, 16}), path.path);
                },
                {"layer 'rnn'", "LSTM", "unbatched", "(4, 16)"});
    CHECK_FALSE(std::filesystem::exists(path.path));
}

TEST_CASE("export_model: GELU (erf form) and LayerNorm run in onnxruntime with descent's outputs") {
    manual_seed(5);
    nn::Sequential model;
    model.push_back(std::make_shared<nn::Linear>(8, 16));
    model.push_back(std::make_shared<nn::GELU>());
    model.push_back(std::make_shared<nn::LayerNorm>(std::vector<int64_t>{16}));
    model.push_back(std::make_shared<nn::GELU>());
    model.push_back(std::make_shared<nn::LayerNorm>(std::vector<int64_t>{16}, 1e-3, false));
    model.push_back(std::make_shared<nn::Linear>(16, 4));
    {
        NoGradGuard no_grad;  // a LayerNorm far from its init, so that its parameters are tested
        auto ln = std::dynamic_pointer_cast<nn::LayerNorm>(model.named_children()[2].second);
        ln->weight.copy_(randn({16}) + 1.0f);
        ln->bias.copy_(randn({16}));
    }
    const Tensor x = randn({2, 5, 8}) * 2.0f;
    onnx_test::TempPath path("gelu_ln.onnx");
    donnx::export_model(model, {x}, path.path);
    model.eval();
    const Tensor want = model(x);
    const double rel =
        onnx_test::relative_difference(onnx_test::run_onnxruntime(path.path, x), want);
    MESSAGE("GELU and LayerNorm: onnxruntime vs descent, max |difference| / max |output| = ", rel);
    CHECK(rel < 1e-5);

    onnx_test::TempPath bad("gelu_ln_bad.onnx");
    donnx::ExportOptions old;
    old.opset = 16;
    CHECK_ERROR(ValueError, [&] { donnx::export_model(model, {x}, bad.path, old); },
                {"layer '2'", "LayerNormalization", "opset 17", "16"});
    nn::Sequential tanh_gelu;
    tanh_gelu.push_back(std::make_shared<nn::GELU>("tanh"));
    CHECK_ERROR(ValueError, [&] { donnx::export_model(tanh_gelu, {x}, bad.path); },
                {"layer '0'", "approximate \"tanh\""});
    CHECK_FALSE(std::filesystem::exists(bad.path));
}

TEST_CASE(
    "export_chain: char_lm's gpt (positions, a causal pre-norm encoder, GELU) runs in "
    "onnxruntime") {
    manual_seed(13);
    const int64_t T = 8, E = 16;
    auto embed = std::make_shared<nn::Embedding>(40, E);
    const Tensor positions = randn({T, E}) * 0.5f;
    nn::TransformerEncoderLayer layer(E, 4, 4 * E, 0.0, "gelu", 1e-5, true, true);
    auto encoder = std::make_shared<nn::TransformerEncoder>(
        layer, 2, std::make_shared<nn::LayerNorm>(std::vector<int64_t>{E}));
    auto head = std::make_shared<nn::Linear>(E, 40);
    const Tensor mask = nn::generate_square_subsequent_mask(T);
    onnx_test::TempPath path("chain_gpt.onnx");
    donnx::export_chain({{"embed", embed.get()},
                         {"positions", nullptr, positions},
                         {"encoder", encoder.get(), {}, mask},
                         {"head", head.get()}},
                        tokens(1, T), path.path);
    const Tensor x = tokens(3, T);
    Tensor want;
    {
        NoGradGuard no_grad;
        encoder->eval();
        want = (*head)(encoder->forward((*embed)(x) + positions, mask));
    }
    const double rel =
        onnx_test::relative_difference(onnx_test::run_onnxruntime(path.path, x), want);
    MESSAGE("gpt: onnxruntime vs descent, max |difference| / max |output| = ", rel);
    CHECK(rel < 1e-5);
    // post-norm and relu too
    nn::TransformerEncoderLayer post(E, 2, 32, 0.0, "relu", 1e-5, true, false);
    auto encoder2 = std::make_shared<nn::TransformerEncoder>(post, 1);
    onnx_test::TempPath path2("chain_post.onnx");
    donnx::export_chain({{"embed", embed.get()}, {"encoder", encoder2.get(), {}, mask}},
                        tokens(1, T), path2.path);
    Tensor want2;
    {
        NoGradGuard no_grad;
        encoder2->eval();
        want2 = encoder2->forward((*embed)(x), mask);
    }
    CHECK(onnx_test::relative_difference(onnx_test::run_onnxruntime(path2.path, x), want2) < 1e-5);
}
