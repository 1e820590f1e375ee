// Lab `rnn`: one cell step at a time (nn::RNNCell, LSTMCell, GRUCell), so every hidden state h_t
// is a tensor of its own; retain_grad() on each keeps dL/dh_t after backward, whose norm against
// t shows how far back the error signal of a loss at the last step reaches.
#include "lab_rnn.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "../cli.hpp"

namespace lab {

using namespace descent;

namespace {

enum class Kind { Rnn, Lstm, Gru };

// A batch of the recall task: T one-hot steps (N, vocab) and each sequence's first token.
struct Sequences {
    std::vector<Tensor> steps;
    std::vector<int64_t> first;
};

Sequences draw(const RnnOptions& o, int64_t n, Generator& gen) {
    std::vector<std::vector<float>> onehot(static_cast<size_t>(o.length),
                                           std::vector<float>(static_cast<size_t>(n * o.vocab)));
    Sequences s;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t t = 0; t < o.length; ++t) {
            const int64_t token = gen.randint(0, o.vocab);
            onehot[static_cast<size_t>(t)][static_cast<size_t>(i * o.vocab + token)] = 1.0f;
            if (t == 0) s.first.push_back(token);
        }
    for (const std::vector<float>& step : onehot) s.steps.push_back(tensor(step, {n, o.vocab}));
    return s;
}

// One of the three cells and a Linear head reading the last hidden state.
struct Net {
    Kind kind;
    std::shared_ptr<nn::RNNCell> rnn;
    std::shared_ptr<nn::LSTMCell> lstm;
    std::shared_ptr<nn::GRUCell> gru;
    std::shared_ptr<nn::Linear> head;
    std::vector<Tensor> params;

    Net(Kind k, const RnnOptions& o)
        : kind(k), head(std::make_shared<nn::Linear>(o.hidden, o.vocab)) {
        nn::Module* cell = nullptr;
        if (k == Kind::Rnn) cell = (rnn = std::make_shared<nn::RNNCell>(o.vocab, o.hidden)).get();
        if (k == Kind::Lstm)
            cell = (lstm = std::make_shared<nn::LSTMCell>(o.vocab, o.hidden)).get();
        if (k == Kind::Gru) cell = (gru = std::make_shared<nn::GRUCell>(o.vocab, o.hidden)).get();
        params = cell->parameters();
        for (const Tensor& p : head->parameters()) params.push_back(p);
        // PyTorch's defaults for both (U(±1/√H)), drawn from the lab's seed, the same for each
        // kind.
        Generator gen(o.seed);
        const double bound = 1.0 / std::sqrt(static_cast<double>(o.hidden));
        for (Tensor& p : params) nn::init::uniform_(p, -bound, bound, gen);
        if (k == Kind::Lstm) {
            // The forget gate's bias (rows H..2H, gate order i, f, g, o) set to forget_bias: at 0
            // (PyTorch's default, up to noise) f ≈ 0.5 and the cell state halves at every step,
            // fading as fast as the tanh RNN; at 3, σ = 0.95 keeps ~0.95^T (as chrono
            // initialisation, Tallec & Ollivier 2018, sets it for memories of ~T steps).
            NoGradGuard no_grad;
            lstm->bias_ih.narrow(0, o.hidden, o.hidden).fill_(o.forget_bias);
            lstm->bias_hh.narrow(0, o.hidden, o.hidden).fill_(0.0);
        }
    }

