// Module save/load: the .npz format lives in io; this file only joins it to state dicts.
#include "descent/nn/serialize.hpp"

#include "descent/io/npz.hpp"

namespace descent::nn {

void save(const Module& module, const std::string& path) {
    io::save_npz(path, module.state_dict());
}

void load(Module& module, const std::string& path, bool strict) {
    module.load_state_dict(io::load_npz(path), strict);
}

}  // namespace descent::nn
