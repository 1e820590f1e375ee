// Checkpoints: a version, a position and the state dicts of several parts in one file, each under
// its part's prefix. Loading checks what the file holds against the parts first, then loads them
// one by one, keeping a copy of each part's old state so that a part refused late (the optimizer,
// loaded last) leaves the ones already loaded as they were.
#include "descent/train/checkpoint.hpp"

#include <map>

#include "descent/core/error.hpp"
#include "descent/io/npz.hpp"
#include "descent/optim/state_codec.hpp"

namespace descent::train {

namespace {
// Keys of the checkpoint itself; every other key is "<part>.<the part's key>".
const char* const position_keys[] = {"version", "epoch", "batch"};

NamedTensors cloned(const NamedTensors& dict) {
    NamedTensors copy;
    for (const auto& [name, t] : dict) copy.emplace_back(name, t.defined() ? t.clone() : t);
    return copy;
}
}  // namespace

Checkpoint::Checkpoint(nn::Module& model, optim::Optimizer& optimizer) {
    add("model", model);
    add("optim", optimizer);
    generators_.emplace_back("default", &default_generator());
}

std::vector<Checkpoint::Part> Checkpoint::all_parts() const {
    // Built per call: the generators' part points at this object, which may since have been
    // copied or moved.
    std::vector<Part> all = parts_;
    auto* self = const_cast<Checkpoint*>(this);  // load() is the only caller that writes
    all.push_back({"generator", [self] { return self->generators_state(); },
                   [self](const NamedTensors& dict) { self->load_generators(dict); }});
    return all;
}

void Checkpoint::add_part(const std::string& name, std::function<NamedTensors()> save,
                          std::function<void(const NamedTensors&)> load) {
    DESCENT_CHECK(!name.empty() && name.find('.') == std::string::npos, ValueError,
                  "Checkpoint::add(): name '", name, "' must be non-empty and without a '.'");
    for (const char* key : position_keys)
        DESCENT_CHECK(name != key, ValueError, "Checkpoint::add(): name '", name,
                      "' is the checkpoint's own entry");
    for (const Part& p : all_parts())
        DESCENT_CHECK(p.name != name, ValueError, "Checkpoint::add(): name '", name,
                      "' is already in use");
    parts_.push_back(Part{name, std::move(save), std::move(load)});
}

Checkpoint& Checkpoint::generator(const std::string& name, Generator& generator) {
    DESCENT_CHECK(!name.empty(), ValueError, "Checkpoint::generator(): the name is empty");
    for (const auto& [other, gen] : generators_)
        DESCENT_CHECK(other != name, ValueError, "Checkpoint::generator(): name '", name,
                      "' is already in use");
    generators_.emplace_back(name, &generator);
    return *this;
}

NamedTensors Checkpoint::generators_state() const {
    NamedTensors dict;
    for (const auto& [name, gen] : generators_) dict.emplace_back(name, gen->get_state());
    return dict;
}

void Checkpoint::load_generators(const NamedTensors& dict) {
    optim::detail::StateDictReader reader("Checkpoint::load(): generator", dict);
    std::vector<const Tensor*> states;
    for (const auto& [name, gen] : generators_)
        states.push_back(reader.take(name, {Generator::state_words, 4}));
    reader.finish();
    // Each state is checked on a scratch generator before any real one is set.
    std::vector<Generator> checked(generators_.size());
    for (size_t i = 0; i < generators_.size(); ++i) checked[i].set_state(*states[i]);
    for (size_t i = 0; i < generators_.size(); ++i) *generators_[i].second = checked[i];
}

void Checkpoint::save(const std::string& path) const {
    DESCENT_CHECK(epoch >= 0 && batch >= 0, ValueError, "Checkpoint::save(", path, "): epoch ",
                  epoch, " and batch ", batch, " must be >= 0");
    NamedTensors all;
    all.emplace_back("version", optim::detail::encode_count(checkpoint_version, "version"));
    all.emplace_back("epoch", optim::detail::encode_count(epoch, "epoch"));
    all.emplace_back("batch", optim::detail::encode_count(batch, "batch"));
    for (const Part& part : all_parts())
        for (auto& [key, t] : part.save()) all.emplace_back(part.name + "." + key, t);
    io::save_npz(path, all);
}

void Checkpoint::load(const std::string& path) {
    const std::string who = "Checkpoint::load(" + path + ")";
    const NamedTensors file = io::load_npz(path);

    // The version first: a file of another layout is named as such, not by a list of its keys.
    const Tensor* version = nullptr;
    for (const auto& [key, t] : file)
        if (key == "version") version = &t;
    DESCENT_CHECK(version, StateError, who,
                  ": no 'version' entry: not a checkpoint, or one saved before checkpoints had a "
                  "format version (this descent reads version ",
                  checkpoint_version, ")");
    DESCENT_CHECK(version->defined() && version->dim() == 0, StateError, who,
                  ": the 'version' entry has shape ",
                  version->defined() ? version->shape() : Shape{}, ", expected ()");
    DESCENT_CHECK(version->item() == static_cast<float>(checkpoint_version), StateError, who,
                  ": checkpoint format version ", version->item(), ", this descent reads version ",
                  checkpoint_version);

    const std::vector<Part> parts = all_parts();
    NamedTensors position;
    std::map<std::string, NamedTensors> by_part;
    for (const auto& [key, t] : file) {
        const auto dot = key.find('.');
        if (dot == std::string::npos) {
            position.emplace_back(key, t);
            continue;
        }
        const std::string name = key.substr(0, dot);
        bool known = false;
        for (const Part& p : parts) known = known || p.name == name;
        DESCENT_CHECK(known, StateError, who, ": unexpected key '", key,
                      "': this checkpoint has no '", name, "' part (add it with Checkpoint::add)");
        by_part[name].emplace_back(key.substr(dot + 1), t);
    }
    for (const Part& p : parts)
        DESCENT_CHECK(p.name == "model" || by_part.count(p.name), StateError, who,
                      ": the file has no '", p.name, ".' entries (saved without a ", p.name,
                      " part?)");
    optim::detail::StateDictReader reader(who, position);
    reader.count("version");
    const auto new_epoch = reader.count("epoch");
    const auto new_batch = reader.count("batch");
    reader.finish();

    // Every part but the optimizer keeps a copy of its old state until all are loaded; the
    // optimizer goes last, so nothing after it can fail.
    std::vector<const Part*> order;
    for (const Part& p : parts)
        if (p.name != "optim") order.push_back(&p);
    for (const Part& p : parts)
        if (p.name == "optim") order.push_back(&p);
    std::vector<NamedTensors> old;
    try {
        for (const Part* p : order) {
            if (p != order.back()) old.push_back(cloned(p->save()));
            p->load(by_part[p->name]);
        }
    } catch (...) {
        for (size_t i = old.size(); i-- > 0;) order[i]->load(old[i]);
        throw;
    }
    epoch = *new_epoch;
    batch = *new_batch;
}

void save_checkpoint(const std::string& path, const nn::Module& model,
                     const optim::Optimizer& optimizer) {
    // save() only reads the parts.
    Checkpoint(const_cast<nn::Module&>(model), const_cast<optim::Optimizer&>(optimizer)).save(path);
}

void load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer& optimizer) {
    Checkpoint(model, optimizer).load(path);
}

}  // namespace descent::train
