// The flags that make a training run what it is (data, split, batch, optimizer, lr, schedule...),
// kept in its checkpoints and compared where two must agree: a --resume takes the checkpoint's
// value for a flag not given and refuses one given differently, by name; under mpirun every rank
// compares its flags with every other's before any work, and all refuse together.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <descent/descent.hpp>

#include "training_config.hpp"

namespace examples {

using namespace descent;

// One flag's value as text, in the form it is compared and stored.
struct Setting {
    std::string flag;   // "--seed"
    std::string value;  // "0"
};

// The shortest text that reads back as v exactly ("0.1", not "0.10000000000000001").
inline std::string exact(double v) {
    char buf[32];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

// The run-defining flags of `c`, in --help's order.
inline std::vector<Setting> run_settings(const Config& c) {
    std::error_code ec;
    const std::filesystem::path data = std::filesystem::weakly_canonical(c.data, ec);
    return {{"--epochs", std::to_string(c.epochs)},
            {"--batch-size", std::to_string(c.batch_size)},
            {"--lr", exact(c.lr)},
            {"--optimizer", c.optimizer},
            {"--seed", std::to_string(c.seed)},
            {"--data", ec ? c.data : data.string()},
            {"--validation", std::to_string(c.validation)},
            {"--schedule", c.schedule},
            {"--weight-decay", exact(weight_decay_of(c))},
            {"--early-stop", std::to_string(c.early_stop)}};
}

// Sets the flag of `c` named by `s` from its text (the inverse of run_settings()).
inline void set_from(Config& c, const Setting& s) {
    if (s.flag == "--epochs")
        c.epochs = std::stoi(s.value);
    else if (s.flag == "--batch-size")
        c.batch_size = std::stoll(s.value);
    else if (s.flag == "--lr")
        c.lr = std::stod(s.value);
    else if (s.flag == "--optimizer")
        c.optimizer = s.value;
    else if (s.flag == "--seed")
        c.seed = std::stoull(s.value);
    else if (s.flag == "--data")
        c.data = s.value;
    else if (s.flag == "--validation")
        c.validation = std::stoll(s.value);
    else if (s.flag == "--schedule")
        c.schedule = s.value;
    else if (s.flag == "--weight-decay")
        c.weight_decay = std::stod(s.value);
    else if (s.flag == "--early-stop")
        c.early_stop = std::stoi(s.value);
}

// Text as a 1-D tensor of its bytes (a checkpoint holds tensors only), and back.
inline Tensor text_tensor(const std::string& text) {
    std::vector<float> bytes(text.begin(), text.end());
    return tensor(bytes, {static_cast<int64_t>(bytes.size())});
}
inline std::string tensor_text(const Tensor& t) {
    std::string text;
    for (const float b : t.to_vector()) text += static_cast<char>(static_cast<int>(b));
    return text;
}

// A checkpoint part "run": the run's settings, "run.<flag without -->" each.
struct RunSettingsState {
    const Config* c;
    NamedTensors state_dict() const {
        NamedTensors dict;
        for (const Setting& s : run_settings(*c))
            dict.emplace_back(s.flag.substr(2), text_tensor(s.value));
        return dict;
    }
    // resume_settings() already made the Config agree; this checks the whole part is there.
    void load_state_dict(const NamedTensors& dict) {
        for (const Setting& s : run_settings(*c)) {
            bool found = false;
            for (const auto& [key, t] : dict) found = found || key == s.flag.substr(2);
            if (!found)
                throw StateError("the checkpoint's run settings have no entry for " + s.flag);
        }
    }
};

// The flags a checkpoint's run used, or none for a checkpoint written before runs kept them.
inline std::vector<Setting> checkpoint_settings(const NamedTensors& file) {
    std::vector<Setting> out;
    for (const auto& [key, t] : file)
        if (key.compare(0, 4, "run.") == 0) out.push_back({"--" + key.substr(4), tensor_text(t)});
    return out;
}

// Before a resumed run is built: each run-defining flag not on the command line takes the
// checkpoint's value; one given with another value is refused (UsageError naming the flag and
// both values), before any data is loaded. Returns whether the checkpoint holds the settings.
inline bool resume_settings(Config& c, const std::set<std::string>& given) {
    const std::vector<Setting> saved = checkpoint_settings(io::load_npz(c.resume));
    if (saved.empty()) return false;
    for (const Setting& mine : run_settings(c))
        for (const Setting& theirs : saved) {
            if (theirs.flag != mine.flag || theirs.value == mine.value) continue;
            if (given.count(mine.flag) == 0) {
                set_from(c, theirs);
            } else if (mine.flag != "--epochs") {  // more epochs may follow a finished run
                throw UsageError(mine.flag + ": the checkpoint's run used " + theirs.value +
                                 ", this command says " + mine.value +
                                 " (leave the flag out to continue with the run's own)");
            }
        }
    return true;
}

// Under mpirun: every rank's run-defining flags, compared before any work. Every rank throws the
// same UsageError, naming the first rank that differs from rank 0, the flag and both values.
inline void check_ranks_agree(const Config& c, distributed::Communicator& comm) {
    std::string mine;
    for (const Setting& s : run_settings(c)) mine += s.flag + "=" + s.value + "\n";
    std::vector<std::string> all(static_cast<size_t>(comm.size()));
    for (int root = 0; root < comm.size(); ++root) {  // each rank's text, to every rank
        int64_t n = static_cast<int64_t>(mine.size());
        comm.broadcast(&n, sizeof n, root);
        std::string text = root == comm.rank() ? mine : std::string(static_cast<size_t>(n), ' ');
        comm.broadcast(text.data(), text.size(), root);
        all[static_cast<size_t>(root)] = text;
    }
    auto lines = [](const std::string& text) {
        std::vector<std::string> out;
        for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
            out.push_back(text.substr(at, nl - at));
        return out;
    };
    const std::vector<std::string> first = lines(all[0]);
    for (size_t r = 1; r < all.size(); ++r) {
        const std::vector<std::string> other = lines(all[r]);
        for (size_t i = 0; i < first.size() && i < other.size(); ++i) {
            if (first[i] == other[i]) continue;
            const size_t eq = first[i].find('=');
            throw UsageError(first[i].substr(0, eq) + ": rank 0 says " + first[i].substr(eq + 1) +
                             ", rank " + std::to_string(r) + " says " +
                             other[i].substr(other[i].find('=') + 1) +
                             "; every rank must run with the same flags");
        }
    }
}

}  // namespace examples
