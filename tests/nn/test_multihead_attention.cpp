// nn::MultiheadAttention: PyTorch's keys and init, outputs, attention weights and gradients against
// torch.nn.MultiheadAttention (tests/nn/seq_torch_reference.py) with key_padding_mask, float and
// bool attn_mask, batch_first and per-head weights; gradcheck; refused inputs.
// kdim / vdim (q/k/v_proj_weight) against tests/nn/packed_torch_reference.py.
#include "support.hpp"

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;

TEST_CASE("MultiheadAttention: PyTorch's keys, shapes and init") {
    manual_seed(6);
    nn::MultiheadAttention mha(8, 2);
    std::string keys;
    for (auto& [name, t] : mha.state_dict()) keys += (keys.empty() ? "" : " ") + name;
    CHECK(keys == "in_proj_weight in_proj_bias out_proj.weight out_proj.bias");
    CHECK(mha.in_proj_weight.shape() == Shape{24, 8});
    CHECK(mha.in_proj_bias.shape() == Shape{24});
    CHECK(equal(mha.in_proj_bias, zeros({24})));
    CHECK(equal(mha.out_proj->bias, zeros({8})));
    // xavier_uniform_: U(-a, a), a = sqrt(6 / (8 + 24)) = 0.433
    const std::vector<float> w = mha.in_proj_weight.to_vector<float>();
    CHECK(*std::max_element(w.begin(), w.end()) <= 0.4331f);
    CHECK(*std::max_element(w.begin(), w.end()) > 0.35f);
    CHECK(test::printed(mha) ==
          "MultiheadAttention(embed_dim=8, num_heads=2)(\n"
          "  (out_proj): Linear(in_features=8, out_features=8, bias=true)\n"
          ")");
}

