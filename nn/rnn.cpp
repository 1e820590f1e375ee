// RNN, LSTM, GRU modules: option checks, registration under PyTorch's names, init, and forward
// through functional::rnn with the module's flat weights.
#include "descent/nn/rnn.hpp"

#include <cmath>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

using functional::RnnMode;

namespace {
// Checked before the base allocates anything.
RnnMode checked(const std::string& type, RnnMode mode, const RNNOptions& o) {
    DESCENT_CHECK(o.input_size() > 0 && o.hidden_size() > 0, ValueError, type,
                  "(): input_size and hidden_size must be > 0, got ", o.input_size(), " and ",
                  o.hidden_size());
    DESCENT_CHECK(o.num_layers() >= 1, ValueError, type, "(): num_layers must be >= 1, got ",
                  o.num_layers());
    DESCENT_CHECK(o.dropout() >= 0 && o.dropout() <= 1, ValueError, type,
                  "(): dropout must be in [0, 1], got ", o.dropout());
    if (mode != RnnMode::Tanh) {
        DESCENT_CHECK(o.nonlinearity() == "tanh", ValueError, type,
                      "(): nonlinearity applies to RNN only, got \"", o.nonlinearity(), "\"");
        return mode;
    }
    DESCENT_CHECK(o.nonlinearity() == "tanh" || o.nonlinearity() == "relu", ValueError, type,
                  "(): nonlinearity must be \"tanh\" or \"relu\", got \"", o.nonlinearity(), "\"");
    return o.nonlinearity() == "relu" ? RnnMode::Relu : RnnMode::Tanh;
}

Tensor lengths_tensor(const std::vector<int64_t>& lengths) { return tensor(lengths); }
}  // namespace

RNNBase::RNNBase(std::string type_name, RnnMode mode, const RNNOptions& o)
    : Module(type_name), options(o), mode_(checked(type_name, mode, o)) {
    const int64_t G = functional::detail::gate_count(mode_);
    const int64_t H = o.hidden_size(), D = o.bidirectional() ? 2 : 1;
    for (int64_t l = 0; l < o.num_layers(); ++l)
        for (int64_t d = 0; d < D; ++d) {
            const std::string sfx = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
            const int64_t in = l == 0 ? o.input_size() : D * H;
            register_parameter("weight_ih" + sfx, empty({G * H, in}));
            register_parameter("weight_hh" + sfx, empty({G * H, H}));
            if (o.bias()) {
                register_parameter("bias_ih" + sfx, empty({G * H}));
                register_parameter("bias_hh" + sfx, empty({G * H}));
            }
        }
    reset_parameters();
}

void RNNBase::reset_parameters() {
    const double bound = 1.0 / std::sqrt(static_cast<double>(options.hidden_size()));
    for (Tensor& p : parameters()) init::uniform_(p, -bound, bound);
}

void RNNBase::pretty_print(std::ostream& os) const {
    os << type_name() << "(" << options.input_size() << ", " << options.hidden_size();
    if (options.num_layers() != 1) os << ", num_layers=" << options.num_layers();
    if (mode_ == RnnMode::Relu) os << ", nonlinearity=relu";
    if (!options.bias()) os << ", bias=false";
    if (options.batch_first()) os << ", batch_first=true";
    if (options.dropout() != 0) os << ", dropout=" << options.dropout();
    if (options.bidirectional()) os << ", bidirectional=true";
    os << ")";
}

std::tuple<Tensor, Tensor, Tensor> RNNBase::run(const Tensor& input, const Tensor& h0,
                                                const Tensor& c0, const Tensor& lengths) {
    functional::RnnArgs args;
    args.num_layers = options.num_layers();
    args.bias = options.bias();
    args.batch_first = options.batch_first();
    args.dropout = options.dropout();
    args.training = is_training();
    args.bidirectional = options.bidirectional();
    return functional::rnn(mode_, input, h0, c0, flat_weights(), args, lengths,
                           type_name().c_str());
}

std::tuple<PackedSequence, Tensor, Tensor> RNNBase::run(const PackedSequence& input,
                                                        const Tensor& h0, const Tensor& c0) {
    auto [padded, lengths] = utils::rnn::pad_packed_sequence(input);
    functional::RnnArgs args;
    args.num_layers = options.num_layers();
    args.bias = options.bias();
    args.dropout = options.dropout();
    args.training = is_training();
    args.bidirectional = options.bidirectional();
    auto [out, h, c] =
        functional::rnn(mode_, padded, h0, c0, flat_weights(), args, lengths, type_name().c_str());
    return {utils::rnn::detail::pack_like(out, input), h, c};
}

RNN::RNN(const RNNOptions& o) : RNNBase("RNN", RnnMode::Tanh, o) {}

std::tuple<Tensor, Tensor> RNN::forward(const Tensor& input, const Tensor& hx,
                                        const Tensor& lengths) {
    auto [out, h, c] = run(input, hx, Tensor(), lengths);
    return {out, h};
}

std::tuple<Tensor, Tensor> RNN::forward(const Tensor& input, const Tensor& hx,
                                        const std::vector<int64_t>& lengths) {
    return forward(input, hx, lengths_tensor(lengths));
}

std::tuple<PackedSequence, Tensor> RNN::forward(const PackedSequence& input, const Tensor& hx) {
    auto [out, h, c] = run(input, hx, Tensor());
    return {out, h};
}

LSTM::LSTM(const LSTMOptions& o) : RNNBase("LSTM", RnnMode::LSTM, o) {}

std::tuple<Tensor, LSTM::State> LSTM::forward(const Tensor& input, const std::optional<State>& hx,
                                              const Tensor& lengths) {
    auto [out, h, c] =
        run(input, hx ? std::get<0>(*hx) : Tensor(), hx ? std::get<1>(*hx) : Tensor(), lengths);
    return {out, State{h, c}};
}

std::tuple<Tensor, LSTM::State> LSTM::forward(const Tensor& input, const std::optional<State>& hx,
                                              const std::vector<int64_t>& lengths) {
    return forward(input, hx, lengths_tensor(lengths));
}

std::tuple<PackedSequence, LSTM::State> LSTM::forward(const PackedSequence& input,
                                                      const std::optional<State>& hx) {
    auto [out, h, c] =
        run(input, hx ? std::get<0>(*hx) : Tensor(), hx ? std::get<1>(*hx) : Tensor());
    return {out, State{h, c}};
}

GRU::GRU(const GRUOptions& o) : RNNBase("GRU", RnnMode::GRU, o) {}

std::tuple<Tensor, Tensor> GRU::forward(const Tensor& input, const Tensor& hx,
                                        const Tensor& lengths) {
    auto [out, h, c] = run(input, hx, Tensor(), lengths);
    return {out, h};
}

std::tuple<Tensor, Tensor> GRU::forward(const Tensor& input, const Tensor& hx,
                                        const std::vector<int64_t>& lengths) {
    return forward(input, hx, lengths_tensor(lengths));
}

std::tuple<PackedSequence, Tensor> GRU::forward(const PackedSequence& input, const Tensor& hx) {
    auto [out, h, c] = run(input, hx, Tensor());
    return {out, h};
}

}  // namespace descent::nn
