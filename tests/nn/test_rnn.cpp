// nn::RNN, LSTM, GRU and functional::rnn: PyTorch's parameter names and init, outputs, h_n / c_n
// and gradients against torch.nn (tests/nn/seq_torch_reference.py), including bidirectional,
// stacked, batch_first and variable-length (pack_padded_sequence) runs; dropout between layers;
// state dicts; gradcheck and gradgradcheck; refused inputs.
#include "support.hpp"

#include <cstdio>

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;
namespace F = nn::functional;

namespace {
Tensor param(const nn::Module& m, const std::string& name) {
    for (auto& [n, p] : m.named_parameters())
        if (n == name) return p;
    FAIL("no parameter " << name);
    return {};
}
}  // namespace

TEST_CASE("LSTM: PyTorch's state dict keys and shapes, U(-1/sqrt(H), 1/sqrt(H)) init") {
    manual_seed(4);
    nn::LSTM lstm(nn::LSTMOptions(3, 16).num_layers(2).bidirectional(true));
    std::string keys;
    for (auto& [name, t] : lstm.state_dict()) keys += (keys.empty() ? "" : " ") + name;
    CHECK(
        keys ==
        "weight_ih_l0 weight_hh_l0 bias_ih_l0 bias_hh_l0 weight_ih_l0_reverse weight_hh_l0_reverse "
        "bias_ih_l0_reverse bias_hh_l0_reverse weight_ih_l1 weight_hh_l1 bias_ih_l1 bias_hh_l1 "
        "weight_ih_l1_reverse weight_hh_l1_reverse bias_ih_l1_reverse bias_hh_l1_reverse");
    CHECK(param(lstm, "weight_ih_l0").shape() == Shape{64, 3});
    CHECK(param(lstm, "weight_ih_l1_reverse").shape() == Shape{64, 32});
    CHECK(param(lstm, "weight_hh_l1").shape() == Shape{64, 16});
    CHECK(param(lstm, "bias_hh_l0_reverse").shape() == Shape{64});
    for (const Tensor& w : lstm.parameters()) {
        const std::vector<float> v = w.to_vector<float>();
        CHECK(*std::max_element(v.begin(), v.end()) <= 0.25f);
        CHECK(*std::min_element(v.begin(), v.end()) >= -0.25f);
    }
    nn::GRU gru(nn::GRUOptions(3, 4).bias(false));
    CHECK(gru.parameters().size() == 2);
    CHECK(param(gru, "weight_hh_l0").shape() == Shape{12, 4});
    CHECK(test::printed(lstm) == "LSTM(3, 16, num_layers=2, bidirectional=true)");
    CHECK(test::printed(nn::RNN(nn::RNNOptions(2, 3).nonlinearity("relu").batch_first(true))) ==
          "RNN(2, 3, nonlinearity=relu, batch_first=true)");
}

