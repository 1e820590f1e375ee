// Lab `words`: next-character models on Debian's word list, makemore-style. Every word becomes
// the characters ". w o r d ." (token 0 is both start and end); the three models are scored on
// the same held-out words, in nats per predicted character, and each makes up words of its own.
#include "lab_words.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>

#include "../cli.hpp"

namespace lab {

using namespace descent;

namespace {

constexpr int64_t kTokens = 27;  // '.' then a..z
constexpr int64_t kContext = 3;  // characters the MLP sees

char letter(int64_t token) { return token == 0 ? '.' : static_cast<char>('a' + token - 1); }

// The lower-case a-z words of `path`, in the file's order.
std::vector<std::string> read_words(const std::string& path) {
    std::ifstream in(path);
    DESCENT_CHECK(in.good(), IOError, "run_words(): cannot read '", path,
                  "' (Debian's wamerican installs /usr/share/dict/american-english)");
    std::vector<std::string> words;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() &&
            std::all_of(line.begin(), line.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }))
            words.push_back(line);
    return words;
}

// Every (3 previous tokens, next token) of the words, for the bigram and the MLP.
struct Contexts {
    std::vector<int64_t> x;  // (M, 3), row-major
    std::vector<int64_t> y;  // (M)
};

Contexts contexts(const std::vector<std::string>& words) {
    Contexts c;
    for (const std::string& w : words) {
        int64_t ctx[kContext] = {0, 0, 0};
        for (size_t i = 0; i <= w.size(); ++i) {
            const int64_t next = i < w.size() ? w[i] - 'a' + 1 : 0;
            c.x.insert(c.x.end(), ctx, ctx + kContext);
            c.y.push_back(next);
            std::rotate(ctx, ctx + 1, ctx + kContext);
            ctx[kContext - 1] = next;
        }
    }
    return c;
}

// A token drawn from the distribution `p` (kTokens probabilities).
int64_t draw(const std::vector<float>& p, Generator& gen) {
    const float u = gen.uniform();
    float sum = 0;
    for (int64_t t = 0; t < kTokens; ++t)
        if (u < (sum += p[static_cast<size_t>(t)])) return t;
    return 0;
}

// Words of up to 30 letters from `next`, which maps the letters so far to the next distribution.
template <class Next>
std::vector<std::string> make_up(int count, Generator& gen, Next next) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        std::string w;
        for (int64_t t; w.size() < 30 && (t = draw(next(w), gen)) != 0;) w += letter(t);
        out.push_back(w);
    }
    return out;
}

std::vector<float> softmax_row(const Tensor& logits) {
    return softmax(logits.reshape({kTokens}), 0).to_vector<float>();
}

// Token 0 then the letters of w.
std::vector<int64_t> tokens(const std::string& w) {
    std::vector<int64_t> t{0};
    for (char ch : w) t.push_back(ch - 'a' + 1);
    return t;
}

struct Mlp {
    nn::Embedding embed;
    nn::Linear hidden, out;
    std::vector<Tensor> params;

    Mlp(const WordsOptions& o, Generator& gen)
        : embed(kTokens, o.embed), hidden(kContext * o.embed, o.hidden), out(o.hidden, kTokens) {
        nn::init::normal_(embed.weight, 0, 1, gen);
        for (nn::Linear* l : {&hidden, &out}) {
            const double bound = 1 / std::sqrt(static_cast<double>(l->in_features));
            nn::init::uniform_(l->weight, -bound, bound, gen);
            nn::init::uniform_(l->bias, -bound, bound, gen);
        }
        params = {embed.weight, hidden.weight, hidden.bias, out.weight, out.bias};
    }
    // x: int64 (M, 3) -> logits (M, 27).
    Tensor forward(const Tensor& x) {
        const int64_t m = x.size(0);
        return out.forward(hidden.forward(embed.forward(x).reshape({m, -1})).tanh());
    }
};

struct Gru {
    nn::Embedding embed;
    nn::GRU gru;
    nn::Linear out;
    std::vector<Tensor> params;

