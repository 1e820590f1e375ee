// A multi-layer, optionally bidirectional RNN / LSTM / GRU over a whole sequence, as torch's
// rnn_tanh / lstm / gru functions: the engine of nn::RNN, nn::LSTM and nn::GRU.
#pragma once

#include <tuple>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/rnn_cell.hpp"

namespace descent::nn::functional {

struct RnnArgs {
    int64_t num_layers = 1;
    bool bias = true;
    bool batch_first = false;
    double dropout = 0.0;  // on each layer's output but the last, when training
    bool training = false;
    bool bidirectional = false;
};

// input: (T, N, in), or (N, T, in) with batch_first, or unbatched (T, in). h0 (and c0 for LSTM):
// (L·D, N, H) or unbatched (L·D, H), undefined = zeros (D = 2 when bidirectional). params: per
// layer, per direction, w_ih (G·H, in_l), w_hh (G·H, H), then b_ih, b_hh (G·H) if args.bias, the
// order of PyTorch's _flat_weights. lengths: undefined, or int64 (N) with 1 <= lengths[b] <= T:
// sequence b then ends at lengths[b] as with pack_padded_sequence (outputs past it are zero, h_n is
// taken at its last step, the reverse direction starts there); its order is free.
// Returns (output (T, N, D·H) (batch_first: (N, T, D·H)), h_n, c_n (LSTM only, else undefined)).
// Each layer's input projection for all T steps is one matmul; then one step per time step.
// `op` names the caller in error messages ("LSTM").
std::tuple<Tensor, Tensor, Tensor> rnn(RnnMode mode, const Tensor& input, const Tensor& h0,
                                       const Tensor& c0, const std::vector<Tensor>& params,
                                       const RnnArgs& args, const Tensor& lengths = Tensor(),
                                       const char* op = "rnn()");

}  // namespace descent::nn::functional