TEST_CASE("MultiheadAttention: key_padding_mask and a float attn_mask, as torch's") {
    nn::MultiheadAttention mha(4, 2);
    test::set_det_params(mha);
    const Tensor query = test::det({3, 2, 4}, 70).requires_grad_();
    const Tensor kpm = tensor(std::vector<bool>{0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, {2, 5});
    auto [out, w] = mha.forward(query, test::det({5, 2, 4}, 71), test::det({5, 2, 4}, 72), kpm,
                                true, test::det({3, 5}, 73));
    (test::weighted(out, 74) + test::weighted(w, 75)).backward();
    CHECK_VALUES(out, {3, 2, 4},
                 {-0.3583544, -0.1014059,  0.3184516,  -0.1467115,  -0.3799696, -0.09255259,
                  0.3639828,  -0.1622137,  -0.3573049, -0.1003731,  0.3167968,  -0.1461099,
                  -0.3796187, -0.09374171, 0.363858,   -0.1616855,  -0.360265,  -0.1130357,
                  0.3255545,  -0.1454999,  -0.3759819, -0.09559725, 0.3579803,  -0.158719});
    CHECK_VALUES(w, {2, 3, 5}, {0.3893709, 0.2384669, 0.3721623, 0,         0,         0.4064384,
                                0.2329314, 0.3606302, 0,         0,         0.2351358, 0.2987455,
                                0.4661188, 0,         0,         0.2692269, 0.1642655, 0.2220983,
                                0.1442533, 0.2001558, 0.264029,  0.1595374, 0.2294017, 0.1518818,
                                0.1951501, 0.1359726, 0.1942863, 0.2614061, 0.1716904, 0.2366444});
    CHECK_VALUES(
        query.grad(), {3, 2, 4},
        {-0.002957588, -0.00220139,  -0.004004461, -0.003248263, 0.0007218176, 0.00181251,
         8.970856e-05, 0.001180401,  -0.002930147, -0.003389625, -0.001556766, -0.002016244,
         0.002118792,  0.001212131,  0.001506132,  0.0005994716, -0.005190392, -0.004220583,
         -0.002500561, -0.001530752, 0.002103257,  0.001329998,  0.001721387,  0.0009481283});
    CHECK_VALUES(
        mha.in_proj_weight.grad(), {12, 4},
        {-0.006550596,  0.002338706,   -0.003444922, 0.001555558,  0.003766388,  0.00172879,
         -0.0004560346, 0.0002361877,  -0.004490043, 0.002222734,  -0.003414062, 0.0018337,
         -0.004013631,  4.018935e-05,  0.0009987873, -0.001523887, 0.004716339,  -0.004725304,
         0.001528085,   -0.004725304,  -0.01571464,  0.003337793,  0.003718285,  0.003337793,
         0.006045592,   -0.006356495,  6.673064e-05, -0.006356495, 0.01239169,   -0.0003597876,
         -0.002968097,  -0.0003597864, -0.00968069,  0.004222841,  0.004597873,  -0.01911967,
         0.01855463,    -0.01968412,   0.01225239,   0.00579365,   -0.004329769, 0.003310608,
         0.004888107,   -0.01526734,   0.02254754,   -0.01815578,  0.009674784,  0.009455003});
    CHECK_VALUES(mha.out_proj->weight.grad(), {4, 4},
                 {0.2261179, 0.02036318, -0.1660348, 0.1033805, 0.1190399, -0.00680425, -0.07694833,
                  0.06750993, -0.06057739, 0.001131298, 0.04265445, -0.03051179, -0.2195286,
                  -0.006389102, 0.1594013, -0.1118771});
}

TEST_CASE(
    "MultiheadAttention: batch_first self-attention, a bool mask per head, weights per head") {
    nn::MultiheadAttention mha(4, 2, 0.0, true, /*batch_first=*/true);
    test::set_det_params(mha);
    const Tensor x = test::det({2, 3, 4}, 76);
    // det((4, 3, 3), 77) > 0.1 off the diagonal: true = not allowed
    const std::vector<float> d = test::det({4, 3, 3}, 77).to_vector<float>();
    std::vector<bool> m(d.size());
    for (size_t i = 0; i < d.size(); ++i) m[i] = d[i] > 0.1f && (i % 9) / 3 != i % 3;
    auto [out, w] = mha.forward(x, x, x, Tensor(), true, tensor(m, {4, 3, 3}), false);
    CHECK_VALUES(out, {2, 3, 4},
                 {-0.4033679, -0.07950442, 0.3633947,  -0.1878847, -0.3960555, -0.1472568,
                  0.344086,   -0.1724984,  -0.3553685, -0.1054688, 0.288675,   -0.1480112,
                  -0.3992464, -0.1102991,  0.3422126,  -0.1821612, -0.2624603, -0.1743289,
                  0.2180281,  -0.05540077, -0.3318579, -0.0970391, 0.2948537,  -0.1248758});
    CHECK_VALUES(
        w, {2, 2, 3, 3},
        {0.3289773, 0.3504699, 0.3205527, 0,         1,         0,         0.3393495, 0.3361553,
         0.3244952, 0.4998497, 0,         0.5001503, 0.3272641, 0.3505591, 0.3221769, 0,
         0.5245014, 0.4754985, 0.4849785, 0.5150215, 0,         0.339235,  0.33232,   0.328445,
         0.5103002, 0,         0.4896998, 0.3163871, 0.3670972, 0.3165157, 0,         1,
         0,         0.3262588, 0.3524603, 0.3212809});
    // need_weights = false: no weights; the one-argument forward is this self-attention's output
    auto [out2, none] = mha.forward(x, x, x, Tensor(), false);
    CHECK_FALSE(none.defined());
    CHECK(allclose(mha(x), out2));
    // unbatched: one sequence (L, E)
    auto [one, w1] = mha.forward(x[1], x[1], x[1]);
    CHECK(allclose(one, out2[1], 1e-5, 1e-6));
    CHECK(w1.shape() == Shape{3, 3});
}

TEST_CASE("MultiheadAttention: gradients of first and second order through the module") {
    nn::MultiheadAttention mha(4, 2);
    mha.to(kFloat64);
    const Tensor kpm = tensor(std::vector<bool>{0, 0, 1, 0, 0, 0}, {2, 3});
    auto f = [&](const V& v) {
        auto [out, w] = mha.forward(v[0], v[1], v[2], kpm);
        return cat({out.reshape({-1}), w.reshape({-1})});
    };
    CHECK_GRADIENTS(
        f, (V{test::input({2, 2, 4}, 1), test::input({3, 2, 4}, 2), test::input({3, 2, 4}, 3)}));
}

TEST_CASE("MultiheadAttention: refused sizes, shapes and masks") {
    CHECK_ERROR(ValueError, [] { nn::MultiheadAttention(6, 4); },
                {"MultiheadAttention()", "embed_dim 6", "num_heads 4"});
    nn::MultiheadAttention mha(4, 2);
    const Tensor q = zeros({3, 2, 4}), kv = zeros({5, 2, 4});
    CHECK_ERROR(ShapeError,
                [&] {
                    mha.forward(zeros({2, 3, 2, 4}), kv, kv);
                },
                {"MultiheadAttention", "(2, 3, 2, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    mha.forward(q, zeros({5, 3, 4}), zeros({5, 3, 4}));
                },
                {"MultiheadAttention", "(5, 3, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    mha.forward(q, kv, kv, zeros({2, 4}, kBool));
                },
                {"key_padding_mask", "(2, 5)", "(2, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    mha.forward(q, kv, kv, Tensor(), true, zeros({3, 4}));
                },
                {"attn_mask", "(3, 5)", "(4, 3, 5)", "(3, 4)"});
    CHECK_ERROR(TypeError,
                [&] {
                    mha.forward(q, kv, kv, zeros({2, 5}, kInt64));
                },
                {"MultiheadAttention", "masks", "int64"});
}

TEST_CASE("MultiheadAttention: kdim and vdim give q/k/v_proj_weight, PyTorch's keys and init") {
    manual_seed(7);
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).kdim(3).vdim(5));
    CHECK_FALSE(mha._qkv_same_embed_dim);
    CHECK_FALSE(mha.in_proj_weight.defined());
    std::string keys;
    for (auto& [name, t] : mha.state_dict()) keys += (keys.empty() ? "" : " ") + name;
    CHECK(keys ==
          "q_proj_weight k_proj_weight v_proj_weight in_proj_bias out_proj.weight "
          "out_proj.bias");
    CHECK(mha.q_proj_weight.shape() == Shape{4, 4});
    CHECK(mha.k_proj_weight.shape() == Shape{4, 3});
    CHECK(mha.v_proj_weight.shape() == Shape{4, 5});
    CHECK(equal(mha.in_proj_bias, zeros({12})));
    // xavier_uniform_ of each: U(-a, a), a = sqrt(6 / (4 + 5)) = 0.816 for v_proj_weight
    const std::vector<float> w = mha.v_proj_weight.to_vector<float>();
    CHECK(*std::max_element(w.begin(), w.end()) <= 0.8165f);
    const std::vector<float> k = mha.k_proj_weight.to_vector<float>();
    CHECK(*std::max_element(k.begin(), k.end()) <= 0.8452f);  // sqrt(6 / 7)
    CHECK(test::printed(mha) ==
          "MultiheadAttention(embed_dim=4, num_heads=2, kdim=3, vdim=5)(\n"
          "  (out_proj): Linear(in_features=4, out_features=4, bias=true)\n"
          ")");
    // kdim = vdim = embed_dim (or 0) keeps the packed in_proj_weight
    nn::MultiheadAttention same(nn::MultiheadAttentionOptions(4, 2).kdim(4).vdim(0));
    CHECK(same._qkv_same_embed_dim);
    CHECK(same.in_proj_weight.shape() == Shape{12, 4});
    CHECK_FALSE(same.q_proj_weight.defined());
    nn::MultiheadAttention nobias(
        nn::MultiheadAttentionOptions(4, 2).bias(false).vdim(2).batch_first(true));
    keys.clear();
    for (auto& [name, t] : nobias.state_dict()) keys += (keys.empty() ? "" : " ") + name;
    CHECK(keys == "q_proj_weight k_proj_weight v_proj_weight out_proj.weight");
}

