// nn::RNNCell, LSTMCell, GRUCell and their functional forms: parameters and init, values and
// gradients against torch.nn's cells (tests/nn/seq_torch_reference.py), unbatched inputs,
// gradcheck and gradgradcheck, refused shapes.
#include "support.hpp"

#include <cmath>

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;
namespace F = nn::functional;

TEST_CASE("Cells: PyTorch's parameter names, shapes and U(-1/sqrt(H), 1/sqrt(H)) init") {
    manual_seed(2);
    nn::LSTMCell lstm(5, 16);
    nn::GRUCell gru(5, 16, false);
    nn::RNNCell rnn(5, 16, true, "relu");
    const auto p = lstm.named_parameters();
    REQUIRE(p.size() == 4);
    CHECK(p[0].first == "weight_ih");
    CHECK(p[1].first == "weight_hh");
    CHECK(p[2].first == "bias_ih");
    CHECK(p[3].first == "bias_hh");
    CHECK(lstm.weight_ih.shape() == Shape{64, 5});
    CHECK(lstm.weight_hh.shape() == Shape{64, 16});
    CHECK(lstm.bias_hh.shape() == Shape{64});
    CHECK(gru.weight_ih.shape() == Shape{48, 5});
    CHECK(gru.parameters().size() == 2);
    CHECK(rnn.weight_hh.shape() == Shape{16, 16});
    for (const Tensor& w : lstm.parameters()) {
        const std::vector<float> v = w.to_vector<float>();
        CHECK(*std::max_element(v.begin(), v.end()) <= 0.25f);
        CHECK(*std::min_element(v.begin(), v.end()) >= -0.25f);
    }
    const std::vector<float> v = lstm.weight_hh.to_vector<float>();
    CHECK(*std::max_element(v.begin(), v.end()) > 0.24f);
    CHECK(test::printed(rnn) == "RNNCell(5, 16, nonlinearity=relu)");
    CHECK(test::printed(gru) == "GRUCell(5, 16, bias=false)");
}

namespace {
// The reference's weighted sum of h' (and c'), backward, for a cell given det parameters.
struct CellRun {
    Tensor x, h1, c1;
};
CellRun run_cell(nn::RNNCellBase& cell) {
    test::set_det_params(cell);
    CellRun r;
    r.x = test::det({2, 3}, 10).requires_grad_();
    const Tensor h = test::det({2, 2}, 11);
    if (auto* lstm = dynamic_cast<nn::LSTMCell*>(&cell)) {
        std::tie(r.h1, r.c1) = lstm->forward(r.x, std::make_tuple(h, test::det({2, 2}, 12)));
        (test::weighted(r.h1, 30) + test::weighted(r.c1, 31)).backward();
    } else if (auto* gru = dynamic_cast<nn::GRUCell*>(&cell)) {
        r.h1 = gru->forward(r.x, h);
        test::weighted(r.h1, 30).backward();
    } else {
        r.h1 = dynamic_cast<nn::RNNCell&>(cell).forward(r.x, h);
        test::weighted(r.h1, 30).backward();
    }
    return r;
}
}  // namespace

