// One time step of the recurrent cells, as torch's rnn_tanh_cell, rnn_relu_cell, lstm_cell and
// gru_cell, with PyTorch's gate order (LSTM i, f, g, o; GRU r, z, n). Composed of linear, chunk,
// sigmoid, tanh and arithmetic, so twice differentiable.
#pragma once

#include <tuple>

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// The recurrence of a layer: a plain RNN with tanh or relu, an LSTM or a GRU.
enum class RnnMode { Tanh, Relu, LSTM, GRU };

// x: (N, in) or (in), h: (N, H) or (H), w_ih: (G·H, in), w_hh: (G·H, H), biases (G·H) or undefined,
// G = 1 (RNN), 4 (LSTM), 3 (GRU). An undefined h (and c) means zeros.
// h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
Tensor rnn_tanh_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = Tensor(), const Tensor& b_hh = Tensor());
Tensor rnn_relu_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = Tensor(), const Tensor& b_hh = Tensor());
// (i, f, g, o) = chunks of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh;  c' = σ(f)·c + σ(i)·tanh(g),
// h' = σ(o)·tanh(c'). Returns (h', c').
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& x, const Tensor& h, const Tensor& c,
                                     const Tensor& w_ih, const Tensor& w_hh,
                                     const Tensor& b_ih = Tensor(), const Tensor& b_hh = Tensor());
// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h' = (1 - z)·n + z·h, where
// x_* and h_* are the chunks of x·W_ihᵀ + b_ih and h·W_hhᵀ + b_hh.
Tensor gru_cell(const Tensor& x, const Tensor& h, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih = Tensor(), const Tensor& b_hh = Tensor());

namespace detail {
// 1 for Tanh and Relu, 4 for LSTM, 3 for GRU: the blocks stacked in w_ih and w_hh.
int64_t gate_count(RnnMode mode);
// The step shared by the cells and functional::rnn, given the input projection gi = x·W_ihᵀ + b_ih
// (N, G·H) that rnn() computes for all time steps in one matmul. h, c: (N, H) -> (h', c'), c'
// undefined except for LSTM.
std::tuple<Tensor, Tensor> rnn_step(RnnMode mode, const Tensor& gi, const Tensor& h,
                                    const Tensor& c, const Tensor& w_hh, const Tensor& b_hh);
// The checks and the call of a cell, naming `op` (the module, e.g. "LSTMCell", or the function):
// x (N, in) or unbatched (in), h and c of matching shape or undefined (zeros).
std::tuple<Tensor, Tensor> cell(RnnMode mode, const char* op, const Tensor& x, const Tensor& h,
                                const Tensor& c, const Tensor& w_ih, const Tensor& w_hh,
                                const Tensor& b_ih, const Tensor& b_hh);
}  // namespace detail

}  // namespace descent::nn::functional