TEST_CASE("MultiheadAttention: kdim 3 and vdim 5 match torch's outputs and gradients") {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).kdim(3).vdim(5));
    test::set_det_params(mha);
    const Tensor query = test::det({2, 2, 4}, 70).requires_grad_();
    const Tensor key = test::det({3, 2, 3}, 71).requires_grad_();
    const Tensor value = test::det({3, 2, 5}, 72).requires_grad_();
    auto [out, w] = mha.forward(query, key, value);
    (test::weighted(out, 74) + test::weighted(w, 75)).backward();
    CHECK_VALUES(
        out, {2, 2, 4},
        {0.1053036, 0.1854361, 0.02625509, 0.2911133, 0.04747009, 0.1758749, 0.03843763, 0.2192766,
         0.1051768, 0.1854283, 0.02633098, 0.290946, 0.04764184, 0.1754421, 0.03707445, 0.2197553});
    CHECK_VALUES(w, {2, 2, 3},
                 {0.3346955, 0.3304967, 0.3348078, 0.3334808, 0.3316932, 0.3348261, 0.3260701,
                  0.3467381, 0.3271918, 0.3310362, 0.3379097, 0.331054});
    CHECK_VALUES(key.grad(), {3, 2, 3},
                 {0.001372751, -0.001430417, 0.001395148, -0.004904067, 0.003907723, -0.003918495,
                  -0.007341857, 0.005634453, -0.00639928, 0.007107144, -0.006135372, 0.005719213,
                  0.005969106, -0.004204037, 0.005004132, -0.002203077, 0.002227648, -0.001800716},
                 1e-4);
    CHECK_VALUES(value.grad(), {3, 2, 5},
                 {-0.01007927,  -0.01108436, 0.02352773,   -0.02591811, 0.008693978,  0.005359864,
                  0.001326516,  0.01734868,  -0.005540126, 0.01048204,  -0.009809773, -0.0109676,
                  0.02309068,   -0.02556401, 0.008494276,  0.0041554,   0.002046683,  0.01737534,
                  -0.004522745, 0.01080592,  -0.01023597,  -0.01107304, 0.02350659,   -0.02589289,
                  0.008686748,  0.005359754, 0.001376804,  0.01727596,  -0.005437123, 0.01046204},
                 1e-4);
    CHECK_VALUES(mha.q_proj_weight.grad(), {4, 4},
                 {-0.004343509, 0.0008098072, -7.479292e-05, -0.0004144212, -0.006130301,
                  0.001298275, 0.000796383, -0.002064939, 0.005504276, -0.001821449, 0.002129504,
                  -0.0005170822, 0.00376778, -0.001128188, 0.002673812, -0.002077533},
                 1e-4);
    CHECK_VALUES(mha.k_proj_weight.grad(), {4, 3},
                 {-0.002083349, 0.01827067, -0.01934822, 0.000977261, -0.002895733, 0.003066478,
                  0.0003889557, -0.01505436, 0.01604681, -0.0008064713, 0.006020765, -0.006629938},
                 1e-4);
    CHECK_VALUES(mha.v_proj_weight.grad(), {4, 5},
                 {0.04897321,   -0.02177283, 0.006227168, 0.02176629,  -0.005772834,
                  -0.007774303, -0.01339615, 0.02597885,  -0.0501931,  0.009103851,
                  0.05741144,   -0.0262624,  0.009612591, 0.02002319,  -0.005762403,
                  -0.001517012, -0.01786303, 0.02938697,  -0.05133287, 0.00913697},
                 1e-4);
}

