// Checkpoints: two state dicts, one file. The prefixes keep the parts apart; anything outside
// them is an unexpected key, reported by name.
#include "descent/train/checkpoint.hpp"

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/io/npz.hpp"

namespace descent::train {

namespace {
constexpr const char* model_prefix = "model.";
constexpr const char* optim_prefix = "optim.";

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

void save_checkpoint(const std::string& path, const nn::Module& model,
                     const optim::Optimizer& optimizer) {
    NamedTensors all;
    for (auto& [name, t] : model.state_dict()) all.emplace_back(model_prefix + name, t);
    for (auto& [name, t] : optimizer.state_dict()) all.emplace_back(optim_prefix + name, t);
    io::save_npz(path, all);
}

void load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer& optimizer) {
    NamedTensors model_part, optim_part;
    for (auto& [name, t] : io::load_npz(path)) {
        if (starts_with(name, model_prefix))
            model_part.emplace_back(name.substr(std::string(model_prefix).size()), t);
        else if (starts_with(name, optim_prefix))
            optim_part.emplace_back(name.substr(std::string(optim_prefix).size()), t);
        else
            throw ValueError(detail::cat("load_checkpoint(", path, "): unexpected key '", name,
                                         "' (keys start with 'model.' or 'optim.')"));
    }
    // Each load checks everything before it copies; if the optimizer's part is refused after the
    // model's was taken, the model gets its old values back.
    const NamedTensors before = model.state_dict();
    NamedTensors saved;
    for (auto& [name, t] : before) saved.emplace_back(name, t.clone());
    model.load_state_dict(model_part);
    try {
        optimizer.load_state_dict(optim_part);
    } catch (...) {
        model.load_state_dict(saved);
        throw;
    }
}

}  // namespace descent::train
