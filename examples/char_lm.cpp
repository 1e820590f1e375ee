// A character-level language model on real text: an LSTM, a GRU or a small GPT (Embedding +
// learned positions + a causal TransformerEncoder + a Linear head) trained on random windows of a
// corpus (Debian's fortunes by default), with train / validation loss in nats and bits per
// character, tokens/s, a bigram baseline on the same split, checkpoints and seeded sampling;
// --bptt carries an LSTM/GRU's state across consecutive windows (truncated BPTT), --plot and
// --report draw the loss curves.
//   build/examples/char_lm --model gpt --steps 2000 --save gpt.npz --sample 300 --prompt "The "
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

#include "cli.hpp"
#ifdef DESCENT_WITH_ONNX
#include <descent/onnx/export.hpp>
#endif
#include "descent/core/process.hpp"

using namespace descent;

namespace {

struct Settings {
    std::string model = "lstm";
    std::vector<std::string> text;
    int64_t max_bytes = 0, steps = 1000, batch = 32, context = 64, embed = 64, hidden = 256;
    int64_t layers = 2, heads = 4, eval_every = 200, eval_batches = 20, sample = 0, top_k = 0;
    int64_t seed = 1;
    double lr = 3e-3, validation = 0.1, temperature = 1.0, clip = 1.0;
    std::string save, resume, prompt = "\n", plot, report, attention_map, export_onnx;
    int threads = 0;
    bool bptt = false;
};

// The recurrent state carried across --bptt windows (detached: truncated BPTT); undefined = zeros.
struct RnnState {
    Tensor h, c;
};

// tokens (B, T) -> logits (B, T, V); the vocabulary travels in the state dict as a buffer.
class CharModel : public nn::Module {
public:
    CharModel(const Settings& s, const data::CharVocabulary& vocab)
        : Module("CharModel"), kind(s.model), context(s.context) {
        const int64_t V = vocab.size();
        register_buffer("vocabulary", vocab.to_tensor());
        embed = register_module("embed", std::make_shared<nn::Embedding>(V, s.embed));
        int64_t width = s.hidden;
        if (kind == "lstm") {
            lstm = register_module(
                "rnn",
                std::make_shared<nn::LSTM>(
                    nn::LSTMOptions(s.embed, s.hidden).num_layers(s.layers).batch_first(true)));
        } else if (kind == "gru") {
            gru = register_module(
                "rnn",
                std::make_shared<nn::GRU>(
                    nn::GRUOptions(s.embed, s.hidden).num_layers(s.layers).batch_first(true)));
        } else {
            width = s.embed;
            positions = register_parameter("positions", randn({s.context, s.embed}) * 0.02);
            nn::TransformerEncoderLayer layer(s.embed, s.heads, 4 * s.embed, 0.0, "gelu", 1e-5,
                                              /*batch_first=*/true, /*norm_first=*/true);
            encoder = register_module(
                "encoder", std::make_shared<nn::TransformerEncoder>(
                               layer, s.layers,
                               std::make_shared<nn::LayerNorm>(std::vector<int64_t>{s.embed})));
        }
        head = register_module("head", std::make_shared<nn::Linear>(width, V));
    }

    // input (B, T) int64, T <= context for the GPT -> (B, T, V). With `state`, an LSTM/GRU starts
    // from it and leaves its last step's state there, detached.
    Tensor logits(const Tensor& input, RnnState* state = nullptr) {
        Tensor x = (*embed)(input);  // (B, T, E)
        const bool carry = state != nullptr && state->h.defined();
        if (lstm) {
            auto [y, hc] = lstm->forward(
                x, carry ? std::make_optional(nn::LSTM::State{state->h, state->c}) : std::nullopt);
            if (state) *state = {std::get<0>(hc).detach(), std::get<1>(hc).detach()};
            x = y;
        }
        if (gru) {
            auto [y, h] = gru->forward(x, carry ? state->h : Tensor());
            if (state) *state = {h.detach(), Tensor()};
            x = y;
        }
        if (encoder) {
            const int64_t T = input.shape()[1];
            x = encoder->forward(x + narrow(positions, 0, 0, T),
                                 nn::generate_square_subsequent_mask(T));
        }
        return (*head)(x);
    }

