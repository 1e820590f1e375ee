// onnx::load's LSTM, GRU and RNN (onnx/ops_recurrent.cpp): PyTorch's exported char models (and a
// small transformer encoder) give
// PyTorch's logits (tests/onnx/torch_seq_export_reference.py wrote tests/onnx/data/) and fine-tune;
// the PyTorch form (functional::rnn) and ONNX's own step agree; gradients in float64; errors.
#include <doctest/doctest.h>

#include <descent/onnx/load.hpp>
#include <descent/onnx/tensor_proto.hpp>

#include "onnx/ort.hpp"
#include "support.hpp"

using namespace descent;
namespace donnx = descent::onnx;
using V = std::vector<Tensor>;

namespace {

std::string data_path(const std::string& name) {
    return std::string(DESCENT_ONNX_TEST_DIR) + "/data/" + name;
}

Tensor entry(const NamedTensors& npz, const std::string& name) {
    for (const auto& [k, t] : npz)
        if (k == name) return t;
    throw ValueError("no entry " + name);
}

donnx::GraphNode node(const std::string& op, int64_t hidden, const std::string& direction) {
    donnx::GraphNode n;
    n.op_type = op;
    n.name = "rec";
    n.attributes["hidden_size"].i = hidden;
    n.attributes["direction"].s = direction;
    return n;
}

// Random inputs of an op with G gate blocks: X (T, N, in), W, R, B, lengths, h0, c0.
struct Inputs {
    Tensor X, W, R, B, lens, h0, c0;
};
Inputs inputs(int64_t G, int64_t T, int64_t N, int64_t in, int64_t H, int64_t D,
              ScalarType dtype = kFloat32, uint64_t seed = 1) {
    Generator gen(seed);
    auto r = [&](Shape s) { return (rand(s, gen) * 2.0 - 1.0).to(dtype); };
    Inputs i;
    i.X = r({T, N, in});
    i.W = r({D, G * H, in});
    i.R = r({D, G * H, H});
    i.B = r({D, 2 * G * H});
    std::vector<int64_t> lens;
    for (int64_t b = 0; b < N; ++b) lens.push_back(1 + b % T);  // 1, 2, ...
    i.lens = tensor(lens, Shape{N}, kInt64);
    i.h0 = r({D, N, H});
    i.c0 = r({D, N, H});
    return i;
}

}  // namespace

TEST_CASE("load: PyTorch's exported LSTM and GRU char models give PyTorch's logits") {
    for (const std::string kind : {"lstm", "gru"}) {
        CAPTURE(kind);
        auto model = donnx::load(data_path("torch_char_" + kind + ".onnx"));
        const NamedTensors ref = io::load_npz(data_path("torch_char_" + kind + ".npz"));
        const Tensor tokens = entry(ref, "tokens"), want = entry(ref, "logits");
        const Tensor got = (*model)(tokens);
        REQUIRE(got.shape() == want.shape());
        const double rel = onnx_test::relative_difference(got, want);
        MESSAGE(kind, ": max |descent - PyTorch| / max |PyTorch| = ", rel);
        CHECK(rel < 1e-5);
    }
}

TEST_CASE("load: PyTorch's exported transformer encoder (2 pre-norm layers, opset 17) gives its logits") {
    auto model = donnx::load(data_path("torch_encoder.onnx"));
    CHECK(model->opset() == 17);
    const NamedTensors ref = io::load_npz(data_path("torch_encoder.npz"));
    const Tensor tokens = entry(ref, "tokens"), want = entry(ref, "logits");
    const Tensor got = (*model)(tokens);
    REQUIRE(got.shape() == want.shape());
    const double rel = onnx_test::relative_difference(got, want);
    MESSAGE("encoder: max |descent - PyTorch| / max |PyTorch| = ", rel);
    CHECK(rel < 1e-5);
    // Its graph is attention spelled out: LayerNormalization, MatMul, Softmax.
    int layer_norms = 0, softmaxes = 0;
    for (const auto& n : model->nodes()) {
        layer_norms += n.op_type == "LayerNormalization";
        softmaxes += n.op_type == "Softmax";
    }
    CHECK(layer_norms == 4);
    CHECK(softmaxes == 2);
    // And it trains: every parameter receives a gradient from a next-token loss.
    const Tensor loss = nn::functional::cross_entropy((*model)(tokens).reshape({-1, 40}),
                                                      tokens.reshape({-1}));
    loss.backward();
    for (const auto& [name, p] : model->named_parameters()) {
        CAPTURE(name);
        CHECK(p.grad().defined());
    }
}

