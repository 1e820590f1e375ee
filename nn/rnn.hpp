// RNN, LSTM, GRU: multi-layer, optionally bidirectional recurrent layers over whole sequences, as
// torch.nn's, with PyTorch's options, parameter names (weight_ih_l0, bias_hh_l1_reverse, ...),
// shapes and U(-1/√H, 1/√H) init, so state dicts load both ways. Optional per-sequence lengths
// give pack_padded_sequence's results (functional/rnn.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "descent/nn/functional/rnn.hpp"
#include "descent/nn/module.hpp"
#include "descent/nn/utils/rnn.hpp"

namespace descent::nn {

// The options, torch::nn::RNNOptions' names: RNNOptions(10, 20).num_layers(2).bidirectional(true).
struct RNNOptions {
    RNNOptions(int64_t input_size, int64_t hidden_size)
        : input_size_(input_size), hidden_size_(hidden_size) {}
#define DESCENT_RNN_OPTION(type, name) \
    RNNOptions& name(type value) {     \
        name##_ = value;               \
        return *this;                  \
    }                                  \
    type name() const { return name##_; }
    DESCENT_RNN_OPTION(int64_t, input_size)
    DESCENT_RNN_OPTION(int64_t, hidden_size)
    DESCENT_RNN_OPTION(int64_t, num_layers)
    DESCENT_RNN_OPTION(std::string, nonlinearity)  // "tanh" or "relu"; RNN only
    DESCENT_RNN_OPTION(bool, bias)
    DESCENT_RNN_OPTION(bool, batch_first)
    DESCENT_RNN_OPTION(double, dropout)  // between layers, in training
    DESCENT_RNN_OPTION(bool, bidirectional)
#undef DESCENT_RNN_OPTION
private:
    int64_t input_size_, hidden_size_, num_layers_ = 1;
    std::string nonlinearity_ = "tanh";
    bool bias_ = true, batch_first_ = false;
    double dropout_ = 0.0;
    bool bidirectional_ = false;
};
using LSTMOptions = RNNOptions;
using GRUOptions = RNNOptions;
using utils::rnn::PackedSequence;

// The parameters, their init and the call of functional::rnn, shared by RNN, LSTM and GRU.
class RNNBase : public Module {
public:
    // Re-draws every parameter from U(-1/√hidden_size, 1/√hidden_size).
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;
    // The parameters in PyTorch's _flat_weights order: per layer, per direction, w_ih, w_hh,
    // b_ih, b_hh.
    std::vector<Tensor> flat_weights() const { return parameters(false); }

    RNNOptions options;

protected:
    // ValueError for sizes <= 0, num_layers < 1, dropout outside [0, 1], a nonlinearity other than
    // "tanh" / "relu" (or other than "tanh" for LSTM and GRU).
    RNNBase(std::string type_name, functional::RnnMode mode, const RNNOptions& options);
    // input as functional::rnn's; lengths undefined or int64 (N).
    std::tuple<Tensor, Tensor, Tensor> run(const Tensor& input, const Tensor& h0, const Tensor& c0,
                                           const Tensor& lengths);
    // A PackedSequence input (batch_first does not apply): unpacked, run with its lengths, the
    // output packed with the input's batch_sizes and indices.
    std::tuple<PackedSequence, Tensor, Tensor> run(const PackedSequence& input, const Tensor& h0,
                                                   const Tensor& c0);
    functional::RnnMode mode_;
};

// input: (T, N, input_size), (N, T, input_size) with batch_first, or unbatched (T, input_size);
// hx: (num_layers·D, N, hidden_size) (D = 2 if bidirectional), undefined = zeros. Returns
// (output (T, N, D·hidden_size) (batch_first: (N, T, ...)), h_n of hx's shape). lengths (one per
// sequence, each in [1, T]) make it pack_padded_sequence's RNN (functional/rnn.hpp).
class RNN : public RNNBase {
public:
    explicit RNN(const RNNOptions& options);
    RNN(int64_t input_size, int64_t hidden_size) : RNN(RNNOptions(input_size, hidden_size)) {}
    std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = Tensor(),
                                       const Tensor& lengths = Tensor());
    std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx,
                                       const std::vector<int64_t>& lengths);
    // A PackedSequence of (Σ lengths, input_size) in, one of (Σ lengths, D·hidden_size) out, with
    // the input's batch_sizes and indices; hx and h_n in the batch's original order, as PyTorch's.
    std::tuple<PackedSequence, Tensor> forward(const PackedSequence& input,
                                               const Tensor& hx = Tensor());
};

// As RNN, with hx = (h_0, c_0); returns (output, (h_n, c_n)).
class LSTM : public RNNBase {
public:
    explicit LSTM(const LSTMOptions& options);
    LSTM(int64_t input_size, int64_t hidden_size) : LSTM(LSTMOptions(input_size, hidden_size)) {}
    using State = std::tuple<Tensor, Tensor>;
    std::tuple<Tensor, State> forward(const Tensor& input,
                                      const std::optional<State>& hx = std::nullopt,
                                      const Tensor& lengths = Tensor());
    std::tuple<Tensor, State> forward(const Tensor& input, const std::optional<State>& hx,
                                      const std::vector<int64_t>& lengths);
    std::tuple<PackedSequence, State> forward(const PackedSequence& input,
                                              const std::optional<State>& hx = std::nullopt);
};

class GRU : public RNNBase {
public:
    explicit GRU(const GRUOptions& options);
    GRU(int64_t input_size, int64_t hidden_size) : GRU(GRUOptions(input_size, hidden_size)) {}
    std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = Tensor(),
                                       const Tensor& lengths = Tensor());
    std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx,
                                       const std::vector<int64_t>& lengths);
    std::tuple<PackedSequence, Tensor> forward(const PackedSequence& input,
                                               const Tensor& hx = Tensor());
};

}  // namespace descent::nn