    Gru(const WordsOptions& o, Generator& gen)
        : embed(kTokens, o.embed),
          gru(nn::GRUOptions(o.embed, o.hidden).batch_first(true)),
          out(o.hidden, kTokens) {
        nn::init::normal_(embed.weight, 0, 1, gen);
        const double bound = 1 / std::sqrt(static_cast<double>(o.hidden));
        params = {embed.weight};
        for (const Tensor& p : gru.parameters()) params.push_back(p);
        for (const Tensor& p : out.parameters()) params.push_back(p);
        for (size_t i = 1; i < params.size(); ++i)
            nn::init::uniform_(params[i], -bound, bound, gen);
    }
    // x: int64 (B, L) -> logits (B·L, 27), and the last hidden state (1, B, H).
    std::tuple<Tensor, Tensor> forward(const Tensor& x, const Tensor& h0 = Tensor()) {
        auto [seq, h] = gru.forward(embed.forward(x), h0);
        return {out.forward(seq.reshape({-1, seq.size(2)})), h};
    }
    // The summed loss over the characters of `words` (padding masked out), and their count.
    std::pair<Tensor, int64_t> loss(const std::vector<const std::string*>& words) {
        size_t len = 0;
        for (const std::string* w : words) len = std::max(len, w->size() + 1);
        const int64_t b = static_cast<int64_t>(words.size()), l = static_cast<int64_t>(len);
        std::vector<int64_t> x(static_cast<size_t>(b * l), 0), y(x.size(), 0);
        std::vector<float> mask(x.size(), 0.0f);
        int64_t count = 0;
        for (size_t i = 0; i < words.size(); ++i) {
            const std::vector<int64_t> t = tokens(*words[i]);
            for (size_t j = 0; j < t.size(); ++j) {
                x[i * len + j] = t[j];
                y[i * len + j] = j + 1 < t.size() ? t[j + 1] : 0;
                mask[i * len + j] = 1.0f;
            }
            count += static_cast<int64_t>(t.size());
        }
        Tensor logits = std::get<0>(forward(tensor(x, {b, l}, kInt64)));
        Tensor each = nn::functional::cross_entropy(logits, y, nn::Reduction::None);
        return {(each * tensor(mask, {b * l})).sum(), count};
    }
};

double mlp_loss(Mlp& mlp, const Contexts& c) {
    NoGradGuard no_grad;
    const int64_t m = static_cast<int64_t>(c.y.size());
    return nn::functional::cross_entropy(mlp.forward(tensor(c.x, {m, kContext}, kInt64)), c.y)
        .item<double>();
}

double gru_loss(Gru& gru, const std::vector<std::string>& words) {
    NoGradGuard no_grad;
    double sum = 0;
    int64_t count = 0;
    for (size_t at = 0; at < words.size(); at += 512) {
        std::vector<const std::string*> chunk;
        for (size_t i = at; i < std::min(words.size(), at + 512); ++i) chunk.push_back(&words[i]);
        auto [loss, n] = gru.loss(chunk);
        sum += loss.item<double>(), count += n;
    }
    return sum / static_cast<double>(count);
}

}  // namespace

