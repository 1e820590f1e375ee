// check_same_model compares descriptions ("parameter fc1.weight (128, 784)") against rank 0's,
// which it broadcasts; the first differing rank then broadcasts its own entry for the message.
#include "descent/distributed/model_sync.hpp"

#include <algorithm>
#include <sstream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/core/storage.hpp"

namespace descent::distributed {

namespace {

std::vector<std::string> describe(const nn::Module& model) {
    std::vector<std::string> entries;
    auto add = [&](const char* kind, const NamedTensors& tensors) {
        for (const auto& [name, t] : tensors) {
            std::ostringstream s;
            s << kind << " " << name << " " << t.shape();
            if (t.dtype() != kFloat32) s << " " << t.dtype();  // bytes broadcast must agree
            entries.push_back(s.str());
        }
    };
    add("parameter", model.named_parameters());
    add("buffer", model.named_buffers());
    return entries;
}

// `text` on every rank as `root` has it.
std::string broadcast_string(std::string text, int root, Communicator& comm) {
    int64_t length = static_cast<int64_t>(text.size());
    comm.broadcast(&length, sizeof length, root);
    text.resize(static_cast<size_t>(length));
    comm.broadcast(text.data(), text.size(), root);
    return text;
}

std::string join(const std::vector<std::string>& entries) {
    std::string all;
    for (const auto& e : entries) all += e + '\n';
    return all;
}

std::vector<std::string> split(const std::string& all) {
    std::vector<std::string> entries;
    std::istringstream s(all);
    for (std::string line; std::getline(s, line);) entries.push_back(line);
    return entries;
}

}  // namespace

void check_same_model(const nn::Module& model, Communicator& comm) {
    const std::vector<std::string> mine = describe(model);
    const std::vector<std::string> root = split(broadcast_string(join(mine), 0, comm));
    // This rank's first entry that differs from rank 0's; -1 when none does.
    int64_t first = -1;
    for (size_t i = 0; i < std::max(mine.size(), root.size()) && first < 0; ++i)
        if (i >= mine.size() || i >= root.size() || mine[i] != root[i]) first = int64_t(i);
    const std::vector<int64_t> firsts = comm.allgather(first);
    const auto bad = std::find_if(firsts.begin(), firsts.end(), [](int64_t f) { return f >= 0; });
    if (bad == firsts.end()) return;
    const int rank = static_cast<int>(bad - firsts.begin());
    const size_t entry = static_cast<size_t>(*bad);
    const std::string none = "nothing (its model has fewer entries)";
    const std::string theirs =
        broadcast_string(entry < mine.size() ? mine[entry] : none, rank, comm);
    throw ValueError(detail::cat("check_same_model(): rank ", rank,
                                 " built a different model than rank 0: entry ", entry, " is ",
                                 entry < root.size() ? root[entry] : none, " on rank 0 but ",
                                 theirs, " on rank ", rank));
}

void broadcast_parameters(nn::Module& model, Communicator& comm) {
    if (comm.size() == 1) return;
    NoGradGuard no_grad;
    for (const NamedTensors& tensors : {model.named_parameters(), model.named_buffers()})
        for (auto [name, t] : tensors) {
            DESCENT_CHECK(t.is_contiguous(), StateError, "broadcast_parameters(): ", name,
                          " is not contiguous");
            comm.broadcast(t.impl()->first_raw(), static_cast<size_t>(t.numel() * t.element_size()),
                           0);  // any dtype (num_batches_tracked is int64); registered contiguous
            t.impl()->storage->bump_version();
        }
}

}  // namespace descent::distributed