TEST_CASE("RNNCell: values and gradients match torch.nn.RNNCell, tanh and relu") {
    nn::RNNCell cell(3, 2);
    CellRun r = run_cell(cell);
    CHECK_VALUES(r.h1, {2, 2}, {0.01249937, -0.03498571, 0.05494459, -0.2867303});
    CHECK_VALUES(r.x.grad(), {2, 3},
                 {0.04243997, -0.1099294, 0.03497318, -0.003482397, -0.1311101, 0.03449836});
    CHECK_VALUES(cell.weight_ih.grad(), {2, 3},
                 {0.0821436, 0.05244886, -0.104726, 0.03158309, -0.05223327, 0.0337423});
    CHECK_VALUES(cell.weight_hh.grad(), {2, 2}, {-0.1347642, 0.08977124, 0.0913744, -0.03144784});
    CHECK_VALUES(cell.bias_hh.grad(), {2}, {-0.4490709, 0.2456445});
    nn::RNNCell relu(3, 2, true, "relu");
    r = run_cell(relu);
    CHECK_VALUES(r.h1, {2, 2}, {0.01250002, 0, 0.05499998, 0});
    CHECK_VALUES(r.x.grad(), {2, 3}, {-0.0075, -0.06, 0.015, -0.015, -0.12, 0.03});
    CHECK_VALUES(relu.weight_ih.grad(), {2, 3}, {0.0825, 0.0525, -0.105, 0, 0, 0});
    CHECK_VALUES(relu.weight_hh.grad(), {2, 2}, {-0.135, 0.09, 0, 0});
    CHECK_VALUES(relu.bias_hh.grad(), {2}, {-0.45, 0});
}

TEST_CASE("LSTMCell: values and gradients match torch.nn.LSTMCell (gates i, f, g, o)") {
    nn::LSTMCell cell(3, 2);
    const CellRun r = run_cell(cell);
    CHECK_VALUES(r.h1, {2, 2}, {-0.100537, 0.1167207, 0.1542791, 0.02385524});
    CHECK_VALUES(r.c1, {2, 2}, {-0.1853563, 0.1906839, 0.3198061, 0.03780964});
    CHECK_VALUES(r.x.grad(), {2, 3},
                 {0.04791581, -0.08414302, 0.01825409, 0.02301418, -0.08201746, 0.01659327});
    CHECK_VALUES(
        cell.weight_ih.grad(), {8, 3},
        {0.002878734, 0.0003179067,  -0.002116184, 0.006459708, -0.01087496,  0.007097255,
         0.0114946,   -0.0001663034, -0.006982194, 0.003445634, -0.001041679, -0.001079122,
         0.04804571,  0.01725828,    -0.0475369,   0.01209912,  -0.05522776,  0.0489267,
         0.01098175,  -0.0005418686, -0.006279177, 0.002044569, -0.002242503, 0.001020161});
    CHECK_VALUES(cell.weight_hh.grad(), {8, 2},
                 {-0.001716271, 0.001761001, 0.01906793, -0.006606671, -0.004013492, 0.005723495,
                  0.000758526, 0.0008120163, -0.05228364, 0.0402809, 0.1046575, -0.04413463,
                  -0.003076964, 0.00511919, 0.003662781, -0.0009981678});
    CHECK_VALUES(cell.bias_hh.grad(), {8},
                 {-0.006954544, 0.05134919, -0.01947397, -0.0001069806, -0.1851291, 0.2975842,
                  -0.01639231, 0.009321897});
}

TEST_CASE("GRUCell: values and gradients match torch.nn.GRUCell (r gates W_hn h + b_hn)") {
    nn::GRUCell cell(3, 2);
    const CellRun r = run_cell(cell);
    CHECK_VALUES(r.h1, {2, 2}, {0.2303279, 0.2474596, 0.1827458, 0.08123834});
    CHECK_VALUES(r.x.grad(), {2, 3},
                 {0.03152018, -0.05533371, 0.0175014, 0.01208749, -0.04432005, 0.01441266});
    CHECK_VALUES(
        cell.weight_ih.grad(), {6, 3},
        {0.0009391935, 0.0003045644, -0.0008957195, -0.0005829958, 0.001153916, -0.0008168053,
         0.001568193, 0.004528618, -0.005605019, -0.003439062, 0.00613131, -0.004127701, 0.02454968,
         0.01970627, -0.03541955, 0.01541651, -0.02875208, 0.01979852});
    CHECK_VALUES(cell.weight_hh.grad(), {6, 2},
                 {-0.000957167, 0.0007575242, -0.002061946, 0.0007533698, -0.009549029, 0.004927595,
                  -0.01082717, 0.003828562, -0.0245364, 0.01560758, 0.0245964, -0.008520499});
    CHECK_VALUES(cell.bias_hh.grad(), {6},
                 {-0.003429383, -0.005630631, -0.02895325, -0.02931146, -0.08028795, 0.0662338});
}