    // The logits (N, vocab) from h_{T-1}; each h_t is kept, its gradient retained, in *hs.
    Tensor forward(const Sequences& s, std::vector<Tensor>* hs) {
        Tensor h, c;
        for (const Tensor& x : s.steps) {
            if (kind == Kind::Rnn) h = rnn->forward(x, h);
            if (kind == Kind::Gru) h = gru->forward(x, h);
            if (kind == Kind::Lstm) {
                auto [h2, c2] =
                    c.defined() ? lstm->forward(x, std::make_tuple(h, c)) : lstm->forward(x);
                h = h2, c = c2;
            }
            if (hs) h.retain_grad(), hs->push_back(h);
        }
        return head->forward(h);
    }
};

// ||dL/dh_t|| for t = 0..T-1 on the probe batch, and the share of first tokens recalled.
std::vector<double> probe(Net& net, const Sequences& s, double* accuracy) {
    std::vector<Tensor> hs;
    Tensor logits = net.forward(s, &hs);
    nn::functional::cross_entropy(logits, s.first).backward();
    std::vector<double> g;
    for (const Tensor& h : hs) g.push_back(norm(h.grad()).item<double>());
    for (Tensor& p : net.params) p.mutable_grad() = Tensor();
    const std::vector<int64_t> guess = logits.argmax(1).to_vector<int64_t>();
    int64_t right = 0;
    for (size_t i = 0; i < guess.size(); ++i) right += guess[i] == s.first[i];
    *accuracy = static_cast<double>(right) / static_cast<double>(guess.size());
    return g;
}

// Trains a fresh net of `kind` on the same batches; fills the trained (or clipped) fields.
void train(const RnnOptions& o, Kind kind, bool clipped, const Sequences& probe_set, RnnRun& run) {
    Net net(kind, o);
    optim::Adam adam(net.params, optim::AdamOptions(o.lr));
    Generator data(o.seed + 1);
    const double max_norm = clipped ? o.clip : std::numeric_limits<double>::infinity();
    std::vector<double>& losses = clipped ? run.loss_clipped : run.loss;
    double& peak = clipped ? run.peak_norm_clipped : run.peak_norm;
    for (int step = 0; step < o.steps; ++step) {
        const Sequences batch = draw(o, o.batch, data);
        adam.zero_grad();
        Tensor loss = nn::functional::cross_entropy(net.forward(batch, nullptr), batch.first);
        losses.push_back(loss.item<double>());
        loss.backward();
        peak = std::max(peak, optim::clip_grad_norm_(net.params, max_norm));
        adam.step();
    }
    (clipped ? run.grad_clipped : run.grad_trained) =
        probe(net, probe_set, clipped ? &run.accuracy_clipped : &run.accuracy);
}

RnnRun measure(const RnnOptions& o, Kind kind, const std::string& name, const Sequences& p) {
    RnnRun run;
    run.name = name;
    Net fresh(kind, o);
    double unused = 0;
    run.grad_init = probe(fresh, p, &unused);
    train(o, kind, false, p, run);
    train(o, kind, true, p, run);
    return run;
}

std::vector<double> steps_axis(size_t n, double from) {
    std::vector<double> x;
    for (size_t i = 0; i < n; ++i) x.push_back(from + static_cast<double>(i));
    return x;
}

// Values for a log axis: a gradient that underflowed to 0 shows at 1e-30.
std::vector<double> positive(std::vector<double> v) {
    for (double& x : v) x = std::max(x, 1e-30);
    return v;
}

}  // namespace