TEST_CASE("LSTM: two bidirectional layers match torch.nn.LSTM, outputs, h_n, c_n and gradients") {
    nn::LSTM lstm(nn::LSTMOptions(3, 2).num_layers(2).bidirectional(true));
    test::set_det_params(lstm);
    const Tensor x = test::det({4, 2, 3}, 50).requires_grad_();
    auto [out, hc] =
        lstm.forward(x, std::make_tuple(test::det({4, 2, 2}, 51), test::det({4, 2, 2}, 52)));
    auto [hn, cn] = hc;
    (test::weighted(out, 40) + test::weighted(hn, 41) + test::weighted(cn, 42)).backward();
    CHECK_VALUES(
        out, {4, 2, 4},
        {0.06949706,  0.08748746, 0.1392252,  -0.2266371,  0.01741792,  0.06261458,  0.1547998,
         -0.2341915,  0.07639121, 0.03450973, 0.1147835,   -0.1976011,  0.0541253,   0.02825243,
         0.1530779,   -0.2035869, 0.07870997, 0.002358458, 0.07288917,  -0.1632956,  0.06383251,
         0.003319415, 0.1574228,  -0.1749683, 0.06736669,  -0.02979712, -0.02185597, -0.07736003,
         0.06219666,  -0.0206359, 0.1734349,  -0.1283603});
    CHECK_VALUES(hn, {4, 2, 2},
                 {0.1121438, 0.04255009, 0.1273468, 0.008833703, -0.1162743, 0.1466786, -0.1142553,
                  0.1423533, 0.06736669, -0.02979712, 0.06219666, -0.0206359, 0.1392252, -0.2266371,
                  0.1547998, -0.2341915});
    CHECK_VALUES(cn, {4, 2, 2},
                 {0.2618092, 0.06019807, 0.2777061, 0.01300165, -0.2980571, 0.2568402, -0.3247102,
                  0.2736896, 0.1029664, -0.07063054, 0.09516065, -0.04884711, 0.2473517, -0.4528257,
                  0.2768807, -0.4628866});
    CHECK_VALUES(x.grad(), {4, 2, 3},
                 {0.0118507,  -0.002130646, 0.03183997, -0.07647982,  -0.005605861, -0.06473235,
                  0.02261764, -0.0154268,   0.0290094,  -0.04262155,  -0.03711724,  -0.02676421,
                  0.02575175, -0.03036603,  0.0113846,  -0.006430149, -0.05822414,  0.004297511,
                  0.03589235, -0.078915,    0.01095827, 0.006490876,  -0.1030467,   0.02268779});
    CHECK_VALUES(
        param(lstm, "weight_ih_l0").grad(), {8, 3},
        {0.005415368,  -0.01777231, 0.006039305, 0.002575255,   -0.002850531, 0.001052932,
         0.0008883187, -0.00154409, 0.00276494,  -0.002950976,  0.0025884,    -0.005678568,
         0.05861076,   -0.08871964, 0.0124733,   -0.0325664,    0.03731149,   -0.07425164,
         0.004539638,  -0.01149002, 0.006267437, -0.0008614249, 0.0007348011, -0.001290895});
    CHECK_VALUES(param(lstm, "weight_hh_l1_reverse").grad(), {8, 2},
                 {-0.008466966, 0.01475244, -0.0129649, 0.02177084, -0.01353106, 0.01190456,
                  -0.008827951, 0.01371908, -0.02055274, 0.04574077, 0.04648874, -0.07570357,
                  -0.00516484, 0.004615152, -0.003740882, 0.0110869});
    CHECK_VALUES(param(lstm, "bias_hh_l0_reverse").grad(), {8},
                 {-0.03414822, -0.1042089, -0.03427827, -0.03702589, 0.2672533, -0.2624786,
                  -0.05070976, -0.05138586});
}

TEST_CASE("GRU: batch_first and bidirectional match torch.nn.GRU") {
    nn::GRU gru(nn::GRUOptions(3, 2).batch_first(true).bidirectional(true));
    test::set_det_params(gru);
    const Tensor x = test::det({2, 4, 3}, 53).requires_grad_();
    auto [out, hn] = gru.forward(x, test::det({2, 2, 2}, 54));
    (test::weighted(out, 40) + test::weighted(hn, 41)).backward();
    CHECK_VALUES(
        out, {2, 4, 4},
        {0.1209789,  0.2398778,  -0.2470254, 0.2959987,  0.06997585, 0.3147217,  -0.3356399,
         0.1553302,  0.0551841,  0.326508,   -0.339823,  0.161709,   0.06030729, 0.2341819,
         -0.2821358, 0.1606719,  0.03336018, 0.177819,   -0.2236655, 0.3554423,  0.1292891,
         0.1529753,  -0.2972862, 0.2770291,  0.08612838, 0.2880295,  -0.3638117, 0.1177628,
         0.07772777, 0.2270307,  -0.34591,   0.08437737});
    CHECK_VALUES(hn, {2, 2, 2},
                 {0.06030729, 0.2341819, 0.07772777, 0.2270307, -0.2470254, 0.2959987, -0.2236655,
                  0.3554423});
    CHECK_VALUES(x.grad(), {2, 4, 3},
                 {-0.08537121, -0.05033784, -0.0677295,  -0.06957198, 0.0758525,   -0.09367824,
                  0.02345837,  -0.08230606, 0.009881619, -0.02016554, -0.08873633, -0.01191738,
                  -0.04925134, 0.08050794,  -0.05613,    0.03137418,  -0.02996509, 0.03311806,
                  -0.03234011, 0.03442844,  -0.01615066, -0.05343305, 0.07268734,  -0.02522065});
    CHECK_VALUES(param(gru, "weight_ih_l0").grad(), {6, 3},
                 {0.002270436, -9.445137e-05, -0.003351376, -0.01005624, -0.00271701, -0.002432519,
                  -0.0003073769, 0.003965314, -0.001328907, 0.007362422, -0.006813967, 0.002850162,
                  0.06159054, -0.005265119, -0.07930734, 0.113028, 0.04654778, 0.01845306});
    CHECK_VALUES(param(gru, "weight_hh_l0_reverse").grad(), {6, 2},
                 {0.008838623, -0.004568998, -0.0003255101, -0.0001347794, 0.00924114, -0.005548154,
                  -0.001974901, 0.002949815, -0.1423966, 0.07220823, -0.002063944, -0.0022479});
    CHECK_VALUES(param(gru, "bias_ih_l0").grad(), {6},
                 {-0.01835936, 0.03117203, 0.01071319, -0.002972081, -0.4765702, -0.3776618});
}

