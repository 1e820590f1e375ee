// libFuzzer target: train::load_checkpoint on arbitrary bytes into the model and optimizer that
// fuzz_seeds saved the seed checkpoint from (a Linear(3, 2) and Adam after one step). A refused
// checkpoint must leave both unchanged: checked after every input. Mutation is structure-aware
// (zip_mutator.hpp): valid archives stay valid zips with mutated entries.
#include <cstring>

#include "descent/core/error.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/adam.hpp"
#include "descent/train/checkpoint.hpp"
#include "fuzz_input.hpp"
#include "seed_model.hpp"
#include "zip_mutator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::SeedModel m;
    fuzz::MemFile file(data, size);
    const descent::NamedTensors before = m.model.state_dict();
    std::vector<std::vector<float>> values;  // compared as bytes: a loaded NaN equals itself
    for (const auto& [name, t] : before) values.push_back(t.to_vector());
    try {
        descent::train::load_checkpoint(file.path(), m.model, *m.opt);
    } catch (const descent::Error&) {
        const descent::NamedTensors after = m.model.state_dict();
        for (size_t i = 0; i < after.size(); ++i)
            if (std::memcmp(after[i].second.data(), values[i].data(),
                            values[i].size() * sizeof(float)) != 0)
                __builtin_trap();  // a refused checkpoint changed the model
    }
    return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned seed) {
    return fuzz::mutate_npz(data, size, max_size, seed);
}