WordsResult run_words(const WordsOptions& o_in, Output& out) {
    WordsOptions o = o_in;
    if (o.quick) {
        o.limit = o.limit == 0 ? 3000 : std::min<int64_t>(o.limit, 3000);
        o.steps = std::min(o.steps, 400);
    }
    DESCENT_CHECK(o.validation > 0 && o.validation < 1, ValueError,
                  "run_words(): validation must be in (0, 1), got ", o.validation);
    DESCENT_CHECK(o.steps >= 1 && o.batch >= 1 && o.embed >= 1 && o.hidden >= 1, ValueError,
                  "run_words(): steps, batch, embed and hidden must be >= 1, got ", o.steps, ", ",
                  o.batch, ", ", o.embed, ", ", o.hidden);
    std::vector<std::string> all = read_words(o.words);
    DESCENT_CHECK(all.size() >= 20, ValueError, "run_words(): '", o.words, "' holds ", all.size(),
                  " lower-case a-z words; at least 20 are needed");

    // The split: one shuffle from the seed, the last `validation` share held out.
    Generator gen(o.seed);
    std::vector<std::string> words;
    for (int64_t i : gen.permutation(static_cast<int64_t>(all.size()))) words.push_back(all[i]);
    if (o.limit > 0 && o.limit < static_cast<int64_t>(words.size())) words.resize(o.limit);
    const size_t held = std::max<size_t>(
        1, static_cast<size_t>(std::lround(o.validation * static_cast<double>(words.size()))));
    DESCENT_CHECK(held < words.size(), ValueError, "run_words(): validation ", o.validation, " of ",
                  words.size(), " words leaves none to train on");
    const std::vector<std::string> train(words.begin(), words.end() - static_cast<ptrdiff_t>(held));
    const std::vector<std::string> val(words.end() - static_cast<ptrdiff_t>(held), words.end());
    const Contexts train_c = contexts(train), val_c = contexts(val);
    WordsResult r;
    r.train_words = static_cast<int64_t>(train.size());
    r.validation_words = static_cast<int64_t>(val.size());
    r.validation_characters = static_cast<int64_t>(val_c.y.size());
    Generator sampler(o.seed + 3);

    // Bigram: counts of (previous, next) on the training words, add-one smoothed.
    std::vector<double> counts(kTokens * kTokens, 1.0);
    for (size_t i = 0; i < train_c.y.size(); ++i)
        counts[static_cast<size_t>(train_c.x[i * kContext + kContext - 1] * kTokens +
                                   train_c.y[i])] += 1;
    std::vector<float> bigram(counts.size());
    for (int64_t a = 0; a < kTokens; ++a) {
        double row = 0;
        for (int64_t b = 0; b < kTokens; ++b) row += counts[a * kTokens + b];
        for (int64_t b = 0; b < kTokens; ++b)
            bigram[a * kTokens + b] = static_cast<float>(counts[a * kTokens + b] / row);
    }
    r.bigram.name = "bigram";
    double nll = 0;
    for (size_t i = 0; i < val_c.y.size(); ++i)
        nll -= std::log(bigram[val_c.x[i * kContext + kContext - 1] * kTokens + val_c.y[i]]);
    r.bigram.validation_loss = nll / static_cast<double>(val_c.y.size());
    r.bigram.samples = make_up(o.samples, sampler, [&](const std::string& w) {
        const int64_t prev = w.empty() ? 0 : w.back() - 'a' + 1;
        return std::vector<float>(bigram.begin() + prev * kTokens,
                                  bigram.begin() + (prev + 1) * kTokens);
    });

    const int every = std::max(1, o.steps / 20);
    // MLP: batches of contexts drawn with replacement from the training words' contexts.
    r.mlp.name = "MLP";
    Mlp mlp(o, gen);
    {
        optim::Adam adam(mlp.params, optim::AdamOptions(o.lr));
        const int64_t m = static_cast<int64_t>(train_c.y.size());
        for (int step = 1; step <= o.steps; ++step) {
            std::vector<int64_t> x, y;
            for (int64_t i = 0; i < o.batch; ++i) {
                const size_t k = static_cast<size_t>(gen.randint(0, m));
                x.insert(x.end(), train_c.x.begin() + k * kContext,
                         train_c.x.begin() + (k + 1) * kContext);
                y.push_back(train_c.y[k]);
            }
            adam.zero_grad();
            nn::functional::cross_entropy(mlp.forward(tensor(x, {o.batch, kContext}, kInt64)), y)
                .backward();
            adam.step();
            if (step % every == 0 || step == o.steps)
                r.mlp.curve_step.push_back(step), r.mlp.curve.push_back(mlp_loss(mlp, val_c));
        }
        r.mlp.validation_loss = r.mlp.curve.back();
    }
    r.mlp.samples = make_up(o.samples, sampler, [&](const std::string& w) {
        NoGradGuard no_grad;
        std::vector<int64_t> t = tokens(w), ctx(kContext, 0);
        t.erase(t.begin());
        for (size_t i = 0; i < t.size() && i < kContext; ++i)
            ctx[kContext - 1 - i] = t[t.size() - 1 - i];
        return softmax_row(mlp.forward(tensor(ctx, {1, kContext}, kInt64)));
    });

    // GRU: batches of whole words, the loss summed over their characters and divided by them.
    r.gru.name = "GRU";
    Gru gru(o, gen);
    {
        optim::Adam adam(gru.params, optim::AdamOptions(o.lr));
        const int64_t n = static_cast<int64_t>(train.size());
        for (int step = 1; step <= o.steps; ++step) {
            std::vector<const std::string*> batch;
            for (int64_t i = 0; i < o.batch; ++i) batch.push_back(&train[gen.randint(0, n)]);
            adam.zero_grad();
            auto [loss, count] = gru.loss(batch);
            (loss / static_cast<float>(count)).backward();
            adam.step();
            if (step % every == 0 || step == o.steps)
                r.gru.curve_step.push_back(step), r.gru.curve.push_back(gru_loss(gru, val));
        }
        r.gru.validation_loss = r.gru.curve.back();
    }
    r.gru.samples = make_up(o.samples, sampler, [&](const std::string& w) {
        NoGradGuard no_grad;
        // The whole prefix again each time: words are short, and no state is kept between calls.
        const std::vector<int64_t> t = tokens(w);
        const Tensor logits =
            std::get<0>(gru.forward(tensor(t, {1, static_cast<int64_t>(t.size())}, kInt64)));
        return softmax_row(logits.select(0, logits.size(0) - 1));
    });

    std::vector<std::vector<double>> rows;
    for (size_t i = 0; i < r.mlp.curve.size(); ++i)
        rows.push_back(
            {r.mlp.curve_step[i], r.mlp.curve[i], r.gru.curve[i], r.bigram.validation_loss});
    out.csv("loss", {"step", "mlp", "gru", "bigram"}, rows);
    std::vector<std::string> columns{"previous"};
    for (int64_t b = 0; b < kTokens; ++b) columns.push_back(std::string(1, letter(b)));
    std::vector<std::vector<double>> count_rows;
    for (int64_t a = 0; a < kTokens; ++a) {
        std::vector<double> row{static_cast<double>(a)};
        for (int64_t b = 0; b < kTokens; ++b) row.push_back(counts[a * kTokens + b] - 1);
        count_rows.push_back(row);
    }
    out.csv("bigram_counts", columns, count_rows);

    study::Figure f({"Validation loss, next character of " + std::to_string(r.train_words) +
                         " words (" + std::to_string(r.validation_words) + " held out)",
                     "Adam step", "nats per character", "", false, false});
    const std::vector<double> ends{r.mlp.curve_step.front(), r.mlp.curve_step.back()};
    f.add({"bigram counts " + num(r.bigram.validation_loss, "%.3f"),
           ends,
           {r.bigram.validation_loss, r.bigram.validation_loss}});
    f.add({"MLP, 3 characters " + num(r.mlp.validation_loss, "%.3f"), r.mlp.curve_step, r.mlp.curve,
           "linespoints"});
    f.add({"GRU " + num(r.gru.validation_loss, "%.3f"), r.gru.curve_step, r.gru.curve,
           "linespoints"});
    out.figure("loss", f);

    for (const WordsModel* m : {&r.bigram, &r.mlp, &r.gru}) {
        out.log() << m->name << ":";
        for (const std::string& w : m->samples) out.log() << " " << w;
        out.log() << "\n";
    }
    out.log()
        << "(a small transformer is left for later)\n";
    out.lesson("On the same " + std::to_string(r.validation_words) + " held-out words (" +
               std::to_string(r.validation_characters) + " characters) bigram counts score " +
               num(r.bigram.validation_loss, "%.3f") +
               " nats per character, the MLP on 3 characters " +
               num(r.mlp.validation_loss, "%.3f") + " and the GRU " +
               num(r.gru.validation_loss, "%.3f") + " (uniform: ln 27 = 3.296)");
    out.lesson(
        "more context lowers the loss, and the made-up words (above) look more English: "
        "the bigram knows one letter back, the MLP three, the GRU the whole prefix");
    return r;
}