TEST_CASE("RNN: two relu layers without bias match torch.nn.RNN") {
    nn::RNN rnn(nn::RNNOptions(3, 2).num_layers(2).nonlinearity("relu").bias(false));
    test::set_det_params(rnn);
    const Tensor x = test::det({3, 2, 3}, 55).requires_grad_();
    auto [out, hn] = rnn.forward(x);
    (test::weighted(out, 40) + test::weighted(hn, 41)).backward();
    CHECK_VALUES(out, {3, 2, 2}, {0, 0, 0, 0, 0.009975, 0.005700001, 0.032375, 0.0185, 0, 0, 0, 0});
    CHECK_VALUES(hn, {2, 2, 2}, {0, 0.126425, 0, 0.149625, 0, 0, 0, 0});
    CHECK_VALUES(
        x.grad(), {3, 2, 3},
        {-0.0013125, 0.0013125, -0.000525, -0.0073125, 0.0073125, -0.002925, 0.0008749999,
         0.006999999, -0.00175, 0.004875, 0.039, -0.00975, 0.0375, -0.0375, 0.015, 0, 0, 0});
    CHECK_VALUES(param(rnn, "weight_hh_l0").grad(), {2, 2}, {0, 0.0169, 0.004275001, 0});
    CHECK_VALUES(param(rnn, "weight_ih_l1").grad(), {2, 2}, {0.010325, 0, 0.02845, 0});
}