RnnResult run_rnn(const RnnOptions& o_in, Output& out) {
    RnnOptions o = o_in;
    if (o.quick) o.length = std::min<int64_t>(o.length, 30), o.steps = std::min(o.steps, 60);
    DESCENT_CHECK(o.length >= 2, ValueError, "run_rnn(): length must be >= 2, got ", o.length);
    DESCENT_CHECK(o.vocab >= 2, ValueError, "run_rnn(): vocab must be >= 2, got ", o.vocab);
    DESCENT_CHECK(o.hidden >= 1 && o.batch >= 1 && o.steps >= 1, ValueError,
                  "run_rnn(): hidden, batch and steps must be >= 1, got ", o.hidden, ", ", o.batch,
                  ", ", o.steps);
    DESCENT_CHECK(o.clip > 0, ValueError, "run_rnn(): clip must be > 0, got ", o.clip);

    Generator probe_gen(o.seed + 2);
    const Sequences p = draw(o, 128, probe_gen);
    RnnResult r;
    {
        RnnOptions plain = o;
        plain.forget_bias = 0;
        Net lstm0(Kind::Lstm, plain);
        double unused = 0;
        r.lstm_bias0_reach = RnnRun::reach(probe(lstm0, p, &unused));
    }
    r.rnn = measure(o, Kind::Rnn, "tanh RNN", p);
    r.lstm = measure(o, Kind::Lstm, "LSTM", p);
    r.gru = measure(o, Kind::Gru, "GRU", p);
    const RnnRun* runs[] = {&r.rnn, &r.lstm, &r.gru};

    std::vector<std::vector<double>> rows;
    for (size_t t = 0; t < static_cast<size_t>(o.length); ++t) {
        std::vector<double> row{static_cast<double>(t)};
        for (const RnnRun* run : runs)
            row.insert(row.end(), {run->grad_init[t], run->grad_trained[t], run->grad_clipped[t]});
        rows.push_back(row);
    }
    out.csv("gradients",
            {"t", "rnn_init", "rnn_trained", "rnn_clipped", "lstm_init", "lstm_trained",
             "lstm_clipped", "gru_init", "gru_trained", "gru_clipped"},
            rows);
    std::vector<std::vector<double>> loss_rows;
    for (size_t s = 0; s < static_cast<size_t>(o.steps); ++s) {
        std::vector<double> row{static_cast<double>(s + 1)};
        for (const RnnRun* run : runs) row.insert(row.end(), {run->loss[s], run->loss_clipped[s]});
        loss_rows.push_back(row);
    }
    out.csv("loss", {"step", "rnn", "rnn_clipped", "lstm", "lstm_clipped", "gru", "gru_clipped"},
            loss_rows);

    const std::string task = "recall the first of " + std::to_string(o.length) +
                             " tokens, hidden " + std::to_string(o.hidden);
    const std::string trained = "after " + std::to_string(o.steps) + " Adam steps";
    auto panel = [&](const std::string& title) {
        return study::Figure({title, "time step t", "||dL/dh_t||", "", false, true});
    };
    study::Figure init = panel("At initialisation (" + task + ")");
    study::Figure plain = panel(trained + ", no clipping");
    study::Figure clip = panel(trained + ", clipped at total norm " + num(o.clip));
    study::Figure losses({"Training loss (chance ln " + std::to_string(o.vocab) + " = " +
                              num(std::log(static_cast<double>(o.vocab))) + ")",
                          "step", "cross-entropy", "", false, false});
    for (const RnnRun* run : runs) {
        const std::vector<double> t = steps_axis(static_cast<size_t>(o.length), 0);
        init.add({run->name, t, positive(run->grad_init)});
        plain.add({run->name, t, positive(run->grad_trained)});
        clip.add({run->name, t, positive(run->grad_clipped)});
        losses.add({run->name, steps_axis(run->loss.size(), 1), run->loss, "lines", false, 1});
        losses.add({run->name + " clipped", steps_axis(run->loss_clipped.size(), 1),
                    run->loss_clipped, "lines", false, 1});
    }
    out.figure("gradients",
               study::Panels("Backprop through time: the norm of dL/dh_t, loss at t = " +
                                 std::to_string(o.length - 1),
                             2)
                   .add(init)
                   .add(plain)
                   .add(clip)
                   .add(losses));

    auto reach = [](const std::vector<double>& g) { return num(RnnRun::reach(g), "%.1e"); };
    auto acc = [](double a) { return num(100 * a, "%.0f") + "%"; };
    const std::string T = std::to_string(o.length - 1);
    out.lesson("At initialisation ||dL/dh_0|| / ||dL/dh_" + T + "|| is " + reach(r.rnn.grad_init) +
               " for the tanh RNN but " + reach(r.lstm.grad_init) +
               " for the LSTM, whose forget gate starts at bias " + num(o.forget_bias) +
               " (at PyTorch's 0 it keeps " + num(r.lstm_bias0_reach, "%.1e") + "), and " +
               reach(r.gru.grad_init) +
               " for the GRU: the error signal passes one Jacobian per step, and only a gate held "
               "near 1 keeps an additive path through all of them.");
    out.lesson("After " + std::to_string(o.steps) + " Adam steps the ratios are " +
               reach(r.rnn.grad_trained) + ", " + reach(r.lstm.grad_trained) + " and " +
               reach(r.gru.grad_trained) + ", and the first token is recalled " +
               acc(r.rnn.accuracy) + ", " + acc(r.lstm.accuracy) + " and " + acc(r.gru.accuracy) +
               " of the time (chance " + acc(1.0 / static_cast<double>(o.vocab)) + ").");
    out.lesson("Clipping the total gradient norm at " + num(o.clip) + " (unclipped peaks " +
               num(r.rnn.peak_norm) + ", " + num(r.lstm.peak_norm) + ", " + num(r.gru.peak_norm) +
               ") bounds each step, not the fading: ratios " + reach(r.rnn.grad_clipped) + ", " +
               reach(r.lstm.grad_clipped) + ", " + reach(r.gru.grad_clipped) + ", recall " +
               acc(r.rnn.accuracy_clipped) + ", " + acc(r.lstm.accuracy_clipped) + ", " +
               acc(r.gru.accuracy_clipped) + ".");
    return r;
}

namespace {

Runner add_rnn(CLI::App& app, Common& common) {
    auto o = std::make_shared<RnnOptions>();
    CLI::App* sub = app.add_subcommand(
        "rnn",
        "Backprop through time: ||dL/dh_t|| against t for a tanh RNN, an LSTM and a GRU "
        "recalling the first token, at init and trained, without and with clipping");
    add_common_flags(*sub, common);
    sub->add_option("--length", o->length, "Tokens per sequence (T)")
        ->check(examples::integer_in(2, 1000));
    sub->add_option("--hidden", o->hidden, "Hidden size of every cell")
        ->check(examples::integer_in(1, 1024));
    sub->add_option("--vocab", o->vocab, "Distinct tokens")->check(examples::integer_in(2, 256));
    sub->add_option("--batch-size", o->batch, "Sequences per step")
        ->check(examples::integer_in(1, 4096));
    sub->add_option("--steps", o->steps, "Adam steps per model and clipping setting")
        ->check(examples::integer_in(1, 100000));
    sub->add_option("--lr", o->lr, "Adam's learning rate")->check(examples::number_in(0, 10, true));
    sub->add_option("--forget-bias", o->forget_bias, "Initial bias of the LSTM's forget gate")
        ->check(examples::number_in(-10, 10));
    sub->add_option("--clip", o->clip, "Max total gradient norm of the clipped runs")
        ->check(examples::number_in(0, 1e6, true));
    return [o, &common] {
        o->seed = common.seed;
        o->quick = common.quick;
        Output out(common.out, "rnn");
        run_rnn(*o, out);
        out.commit();
    };
}

static lab::Registration reg(90, "rnn", add_rnn);

}  // namespace

}  // namespace lab
