// The single-process fallback: world size 1, every collective the identity. Always built, so code
// written for a distributed run also runs (and compiles) without MPI.
#pragma once

#include "descent/distributed/communicator.hpp"

namespace descent::distributed {

class LocalCommunicator final : public Communicator {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    int local_rank() const override { return 0; }
    const char* backend() const override { return "local"; }
    void broadcast(void*, size_t, int) override {}
    void allreduce_sum(float*, size_t) override {}
    double allreduce_sum(double value) override { return value; }
    std::unique_ptr<Work> iallreduce_sum(float*, size_t) override;
    std::unique_ptr<Work> iallgather(const float* send, size_t n, float* recv) override;
    std::vector<int64_t> allgather(int64_t value) override { return {value}; }
    void barrier() override {}
    [[noreturn]] void abort(int code, const std::string& reason) override;
};

}  // namespace descent::distributed