TEST_CASE("Lengths: pack_padded_sequence's results, unsorted, both directions") {
    SUBCASE("LSTM, lengths {2, 4, 3}") {
        nn::LSTM lstm(nn::LSTMOptions(3, 2).bidirectional(true));
        test::set_det_params(lstm);
        const Tensor x = test::det({4, 3, 3}, 56).requires_grad_();
        auto [out, hc] =
            lstm.forward(x, std::make_tuple(test::det({2, 3, 2}, 57), test::det({2, 3, 2}, 58)),
                         std::vector<int64_t>{2, 4, 3});
        auto [hn, cn] = hc;
        (test::weighted(out, 40) + test::weighted(hn, 41) + test::weighted(cn, 42)).backward();
        CHECK_VALUES(out, {4, 3, 4},
                     {0.00743146,  0.07026631, -0.1124023, 0.06506816,  -0.09826452, 0.04902622,
                      -0.1415253,  0.1590463,  0.177105,   -0.01003073, -0.09664938, 0.1600454,
                      0.02963138,  0.09969403, -0.0516657, 0.002830751, -0.01670648, 0.07571469,
                      -0.1371004,  0.1894947,  0.1501484,  0.02613833,  -0.1254504,  0.1312913,
                      0,           0,          0,          0,           0.08697959,  0.02340584,
                      -0.06180881, 0.2006786,  0.1247859,  0.09145891,  -0.1184335,  0.1392338,
                      0,           0,          0,          0,           0.1206178,   0.01622296,
                      -0.02377871, 0.1880372,  0,          0,           0,           0});
        CHECK_VALUES(hn, {2, 3, 2},
                     {0.02963138, 0.09969403, 0.1206178, 0.01622296, 0.1247859, 0.09145891,
                      -0.1124023, 0.06506816, -0.1415253, 0.1590463, -0.09664938, 0.1600454});
        CHECK_VALUES(cn, {2, 3, 2},
                     {0.0595106, 0.1540183, 0.2790982, 0.02307011, 0.2407423, 0.146237, -0.2950516,
                      0.1114629, -0.4084693, 0.301988, -0.2812013, 0.3194105});
        CHECK_VALUES(x.grad(), {4, 3, 3},
                     {-0.05336203, -0.09176679, -0.02304589, -0.03213356, 0.07376443,  -0.04806865,
                      0.05316187,  -0.01091798, 0.004828486, 0.004042828, -0.1485331,  -0.01397992,
                      -0.0223496,  0.06482457,  -0.02602932, 0.04196664,  -0.03876573, 0.01997146,
                      0,           0,           0,           0.004690269, 0.01649074,  -0.007043735,
                      0.03904235,  -0.04636026, 0.03801905,  0,           0,           0,
                      0.04921725,  -0.09538511, 0.01966227,  0,           0,           0});
        CHECK_VALUES(
            param(lstm, "weight_ih_l0").grad(), {8, 3},
            {-0.0036684, -0.001781576, 0.00593609,   0.001350992,  -0.004853714,  -0.007748602,
             0.01246434, -0.00216155,  0.0006019466, 0.001264961,  -0.006204255,  0.0005036021,
             -0.0389358, 0.05541071,   0.02779118,   -0.03081085,  -0.02806622,   -0.1223106,
             0.01047604, 0.001259436,  0.002279179,  -0.002197015, -0.0008481301, -0.003265909});
        CHECK_VALUES(param(lstm, "weight_hh_l0_reverse").grad(), {8, 2},
                     {-0.002281487, -0.02028258, -0.02319963, 0.01824946, 0.001979141, 0.006438241,
                      -0.01289573, 0.03643117, 0.01596518, 0.1074949, -0.05567532, 0.03745563,
                      -0.009607197, 0.00311131, -0.01744205, 0.0326222});
    }
    SUBCASE("GRU, batch_first, lengths {4, 2} as an int64 tensor") {
        nn::GRU gru(nn::GRUOptions(3, 2).batch_first(true).bidirectional(true));
        test::set_det_params(gru);
        const Tensor x = test::det({2, 4, 3}, 53).requires_grad_();
        auto [out, hn] =
            gru.forward(x, test::det({2, 2, 2}, 54), tensor(std::vector<int64_t>{4, 2}));
        (test::weighted(out, 40) + test::weighted(hn, 41)).backward();
        CHECK_VALUES(
            out, {2, 4, 4},
            {0.1209789,  0.2398778,  -0.2470254, 0.2959987, 0.06997585, 0.3147217,  -0.3356399,
             0.1553302,  0.0551841,  0.326508,   -0.339823, 0.161709,   0.06030729, 0.2341819,
             -0.2821358, 0.1606719,  0.03336018, 0.177819,  -0.2188165, 0.3125195,  0.1292891,
             0.1529753,  -0.3036176, 0.189941,   0,         0,          0,          0,
             0,          0,          0,          0});
        CHECK_VALUES(hn, {2, 2, 2},
                     {0.06030729, 0.2341819, 0.1292891, 0.1529753, -0.2470254, 0.2959987,
                      -0.2188165, 0.3125195});
        CHECK_VALUES(x.grad(), {2, 4, 3},
                     {-0.08537121, -0.05033784, -0.0677295,  -0.06957198, 0.0758525,   -0.09367824,
                      0.02345837,  -0.08230606, 0.009881619, -0.02016554, -0.08873634, -0.01191738,
                      -0.05557213, 0.04458431,  -0.03736443, 0.02676116,  -0.09775478, 0.06580418,
                      0,           0,           0,           0,           0,           0});
        CHECK_VALUES(
            param(gru, "weight_ih_l0").grad(), {6, 3},
            {0.0008453379, -0.00316373, -0.0007293108, -0.004316228, -0.001005225, -0.008415313,
             -0.004111819, 0.02017074, -0.01041726, 0.0008215471, -0.004138405, 0.004198027,
             0.01745559, -0.06649779, -0.02531113, 0.04781663, 0.02200721, 0.09289876});
        CHECK_VALUES(
            param(gru, "weight_hh_l0_reverse").grad(), {6, 2},
            {0.008117747, -0.004462786, -0.00043285, 0.0002066475, 0.008335221, -0.006483552,
             -0.003646091, 0.002862002, -0.1273028, 0.07346826, -0.001157097, -0.0001976585});
    }
    SUBCASE("RNN, lengths {1, 3}") {
        nn::RNN rnn(3, 2);
        test::set_det_params(rnn);
        const Tensor x = test::det({3, 2, 3}, 59).requires_grad_();
        auto [out, hn] = rnn.forward(x, Tensor(), std::vector<int64_t>{1, 3});
        (test::weighted(out, 40) + test::weighted(hn, 41)).backward();
        CHECK_VALUES(out, {3, 2, 2},
                     {0.13664, -0.2519557, -0.13173, -0.0249948, 0, 0, -0.05379557, -0.2108727, 0,
                      0, -0.09718955, -0.1165074});
        CHECK_VALUES(hn, {1, 2, 2}, {0.13664, -0.2519557, -0.09718955, -0.1165074});
        CHECK_VALUES(
            x.grad(), {3, 2, 3},
            {0.008132873, -0.2510119, 0.0680209, 0.04431346, 0.1178666, -0.02552262, 0, 0, 0,
             0.1443843, -0.1730715, 0.06540363, 0, 0, 0, -0.005055977, -0.2623937, 0.06929752});
        CHECK_VALUES(param(rnn, "weight_hh_l0").grad(), {2, 2},
                     {0.04037016, 0.1269219, -0.08306503, -0.03555513});
    }
    SUBCASE("full lengths change nothing") {
        nn::GRU gru(nn::GRUOptions(3, 2).num_layers(2).bidirectional(true));
        const Tensor x = test::det({3, 2, 3}, 1);
        auto [a, ha] = gru.forward(x);
        auto [b, hb] = gru.forward(x, Tensor(), std::vector<int64_t>{3, 3});
        CHECK(equal(a, b));
        CHECK(equal(ha, hb));
    }
}

