// The sequence loop of RNN / LSTM / GRU: checks, one input projection per layer and direction,
// then rnn_step per time step; variable lengths freeze a finished sequence's state with where().
#include "descent/nn/functional/rnn.hpp"

#include <sstream>

#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/split.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/dropout.hpp"
#include "descent/nn/functional/linear.hpp"

namespace descent::nn::functional {

namespace {

std::string text(const Shape& s) {
    std::ostringstream os;
    os << s;
    return os.str();
}

struct Direction {
    Tensor output;  // (T, N, H)
    Tensor h, c;    // (N, H)
};

// One layer in one direction. x: (T, N, in); valid[t]: (N, 1) bool, or empty without lengths.
Direction run_direction(RnnMode mode, const Tensor& x, Tensor h, Tensor c, const Tensor* w,
                        bool bias, bool reverse, const std::vector<Tensor>& valid) {
    const int64_t T = x.shape()[0];
    // gi: (T, N, G·H), every step's input projection in one matmul (PyTorch's CPU path)
    // and its T steps as one unbind, whose backward is one stack (T selects would each spread
    // their gradient over a (T, N, G·H) zero tensor: T² work)
    const std::vector<Tensor> gi = unbind(linear(x, w[0], bias ? w[2] : Tensor()), 0);
    const Tensor b_hh = bias ? w[3] : Tensor();
    const Tensor zero = zeros({1}, x.dtype());
    std::vector<Tensor> out(static_cast<size_t>(T));
    for (int64_t s = 0; s < T; ++s) {
        const int64_t t = reverse ? T - 1 - s : s;
        auto [h2, c2] = detail::rnn_step(mode, gi[static_cast<size_t>(t)], h, c, w[1], b_hh);
        if (!valid.empty()) {
            // past its length a sequence keeps its state (so the reverse direction starts at its
            // own last step with h0) and outputs zeros, as pad_packed_sequence
            const Tensor& v = valid[static_cast<size_t>(t)];
            h2 = where(v, h2, h);
            if (c2.defined()) c2 = where(v, c2, c);
            out[static_cast<size_t>(t)] = where(v, h2, zero);
        } else {
            out[static_cast<size_t>(t)] = h2;
        }
        h = h2;
        c = c2;
    }
    return {stack(out, 0), h, c};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> rnn(RnnMode mode, const Tensor& input, const Tensor& h0,
                                       const Tensor& c0, const std::vector<Tensor>& params,
                                       const RnnArgs& args, const Tensor& lengths, const char* op) {
    const int64_t D = args.bidirectional ? 2 : 1;
    const int64_t L = args.num_layers;
    const int64_t per = args.bias ? 4 : 2;
    DESCENT_CHECK(L >= 1, ValueError, op, ": num_layers must be >= 1, got ", L);
    DESCENT_CHECK(static_cast<int64_t>(params.size()) == L * D * per, ValueError, op, ": expected ",
                  L * D * per, " parameter tensors, got ", params.size());
    for (size_t i = 0; i < params.size(); ++i)
        DESCENT_CHECK(params[i].defined() && params[i].dim() == (i % per < 2 ? 2 : 1), ShapeError,
                      op, ": parameter ", i, " must be a defined ",
                      i % per < 2 ? "matrix" : "vector");
    DESCENT_CHECK(input.defined(), ValueError, op, ": input is an undefined tensor");
    const int64_t G = detail::gate_count(mode);
    const int64_t H = params[1].shape()[1];
    const int64_t in = params[0].shape()[1];
    const char* layout = args.batch_first ? "(N, T, input_size)" : "(T, N, input_size)";
    DESCENT_CHECK(input.dim() == 2 || input.dim() == 3, ShapeError, op, ": expected input ", layout,
                  " or unbatched (T, input_size), got ", input.shape());
    DESCENT_CHECK(input.shape()[input.dim() - 1] == in, ShapeError, op, ": input ", input.shape(),
                  " has input_size ", input.shape()[input.dim() - 1], ", expected ", in);
    DESCENT_CHECK(input.dtype() == params[0].dtype(), TypeError, op, ": input is ", input.dtype(),
                  " but the weights are ", params[0].dtype());
    const bool batched = input.dim() == 3;
    // x: (T, N, in) from here on
    Tensor x = !batched ? unsqueeze(input, 1) : args.batch_first ? transpose(input, 0, 1) : input;
    const int64_t T = x.shape()[0], N = x.shape()[1];
    DESCENT_CHECK(T >= 1, ValueError, op, ": the input ", input.shape(), " has no time step");
    const Shape hs = batched ? Shape{L * D, N, H} : Shape{L * D, H};
    const char* names[] = {"h0", "c0"};
    int k = 0;
    for (const Tensor* s : {&h0, &c0}) {
        DESCENT_CHECK(!s->defined() || s->shape() == hs, ShapeError, op, ": ", names[k],
                      " must be (num_layers·num_directions, N, hidden_size) = ", hs, " for input ",
                      input.shape(), " with batch_first=", args.batch_first ? "true" : "false",
                      ", got ", s->defined() ? text(s->shape()) : "");
        ++k;
    }
    std::vector<Tensor> valid;
    if (lengths.defined()) {
        DESCENT_CHECK(lengths.dtype() == kInt64, TypeError, op, ": lengths must be int64, got ",
                      lengths.dtype());
        DESCENT_CHECK(batched, ValueError, op, ": lengths need a batched input, got ",
                      input.shape());
        DESCENT_CHECK(lengths.dim() == 1 && lengths.numel() == N, ValueError, op,
                      ": lengths must hold one length per sequence (", N, "), got shape ",
                      lengths.shape());
        const std::vector<int64_t> len = lengths.to_vector<int64_t>();
        for (int64_t b = 0; b < N; ++b)
            DESCENT_CHECK(len[b] >= 1 && len[b] <= T, ValueError, op, ": lengths[", b,
                          "] = ", len[b], " must be in [1, ", T, "], the sequence length of input ",
                          input.shape());
        for (int64_t t = 0; t < T; ++t) {
            std::vector<bool> v(static_cast<size_t>(N));
            for (int64_t b = 0; b < N; ++b) v[b] = t < len[b];
            valid.push_back(tensor(v).reshape({N, 1}));
        }
    }
    const Shape hb{L * D, N, H};
    const Tensor h_init = h0.defined() ? reshape(h0, hb) : zeros(hb, x.dtype());
    const Tensor c_init = mode != RnnMode::LSTM ? Tensor()
                          : c0.defined()        ? reshape(c0, hb)
                                                : zeros(hb, x.dtype());
    std::vector<Tensor> hn, cn;
    for (int64_t l = 0; l < L; ++l) {
        std::vector<Tensor> outs;
        for (int64_t d = 0; d < D; ++d) {
            const int64_t j = l * D + d;
            const Tensor* w = &params[static_cast<size_t>(j * per)];
            const int64_t in_l = l == 0 ? in : D * H;
            DESCENT_CHECK(w[0].shape() == (Shape{G * H, in_l}) && w[1].shape() == (Shape{G * H, H}),
                          ShapeError, op, ": layer ", l, " weights ", w[0].shape(), " and ",
                          w[1].shape(), ", expected (", G * H, ", ", in_l, ") and (", G * H, ", ",
                          H, ")");
            Direction r = run_direction(mode, x, select(h_init, 0, j),
                                        c_init.defined() ? select(c_init, 0, j) : Tensor(), w,
                                        args.bias, d == 1, valid);
            outs.push_back(r.output);
            hn.push_back(r.h);
            if (r.c.defined()) cn.push_back(r.c);
        }
        x = D == 1 ? outs[0] : cat(outs, 2);  // (T, N, D·H)
        if (l + 1 < L && args.dropout > 0 && args.training)
            x = dropout(x, static_cast<float>(args.dropout), true);
    }
    Tensor h_n = stack(hn, 0), c_n = cn.empty() ? Tensor() : stack(cn, 0);  // (L·D, N, H)
    if (!batched) {
        x = reshape(x, {T, D * H});
        h_n = reshape(h_n, {L * D, H});
        if (c_n.defined()) c_n = reshape(c_n, {L * D, H});
    } else if (args.batch_first) {
        x = transpose(x, 0, 1);
    }
    return {x, h_n, c_n};
}

}  // namespace descent::nn::functional