namespace {

Runner add_words(CLI::App& app, Common& common) {
    auto o = std::make_shared<WordsOptions>();
    CLI::App* sub = app.add_subcommand(
        "words",
        "Next-character models of English words (makemore): bigram counts, an MLP on 3 "
        "characters and a GRU; their validation loss and made-up words");
    add_common_flags(*sub, common);
    sub->add_option("--words", o->words, "Word list, one a line (Debian's wamerican)");
    sub->add_option("--validation", o->validation, "Share of the words held out")
        ->check(examples::number_in(0, 0.9, true));
    sub->add_option("--limit", o->limit, "Use only this many words (0: all)")
        ->check(examples::integer_in(0, 10000000));
    sub->add_option("--steps", o->steps, "Adam steps of the MLP and of the GRU")
        ->check(examples::integer_in(1, 1000000));
    sub->add_option("--batch-size", o->batch, "Contexts (MLP) or words (GRU) per step")
        ->check(examples::integer_in(1, 65536));
    sub->add_option("--embed", o->embed, "Embedding size")->check(examples::integer_in(1, 1024));
    sub->add_option("--hidden", o->hidden, "Hidden size of the MLP and of the GRU")
        ->check(examples::integer_in(1, 4096));
    sub->add_option("--lr", o->lr, "Adam's learning rate")->check(examples::number_in(0, 10, true));
    sub->add_option("--samples", o->samples, "Made-up words per model")
        ->check(examples::integer_in(0, 1000));
    return [o, &common] {
        o->seed = common.seed;
        o->quick = common.quick;
        Output out(common.out, "words");
        run_words(*o, out);
        out.commit();
    };
}

static lab::Registration reg(100, "words", add_words);

}  // namespace

}  // namespace lab
