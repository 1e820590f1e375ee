// RNNCell, LSTMCell, GRUCell: one time step of a recurrent layer, as torch.nn's cells: parameters
// weight_ih (G·H, input_size), weight_hh (G·H, H), bias_ih, bias_hh (G·H), all drawn from
// U(-1/√H, 1/√H); PyTorch's gate order (LSTM i, f, g, o; GRU r, z, n).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "descent/nn/functional/rnn_cell.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

// What the three cells share: the parameters, their initialisation, the checks.
class RNNCellBase : public Module {
public:
    // Re-draws every parameter from U(-1/√hidden_size, 1/√hidden_size).
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t input_size, hidden_size;
    bool bias;
    Tensor weight_ih, weight_hh;  // (G·hidden_size, input_size), (G·hidden_size, hidden_size)
    Tensor bias_ih, bias_hh;      // (G·hidden_size), undefined without bias

protected:
    // ValueError unless both sizes are > 0.
    RNNCellBase(std::string type_name, functional::RnnMode mode, int64_t input_size,
                int64_t hidden_size, bool bias);
    functional::RnnMode mode_;
};

class RNNCell : public RNNCellBase {
public:
    // nonlinearity "tanh" or "relu" (ValueError otherwise).
    RNNCell(int64_t input_size, int64_t hidden_size, bool bias = true,
            const std::string& nonlinearity = "tanh");
    // x: (N, input_size) or (input_size), hx: (N, hidden_size) or (hidden_size), undefined = zeros
    // -> h' of hx's shape. ShapeError naming RNNCell for other shapes.
    Tensor forward(const Tensor& x, const Tensor& hx);
    Tensor forward(const Tensor& x) override { return forward(x, Tensor()); }
    std::string nonlinearity;
};

class LSTMCell : public RNNCellBase {
public:
    LSTMCell(int64_t input_size, int64_t hidden_size, bool bias = true);
    // x as RNNCell's, hx = (h, c), each (N, hidden_size) or (hidden_size); nullopt = zeros.
    // Returns (h', c').
    std::tuple<Tensor, Tensor> forward(
        const Tensor& x, const std::optional<std::tuple<Tensor, Tensor>>& hx = std::nullopt);
};

class GRUCell : public RNNCellBase {
public:
    GRUCell(int64_t input_size, int64_t hidden_size, bool bias = true);
    Tensor forward(const Tensor& x, const Tensor& hx);
    Tensor forward(const Tensor& x) override { return forward(x, Tensor()); }
};

}  // namespace descent::nn
