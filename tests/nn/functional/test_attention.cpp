// functional::scaled_dot_product_attention: values against PyTorch 2's math formula (computed with
// torch 1.13 by tests/nn/seq_torch_reference.py) with no mask, bool and float masks, is_causal and
// a given scale; gradients against it; gradcheck and gradgradcheck; refused inputs.
#include "support.hpp"

#include <cmath>

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;
using nn::functional::scaled_dot_product_attention;

namespace {
// det((3, 5), 63) > -0.2: true = may attend
Tensor bool_mask() {
    const std::vector<float> d = test::det({3, 5}, 63).to_vector<float>();
    std::vector<bool> m(d.size());
    for (size_t i = 0; i < d.size(); ++i) m[i] = d[i] > -0.2f;
    return tensor(m, {3, 5});
}
}  // namespace

TEST_CASE("scaled_dot_product_attention: values match PyTorch's, every mask kind") {
    const Tensor q = test::det({2, 3, 4}, 60), k = test::det({2, 5, 4}, 61);
    const Tensor v = test::det({2, 5, 3}, 62);
    CHECK_VALUES(scaled_dot_product_attention(q, k, v), {2, 3, 3},
                 {0.1234455, -0.0519345, -0.02655455, 0.1159439, -0.03780172, -0.03405608,
                  0.1299684, -0.04248744, -0.02003158, -0.06691869, -0.06578948, 0.1142386,
                  -0.07161343, -0.06694861, 0.1177677, -0.06206382, -0.05933353, 0.1235783});
    CHECK_VALUES(scaled_dot_product_attention(q, k, v, bool_mask()), {2, 3, 3},
                 {0.05468917, -0.03998457, -0.09531083, 0.08178714, -0.125365, -0.06821287,
                  0.08483373, -0.1388994, -0.06516628, -0.01131617, -0.09341155, 0.04606903,
                  -0.05771226, 0.02040859, 0.08351608, -0.03401192, 0.006608389, 0.08663612});
    CHECK_VALUES(scaled_dot_product_attention(q, k, v, test::det({3, 5}, 64)), {2, 3, 3},
                 {0.1297108, -0.07268421, -0.02028918, 0.07805363, -0.04137807, -0.07194636,
                  0.09719779, -0.04908539, -0.05280223, -0.09347276, -0.03332229, 0.122314,
                  -0.05067164, -0.04072966, 0.08378706, -0.03790618, -0.03647244, 0.08891702});
    CHECK_VALUES(
        scaled_dot_product_attention(q, k, v, Tensor(), 0.0, true), {2, 3, 3},
        {0.4, -0.1, 0.25, 0.05491625, 0.006179616, -0.09508375, 0.05694225, 0.0905165, -0.09305776,
         -0.3, 0.05, 0.4, -0.2018748, 0.1481252, 0.08109304, -0.1050278, -0.0247201, 0.03603275});
    CHECK_VALUES(scaled_dot_product_attention(q, k, v, Tensor(), 0.0, false, 0.3), {2, 3, 3},
                 {0.1220732, -0.04706533, -0.02792678, 0.1175468, -0.0386605, -0.03245323,
                  0.1258723, -0.04146877, -0.02412775, -0.06817736, -0.06342091, 0.1165583,
                  -0.07107036, -0.06406173, 0.1187078, -0.06539705, -0.05949264, 0.1221676});
    // A row with every key masked is NaN, as PyTorch's math path.
    const Tensor none = zeros({3, 5}, kBool);
    CHECK(std::isnan(scaled_dot_product_attention(q, k, v, none).to_vector<float>()[0]));
}

