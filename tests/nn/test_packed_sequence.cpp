// nn::utils::rnn: pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence and the
// RNN modules on a PackedSequence, against torch.nn.utils.rnn (tests/nn/packed_torch_reference.py);
// gradcheck and gradgradcheck through packing and unpacking; refused lengths and sequences.
#include "support.hpp"

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;
namespace R = nn::utils::rnn;

TEST_CASE("pack_padded_sequence: unsorted lengths, then pad_packed_sequence, as torch's") {
    const Tensor x = test::det({4, 3, 2}, 60).requires_grad_();
    const R::PackedSequence p = R::pack_padded_sequence(x, {2, 4, 3}, false, false);
    CHECK_VALUES(p.data, {9, 2},
                 {-0.05, 0.3, -0.2, 0.15, 0.1, -0.4, 0.35, -0.15, 0.2, -0.3, -0.35, 0, -0.1, 0.25,
                  -0.25, 0.1, 0.3, -0.2});
    CHECK(p.batch_sizes.dtype() == kInt64);
    CHECK(p.batch_sizes.to_vector<int64_t>() == std::vector<int64_t>{3, 3, 2, 1});
    CHECK(p.sorted_indices.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 0});
    CHECK(p.unsorted_indices.to_vector<int64_t>() == std::vector<int64_t>{2, 0, 1});
    auto [padded, lengths] = R::pad_packed_sequence(p, true, -1.0, 5);
    CHECK_VALUES(padded, {3, 5, 2}, {0.1,   -0.4, -0.35, 0,     -1,    -1,   -1,  -1,   -1, -1,
                                     -0.05, 0.3,  0.35,  -0.15, -0.1,  0.25, 0.3, -0.2, -1, -1,
                                     -0.2,  0.15, 0.2,   -0.3,  -0.25, 0.1,  -1,  -1,   -1, -1});
    CHECK(lengths.to_vector<int64_t>() == std::vector<int64_t>{2, 4, 3});
    test::weighted(padded, 61).backward();
    CHECK_VALUES(x.grad(), {4, 3, 2},
                 {0.25, -0.25, 0.35, -0.15, -0.4, -0.05, 0.1, -0.4, 0.2,  -0.3, 0.3, -0.2,
                  0,    0,     0.05, 0.4,   0.15, -0.35, 0,   0,    -0.1, 0.25, 0,   0});
    // time-major and without total_length: the input back, zero past each end
    auto [back, len2] = R::pad_packed_sequence(p);
    CHECK(back.shape() == Shape{4, 3, 2});
    const Tensor mask = tensor(std::vector<float>{1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0}, {4, 3, 1});
    CHECK(equal(back, x.detach() * mask));
}

TEST_CASE("pack_padded_sequence: batch_first with sorted lengths leaves the indices undefined") {
    const R::PackedSequence p = R::pack_padded_sequence(
        test::det({3, 4, 2}, 62), tensor(std::vector<int64_t>{4, 3, 1}), true);
    CHECK_VALUES(p.data, {8, 2},
                 {0.4, -0.1, -0.2, 0.15, 0.05, 0.4, 0.25, -0.25, -0.35, 0, 0.1, -0.4, 0.35, -0.15,
                  -0.05, 0.3});
    CHECK(p.batch_sizes.to_vector<int64_t>() == std::vector<int64_t>{3, 2, 2, 1});
    CHECK_FALSE(p.sorted_indices.defined());
    CHECK_FALSE(p.unsorted_indices.defined());
    auto [padded, lengths] = R::pad_packed_sequence(p, true);
    CHECK(padded.shape() == Shape{3, 4, 2});
    CHECK(lengths.to_vector<int64_t>() == std::vector<int64_t>{4, 3, 1});
}