TEST_CASE("Cells: an unbatched input is one row of a batch, no hx means zeros") {
    nn::GRUCell cell(3, 2);
    test::set_det_params(cell);
    const Tensor x = test::det({2, 3}, 10), h = test::det({2, 2}, 11);
    const Tensor batch = cell.forward(x, h);
    const Tensor one = cell.forward(x[1], h[1]);
    CHECK(one.shape() == Shape{2});
    CHECK(allclose(one, batch[1]));
    CHECK(allclose(cell(x), cell.forward(x, zeros({2, 2}))));
    nn::LSTMCell lstm(3, 2);
    auto [h1, c1] = lstm.forward(x[0]);
    CHECK(h1.shape() == Shape{2});
    CHECK(c1.shape() == Shape{2});
}

TEST_CASE("Cells: gradients of first and second order, every input and parameter") {
    const Tensor x = test::input({2, 3}, 1), h = test::input({2, 2}, 2), c = test::input({2, 2}, 3);
    for (int64_t G : {1, 3, 4}) {
        CAPTURE(G);
        const Tensor wi = test::input({G * 2, 3}, 4), wh = test::input({G * 2, 2}, 5);
        const Tensor bi = test::input({G * 2}, 6), bh = test::input({G * 2}, 7);
        const V in{x, h, wi, wh, bi, bh};
        if (G == 1) {
            auto tanh_cell = [](const V& v) {
                return F::rnn_tanh_cell(v[0], v[1], v[2], v[3], v[4], v[5]);
            };
            CHECK_GRADIENTS(tanh_cell, in);
            auto relu_cell = [](const V& v) {
                return F::rnn_relu_cell(v[0], v[1], v[2], v[3], v[4], v[5]);
            };
            CHECK(autograd::gradcheck(relu_cell, in));
        } else if (G == 3) {
            auto gru = [](const V& v) { return F::gru_cell(v[0], v[1], v[2], v[3], v[4], v[5]); };
            CHECK_GRADIENTS(gru, in);
        } else {
            // h' and c' both in the checked output
            auto lstm = [](const V& v) {
                auto [h1, c1] = F::lstm_cell(v[0], v[1], v[6], v[2], v[3], v[4], v[5]);
                return cat({h1, c1}, 1);
            };
            CHECK_GRADIENTS(lstm, (V{x, h, wi, wh, bi, bh, c}));
        }
    }
}

TEST_CASE("Cells: refused inputs, hidden states and options") {
    nn::LSTMCell lstm(3, 2);
    CHECK_ERROR(ShapeError, [&] { lstm.forward(zeros({1, 2, 3})); }, {"LSTMCell", "(1, 2, 3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    lstm.forward(zeros({2, 4}));
                },
                {"LSTMCell", "input_size 4", "expected 3"});
    CHECK_ERROR(ShapeError,
                [&] {
                    lstm.forward(zeros({2, 3}), std::make_tuple(zeros({2, 2}), zeros({3, 2})));
                },
                {"LSTMCell", "cx", "(2, 2)", "(3, 2)"});
    nn::GRUCell gru(3, 2);
    CHECK_ERROR(ShapeError,
                [&] {
                    gru.forward(zeros({2, 3}), zeros({2}));
                },
                {"GRUCell", "hx", "(2, 2)", "(2)"});
    CHECK_ERROR(TypeError,
                [&] {
                    gru(zeros({2, 3}, kFloat64));
                },
                {"GRUCell", "float64", "float32"});
    CHECK_ERROR(ValueError, [] { nn::RNNCell(3, 2, true, "sigmoid"); }, {"RNNCell()", "sigmoid"});
    CHECK_ERROR(ValueError, [] { nn::GRUCell(0, 2); }, {"GRUCell()", "0"});
}
