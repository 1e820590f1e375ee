// Replays every input scripts/fuzz.sh ever caught (tests/io/regressions/<target>/*) through the
// loader that target fuzzes: each must now load or be refused with a descent::Error, never crash.
// The folder also holds hand-made inputs for the defects fixed in docs/reliability.md.
#include <filesystem>

#include "descent/io/idx.hpp"
#include "descent/io/npz.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/serialize.hpp"
#include "descent/optim/adam.hpp"
#include "descent/train/checkpoint.hpp"
#include "support.hpp"

#ifndef DESCENT_REGRESSIONS_DIR
#error "tests/CMakeLists.txt defines DESCENT_REGRESSIONS_DIR"
#endif

using namespace descent;

namespace {
// The files under regressions/<target>, sorted; none when the folder is absent.
std::vector<std::string> inputs(const std::string& target) {
    const std::filesystem::path dir = std::filesystem::path(DESCENT_REGRESSIONS_DIR) / target;
    std::vector<std::string> out;
    if (!std::filesystem::is_directory(dir)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Runs `load` on each input; true if it returned or threw a descent::Error.
template <class F>
int replay(const std::string& target, F load) {
    int replayed = 0;
    for (const std::string& path : inputs(target)) {
        CAPTURE(path);
        try {
            load(path);
        } catch (const Error&) {
        } catch (const std::exception& e) {
            FAIL("not a descent error: " << e.what());
        }
        ++replayed;
    }
    return replayed;
}
}  // namespace

TEST_CASE("fuzz regressions: read_idx, load_npz, nn::load and load_checkpoint replay cleanly") {
    const int idx = replay("fuzz_idx", [](const std::string& p) { io::read_idx(p); });
    const int npz = replay("fuzz_npz", [](const std::string& p) {
        try {
            io::load_npz(p);
        } catch (const Error&) {
        }
        nn::Linear model(3, 2);
        nn::load(model, p);
    });
    const int ckpt = replay("fuzz_checkpoint", [](const std::string& p) {
        nn::Linear model(3, 2);
        optim::Adam opt(model.parameters(), optim::AdamOptions(0.01));
        train::load_checkpoint(p, model, opt);
    });
    MESSAGE("replayed " << idx << " idx, " << npz << " npz, " << ckpt << " checkpoint inputs");
    // The hand-made inputs are in the tree: an empty replay means the folder went missing.
    CHECK(idx + npz + ckpt > 0);
}
