// nn::TransformerEncoderLayer: PyTorch's state-dict keys, outputs and gradients against
// torch.nn.TransformerEncoderLayer (tests/nn/seq_torch_reference.py) with a float src_mask and a
// key padding mask; gradcheck and gradgradcheck in float64; refused options and masks.
#include "support.hpp"

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;

TEST_CASE("TransformerEncoderLayer: PyTorch's keys and submodules") {
    nn::TransformerEncoderLayer layer(8, 2);
    std::string keys;
    for (auto& [name, t] : layer.state_dict()) keys += (keys.empty() ? "" : " ") + name;
    CHECK(keys ==
          "self_attn.in_proj_weight self_attn.in_proj_bias self_attn.out_proj.weight "
          "self_attn.out_proj.bias linear1.weight linear1.bias linear2.weight linear2.bias "
          "norm1.weight norm1.bias norm2.weight norm2.bias");
    CHECK(layer.linear1->weight.shape() == Shape{2048, 8});
    CHECK(layer.dropout->p == doctest::Approx(0.1));
    std::string children;
    for (auto& [name, m] : layer.named_children()) children += name + " ";
    CHECK(children == "self_attn linear1 dropout linear2 norm1 norm2 dropout1 dropout2 ");
}

TEST_CASE("TransformerEncoderLayer: post-norm relu with src_mask and key padding, as torch's") {
    nn::TransformerEncoderLayer layer(4, 2, 6);
    test::set_det_params(layer);
    layer.eval();
    const Tensor src = test::det({3, 2, 4}, 80).requires_grad_();
    const Tensor kpm = tensor(std::vector<bool>{0, 0, 1, 0, 0, 0}, {2, 3});
    const Tensor out = layer.forward(src, test::det({3, 3}, 81), kpm);
    test::weighted(out, 82).backward();
    CHECK_VALUES(out, {3, 2, 4},
                 {0.1289832,  0.3038093, -0.6564791, 0.1701289, 0.06867773, 0.249925,
                  -0.6660693, 0.1618998, 0.1311434,  0.3157986, -0.652767,  0.1684703,
                  0.1280621,  0.3060743, -0.6561176, 0.1693159, 0.07235701, 0.3486388,
                  -0.628517,  0.1447065, 0.1308089,  0.319407,  -0.6517188, 0.1676314});
    CHECK_VALUES(src.grad(), {3, 2, 4},
                 {-0.01491806,  -0.01226636,  0.009693202,  0.01457401,  0.04589191, -0.03051574,
                  -0.0187881,   0.003787401,  0.004165773,  0.007742709, 0.01309023, -0.02631154,
                  -0.007241433, -0.008170133, 0.0007216297, 0.01412478,  0.04800278, -0.03215293,
                  -0.04855902,  0.03314652,   0.01488003,   0.03140558,  0.02072304, -0.06679454});
    CHECK_VALUES(layer.linear1->weight.grad(), {6, 4},
                 {0,
                  0,
                  0,
                  0,
                  0.005731277,
                  -0.01028368,
                  -0.03228927,
                  0.005267919,
                  0,
                  0,
                  0,
                  0,
                  0.01642918,
                  0.003632986,
                  -0.009598756,
                  -0.006607146,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0});
    CHECK_VALUES(
        layer.self_attn->in_proj_weight.grad(), {12, 4},
        {5.571998e-05,  -0.0001385546, 8.504173e-05,  6.165744e-05, 0.000123874,   -0.0002537054,
         0.0002053155,  -0.0001412039, -0.0001168977, 0.0002133868, -8.850313e-05, -0.0001367174,
         0.0002425403,  -0.0004349885, 0.0002243111,  8.675029e-05, -0.0001401364, 0.0001614291,
         -8.586425e-05, 0.0001614291,  3.489249e-05,  0.0001778433, -0.0002838731, 0.0001778433,
         -0.0002544617, -4.008604e-05, 0.0003105821,  -4.0086e-05,  -7.091941e-05, -0.0001682634,
         0.000306488,   -0.0001682633, -0.008977293,  0.004877412,  0.007871843,   -0.0007064362,
         0.008071271,   -0.004105328,  -0.007063367,  0.0001656723, -0.0091397,    0.004742249,
         0.008223477,   -0.000841598,  0.008210647,   -0.004028313, -0.007310566,  0.0002426892},
        1e-5);
    // the one-argument forward is the unmasked layer; unbatched (S, E) is one batch element
    const Tensor plain = layer(src.detach());
    const Tensor one = layer.forward(src.detach().select(1, 1), Tensor());
    CHECK(allclose(one, plain.select(1, 1), 1e-5, 1e-6));
}

TEST_CASE("TransformerEncoderLayer: training mode applies dropout, eval mode does not") {
    manual_seed(3);
    nn::TransformerEncoderLayer layer(4, 2, 8, 0.5);
    const Tensor x = test::det({3, 2, 4}, 1);
    layer.eval();
    const Tensor a = layer(x), b = layer(x);
    CHECK(equal(a, b));
    layer.train();
    CHECK_FALSE(allclose(layer(x), a));
}

TEST_CASE("TransformerEncoderLayer: gradients of first and second order, both norm orders") {
    for (bool norm_first : {false, true}) {
        CAPTURE(norm_first);
        nn::TransformerEncoderLayer layer(4, 2, 3, 0.0, "gelu", 1e-5, true, norm_first);
        layer.to(kFloat64);
        const Tensor mask = nn::generate_square_subsequent_mask(3, kFloat64);
        auto f = [&](const V& v) { return layer.forward(v[0], mask); };
        CHECK_GRADIENTS(f, (V{test::input({2, 3, 4}, 7)}));
    }
}

TEST_CASE("TransformerEncoderLayer: refused options and masks") {
    CHECK_ERROR(ValueError, [] { nn::TransformerEncoderLayer(6, 4); },
                {"TransformerEncoderLayer()", "d_model 6", "nhead 4"});
    CHECK_ERROR(ValueError, [] { nn::TransformerEncoderLayer(4, 2, 8, 0.1, "tanh"); },
                {"TransformerEncoderLayer()", "activation", "\"tanh\""});
    CHECK_ERROR(ValueError, [] { nn::TransformerEncoderLayer(4, 2, 8, 1.0); },
                {"TransformerEncoderLayer()", "dropout", "1"});
    CHECK_ERROR(ValueError, [] { nn::TransformerEncoderLayer(4, 0); },
                {"TransformerEncoderLayer()", "nhead", "0"});
    nn::TransformerEncoderLayer layer(4, 2, 8);
    const Tensor src = zeros({3, 2, 4});
    CHECK_ERROR(ShapeError,
                [&] {
                    layer.forward(src, zeros({3, 4}));
                },
                {"TransformerEncoderLayer", "src_mask", "(3, 3)", "(4, 3, 3)", "(3, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    layer.forward(src, Tensor(), zeros({3, 2}, kBool));
                },
                {"TransformerEncoderLayer", "src_key_padding_mask", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    layer(zeros({3, 2, 5}));
                },
                {"TransformerEncoderLayer", "(3, 2, 5)"});
}
