// libFuzzer target: read_idx on arbitrary bytes, plain or gzip (the seeds hold both). Any
// descent::Error is a refusal, which is fine; a crash, leak, sanitizer report, OOM or hang is not.
#include "descent/core/error.hpp"
#include "descent/io/idx.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::MemFile file(data, size);
    try {
        const descent::io::IdxArray a = descent::io::read_idx(file.path());
        int64_t n = 1;
        for (int64_t d : a.dims) n *= d;
        if (n != static_cast<int64_t>(a.data.size())) __builtin_trap();  // the dims must hold
    } catch (const descent::Error&) {
    }
    return 0;
}