TEST_CASE("pad_sequence and pack_sequence, as torch's") {
    const V seqs{test::det({2, 3}, 63), test::det({4, 3}, 64), test::det({1, 3}, 65)};
    CHECK_VALUES(R::pad_sequence(seqs, true, 0.5), {3, 4, 3},
                 {-0.3,  0.05, 0.4,   -0.1, 0.25, -0.25, 0.5,  0.5,   0.5, 0.5,  0.5,   0.5,
                  -0.15, 0.2,  -0.3,  0.05, 0.4,  -0.1,  0.25, -0.25, 0.1, -0.4, -0.05, 0.3,
                  0,     0.35, -0.15, 0.5,  0.5,  0.5,   0.5,  0.5,   0.5, 0.5,  0.5,   0.5});
    CHECK_VALUES(R::pad_sequence(seqs), {4, 3, 3},
                 {-0.3, 0.05, 0.4,  -0.15, 0.2, -0.3, 0,    0.35,  -0.15, -0.1, 0.25,  -0.25,
                  0.05, 0.4,  -0.1, 0,     0,   0,    0,    0,     0,     0.25, -0.25, 0.1,
                  0,    0,    0,    0,     0,   0,    -0.4, -0.05, 0.3,   0,    0,     0});
    const R::PackedSequence p = R::pack_sequence(seqs, false);
    CHECK_VALUES(p.data, {7, 3},
                 {-0.15, 0.2,  -0.3, -0.3,  0.05, 0.4,   0,   0.35, -0.15, 0.05, 0.4,
                  -0.1,  -0.1, 0.25, -0.25, 0.25, -0.25, 0.1, -0.4, -0.05, 0.3});
    CHECK(p.batch_sizes.to_vector<int64_t>() == std::vector<int64_t>{3, 2, 1, 1});
    CHECK(p.sorted_indices.to_vector<int64_t>() == std::vector<int64_t>{1, 0, 2});
    // scalar steps: sequences of shape (L)
    CHECK_VALUES(R::pad_sequence({ones({2}), full({3}, 2.0)}, true, -1), {2, 3},
                 {1, 1, -1, 2, 2, 2});
}

TEST_CASE("GRU on a PackedSequence: output data, batch_sizes, h_n and gradients as torch's") {
    nn::GRU gru(nn::GRUOptions(3, 2).num_layers(2));
    test::set_det_params(gru);
    const Tensor x = test::det({4, 3, 3}, 66).requires_grad_();
    auto [out, hn] =
        gru.forward(R::pack_padded_sequence(x, {2, 4, 3}, false, false), test::det({2, 3, 2}, 67));
    (test::weighted(out.data, 40) + test::weighted(hn, 41)).backward();
    CHECK_VALUES(out.data, {9, 2},
                 {-0.2556689, 0.1772401, 0.1515436, 0.09456614, -0.1688914, 0.2567903, -0.2170194,
                  0.2648485, 0.01999617, 0.2186047, -0.1891127, 0.2814054, -0.2158132, 0.2934918,
                  -0.07764877, 0.266773, -0.217961, 0.3099788});
    CHECK(out.batch_sizes.to_vector<int64_t>() == std::vector<int64_t>{3, 3, 2, 1});
    CHECK(out.sorted_indices.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 0});
    CHECK(out.unsorted_indices.to_vector<int64_t>() == std::vector<int64_t>{2, 0, 1});
    CHECK_VALUES(hn, {2, 3, 2},
                 {0.1940157, 0.1789504, 0.1051056, 0.2041852, 0.1249219, 0.1949268, -0.1891127,
                  0.2814054, -0.217961, 0.3099788, -0.07764877, 0.266773});
    CHECK_VALUES(x.grad(), {4, 3, 3},
                 {0.004648624,
                  -0.01244945,
                  0.003869962,
                  -0.003849882,
                  -0.01023761,
                  0.003296108,
                  0.007032883,
                  0.003606111,
                  -0.005738387,
                  0.01042944,
                  -0.04210463,
                  0.01317102,
                  0.004485253,
                  -0.02575997,
                  0.008858253,
                  -0.0006705943,
                  0.02565307,
                  -0.01057231,
                  0,
                  0,
                  0,
                  -0.00752124,
                  -0.02231857,
                  0.01407353,
                  -0.001477942,
                  0.06139677,
                  -0.02560372,
                  0,
                  0,
                  0,
                  0.006460758,
                  -0.04472635,
                  0.01547747,
                  0,
                  0,
                  0});
    Tensor w_hh_l1;
    for (auto& [n, t] : gru.named_parameters())
        if (n == "weight_hh_l1") w_hh_l1 = t;
    CHECK_VALUES(
        w_hh_l1.grad(), {6, 2},
        {-0.001213747, -0.0002525292, -0.001309395, -0.0007121679, 0.01278647, -0.000588957,
         0.003695433, -0.0024027, 0.08612105, -0.007708333, -0.008642575, -0.001196137});
}