TEST_CASE("scaled_dot_product_attention: gradients match PyTorch's") {
    const Tensor q = test::det({2, 3, 4}, 60).requires_grad_();
    const Tensor k = test::det({2, 5, 4}, 61).requires_grad_();
    const Tensor v = test::det({2, 5, 3}, 62).requires_grad_();
    test::weighted(scaled_dot_product_attention(q, k, v, bool_mask()), 65).backward();
    CHECK_VALUES(
        q.grad(), {2, 3, 4},
        {-0.008627387, 0.006131087,  0.004927932,  -0.008627387, 0.002597993,  -0.00843716,
         0.002597993,  0.002597993,  0.00137686,   -0.008084849, 0.00137686,   0.00137686,
         -0.002927195, -0.005214598, -0.002927195, 0.01034171,   -0.003506691, -0.00350669,
         -0.003506691, 0.009720906,  0.005928394,  0.005928393,  0.005928394,  -0.01300792});
    CHECK_VALUES(k.grad(), {2, 5, 4},
                 {0,
                  0,
                  0,
                  0,
                  -0.007414205,
                  -0.002549363,
                  0.0006587598,
                  0.01518547,
                  0.001594744,
                  -0.006378974,
                  -0.0007973718,
                  0.004784231,
                  -0.0004368003,
                  0.007222831,
                  -0.001449457,
                  -0.0085483,
                  0.006256262,
                  0.001705505,
                  0.001588068,
                  -0.0114214,
                  0,
                  0,
                  0,
                  0,
                  -0.009256249,
                  0.01400925,
                  -0.01372638,
                  0.00953912,
                  -0.0001345531,
                  -0.001076425,
                  0.0002691062,
                  -0.0006727655,
                  0.009793352,
                  -0.01225598,
                  0.0111275,
                  -0.01092183,
                  -0.0004025486,
                  -0.0006768452,
                  0.002329773,
                  0.002055476});
    CHECK_VALUES(
        v.grad(), {2, 5, 3},
        {0,          0,           0,         0.1989133,   -0.05183681,  0.06247135, 0,
         0.08287581, -0.03551821, 0.2018055, -0.02834969, 0.06065032,   0.1992812,  -0.05268934,
         0.06239654, 0,           0,         0,           -0.03115134,  0.01485812, -0.1665721,
         -0.0670744, 0.02682976,  -0.107319, -0.02140895, -0.007429302, -0.1599915, -0.03036531,
         0.01574142, -0.1661173});
}

TEST_CASE("scaled_dot_product_attention: gradients of first and second order") {
    const Tensor q = test::input({2, 2, 3, 4}, 1), k = test::input({2, 1, 5, 4}, 2);
    const Tensor v = test::input({2, 1, 5, 3}, 3), fmask = test::input({3, 5}, 4).detach();
    auto plain = [](const V& x) { return scaled_dot_product_attention(x[0], x[1], x[2]); };
    CHECK_GRADIENTS(plain, (V{q, k, v}));
    auto masked = [&](const V& x) {
        return scaled_dot_product_attention(x[0], x[1], x[2], bool_mask());
    };
    CHECK_GRADIENTS(masked, (V{q, k, v}));
    auto added = [&](const V& x) {
        return scaled_dot_product_attention(x[0], x[1], x[2], fmask.to(x[0].dtype()), 0.0, false,
                                            0.7);
    };
    CHECK_GRADIENTS(added, (V{q, k, v}));
    auto causal = [](const V& x) {
        return scaled_dot_product_attention(x[0], x[1], x[2], Tensor(), 0.0, true);
    };
    CHECK_GRADIENTS(causal, (V{q, k, v}));
}

TEST_CASE("scaled_dot_product_attention: refused shapes, dtypes and arguments") {
    const Tensor q = zeros({2, 3, 4}), k = zeros({2, 5, 4}), v = zeros({2, 5, 3});
    CHECK_ERROR(ShapeError,
                [&] {
                    scaled_dot_product_attention(q, zeros({2, 5, 6}), v);
                },
                {"scaled_dot_product_attention()", "(2, 5, 6)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    scaled_dot_product_attention(q, k, zeros({2, 4, 3}));
                },
                {"scaled_dot_product_attention()", "(2, 4, 3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    scaled_dot_product_attention(q, k, v, zeros({3, 4}, kBool));
                },
                {"attn_mask (3, 4)", "(2, 3, 5)"});
    CHECK_ERROR(TypeError,
                [&] {
                    scaled_dot_product_attention(q, k, v, zeros({3, 5}, kInt64));
                },
                {"attn_mask", "int64"});
    CHECK_ERROR(ValueError,
                [&] {
                    scaled_dot_product_attention(q, k, v, zeros({3, 5}, kBool), 0.0, true);
                },
                {"scaled_dot_product_attention()", "not both"});
    CHECK_ERROR(ValueError, [&] { scaled_dot_product_attention(q, k, v, Tensor(), 1.0); },
                {"dropout_p", "1"});
}
