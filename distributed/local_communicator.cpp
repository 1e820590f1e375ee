// The single-process collectives: already complete when started.
#include "descent/distributed/local_communicator.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace descent::distributed {

namespace {
class DoneWork final : public Work {
public:
    bool test() override { return true; }
    void wait() override {}
};
}  // namespace

std::unique_ptr<Work> LocalCommunicator::iallreduce_sum(float*, size_t) {
    return std::make_unique<DoneWork>();
}

std::unique_ptr<Work> LocalCommunicator::iallgather(const float* send, size_t n, float* recv) {
    std::copy(send, send + n, recv);
    return std::make_unique<DoneWork>();
}

void LocalCommunicator::abort(int code, const std::string& reason) {
    std::fprintf(stderr, "%s\n", reason.c_str());
    std::fflush(stderr);
    std::exit(code);
}

}  // namespace descent::distributed