TEST_CASE("RNN modules: batch_first and unbatched inputs agree with the (T, N, in) layout") {
    nn::LSTM lstm(nn::LSTMOptions(3, 2).num_layers(2));
    nn::LSTM first(nn::LSTMOptions(3, 2).num_layers(2).batch_first(true));
    first.load_state_dict(lstm.state_dict());
    const Tensor x = test::det({5, 2, 3}, 9);
    auto [out, hc] = lstm.forward(x);
    auto [out_bf, hc_bf] = first.forward(x.transpose(0, 1));
    CHECK(allclose(out_bf, out.transpose(0, 1)));
    CHECK(allclose(std::get<0>(hc_bf), std::get<0>(hc)));
    // One sequence without its batch dim: output (T, H), h_n (L, H).
    auto [one, hc1] = lstm.forward(x.select(1, 1));
    CHECK(one.shape() == Shape{5, 2});
    CHECK(std::get<1>(hc1).shape() == Shape{2, 2});
    CHECK(allclose(one, out.select(1, 1)));
    CHECK(allclose(std::get<1>(hc1), std::get<1>(hc).select(1, 1)));
}

TEST_CASE("RNN modules: dropout between layers only while training") {
    manual_seed(5);
    nn::GRU gru(nn::GRUOptions(3, 4).num_layers(2).dropout(0.5));
    nn::GRU plain(nn::GRUOptions(3, 4).num_layers(2));
    plain.load_state_dict(gru.state_dict());
    const Tensor x = test::det({3, 2, 3}, 2);
    gru.eval();
    CHECK(equal(std::get<0>(gru.forward(x)), std::get<0>(plain.forward(x))));
    gru.train();
    CHECK_FALSE(allclose(std::get<0>(gru.forward(x)), std::get<0>(plain.forward(x))));
    // A single layer has nothing between layers: no dropout even in training.
    nn::GRU single(nn::GRUOptions(3, 4).dropout(0.5));
    CHECK(equal(std::get<0>(single.forward(x)), std::get<0>(single.forward(x))));
}

