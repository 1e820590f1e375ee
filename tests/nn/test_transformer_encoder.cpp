// nn::TransformerEncoder: PyTorch's keys ("layers.0...", "norm"), copies of the layer, outputs and
// gradients against torch.nn.TransformerEncoder (tests/nn/seq_torch_reference.py) with gelu,
// batch_first, norm_first, a final norm and a causal mask; generate_square_subsequent_mask.
#include "support.hpp"

#include "nn/det.hpp"

using namespace descent;

TEST_CASE("TransformerEncoder: layers are copies of the layer, keys as torch's") {
    nn::TransformerEncoderLayer layer(4, 2, 5);
    nn::TransformerEncoder enc(layer, 2, std::make_shared<nn::LayerNorm>(std::vector<int64_t>{4}));
    const auto sd = enc.state_dict();
    CHECK(sd.size() == 26);
    CHECK(sd.front().first == "layers.0.self_attn.in_proj_weight");
    CHECK(sd[12].first == "layers.1.self_attn.in_proj_weight");
    CHECK(sd.back().first == "norm.bias");
    // same values as the layer, but separate tensors (PyTorch's deepcopy)
    auto l1 = enc.layers->at<nn::TransformerEncoderLayer>(1);
    CHECK(equal(l1->linear1->weight, layer.linear1->weight));
    CHECK(l1->linear1->weight.data_ptr<float>() != layer.linear1->weight.data_ptr<float>());
    CHECK(enc.parameters().size() == 26);
    nn::TransformerEncoder bare(layer, 1);
    CHECK(bare.norm == nullptr);
    CHECK(bare.state_dict().size() == 12);
    CHECK_ERROR(ValueError, [&] { nn::TransformerEncoder(layer, 0); },
                {"TransformerEncoder()", "num_layers", "0"});
}

TEST_CASE(
    "TransformerEncoder: gelu, batch_first, norm_first, final norm, causal mask, as torch's") {
    nn::TransformerEncoderLayer layer(4, 2, 5, 0.1, "gelu", 1e-5, true, true);
    nn::TransformerEncoder enc(layer, 2, std::make_shared<nn::LayerNorm>(std::vector<int64_t>{4}));
    test::set_det_params(enc);
    enc.eval();
    const Tensor src = (test::det({2, 3, 4}, 83) * arange(1, 25).reshape({2, 3, 4}) / 8.0)
                           .detach()
                           .requires_grad_();
    const Tensor out = enc.forward(src, nn::generate_square_subsequent_mask(3));
    test::weighted(out, 84).backward();
    CHECK_VALUES(
        out, {2, 3, 4},
        {0.724896,  0.1573317,  0.314427,  0.1158109, 0.7600359, 0.04102676, 0.2844245, 0.2381127,
         0.7048918, 0.0668823,  0.3202409, 0.2517788, 0.6943147, 0.2880544,  0.2946624, -0.2213342,
         0.7563399, -0.1836527, 0.2011988, 0.2587832, 0.6999731, 0.06408905, 0.3223651, 0.2568748});
    CHECK_VALUES(src.grad(), {2, 3, 4},
                 {-0.02689285, -0.06450609, -0.01349336, 0.1048923,   -0.004422089, -0.04868936,
                  0.02807535,  0.0250361,   -0.04016272, -0.03125649, 0.06037603,   0.01104318,
                  -0.01315112, -0.03050137, -0.07612607, 0.1197785,   0.06501932,   -0.1061222,
                  0.06045412,  -0.01935125, -0.03042581, -0.02086264, 0.04413391,   0.00715455});
    CHECK_VALUES(enc.layers->at<nn::TransformerEncoderLayer>(1)->linear2->weight.grad(), {4, 5},
                 {0.0002167663, 0.001830513, -0.0004209541, -0.0008635724, 7.312601e-05,
                  0.005849347,  -0.06953737, -0.02402925,   -0.02915728,   0.02952119,
                  0.004610172,  0.02055574,  -0.01837688,   0.0126783,     -0.005953416,
                  -0.01067628,  0.04715113,  0.04282708,    0.01734255,    -0.0236409},
                 1e-5);
}

TEST_CASE("generate_square_subsequent_mask: 0 on and below the diagonal, -inf above") {
    const Tensor m = nn::generate_square_subsequent_mask(3);
    const float inf = std::numeric_limits<float>::infinity();
    CHECK(m.to_vector<float>() == std::vector<float>{0, -inf, -inf, 0, 0, -inf, 0, 0, 0});
    CHECK(nn::generate_square_subsequent_mask(2, kFloat64).dtype() == kFloat64);
    CHECK_ERROR(ValueError, [] { nn::generate_square_subsequent_mask(0); },
                {"generate_square_subsequent_mask()", "0"});
}