TEST_CASE("load: an imported PyTorch LSTM fine-tunes (every weight gets a gradient)") {
    auto model = donnx::load(data_path("torch_char_lstm.onnx"));
    const NamedTensors ref = io::load_npz(data_path("torch_char_lstm.npz"));
    const Tensor tokens = entry(ref, "tokens");
    const Tensor targets = tokens.reshape({-1});
    auto loss_of = [&] {
        const Tensor z = (*model)(tokens);
        return nn::functional::cross_entropy(z.reshape({-1, z.size(2)}), targets);
    };
    optim::SGD opt(model->parameters(), 1.0);
    Tensor loss = loss_of();
    const float before = loss.item();
    loss.backward();
    for (auto& [name, p] : model->named_parameters()) {
        CAPTURE(name);
        REQUIRE(p.grad().defined());
        CHECK(p.grad().abs().max().item() > 0.0f);
    }
    opt.step();
    CHECK(loss_of().item() < before);
}

TEST_CASE("load: LSTM, GRU and RNN in PyTorch's form equal ONNX's own step") {
    // A clip no value reaches sends a node to ONNX's own step (clip is not PyTorch's).
    const int64_t T = 4, N = 3, in = 2, H = 3;
    for (const std::string direction : {"forward", "bidirectional"}) {
        for (const std::string op : {"LSTM", "GRU", "RNN"}) {
            CAPTURE(op);
            CAPTURE(direction);
            const int64_t D = direction == "bidirectional" ? 2 : 1;
            const int64_t G = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
            const Inputs i = inputs(G, T, N, in, H, D);
            donnx::GraphNode a = node(op, H, direction);
            if (op == "GRU") a.attributes["linear_before_reset"].i = 1;
            if (op == "RNN")
                a.attributes["activations"].strings = std::vector<std::string>(D, "Relu");
            donnx::GraphNode b = a;
            b.attributes["clip"].f = 1e9f;
            V args{i.X, i.W, i.R, i.B, i.lens, i.h0};
            if (op == "LSTM") args.push_back(i.c0);
            const V ya = donnx::run_node(a, args, 14), yb = donnx::run_node(b, args, 14);
            REQUIRE(ya.size() == yb.size());
            CHECK(ya[0].shape() == Shape{T, D, N, H});
            CHECK(ya[1].shape() == Shape{D, N, H});
            for (size_t k = 0; k < ya.size(); ++k) CHECK(allclose(ya[k], yb[k], 1e-5, 1e-6));
            // past its length a sequence's output is zero: sequence 0 has length 1
            CHECK(select(select(ya[0], 2, 0), 0, 1).abs().max().item() == 0.0f);
        }
    }
}

TEST_CASE("load: direction reverse is bidirectional's second half, layout 1 transposes") {
    const int64_t T = 5, N = 2, in = 3, H = 2;
    const Inputs i = inputs(4, T, N, in, H, 2, kFloat32, 5);
    const V bi = donnx::run_node(node("LSTM", H, "bidirectional"),
                                 {i.X, i.W, i.R, i.B, i.lens, i.h0, i.c0}, 14);
    auto second = [](const Tensor& t) { return narrow(t, 0, 1, 1); };
    const V rev = donnx::run_node(
        node("LSTM", H, "reverse"),
        {i.X, second(i.W), second(i.R), second(i.B), i.lens, second(i.h0), second(i.c0)}, 14);
    CHECK(allclose(rev[0], narrow(bi[0], 1, 1, 1), 1e-5, 1e-6));
    CHECK(allclose(rev[1], second(bi[1]), 1e-5, 1e-6));
    CHECK(allclose(rev[2], second(bi[2]), 1e-5, 1e-6));
    donnx::GraphNode batchwise = node("LSTM", H, "bidirectional");
    batchwise.attributes["layout"].i = 1;
    const V bw = donnx::run_node(
        batchwise,
        {transpose(i.X, 0, 1), i.W, i.R, i.B, i.lens, transpose(i.h0, 0, 1), transpose(i.c0, 0, 1)},
        14);
    CHECK(allclose(bw[0], permute(bi[0], {2, 0, 1, 3}), 1e-6, 1e-7));
    CHECK(allclose(bw[1], transpose(bi[1], 0, 1), 1e-6, 1e-7));
}

