// The cell modules: registration under PyTorch's names, U(-1/√H, 1/√H) init, and the step through
// functional::detail::cell (which checks the shapes, naming the module).
#include "descent/nn/rnn_cell.hpp"

#include <cmath>
#include <optional>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

using functional::RnnMode;

RNNCellBase::RNNCellBase(std::string type_name, RnnMode mode, int64_t in, int64_t hidden,
                         bool with_bias)
    : Module(std::move(type_name)),
      input_size(in),
      hidden_size(hidden),
      bias(with_bias),
      mode_(mode) {
    DESCENT_CHECK(in > 0 && hidden > 0, ValueError, this->type_name(),
                  "(): input_size and hidden_size must be > 0, got ", in, " and ", hidden);
    const int64_t G = functional::detail::gate_count(mode);
    weight_ih = register_parameter("weight_ih", empty({G * hidden, in}));
    weight_hh = register_parameter("weight_hh", empty({G * hidden, hidden}));
    if (with_bias) {
        bias_ih = register_parameter("bias_ih", empty({G * hidden}));
        bias_hh = register_parameter("bias_hh", empty({G * hidden}));
    }
    reset_parameters();
}

void RNNCellBase::reset_parameters() {
    const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size));
    for (Tensor& p : parameters()) init::uniform_(p, -bound, bound);
}

void RNNCellBase::pretty_print(std::ostream& os) const {
    os << type_name() << "(" << input_size << ", " << hidden_size;
    if (!bias) os << ", bias=false";
    if (mode_ == RnnMode::Relu) os << ", nonlinearity=relu";
    os << ")";
}

namespace {
// Checked before the base allocates anything.
RnnMode cell_mode(const std::string& nl) {
    DESCENT_CHECK(nl == "tanh" || nl == "relu", ValueError,
                  "RNNCell(): nonlinearity must be \"tanh\" or \"relu\", got \"", nl, "\"");
    return nl == "relu" ? RnnMode::Relu : RnnMode::Tanh;
}
}  // namespace

RNNCell::RNNCell(int64_t in, int64_t hidden, bool with_bias, const std::string& nl)
    : RNNCellBase("RNNCell", cell_mode(nl), in, hidden, with_bias), nonlinearity(nl) {}

Tensor RNNCell::forward(const Tensor& x, const Tensor& hx) {
    return std::get<0>(functional::detail::cell(mode_, "RNNCell", x, hx, Tensor(), weight_ih,
                                                weight_hh, bias_ih, bias_hh));
}

LSTMCell::LSTMCell(int64_t in, int64_t hidden, bool with_bias)
    : RNNCellBase("LSTMCell", RnnMode::LSTM, in, hidden, with_bias) {}

std::tuple<Tensor, Tensor> LSTMCell::forward(const Tensor& x,
                                             const std::optional<std::tuple<Tensor, Tensor>>& hx) {
    const Tensor h = hx ? std::get<0>(*hx) : Tensor();
    const Tensor c = hx ? std::get<1>(*hx) : Tensor();
    return functional::detail::cell(RnnMode::LSTM, "LSTMCell", x, h, c, weight_ih, weight_hh,
                                    bias_ih, bias_hh);
}

GRUCell::GRUCell(int64_t in, int64_t hidden, bool with_bias)
    : RNNCellBase("GRUCell", RnnMode::GRU, in, hidden, with_bias) {}

Tensor GRUCell::forward(const Tensor& x, const Tensor& hx) {
    return std::get<0>(functional::detail::cell(RnnMode::GRU, "GRUCell", x, hx, Tensor(), weight_ih,
                                                weight_hh, bias_ih, bias_hh));
}

}  // namespace descent::nn