TEST_CASE("LSTM on pack_sequence, bidirectional, no state: as torch's") {
    nn::LSTM lstm(nn::LSTMOptions(2, 3).bidirectional(true));
    test::set_det_params(lstm);
    const Tensor a = test::det({3, 2}, 68).requires_grad_(),
                 b = test::det({2, 2}, 69).requires_grad_();
    auto [out, hc] = lstm.forward(R::pack_sequence({a, b}));
    auto [hn, cn] = hc;
    (test::weighted(out.data, 40) + test::weighted(hn, 41) + test::weighted(cn, 42)).backward();
    CHECK_VALUES(out.data, {5, 6},
                 {-0.01811077,  0.08940507, -0.07546139, -0.2196136, 0.09845816, 0.01362816,
                  -0.004255167, 0.09108794, -0.08431283, -0.1768343, 0.09213299, -0.02439636,
                  -0.04797648,  0.1399971,  -0.1906433,  -0.227645,  0.02830333, 0.04430091,
                  -0.02656325,  0.132352,   -0.1315512,  -0.1138216, 0.07125346, -0.02105792,
                  -0.07793437,  0.1574638,  -0.25304,    -0.1512877, 0.0214624,  0.02264367});
    CHECK_FALSE(out.sorted_indices.defined());
    CHECK_VALUES(hn, {2, 2, 3},
                 {-0.07793437, 0.1574638, -0.25304, -0.02656325, 0.132352, -0.1315512, -0.2196136,
                  0.09845816, 0.01362816, -0.1768343, 0.09213299, -0.02439636});
    CHECK_VALUES(cn, {2, 2, 3},
                 {-0.1323176, 0.4688614, -0.4734551, -0.04917393, 0.4439626, -0.2593643, -0.5321783,
                  0.1611957, 0.03198127, -0.4145144, 0.1470558, -0.05932395});
    CHECK_VALUES(a.grad(), {3, 2},
                 {-0.03400139, -0.002452692, -0.02571317, -0.001459646, -0.005053762, 0.02759185});
    CHECK_VALUES(b.grad(), {2, 2}, {0.1173123, -0.03201785, 0.1229654, -0.04066212});
}

TEST_CASE("pack / pad: gradients of first and second order, in float64") {
    auto f = [](const V& v) {
        const R::PackedSequence p = R::pack_padded_sequence(v[0], {2, 3, 1}, true, false);
        auto [padded, lengths] = R::pad_packed_sequence(p, false, 0.25, 4);
        return cat({p.data.reshape({-1}), padded.reshape({-1})});
    };
    CHECK_GRADIENTS(f, (V{test::input({3, 3, 2}, 1)}));
    auto g = [](const V& v) {
        const R::PackedSequence p = R::pack_sequence({v[0], v[1]}, false);
        return cat({p.data.reshape({-1}), R::pad_sequence({v[1], v[0]}, true, -2).reshape({-1})});
    };
    CHECK_GRADIENTS(g, (V{test::input({2, 3}, 2), test::input({3, 3}, 3)}));
    // through an LSTM on a PackedSequence
    nn::LSTM lstm(nn::LSTMOptions(2, 2).bidirectional(true));
    lstm.to(kFloat64);
    auto h = [&](const V& v) {
        auto [out, hc] = lstm.forward(R::pack_padded_sequence(v[0], {1, 3}, false, false),
                                      std::make_tuple(v[1], v[2]));
        return cat(
            {out.data.reshape({-1}), std::get<0>(hc).reshape({-1}), std::get<1>(hc).reshape({-1})});
    };
    const V in{test::input({3, 2, 2}, 4), test::input({2, 2, 2}, 5), test::input({2, 2, 2}, 6)};
    CHECK(autograd::gradcheck(h, in));
    CHECK(autograd::gradgradcheck(h, in));
}