TEST_CASE("load: LSTM, GRU and RNN: gradcheck and gradgradcheck in float64") {
    const int64_t T = 2, N = 2, in = 2, H = 2;
    for (const std::string op : {"LSTM", "GRU", "RNN"}) {
        for (bool own_step : {false, true}) {
            CAPTURE(op);
            CAPTURE(own_step);
            const int64_t G = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
            const Inputs i = inputs(G, T, N, in, H, 1, kFloat64, 9);
            donnx::GraphNode n = node(op, H, "forward");
            // own_step: ONNX's GRU default (linear_before_reset 0), LSTM peepholes, RNN clip
            if (op == "GRU") n.attributes["linear_before_reset"].i = own_step ? 0 : 1;
            if (own_step && op == "RNN") n.attributes["clip"].f = 1e9f;
            const Tensor P = (rand({1, 3 * H}) - 0.5).to(kFloat64);
            const Tensor lens = tensor(std::vector<int64_t>{2, 1}, Shape{2}, kInt64);
            auto f = [&, op, own_step](const V& v) {
                V args{v[0], v[1], v[2], v[3], lens, v[4]};
                if (op == "LSTM") {
                    args.push_back(Tensor());
                    if (own_step) args.push_back(P);
                }
                const V y = donnx::run_node(n, args, 14);
                return y[0].sum() + (y[1] * y[1]).sum();
            };
            V x{i.X, i.W, i.R, i.B, i.h0};
            for (Tensor& t : x) t.requires_grad_();
            CHECK_GRADIENTS(f, x);
        }
    }
}

TEST_CASE("load: LSTM, GRU and RNN refuse what they cannot run") {
    const Inputs i = inputs(4, 3, 2, 2, 3, 1);
    auto run = [&](donnx::GraphNode n, V args) { return donnx::run_node(n, args, 14); };
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("LSTM", 3, "sideways"), {i.X, i.W, i.R});
                },
                {"LSTM", "direction \"sideways\""});
    donnx::GraphNode layout = node("LSTM", 3, "forward");
    layout.attributes["layout"].i = 2;
    CHECK_ERROR(ValueError, [&] { run(layout, {i.X, i.W, i.R}); }, {"layout 2"});
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("LSTM", 4, "forward"), {i.X, i.W, i.R});
                },
                {"hidden_size 4", "R of shape (1, 12, 3)"});
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("GRU", 3, "forward"), {i.X, i.W, i.R});
                },
                {"GRU", "W (1, 12, 2)", "(1, 9, 2)"});
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("LSTM", 3, "bidirectional"), {i.X, i.W, i.R});
                },
                {"(2, 12, 2)", "bidirectional"});
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("LSTM", 3, "forward"), {i.X.to(kFloat64), i.W, i.R});
                },
                {"one floating dtype", "float64"});
    const Tensor zero_len = tensor(std::vector<int64_t>{0, 3}, Shape{2}, kInt64);
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("LSTM", 3, "forward"), {i.X, i.W, i.R, i.B, zero_len});
                },
                {"sequence_lens[0] = 0", "[1, 3]"});
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("LSTM", 3, "forward"), {i.X, i.W, i.R, i.B, Tensor(), i.X});
                },
                {"initial_h of shape (3, 2, 2)", "(1, 2, 3)"});
    donnx::GraphNode elu = node("RNN", 3, "forward");
    elu.attributes["activations"].strings = {"Elu"};
    const Inputs r = inputs(1, 3, 2, 2, 3, 1);
    CHECK_ERROR(ValueError, [&] { run(elu, {r.X, r.W, r.R}); }, {"activation Elu", "not mapped"});
    donnx::GraphNode two = node("RNN", 3, "forward");
    two.attributes["activations"].strings = {"Tanh", "Tanh"};
    CHECK_ERROR(ValueError, [&] { run(two, {r.X, r.W, r.R}); }, {"activations must name 1"});
    CHECK_ERROR(ValueError,
                [&] {
                    run(node("RNN", 3, "forward"), {r.X, r.W});
                },
                {"input 2 is required"});
}

TEST_CASE("load: INT32 tensors (LSTM's sequence_lens) are read widened to int64") {
    ::onnx::TensorProto p;
    p.set_name("lens");
    p.set_data_type(::onnx::TensorProto::INT32);
    p.add_dims(3);
    for (int32_t v : {2, -7, 2147483647}) p.add_int32_data(v);
    const Tensor t = donnx::detail::from_proto(p, "test");
    CHECK(t.dtype() == kInt64);
    CHECK(t.to_vector<int64_t>() == std::vector<int64_t>{2, -7, 2147483647});
    ::onnx::TensorProto raw = p;
    raw.clear_int32_data();
    const int32_t values[] = {5, 6, 7};
    raw.set_raw_data(std::string(reinterpret_cast<const char*>(values), sizeof values));
    CHECK(donnx::detail::from_proto(raw, "test").to_vector<int64_t>() ==
          std::vector<int64_t>{5, 6, 7});
    raw.set_raw_data(std::string(reinterpret_cast<const char*>(values), 10));
    CHECK_ERROR(IOError, [&] { donnx::detail::from_proto(raw, "test"); },
                {"\"lens\"", "10 bytes", "not a whole number"});
}
