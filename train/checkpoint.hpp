// A training checkpoint: everything a run needs to continue exactly where it stopped, in one .npz
// file: the format version, where the run stands (epoch, batch), the model, the optimizer, the
// generators (the default one, which Dropout draws from) and any other part with a state dict (an
// lr scheduler, early stopping). The layout is in docs/state-dict-format.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "descent/core/random.hpp"
#include "descent/nn/module.hpp"
#include "descent/optim/optimizer.hpp"

namespace descent::train {

// The layout save() writes (the file's "version" entry); load() refuses every other.
constexpr int64_t checkpoint_version = 1;

// The objects of a run, held by reference, and where the run stands. save() writes them all to
// one file; load() checks the whole file against them (version, parts, every key and shape, every
// scheduler field and generator state) and either refuses it, with an Error naming the version or
// the key, leaving every object and the position as they were, or restores all of them.
//   train::Checkpoint ckpt(model, opt);
//   ckpt.add("scheduler", sched);
//   ckpt.epoch = epoch + 1;
//   ckpt.save("run.npz");        // later, on objects built afresh: ckpt.load("run.npz")
class Checkpoint {
public:
    // The model ("model.<key>"), its optimizer ("optim.<key>") and the default generator
    // ("generator.default").
    Checkpoint(nn::Module& model, optim::Optimizer& optimizer);

    // Any object with `NamedTensors state_dict() const` and an all-or-nothing
    // `load_state_dict(const NamedTensors&)`, as "<name>.<key>": an LR scheduler,
    // ReduceLROnPlateau, EarlyStopping. ValueError for an empty name, one with a '.', or one in
    // use.
    template <class Stateful>
    Checkpoint& add(const std::string& name, Stateful& part) {
        add_part(
            name, [&part] { return part.state_dict(); },
            [&part](const NamedTensors& dict) { part.load_state_dict(dict); });
        return *this;
    }
    // Another generator, as "generator.<name>": its get_state(), a (313, 4) tensor.
    Checkpoint& generator(const std::string& name, Generator& generator);

    // Where the run stands: `epoch` epochs are complete, and `batch` batches of the next one (0 at
    // an epoch boundary); DataLoader::set_epoch(epoch, batch) continues from there.
    int64_t epoch = 0;
    int64_t batch = 0;

    // Atomic, through io::save_npz. ValueError for a negative epoch or batch.
    void save(const std::string& path) const;
    // StateError for another format version (or none), a part the file lacks or this checkpoint
    // lacks, or a bad epoch or batch; each part's own error (ShapeError, StateError, ValueError)
    // for what does not fit it; IOError for a file that is no .npz.
    void load(const std::string& path);

private:
    struct Part {
        std::string name;
        std::function<NamedTensors()> save;
        std::function<void(const NamedTensors&)> load;
    };
    void add_part(const std::string& name, std::function<NamedTensors()> save,
                  std::function<void(const NamedTensors&)> load);
    std::vector<Part> all_parts() const;  // parts_, then the generators
    NamedTensors generators_state() const;
    void load_generators(const NamedTensors& dict);

    std::vector<Part> parts_;  // model, optim, then what add() gave
    std::vector<std::pair<std::string, Generator*>> generators_;
};

// Checkpoint(model, optimizer).save(path): model, optimizer and the default generator, at
// epoch 0, batch 0.
void save_checkpoint(const std::string& path, const nn::Module& model,
                     const optim::Optimizer& optimizer);
// Checkpoint(model, optimizer).load(path): refuses a file with other parts (a scheduler, ...).
void load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer& optimizer);

}  // namespace descent::train
