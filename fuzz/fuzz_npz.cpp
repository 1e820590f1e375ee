// libFuzzer target: load_npz on arbitrary bytes, then nn::load of the same bytes into a small
// model (the path every user's torch::load-style call takes). Refusals are descent::Errors.
#include "descent/core/error.hpp"
#include "descent/io/npz.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/serialize.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::MemFile file(data, size);
    try {
        for (const auto& [name, t] : descent::io::load_npz(file.path()))
            if (name.empty() || !t.defined()) __builtin_trap();
    } catch (const descent::Error&) {
    }
    static descent::nn::Linear model(3, 2);
    try {
        descent::nn::load(model, file.path());
    } catch (const descent::Error&) {
    }
    return 0;
}