TEST_CASE("pack_padded_sequence: refused lengths and inputs") {
    const Tensor x = zeros({4, 3, 2});
    CHECK_ERROR(ValueError,
                [&] {
                    R::pack_padded_sequence(x, {3, 4, 2});
                },
                {"pack_padded_sequence()", "decreasing", "enforce_sorted", "lengths[0] = 3",
                 "lengths[1] = 4"});
    CHECK_ERROR(ValueError,
                [&] {
                    R::pack_padded_sequence(x, {3, 0, 2}, false, false);
                },
                {"pack_padded_sequence()", "lengths[1] = 0", "[1, 4]"});
    CHECK_ERROR(ValueError,
                [&] {
                    R::pack_padded_sequence(x, {5, 4, 2}, false, false);
                },
                {"pack_padded_sequence()", "lengths[0] = 5", "[1, 4]"});
    CHECK_ERROR(ValueError,
                [&] {
                    R::pack_padded_sequence(x, {4, 3});
                },
                {"pack_padded_sequence()", "expected 3 lengths", "got 2"});
    CHECK_ERROR(ValueError,
                [&] {
                    R::pack_padded_sequence(x, {3, 3, 3}, true);
                },
                {"pack_padded_sequence()", "expected 4 lengths", "batch_first", "got 3"});
    CHECK_ERROR(TypeError,
                [&] {
                    R::pack_padded_sequence(x, tensor({3.f, 2.f, 1.f}));
                },
                {"pack_padded_sequence()", "int64", "float32"});
    CHECK_ERROR(ValueError,
                [&] {
                    R::pack_padded_sequence(x, tensor(std::vector<int64_t>{3, 2, 1}, {1, 3}));
                },
                {"pack_padded_sequence()", "1-D", "(1, 3)"});
    CHECK_ERROR(ShapeError, [&] { R::pack_padded_sequence(zeros({3}), {3}); },
                {"pack_padded_sequence()", "(T, N, *)", "(3)"});
}

TEST_CASE("pad_packed_sequence, pad_sequence, pack_sequence: refusals") {
    const R::PackedSequence p = R::pack_padded_sequence(zeros({4, 3, 2}), {4, 3, 2});
    CHECK_ERROR(ValueError, [&] { R::pad_packed_sequence(p, false, 0.0, 3); },
                {"pad_packed_sequence()", "total_length = 3", "longest", "(4)"});
    R::PackedSequence broken = p;
    broken.batch_sizes = tensor(std::vector<int64_t>{3, 3, 2});
    CHECK_ERROR(ShapeError, [&] { R::pad_packed_sequence(broken); },
                {"pad_packed_sequence()", "(9, 2)", "8 rows"});
    broken.batch_sizes = tensor(std::vector<int64_t>{2, 3, 2, 2});
    CHECK_ERROR(ValueError, [&] { R::pad_packed_sequence(broken); },
                {"pad_packed_sequence()", "non-increasing", "batch_sizes[1] = 3"});
    CHECK_ERROR(ValueError, [] { R::pad_sequence({}); }, {"pad_sequence()", "empty list"});
    CHECK_ERROR(ShapeError,
                [] {
                    R::pad_sequence({zeros({2, 3}), zeros({2, 4})});
                },
                {"pad_sequence()", "sequences[1] is (2, 4)", "sequences[0] is (2, 3)"});
    CHECK_ERROR(TypeError,
                [] {
                    R::pad_sequence({zeros({2, 3}), zeros({2, 3}, kFloat64)});
                },
                {"pad_sequence()", "float64", "float32"});
    CHECK_ERROR(ValueError,
                [] {
                    R::pack_sequence({zeros({2, 3}), zeros({3, 3})});
                },
                {"pack_padded_sequence()", "decreasing"});
    CHECK_ERROR(ValueError,
                [] {
                    R::pack_sequence({zeros({2, 3}), zeros({0, 3})});
                },
                {"pack_padded_sequence()", "lengths[1] = 0"});
    // the RNN modules check the packed input's size as the padded one's
    nn::GRU gru(3, 2);
    CHECK_ERROR(ShapeError, [&] { gru.forward(p); }, {"GRU", "input_size 2", "expected 3"});
    CHECK_ERROR(ShapeError,
                [&] {
                    nn::GRU(2, 2).forward(p, zeros({1, 2, 2}));
                },
                {"GRU", "h0", "(1, 3, 2)", "(1, 2, 2)"});
}