TEST_CASE("MultiheadAttention: vdim 2 without bias, batch_first, per-head weights, as torch's") {
    nn::MultiheadAttention mha(
        nn::MultiheadAttentionOptions(4, 2).bias(false).kdim(4).vdim(2).batch_first(true));
    test::set_det_params(mha);
    auto [out, w] = mha.forward(test::det({1, 2, 4}, 76), test::det({1, 3, 4}, 77),
                                test::det({1, 3, 2}, 78), Tensor(), true, Tensor(), false);
    CHECK_VALUES(out, {1, 2, 4},
                 {-0.02750663, -0.02409874, 0.01522817, -0.02891351, -0.02691441, -0.02364044,
                  0.01492197, -0.02820649});
    CHECK_VALUES(w, {1, 2, 2, 3},
                 {0.3406386, 0.3314757, 0.3278857, 0.3294643, 0.3348278, 0.3357079, 0.3430049,
                  0.3272825, 0.3297127, 0.3294389, 0.3360873, 0.3344737});
}

TEST_CASE("MultiheadAttention: kdim / vdim gradients of first and second order, in float64") {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).kdim(3).vdim(2));
    mha.to(kFloat64);
    auto f = [&](const V& v) {
        auto [out, w] = mha.forward(v[0], v[1], v[2]);
        return cat({out.reshape({-1}), w.reshape({-1})});
    };
    CHECK_GRADIENTS(
        f, (V{test::input({2, 2, 4}, 1), test::input({3, 2, 3}, 2), test::input({3, 2, 2}, 3)}));
}

TEST_CASE("MultiheadAttention: refused kdim, vdim and key / value sizes") {
    CHECK_ERROR(ValueError,
                [] { nn::MultiheadAttention(nn::MultiheadAttentionOptions(4, 2).kdim(-1)); },
                {"MultiheadAttention()", "kdim", "-1"});
    CHECK_ERROR(ValueError,
                [] { nn::MultiheadAttention(nn::MultiheadAttentionOptions(4, 2).vdim(-3)); },
                {"MultiheadAttention()", "vdim", "-3"});
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).kdim(3).vdim(5));
    const Tensor q = zeros({2, 2, 4});
    CHECK_ERROR(ShapeError,
                [&] {
                    mha.forward(q, zeros({3, 2, 4}), zeros({3, 2, 5}));
                },
                {"MultiheadAttention", "kdim 3", "vdim 5", "(3, 2, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    mha.forward(q, zeros({3, 2, 3}), zeros({3, 2, 3}));
                },
                {"MultiheadAttention", "kdim 3", "vdim 5", "(3, 2, 3)"});
    CHECK_ERROR(TypeError,
                [&] {
                    mha.forward(zeros({2, 2, 4}, kFloat64), zeros({3, 2, 3}, kFloat64),
                                zeros({3, 2, 5}, kFloat64));
                },
                {"MultiheadAttention", "float64", "float32"});
}