TEST_CASE("RNN modules: nn::save and nn::load round trip under PyTorch's keys") {
    nn::GRU gru(nn::GRUOptions(3, 2).bidirectional(true));
    char path[] = "/tmp/descent_gru_XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    nn::save(gru, path);
    nn::GRU loaded(nn::GRUOptions(3, 2).bidirectional(true));
    nn::load(loaded, path);
    std::remove(path);
    CHECK_OUTCOME(test::same_state(gru.state_dict(), loaded.state_dict()));
    const Tensor x = test::det({2, 1, 3}, 3);
    CHECK(equal(std::get<0>(gru.forward(x)), std::get<0>(loaded.forward(x))));
}

TEST_CASE("rnn: gradients of first and second order, every mode, through every parameter") {
    const Tensor x = test::input({3, 2, 2}, 1);
    for (auto mode : {F::RnnMode::Tanh, F::RnnMode::Relu, F::RnnMode::LSTM, F::RnnMode::GRU}) {
        const int64_t G = F::detail::gate_count(mode);
        F::RnnArgs args;
        args.num_layers = 2;
        args.bidirectional = mode != F::RnnMode::Relu;
        const int64_t D = args.bidirectional ? 2 : 1;
        const bool lstm = mode == F::RnnMode::LSTM;
        V inputs{x, test::input({2 * D, 2, 2}, 2)};
        if (lstm) inputs.push_back(test::input({2 * D, 2, 2}, 3));  // c0
        const size_t first_param = inputs.size();
        uint64_t seed = 10;
        for (int64_t l = 0; l < 2; ++l)
            for (int64_t d = 0; d < D; ++d) {
                inputs.push_back(test::input({G * 2, l == 0 ? 2 : 2 * D}, seed++));
                inputs.push_back(test::input({G * 2, 2}, seed++));
                inputs.push_back(test::input({G * 2}, seed++));
                inputs.push_back(test::input({G * 2}, seed++));
            }
        // lengths {3, 2} for GRU and relu: the frozen states and zeroed outputs are checked too
        const Tensor lengths =
            G == 3 || mode == F::RnnMode::Relu ? tensor(std::vector<int64_t>{3, 2}) : Tensor();
        auto f = [&](const V& v) {
            const V params(v.begin() + first_param, v.end());
            auto [out, hn, cn] =
                F::rnn(mode, v[0], v[1], lstm ? v[2] : Tensor(), params, args, lengths);
            return cat({out.reshape({-1}), hn.reshape({-1}),
                        cn.defined() ? cn.reshape({-1}) : zeros({0}, out.dtype())});
        };
        CAPTURE(G);
        CHECK(autograd::gradcheck(f, inputs));
        CHECK(autograd::gradgradcheck(f, inputs));
    }
}

TEST_CASE("RNN modules: gradcheck through the module's own forward, in float64") {
    nn::LSTM lstm(nn::LSTMOptions(2, 2).batch_first(true));
    lstm.to(kFloat64);
    auto f = [&](const V& v) {
        auto [out, hc] = lstm.forward(v[0], std::make_tuple(v[1], v[2]));
        return cat({out.reshape({-1}), std::get<1>(hc).reshape({-1})});
    };
    const V in{test::input({2, 3, 2}, 1), test::input({1, 2, 2}, 2), test::input({1, 2, 2}, 3)};
    CHECK(autograd::gradcheck(f, in));
    CHECK(autograd::gradgradcheck(f, in));
    nn::GRUCell cell(2, 3);
    cell.to(kFloat64);
    auto g = [&](const V& v) { return cell.forward(v[0], v[1]); };
    CHECK_GRADIENTS(g, (V{test::input({2, 2}, 4), test::input({2, 3}, 5)}));
}

