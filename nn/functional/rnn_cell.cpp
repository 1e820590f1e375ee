// The recurrent cells' step, written once (rnn_step) for the cell modules and for functional::rnn,
// which hands it the input projection of every time step computed in one matmul.
#include "descent/nn/functional/rnn_cell.hpp"

#include <sstream>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/split.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/linear.hpp"

namespace descent::nn::functional {

namespace detail {

int64_t gate_count(RnnMode mode) {
    switch (mode) {
        case RnnMode::LSTM: return 4;
        case RnnMode::GRU: return 3;
        default: return 1;
    }
}

std::tuple<Tensor, Tensor> rnn_step(RnnMode mode, const Tensor& gi, const Tensor& h,
                                    const Tensor& c, const Tensor& w_hh, const Tensor& b_hh) {
    // gi: (N, G·H), gh: (N, G·H)
    const Tensor gh = linear(h, w_hh, b_hh);
    switch (mode) {
        case RnnMode::Tanh: return {tanh(gi + gh), Tensor()};
        case RnnMode::Relu: return {relu(gi + gh), Tensor()};
        case RnnMode::LSTM: {
            const std::vector<Tensor> g = chunk(gi + gh, 4, 1);  // i, f, g, o: (N, H) each
            const Tensor c2 = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2]);
            return {sigmoid(g[3]) * tanh(c2), c2};
        }
        case RnnMode::GRU: {
            const std::vector<Tensor> xi = chunk(gi, 3, 1);  // r, z, n: (N, H) each
            const std::vector<Tensor> hh = chunk(gh, 3, 1);
            const Tensor r = sigmoid(xi[0] + hh[0]);
            const Tensor z = sigmoid(xi[1] + hh[1]);
            const Tensor n = tanh(xi[2] + r * hh[2]);  // r gates W_hn·h + b_hn, as PyTorch
            return {(1.0 - z) * n + z * h, Tensor()};
        }
    }
    return {};
}

namespace {
std::string shape_text(const Tensor& t) {
    std::ostringstream os;
    os << t.shape();
    return os.str();
}
}  // namespace

std::tuple<Tensor, Tensor> cell(RnnMode mode, const char* op, const Tensor& x, const Tensor& h,
                                const Tensor& c, const Tensor& w_ih, const Tensor& w_hh,
                                const Tensor& b_ih, const Tensor& b_hh) {
    DESCENT_CHECK(x.defined(), ValueError, op, ": input is an undefined tensor");
    const int64_t G = gate_count(mode);
    const int64_t H = w_hh.shape()[1];
    const int64_t in = w_ih.shape()[1];
    DESCENT_CHECK(w_ih.shape() == (Shape{G * H, in}) && w_hh.shape() == (Shape{G * H, H}),
                  ShapeError, op, ": weight_ih ", w_ih.shape(), " and weight_hh ", w_hh.shape(),
                  " must be (", G, "·hidden_size, input_size) and (", G,
                  "·hidden_size, hidden_size)");
    DESCENT_CHECK(x.dim() == 1 || x.dim() == 2, ShapeError, op,
                  ": expected input (N, input_size) or (input_size), got ", x.shape());
    DESCENT_CHECK(x.shape()[x.dim() - 1] == in, ShapeError, op, ": input ", x.shape(),
                  " has input_size ", x.shape()[x.dim() - 1], ", expected ", in);
    DESCENT_CHECK(x.dtype() == w_ih.dtype(), TypeError, op, ": input is ", x.dtype(),
                  " but the weights are ", w_ih.dtype());
    const bool batched = x.dim() == 2;
    const Shape hs = batched ? Shape{x.shape()[0], H} : Shape{H};
    const char* hname[] = {"hx", "cx"};
    int k = 0;
    for (const Tensor* s : {&h, &c}) {
        DESCENT_CHECK(!s->defined() || s->shape() == hs, ShapeError, op, ": ", hname[k],
                      " must be ", hs, " for input ", x.shape(), ", got ",
                      s->defined() ? shape_text(*s) : "");
        ++k;
    }
    const Tensor xb = batched ? x : unsqueeze(x, 0);
    const Shape hb{xb.shape()[0], H};
    const Tensor h0 = h.defined() ? reshape(h, hb) : zeros(hb, x.dtype());
    const Tensor c0 = mode != RnnMode::LSTM ? Tensor()
                      : c.defined()         ? reshape(c, hb)
                                            : zeros(hb, x.dtype());
    auto [h1, c1] = rnn_step(mode, linear(xb, w_ih, b_ih), h0, c0, w_hh, b_hh);
    if (batched) return {h1, c1};
    return {reshape(h1, {H}), c1.defined() ? reshape(c1, {H}) : Tensor()};
}

}  // namespace detail

Tensor rnn_tanh_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
    return std::get<0>(
        detail::cell(RnnMode::Tanh, "rnn_tanh_cell()", x, h, Tensor(), w_ih, w_hh, b_ih, b_hh));
}

Tensor rnn_relu_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
    return std::get<0>(
        detail::cell(RnnMode::Relu, "rnn_relu_cell()", x, h, Tensor(), w_ih, w_hh, b_ih, b_hh));
}

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& x, const Tensor& h, const Tensor& c,
                                     const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                                     const Tensor& b_hh) {
    return detail::cell(RnnMode::LSTM, "lstm_cell()", x, h, c, w_ih, w_hh, b_ih, b_hh);
}

Tensor gru_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh) {
    return std::get<0>(
        detail::cell(RnnMode::GRU, "gru_cell()", x, h, Tensor(), w_ih, w_hh, b_ih, b_hh));
}

}  // namespace descent::nn::functional
