// libFuzzer target: onnx::load on arbitrary bytes (an ONNX file is untrusted input). A model that
// loads is printed and its parameters walked; every refusal must be a descent::Error, never a
// crash, a leak or a huge allocation before the sizes are checked.
#include <sstream>

#include "descent/core/error.hpp"
#include "descent/onnx/load.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::MemFile file(data, size);
    try {
        auto model = descent::onnx::load(file.path());
        std::ostringstream os;
        model->pretty_print(os);
        for (const auto& [name, p] : model->named_parameters())
            if (name.empty() || !p.defined()) __builtin_trap();
    } catch (const descent::Error&) {
    }
    return 0;
}