TEST_CASE("RNN modules: refused inputs, hidden states, lengths and options") {
    nn::LSTM lstm(nn::LSTMOptions(3, 2).num_layers(2));
    CHECK_ERROR(ShapeError, [&] { lstm.forward(zeros({3})); },
                {"LSTM", "(T, N, input_size)", "(3)"});
    CHECK_ERROR(ShapeError, [&] { lstm.forward(zeros({1, 4, 2, 3})); }, {"LSTM", "(1, 4, 2, 3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    lstm.forward(zeros({4, 2, 5}));
                },
                {"LSTM", "input_size 5", "expected 3"});
    CHECK_ERROR(
        ShapeError,
        [&] {
            lstm.forward(zeros({4, 2, 3}), std::make_tuple(zeros({1, 2, 2}), zeros({2, 2, 2})));
        },
        {"LSTM", "h0", "(2, 2, 2)", "(1, 2, 2)"});
    CHECK_ERROR(
        ShapeError,
        [&] {
            lstm.forward(zeros({4, 2, 3}), std::make_tuple(zeros({2, 2, 2}), zeros({2, 4, 2})));
        },
        {"LSTM", "c0", "(2, 2, 2)", "(2, 4, 2)"});
    // batch_first given a (T, N, in) input: the batch is read as 4, h0's 2 does not fit
    nn::GRU gru(nn::GRUOptions(3, 2).batch_first(true));
    CHECK_ERROR(ShapeError,
                [&] {
                    gru.forward(zeros({4, 2, 3}), zeros({1, 2, 2}));
                },
                {"GRU", "h0", "(1, 4, 2)", "batch_first=true", "(1, 2, 2)"});
    nn::RNN rnn(3, 2);
    const Tensor x = zeros({4, 2, 3});
    CHECK_ERROR(ValueError,
                [&] {
                    rnn.forward(x, Tensor(), std::vector<int64_t>{5, 2});
                },
                {"RNN", "lengths[0] = 5", "[1, 4]"});
    CHECK_ERROR(ValueError,
                [&] {
                    rnn.forward(x, Tensor(), std::vector<int64_t>{3, 0});
                },
                {"RNN", "lengths[1] = 0"});
    CHECK_ERROR(ValueError, [&] { rnn.forward(x, Tensor(), std::vector<int64_t>{3}); },
                {"RNN", "one length per sequence (2)"});
    CHECK_ERROR(TypeError,
                [&] {
                    rnn.forward(x, Tensor(), tensor({3, 2}));
                },
                {"RNN", "lengths", "float32"});
    CHECK_ERROR(TypeError, [&] { rnn.forward(zeros({4, 2, 3}, kFloat64)); }, {"RNN", "float64"});
    CHECK_ERROR(ValueError, [] { nn::RNN(nn::RNNOptions(3, 2).nonlinearity("gelu")); },
                {"RNN()", "gelu"});
    CHECK_ERROR(ValueError, [] { nn::LSTM(nn::LSTMOptions(3, 2).nonlinearity("relu")); },
                {"LSTM()", "RNN only"});
    CHECK_ERROR(ValueError, [] { nn::GRU(nn::GRUOptions(3, 2).num_layers(0)); },
                {"GRU()", "num_layers", "0"});
    CHECK_ERROR(ValueError, [] { nn::GRU(nn::GRUOptions(3, 2).dropout(1.5)); }, {"GRU()", "1.5"});
}

TEST_CASE("rnn: refused parameter lists") {
    F::RnnArgs args;
    const Tensor x = zeros({2, 1, 3});
    CHECK_ERROR(ValueError,
                [&] {
                    F::rnn(F::RnnMode::GRU, x, Tensor(), Tensor(), {zeros({6, 3})}, args);
                },
                {"rnn()", "expected 4 parameter tensors, got 1"});
    const V params{zeros({6, 3}), zeros({6}), zeros({6}), zeros({6})};
    CHECK_ERROR(ShapeError, [&] { F::rnn(F::RnnMode::GRU, x, Tensor(), Tensor(), params, args); },
                {"rnn()", "parameter 1", "matrix"});
}