    std::string kind;
    int64_t context;
    std::shared_ptr<nn::Embedding> embed;
    std::shared_ptr<nn::LSTM> lstm;
    std::shared_ptr<nn::GRU> gru;
    Tensor positions;  // (context, E), the GPT's learned positions
    std::shared_ptr<nn::TransformerEncoder> encoder;
    std::shared_ptr<nn::Linear> head;
};

// Mean cross-entropy in nats of the next token over a batch of windows.
Tensor batch_loss(CharModel& m, const data::TextBatch& b, RnnState* state = nullptr) {
    const Tensor z = m.logits(b.input, state);
    const int64_t V = z.shape()[2];
    return nn::functional::cross_entropy(z.reshape({-1, V}), b.target.reshape({-1}));
}

// Mean loss over `batches` windows drawn with a fixed seed (the same windows every evaluation).
double evaluate(CharModel& m, const Tensor& tokens, const Settings& s) {
    NoGradGuard no_grad;
    m.eval();
    data::RandomWindows w(tokens, s.context, s.batch, 12345);
    double sum = 0;
    for (int64_t i = 0; i < s.eval_batches; ++i) sum += batch_loss(m, w.next()).item<double>();
    m.train();
    return sum / double(s.eval_batches);
}

// Bigram baseline: next-token counts on train (add-one smoothing), its mean loss in nats on each
// split's consecutive pairs.
std::pair<double, double> bigram_losses(const Tensor& train, const Tensor& val, int64_t V) {
    const auto t = train.to_vector<int64_t>(), v = val.to_vector<int64_t>();
    const size_t n = static_cast<size_t>(V);
    std::vector<double> counts(n * n, 1.0), rows(n, static_cast<double>(V));
    for (size_t i = 0; i + 1 < t.size(); ++i) {
        counts[size_t(t[i] * V + t[i + 1])] += 1;
        rows[size_t(t[i])] += 1;
    }
    auto loss = [&](const std::vector<int64_t>& x) {
        double sum = 0;
        for (size_t i = 0; i + 1 < x.size(); ++i)
            sum -= std::log(counts[size_t(x[i] * V + x[i + 1])] / rows[size_t(x[i])]);
        return x.size() > 1 ? sum / double(x.size() - 1) : 0.0;
    };
    return {loss(t), loss(v)};
}

// n bytes after the prompt: each from softmax(logits / temperature) over the top_k (0 = all).
std::string sample(CharModel& m, const data::CharVocabulary& vocab, const Settings& s) {
    NoGradGuard no_grad;
    m.eval();
    Generator gen(uint64_t(s.seed));
    std::vector<int64_t> ids = vocab.encode(s.prompt).to_vector<int64_t>();
    std::string out;
    for (int64_t n = 0; n < s.sample; ++n) {
        const size_t from = ids.size() > size_t(s.context) ? ids.size() - size_t(s.context) : 0;
        const std::vector<int64_t> window(ids.begin() + long(from), ids.end());
        const int64_t T = int64_t(window.size());
        const Tensor z = m.logits(tensor(window, {1, T}, kInt64));
        std::vector<float> last = select(select(z, 0, 0), 0, T - 1).contiguous().to_vector<float>();
        std::vector<float> sorted = last;
        std::sort(sorted.begin(), sorted.end(), std::greater<float>());
        const float floor = s.top_k > 0 && s.top_k < int64_t(sorted.size())
                                ? sorted[size_t(s.top_k - 1)]
                                : -INFINITY;
        std::vector<double> p(last.size());
        double total = 0;
        for (size_t i = 0; i < last.size(); ++i) {
            p[i] = last[i] < floor ? 0.0 : std::exp((last[i] - sorted[0]) / s.temperature);
            total += p[i];
        }
        double u = double(gen.uniform()) * total;
        size_t pick = 0;
        while (pick + 1 < p.size() && u >= p[pick]) u -= p[pick++];
        while (p[pick] == 0.0 && pick > 0) --pick;  // never a token top-k removed
        ids.push_back(int64_t(pick));
        out += static_cast<char>(vocab.bytes()[pick]);
    }
    return out;
}

// The loss curves (nats against the step, the bigram baseline as a flat line) as the figure
// --plot saves and --report shows.
study::Figure loss_figure(const Settings& s, const std::vector<std::vector<double>>& curve,
                          double bigram_val) {
    study::FigureOptions o;
    o.title = "char_lm --model " + s.model, o.xlabel = "step", o.ylabel = "loss (nats per char)";
    o.integer_x = true;
    study::Figure figure(o);
    study::Series train{"train", {}, {}, "linespoints"}, val{"validation", {}, {}, "linespoints"};
    for (const auto& row : curve) {
        train.x.push_back(row[0]), train.y.push_back(row[1]);
        if (std::isfinite(row[2])) val.x.push_back(row[0]), val.y.push_back(row[2]);
    }
    figure.add(train);
    if (!val.x.empty()) figure.add(val);
    figure.add({"bigram baseline (validation)",
                {curve.front()[0], curve.back()[0]},
                {bigram_val, bigram_val},
                "lines"});
    return figure;
}

// --attention-map PNG (gpt): each head of the last layer's attention weights over the prompt's
// last `context` bytes, query rows against key columns, drawn by gnuplot as heat maps side by side.
void attention_map(CharModel& m, const data::CharVocabulary& vocab, const Settings& s) {
    NoGradGuard no_grad;
    m.eval();
    std::vector<int64_t> ids = vocab.encode(s.prompt).to_vector<int64_t>();
    if (ids.size() > size_t(s.context)) ids.erase(ids.begin(), ids.end() - long(s.context));
    const int64_t T = int64_t(ids.size()), L = int64_t(m.encoder->layers->size());
    const Tensor mask = nn::generate_square_subsequent_mask(T);
    Tensor x = (*m.embed)(tensor(ids, {1, T}, kInt64)) + narrow(m.positions, 0, 0, T);
    for (int64_t l = 0; l + 1 < L; ++l)
        x = m.encoder->layers->at<nn::TransformerEncoderLayer>(size_t(l))->forward(x, mask);
    const auto last = m.encoder->layers->at<nn::TransformerEncoderLayer>(size_t(L - 1));
    const Tensor y = (*last->norm1)(x);  // norm_first: attention reads the normalised input
    const Tensor w = std::get<1>(last->self_attn->forward(y, y, y, Tensor(), true, mask, false));
    const int64_t H = w.size(1);  // w: (1, heads, T, T)
    const std::vector<float> v = w.contiguous().to_vector<float>();
    std::string tics;
    for (int64_t t = 0; t < T; ++t) {
        const char c = s.prompt[s.prompt.size() - size_t(T) + size_t(t)];
        const std::string label =
            c == ' ' ? "_"
            : std::isgraph(static_cast<unsigned char>(c)) && c != '\'' && c != '\\' && c != '@'
                ? std::string(1, c)
                : "?";
        tics += (t ? ", '" : "'") + label + "' " + std::to_string(t);
    }
    std::string gp = "set terminal pngcairo noenhanced size " + std::to_string(360 * H) + ",420\n";
    gp += "set output '" + s.attention_map + ".tmp.png'\n";
    gp += "set palette defined (0 'white', 1 'dark-blue')\nset cbrange [0:1]\nunset colorbox\n";
    gp += "set xrange [-0.5:" + std::to_string(T) + "-0.5]\nset yrange [" + std::to_string(T) +
          "-0.5:-0.5]\nset size ratio -1\n";
    gp += "set xtics (" + tics + ") font ',8'\nset ytics (" + tics + ") font ',8'\n";
    gp += "set xlabel 'key'\nset ylabel 'query'\n";
    gp += "set multiplot layout 1," + std::to_string(H) +
          " title 'char_lm gpt: attention weights of the last layer, per head'\n";
    for (int64_t h = 0; h < H; ++h) {
        gp += "set title 'head " + std::to_string(h) + "'\nplot '-' matrix with image notitle\n";
        for (int64_t i = 0; i < T; ++i) {
            for (int64_t j = 0; j < T; ++j)
                gp += std::to_string(v[size_t((h * T + i) * T + j)]) + " ";
            gp += "\n";
        }
        gp += "e\n";
    }
    gp += "unset multiplot\n";
    const std::string script = s.attention_map + ".tmp.gp", log = s.attention_map + ".tmp.log";
    {
        std::FILE* f = std::fopen(script.c_str(), "w");
        if (f == nullptr) throw IOError("--attention-map: cannot write " + script);
        std::fputs(gp.c_str(), f);
        std::fclose(f);
    }
    const int status = detail::run_program({"gnuplot", script}, log);
    std::string complaint, line;  // gnuplot's last line says what went wrong
    for (std::ifstream in(log); std::getline(in, line);)
        if (!line.empty()) complaint = line;
    std::remove(script.c_str());
    std::remove(log.c_str());
    if (status != 0 ||
        std::rename((s.attention_map + ".tmp.png").c_str(), s.attention_map.c_str()) != 0) {
        std::remove((s.attention_map + ".tmp.png").c_str());
        throw IOError("--attention-map: gnuplot failed (exit status " + std::to_string(status) +
                      "): " + complaint);
    }
    std::printf("attention map of %lld heads over %lld prompt bytes written to %s\n", (long long)H,
                (long long)T, s.attention_map.c_str());
}

// --plot DIR: DIR/loss.png and .svg; --report FILE: a page of the settings, the curves and the
// table of evaluations.
void write_pictures(const Settings& s, const std::vector<std::vector<double>>& curve,
                    double bigram_val) {
    if (curve.empty() || (s.plot.empty() && s.report.empty())) return;
    const study::Figure figure = loss_figure(s, curve, bigram_val);
    if (!s.plot.empty()) {
        study::FileSet set;
        for (const char* ext : {".png", ".svg"}) set.add(s.plot + "/loss" + ext, figure);
        std::printf("pictures of the run: %zu files in %s\n", set.commit().size(), s.plot.c_str());
    }
    if (!s.report.empty()) {
        study::Report page("char_lm --model " + s.model);
        const std::vector<std::pair<std::string, std::string>> settings{
            {"model", s.model},
            {"text", s.text.empty() ? "fortunes" : s.text.front()},
            {"steps", std::to_string(s.steps)},
            {"batch", std::to_string(s.batch)},
            {"context", std::to_string(s.context)},
            {"embed", std::to_string(s.embed)},
            {"hidden", std::to_string(s.hidden)},
            {"layers", std::to_string(s.layers)},
            {"lr", std::to_string(s.lr)},
            {"bptt", s.bptt ? "state carried across windows" : "random windows"},
            {"seed", std::to_string(s.seed)}};
        for (const auto& [name, value] : settings) page.setting(name, value);
        page.figure("Loss", figure);
        page.table("Evaluations (nats per character)", {"step", "train_loss", "validation_loss"},
                   curve);
        page.save(s.report);
        std::printf("report written to %s\n", s.report.c_str());
    }
}

int run(const Settings& s) {
    examples::apply_threads(s.threads);
    manual_seed(uint64_t(s.seed));
    data::TextCorpus corpus = [&] {
        const auto files = s.text.empty() ? data::TextCorpus::fortunes_files() : s.text;
        data::TextCorpus full(files);
        if (s.max_bytes <= 0 || s.max_bytes >= full.size()) return full;
        return data::TextCorpus::of_text(full.text().substr(0, size_t(s.max_bytes)), "the cut");
    }();
    const data::CharVocabulary& vocab = corpus.vocabulary();
    const Tensor train = corpus.train_tokens(s.validation);
    const Tensor val = corpus.validation_tokens(s.validation);
    std::printf("corpus: %zu file(s), %lld bytes, vocabulary %lld; train %lld, validation %lld\n",
                corpus.sources().size(), (long long)corpus.size(), (long long)vocab.size(),
                (long long)train.numel(), (long long)val.numel());

    CharModel model(s, vocab);
    optim::Adam opt(model.parameters(), optim::AdamOptions(s.lr));
    data::RandomWindows windows(train, s.context, s.batch, uint64_t(s.seed));
    // --bptt: s.batch contiguous streams of the training text, read window after window
    std::unique_ptr<data::BpttStreams> streams;
    if (s.bptt) streams = std::make_unique<data::BpttStreams>(train, s.context, s.batch);
    RnnState state;
    // the evaluations so far: step, train loss, validation loss (kept in the checkpoint)
    std::vector<std::vector<double>> curve;
    int64_t step = 0;
    if (!s.resume.empty()) {
        const NamedTensors ck = io::load_npz(s.resume);
        NamedTensors model_sd, opt_sd;
        for (const auto& [name, t] : ck) {
            if (name.rfind("model.", 0) == 0) model_sd.emplace_back(name.substr(6), t);
            if (name.rfind("optim.", 0) == 0) opt_sd.emplace_back(name.substr(6), t);
            if (name == "step") step = t.item<int64_t>();
            if (name == "windows") windows.generator().set_state(t);
            if (name == "bptt_h") state.h = t;
            if (name == "bptt_c") state.c = t;
            if (name == "curve")
                for (int64_t r = 0; r < t.size(0); ++r)
                    curve.push_back(select(t, 0, r).to(kFloat64).contiguous().to_vector<double>());
        }
        // the streams read on from where the saved run stopped
        if (streams)
            for (int64_t i = 0; i < step % streams->steps_per_pass(); ++i) streams->next();
        for (const auto& [name, t] : model_sd)
            if (name == "vocabulary" && !equal(t, vocab.to_tensor()))
                throw ValueError("--resume: the checkpoint's vocabulary (" +
                                 std::to_string(t.numel()) + " bytes) is not this corpus's (" +
                                 std::to_string(vocab.size()) + ")");
        model.load_state_dict(model_sd);
        opt.load_state_dict(opt_sd);
        std::printf("resumed from %s at step %lld\n", s.resume.c_str(), (long long)step);
    }
    auto save = [&] {
        if (s.save.empty()) return;
        NamedTensors ck;
        for (auto& [name, t] : model.state_dict()) ck.emplace_back("model." + name, t);
        for (auto& [name, t] : opt.state_dict()) ck.emplace_back("optim." + name, t);
        ck.emplace_back("step", tensor(std::vector<int64_t>{step}));
        ck.emplace_back("windows", windows.generator().get_state());
        if (state.h.defined()) ck.emplace_back("bptt_h", state.h);
        if (state.c.defined()) ck.emplace_back("bptt_c", state.c);
        std::vector<double> flat;
        for (const auto& row : curve) flat.insert(flat.end(), row.begin(), row.end());
        if (!curve.empty()) ck.emplace_back("curve", tensor(flat, {int64_t(curve.size()), 3}));
        io::save_npz(s.save, ck);
    };

    const auto [bigram_train, bigram_val] = bigram_losses(train, val, vocab.size());
    const double ln2 = std::log(2.0);
    auto report = [&](const char* what, double train_loss, double val_loss) {
        std::printf("%s train %.4f nats (%.3f bits/char), validation %.4f nats (%.3f bits/char)\n",
                    what, train_loss, train_loss / ln2, val_loss, val_loss / ln2);
    };
    report("bigram baseline:", bigram_train, bigram_val);

    const int64_t tokens_per_step = s.batch * s.context;
    while (step < s.steps) {
        const int64_t chunk = std::min(s.eval_every, s.steps - step);
        train::ProgressBar bar(chunk, s.model + " step " + std::to_string(step + 1));
        for (int64_t i = 1; i <= chunk; ++i, ++step) {
            opt.zero_grad();
            Tensor loss;
            if (streams) {
                if (streams->at_start()) state = RnnState{};  // a new pass starts from zeros
                const data::TextBatch b = streams->next();
                loss = batch_loss(model, b, &state);
            } else {
                loss = batch_loss(model, windows.next());
            }
            loss.backward();
            optim::clip_grad_norm_(model.parameters(), s.clip);
            opt.step();
            bar.update(i, tokens_per_step, loss.item<double>());
        }
        bar.finish();
        const double tl = evaluate(model, train, s);
        const double vl = val.numel() > s.context ? evaluate(model, val, s) : NAN;
        char what[64];
        std::snprintf(what, sizeof what, "step %lld (%.0f tokens/s):", (long long)step,
                      bar.samples_per_second());
        report(what, tl, vl);
        curve.push_back({double(step), tl, vl});
        save();
        if (step == s.steps)
            std::printf("%s the bigram baseline on validation (%.4f vs %.4f nats)\n",
                        vl < bigram_val ? "beats" : "does not beat", vl, bigram_val);
    }
    if (s.sample > 0)
        std::printf("--- sample ---\n%s%s\n", s.prompt.c_str(), sample(model, vocab, s).c_str());
#ifdef DESCENT_WITH_ONNX
    if (!s.export_onnx.empty()) {  // tokens (batch, context) -> logits; the batch is a symbol
        std::vector<onnx::ChainLayer> chain = {{"embed", model.embed.get()}};
        if (model.lstm) chain.push_back({"rnn", model.lstm.get()});
        if (model.gru) chain.push_back({"rnn", model.gru.get()});
        if (model.encoder) {  // the positions and the causal mask of the export's window
            chain.push_back({"positions", nullptr, narrow(model.positions, 0, 0, s.context)});
            chain.push_back({"encoder",
                             model.encoder.get(),
                             {},
                             nn::generate_square_subsequent_mask(s.context)});
        }
        chain.push_back({"head", model.head.get()});
        onnx::export_chain(chain, zeros({1, s.context}, kInt64), s.export_onnx);
        std::printf("model exported to %s (ONNX, opset 17)\n", s.export_onnx.c_str());
    }
#endif
    write_pictures(s, curve, bigram_val);
    if (!s.attention_map.empty()) attention_map(model, vocab, s);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    CLI::App app{"Train a character-level language model (LSTM, GRU or a small GPT) with descent."};
    examples::show_defaults(app);
    app.add_option("--model", s.model, "lstm, gru or gpt")
        ->check(CLI::IsMember({"lstm", "gru", "gpt"}));
    app.add_option("--text", s.text, "Text files (default: /usr/share/games/fortunes)");
    app.add_option("--max-bytes", s.max_bytes, "Use only the corpus's first N bytes (0: all)")
        ->check(examples::integer_in(0, 1LL << 40));
    app.add_option("--steps", s.steps, "Training steps")->check(examples::integer_in(0, 1 << 30));
    app.add_option("--batch", s.batch, "Windows per step")->check(examples::integer_in(1, 4096));
    app.add_option("--context", s.context, "Window length")->check(examples::integer_in(1, 4096));
    app.add_option("--embed", s.embed, "Embedding width")->check(examples::integer_in(1, 1 << 14));
    app.add_option("--hidden", s.hidden, "LSTM/GRU hidden size")
        ->check(examples::integer_in(1, 1 << 14));
    app.add_option("--layers", s.layers, "Recurrent or transformer layers")
        ->check(examples::integer_in(1, 64));
    app.add_option("--heads", s.heads, "GPT attention heads (dividing --embed)")
        ->check(examples::integer_in(1, 256));
    app.add_option("--lr", s.lr, "Adam's learning rate")->check(examples::number_in(0, 10));
    app.add_option("--clip", s.clip, "Gradient norm clip")
        ->check(examples::number_in(0, 1e6, true));
    app.add_option("--validation", s.validation, "Fraction of the text held out")
        ->check(examples::number_in(0, 0.9));
    app.add_option("--eval-every", s.eval_every, "Steps between evaluations and checkpoints")
        ->check(examples::integer_in(1, 1 << 30));
    app.add_option("--eval-batches", s.eval_batches, "Batches per evaluation")
        ->check(examples::integer_in(1, 1 << 20));
    app.add_option("--save", s.save, "Checkpoint (.npz) written after each evaluation");
    app.add_option("--resume", s.resume, "Continue from a checkpoint --save wrote");
    app.add_option("--sample", s.sample, "Bytes to sample after training")
        ->check(examples::integer_in(0, 1 << 20));
    app.add_option("--temperature", s.temperature, "Sampling temperature")
        ->check(examples::number_in(0, 100, true));
    app.add_option("--top-k", s.top_k, "Sample among the k likeliest (0: all)")
        ->check(examples::integer_in(0, 256));
    app.add_option("--prompt", s.prompt, "Text the sample continues");
    app.add_flag("--bptt", s.bptt,
                 "LSTM/GRU: read the text as --batch contiguous streams and carry the state from "
                 "window to window (truncated BPTT)");
    app.add_option("--plot", s.plot, "Folder for the loss curves (loss.png, loss.svg)");
    app.add_option("--report", s.report, "HTML page of the run (settings, curves, evaluations)");
    app.add_option("--attention-map", s.attention_map,
                   "gpt: PNG of the last layer's attention weights per head over the --prompt");
    app.add_option("--seed", s.seed, "Seed of the weights, windows and sampling")
        ->check(examples::integer_in(0, 1LL << 62));
    app.add_option("--export", s.export_onnx,
                   "Write the trained model as ONNX (tokens (batch, context) -> logits)");
    examples::add_threads_flag(app, s.threads);
    return examples::run_cli(app, "char_lm", argc, argv, [&] {
        if (!s.export_onnx.empty()) {
            examples::check_output("--export", s.export_onnx);
#ifndef DESCENT_WITH_ONNX
            throw examples::UsageError(
                "--export needs descent built with ONNX (libonnx-dev and "
                "libprotobuf-dev, e.g. from scripts/install-deps.sh)");
#endif
        }
        if (!s.save.empty()) examples::check_output("--save", s.save);
        if (!s.resume.empty()) examples::check_input("--resume", s.resume);
        if (!s.report.empty()) examples::check_output("--report", s.report);
        examples::check_output_folder("--plot", s.plot);
        if (!s.attention_map.empty()) {
            examples::check_output("--attention-map", s.attention_map);
            if (s.model != "gpt")
                throw examples::UsageError("--attention-map draws the gpt's attention; --model " +
                                           s.model + " has none");
        }
        if (s.bptt && s.model == "gpt")
            throw examples::UsageError("--bptt carries an LSTM/GRU's state; --model gpt has none");
        if (s.model == "gpt" && s.embed % s.heads != 0)
            throw examples::UsageError("--heads " + std::to_string(s.heads) +
                                       " does not divide --embed " + std::to_string(s.embed));
        return run(s);
    });
}
