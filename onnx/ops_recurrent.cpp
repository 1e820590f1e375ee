// ONNX's LSTM, GRU and RNN (opsets 7-14: directions, sequence_lens, initial states, layout 0 and 1)
// run with descent's differentiable ops, so an imported recurrent model fine-tunes. PyTorch's forms
// (no peepholes, default activations, GRU's linear_before_reset = 1) reorder the gates (ONNX: LSTM
// i,o,f,c, GRU z,r,h; PyTorch: i,f,g,o and r,z,n) and run functional::rnn, nn::LSTM's own engine;
// the others (peepholes, clip, input_forget, linear_before_reset = 0, relu/sigmoid/tanh
// activations, direction reverse) a step written here in ONNX's gate order.
#include "descent/onnx/ops_recurrent.hpp"

#include "descent/onnx/op_registry.hpp"

#include <algorithm>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/split.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/linear.hpp"
#include "descent/nn/functional/rnn.hpp"

namespace descent::onnx::detail {

namespace {

namespace F = nn::functional;
using Args = std::vector<Tensor>;

Tensor optional(const Args& in, size_t i) { return i < in.size() ? in[i] : Tensor(); }

enum class Kind { RNN, LSTM, GRU };

// What the three ops share: the node's attributes and inputs, checked.
struct Recurrence {
    Kind kind;
    int64_t G = 1, H = 0, D = 1, T = 0, N = 0, in = 0;
    std::string direction = "forward";
    bool batchwise = false;  // layout 1: X (N, T, in), Y (N, T, D, H), Y_h (N, D, H)
    Tensor x;                // (T, N, in)
    Tensor W, R, B, P;       // (D, G·H, in), (D, G·H, H), (D, 2·G·H), (D, 3·H); B, P optional
    Tensor h0, c0;           // (D, N, H) or undefined
    Tensor lengths;          // int64 (N) or undefined
    std::vector<std::string> activations;  // per direction: f, g, h (LSTM), f, g (GRU), f (RNN)
    float clip = 0;                        // 0: none
    bool input_forget = false, linear_before_reset = false;
};

Recurrence read(const GraphNode& n, const Args& in, Kind kind) {
    Recurrence r;
    r.kind = kind;
    r.G = kind == Kind::LSTM ? 4 : kind == Kind::GRU ? 3 : 1;
    const std::string w = node_where(n);
    r.direction = node_attr(n, "direction") ? node_attr(n, "direction")->s : "forward";
    DESCENT_CHECK(
        r.direction == "forward" || r.direction == "reverse" || r.direction == "bidirectional",
        ValueError, w, ": direction \"", r.direction,
        "\" is none of forward, reverse, bidirectional");
    r.D = r.direction == "bidirectional" ? 2 : 1;
    const int64_t layout = node_int(n, "layout", 0);
    DESCENT_CHECK(layout == 0 || layout == 1, ValueError, w, ": layout ", layout,
                  " is neither 0 nor 1");
    r.batchwise = layout == 1;
    const Tensor& X = node_input(n, in, 0);
    r.W = node_input(n, in, 1);
    r.R = node_input(n, in, 2);
    DESCENT_CHECK(X.is_floating_point() && X.dtype() == r.W.dtype() && X.dtype() == r.R.dtype(),
                  ValueError, w, ": X, W and R must be of one floating dtype, got ", X.dtype(),
                  ", ", r.W.dtype(), ", ", r.R.dtype());
    DESCENT_CHECK(X.dim() == 3, ValueError, w, ": X of shape ", X.shape(), " is not ",
                  r.batchwise ? "(batch, seq, input)" : "(seq, batch, input)");
    r.x = r.batchwise ? transpose(X, 0, 1) : X;
    r.T = r.x.size(0), r.N = r.x.size(1), r.in = r.x.size(2);
    DESCENT_CHECK(r.R.dim() == 3, ValueError, w, ": R of shape ", r.R.shape(),
                  " is not (num_directions, G·hidden_size, hidden_size)");
    r.H = r.R.size(2);
    const int64_t H = r.H, G = r.G, D = r.D;
    DESCENT_CHECK(node_int(n, "hidden_size", H) == H, ValueError, w, ": hidden_size ",
                  node_int(n, "hidden_size", H), " disagrees with R of shape ", r.R.shape());
    DESCENT_CHECK(r.T >= 1 && H >= 1, ValueError, w, ": X of shape ", X.shape(),
                  " has no time step, or R ", r.R.shape(), " no hidden unit");
    DESCENT_CHECK(r.W.shape() == (Shape{D, G * H, r.in}) && r.R.shape() == (Shape{D, G * H, H}),
                  ValueError, w, ": W ", r.W.shape(), " and R ", r.R.shape(), " must be (", D, ", ",
                  G * H, ", ", r.in, ") and (", D, ", ", G * H, ", ", H, ") for X ", X.shape(),
                  " with direction ", r.direction);
    r.B = optional(in, 3);
    DESCENT_CHECK(
        !r.B.defined() || (r.B.shape() == Shape{D, 2 * G * H} && r.B.dtype() == X.dtype()),
        ValueError, w, ": B ", r.B.defined() ? r.B.shape() : Shape{}, " must be (", D, ", ",
        2 * G * H, ") of X's dtype");
    const Tensor lens = optional(in, 4);
    if (lens.defined()) {
        DESCENT_CHECK(lens.dtype() == kInt64 && lens.shape() == Shape{r.N}, ValueError, w,
                      ": sequence_lens must hold one integer per sequence (", r.N, "), got ",
                      lens.dtype(), " of shape ", lens.shape());
        const std::vector<int64_t> v = lens.contiguous().to_vector<int64_t>();
        for (size_t b = 0; b < v.size(); ++b)
            DESCENT_CHECK(v[b] >= 1 && v[b] <= r.T, ValueError, w, ": sequence_lens[", b,
                          "] = ", v[b], " is outside [1, ", r.T,
                          "] (descent runs every sequence at least ", "one step)");
        // all full length: the same as none
        if (std::any_of(v.begin(), v.end(), [&](int64_t l) { return l != r.T; })) r.lengths = lens;
    }
    const char* state_names[] = {"initial_h", "initial_c"};
    Tensor* states[] = {&r.h0, &r.c0};
    for (int k = 0; k < (kind == Kind::LSTM ? 2 : 1); ++k) {
        Tensor s = optional(in, 5 + k);
        if (!s.defined()) continue;
        const Shape want = r.batchwise ? Shape{r.N, D, H} : Shape{D, r.N, H};
        DESCENT_CHECK(s.shape() == want && s.dtype() == X.dtype(), ValueError, w, ": ",
                      state_names[k], " of shape ", s.shape(), " must be ", want, " of X's dtype");
        *states[k] = r.batchwise ? transpose(s, 0, 1) : s;
    }
    if (kind == Kind::LSTM) {
        r.P = optional(in, 7);
        DESCENT_CHECK(
            !r.P.defined() || (r.P.shape() == Shape{D, 3 * H} && r.P.dtype() == X.dtype()),
            ValueError, w, ": P ", r.P.defined() ? r.P.shape() : Shape{}, " must be (", D, ", ",
            3 * H, ") of X's dtype");
        r.input_forget = node_int(n, "input_forget", 0) != 0;
    }
    if (kind == Kind::GRU) r.linear_before_reset = node_int(n, "linear_before_reset", 0) != 0;
    if (const Attribute* c = node_attr(n, "clip")) {
        DESCENT_CHECK(c->f > 0, ValueError, w, ": clip ", c->f, " must be positive");
        r.clip = c->f;
    }
    const std::vector<std::string> defaults =
        kind == Kind::LSTM  ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
        : kind == Kind::GRU ? std::vector<std::string>{"Sigmoid", "Tanh"}
                            : std::vector<std::string>{"Tanh"};
    if (const Attribute* a = node_attr(n, "activations")) {
        r.activations = a->strings;
        DESCENT_CHECK(r.activations.size() == defaults.size() * static_cast<size_t>(D), ValueError,
                      w, ": activations must name ", defaults.size() * D, " functions (",
                      defaults.size(), " per direction)");
        for (const auto& f : r.activations)
            DESCENT_CHECK(f == "Sigmoid" || f == "Tanh" || f == "Relu", ValueError, w,
                          ": activation ", f,
                          " is not mapped (descent maps Sigmoid, Tanh and Relu here)");
    } else {
        for (int64_t d = 0; d < D; ++d)
            r.activations.insert(r.activations.end(), defaults.begin(), defaults.end());
    }
    return r;
}

Tensor activate(const std::string& f, const Tensor& x) {
    if (f == "Sigmoid") return sigmoid(x);
    if (f == "Tanh") return tanh(x);
    return relu(x);
}

// ONNX's gate blocks (dim 0) in PyTorch's order: LSTM i,o,f,c -> i,f,g,o; GRU z,r,h -> r,z,n.
Tensor to_torch_order(Kind kind, const Tensor& t) {
    if (kind == Kind::RNN) return t;
    const std::vector<Tensor> g = chunk(t, kind == Kind::LSTM ? 4 : 3, 0);
    return kind == Kind::LSTM ? cat({g[0], g[2], g[3], g[1]}, 0) : cat({g[1], g[0], g[2]}, 0);
}

// PyTorch's form: functional::rnn on the reordered weights. Returns (Y (T, N, D·H), Y_h, Y_c).
std::tuple<Tensor, Tensor, Tensor> run_torch_form(const Recurrence& r) {
    const int64_t GH = r.G * r.H;
    std::vector<Tensor> params;
    for (int64_t d = 0; d < r.D; ++d) {
        params.push_back(to_torch_order(r.kind, select(r.W, 0, d)));
        params.push_back(to_torch_order(r.kind, select(r.R, 0, d)));
        if (r.B.defined()) {
            const Tensor b = select(r.B, 0, d);
            params.push_back(to_torch_order(r.kind, narrow(b, 0, 0, GH)));
            params.push_back(to_torch_order(r.kind, narrow(b, 0, GH, GH)));
        }
    }
    F::RnnArgs args;
    args.bias = r.B.defined();
    args.bidirectional = r.D == 2;
    const F::RnnMode mode = r.kind == Kind::LSTM         ? F::RnnMode::LSTM
                            : r.kind == Kind::GRU        ? F::RnnMode::GRU
                            : r.activations[0] == "Relu" ? F::RnnMode::Relu
                                                         : F::RnnMode::Tanh;
    const char* op = r.kind == Kind::LSTM  ? "onnx LSTM"
                     : r.kind == Kind::GRU ? "onnx GRU"
                                           : "onnx RNN";
    return F::rnn(mode, r.x, r.h0, r.c0, params, args, r.lengths, op);
}

// ONNX's own form, one direction d: the step in ONNX's gate order. Returns (Y (T, N, H), h, c).
std::tuple<Tensor, Tensor, Tensor> run_onnx_direction(const Recurrence& r, int64_t d,
                                                      bool reverse) {
    const int64_t H = r.H, GH = r.G * H;
    const Tensor W = select(r.W, 0, d), R = select(r.R, 0, d);
    const Tensor b = r.B.defined() ? select(r.B, 0, d) : Tensor();
    const Tensor Wb = b.defined() ? narrow(b, 0, 0, GH) : Tensor();
    const Tensor Rb = b.defined() ? narrow(b, 0, GH, GH) : Tensor();
    const Tensor P = r.P.defined() ? select(r.P, 0, d) : Tensor();
    const size_t na = r.activations.size() / static_cast<size_t>(r.D);
    auto act = [&](size_t k, const Tensor& x) {
        const Tensor v = r.clip > 0 ? clamp(x, -r.clip, r.clip) : x;
        return activate(r.activations[static_cast<size_t>(d) * na + k], v);
    };
    const Shape hs{r.N, H};
    Tensor h = r.h0.defined() ? select(r.h0, 0, d) : zeros(hs, r.x.dtype());
    Tensor c = r.kind != Kind::LSTM ? Tensor()
               : r.c0.defined()     ? select(r.c0, 0, d)
                                    : zeros(hs, r.x.dtype());
    std::vector<Tensor> valid;
    if (r.lengths.defined()) {
        const std::vector<int64_t> len = r.lengths.contiguous().to_vector<int64_t>();
        for (int64_t t = 0; t < r.T; ++t) {
            std::vector<bool> v(static_cast<size_t>(r.N));
            for (int64_t k = 0; k < r.N; ++k)
                v[static_cast<size_t>(k)] = t < len[static_cast<size_t>(k)];
            valid.push_back(tensor(v).reshape({r.N, 1}));
        }
    }
    // gi: every step's X·Wᵀ + Wb, (N, G·H) each
    const std::vector<Tensor> gi = unbind(F::linear(r.x, W, Wb), 0);
    // GRU's hidden gate reads R_h apart (linear_before_reset 0 multiplies r·h first)
    const std::vector<Tensor> Rg = r.kind == Kind::GRU ? chunk(R, 3, 0) : std::vector<Tensor>{};
    const std::vector<Tensor> Rbg =
        r.kind == Kind::GRU && Rb.defined() ? chunk(Rb, 3, 0) : std::vector<Tensor>{};
    const std::vector<Tensor> Pg = P.defined() ? chunk(P, 3, 0) : std::vector<Tensor>{};
    const Tensor zero = zeros({1}, r.x.dtype());
    std::vector<Tensor> out(static_cast<size_t>(r.T));
    for (int64_t s = 0; s < r.T; ++s) {
        const int64_t t = reverse ? r.T - 1 - s : s;
        const Tensor& x = gi[static_cast<size_t>(t)];
        Tensor h2, c2;
        if (r.kind == Kind::RNN) {
            // H' = f(X·Wᵀ + H·Rᵀ + Wb + Rb)
            h2 = act(0, x + F::linear(h, R, Rb));
        } else if (r.kind == Kind::LSTM) {
            // i = f(.. + P_i·C), f = f(.. + P_f·C), c = g(..), C' = f·C + i·c,
            // o = f(.. + P_o·C'), H' = o·h(C')
            const std::vector<Tensor> g = chunk(x + F::linear(h, R, Rb), 4, 1);  // i, o, f, c
            const Tensor i = act(0, P.defined() ? g[0] + Pg[0] * c : g[0]);
            const Tensor f =
                r.input_forget ? 1.0 - i : act(0, P.defined() ? g[2] + Pg[2] * c : g[2]);
            c2 = f * c + i * act(1, g[3]);
            const Tensor o = act(0, P.defined() ? g[1] + Pg[1] * c2 : g[1]);
            h2 = o * act(2, c2);
        } else {
            // z = f(X·W_zᵀ + H·R_zᵀ + b_z), r = f(..), n = g(X·W_hᵀ + (r·H)·R_hᵀ + Rb_h + Wb_h)
            // or, with linear_before_reset, g(X·W_hᵀ + r·(H·R_hᵀ + Rb_h) + Wb_h); H' = (1-z)·n +
            // z·H
            const std::vector<Tensor> xg = chunk(x, 3, 1);  // z, r, h
            auto rb = [&](int k) { return Rbg.empty() ? Tensor() : Rbg[static_cast<size_t>(k)]; };
            const Tensor z = act(0, xg[0] + F::linear(h, Rg[0], rb(0)));
            const Tensor rr = act(0, xg[1] + F::linear(h, Rg[1], rb(1)));
            const Tensor hg = r.linear_before_reset
                                  ? act(1, xg[2] + rr * F::linear(h, Rg[2], rb(2)))
                                  : act(1, xg[2] + F::linear(rr * h, Rg[2], rb(2)));
            h2 = (1.0 - z) * hg + z * h;
        }
        if (!valid.empty()) {
            // past its length a sequence keeps its state and outputs zeros, as ONNX's reference
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

Args recurrent(const GraphNode& n, const Args& in, Kind kind) {
    const Recurrence r = read(n, in, kind);
    const bool plain_activations = [&] {
        for (int64_t d = 0; d < r.D; ++d) {
            const auto* a = &r.activations[static_cast<size_t>(d) * r.activations.size() / r.D];
            if (kind == Kind::LSTM && !(a[0] == "Sigmoid" && a[1] == "Tanh" && a[2] == "Tanh"))
                return false;
            if (kind == Kind::GRU && !(a[0] == "Sigmoid" && a[1] == "Tanh")) return false;
            if (kind == Kind::RNN && a[0] != r.activations[0]) return false;
        }
        return !(kind == Kind::RNN && r.activations[0] == "Sigmoid");
    }();
    const bool torch_form = r.direction != "reverse" && !r.P.defined() && r.clip == 0 &&
                            !r.input_forget && plain_activations &&
                            (kind != Kind::GRU || r.linear_before_reset);
    Tensor y, yh, yc;  // (T, D, N, H), (D, N, H), (D, N, H)
    if (torch_form) {
        auto [out, hn, cn] = run_torch_form(r);
        y = permute(reshape(out, {r.T, r.N, r.D, r.H}), {0, 2, 1, 3});
        yh = hn;
        yc = cn;
    } else {
        std::vector<Tensor> ys, hs, cs;
        for (int64_t d = 0; d < r.D; ++d) {
            auto [out, h, c] = run_onnx_direction(r, d, r.direction == "reverse" || d == 1);
            ys.push_back(out);
            hs.push_back(h);
            if (c.defined()) cs.push_back(c);
        }
        y = stack(ys, 1);
        yh = stack(hs, 0);
        if (!cs.empty()) yc = stack(cs, 0);
    }
    if (r.batchwise) {  // Y (N, T, D, H), Y_h and Y_c (N, D, H)
        y = permute(y, {2, 0, 1, 3});
        yh = transpose(yh, 0, 1);
        if (yc.defined()) yc = transpose(yc, 0, 1);
    }
    if (kind == Kind::LSTM) return {y, yh, yc};
    return {y, yh};
}

}  // namespace

std::map<std::string, OpFunction> recurrent_ops() {
    return {
        {"GRU", [](auto& n, auto& in, int64_t) { return recurrent(n, in, Kind::GRU); }},
        {"LSTM", [](auto& n, auto& in, int64_t) { return recurrent(n, in, Kind::LSTM); }},
        {"RNN", [](auto& n, auto& in, int64_t) { return recurrent(n, in, Kind::RNN); }},
    };
}

}  // namespace descent::onnx::detail
