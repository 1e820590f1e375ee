// The communicator: what data-parallel training needs from a transport (rank, size, broadcast,
// sum-allreduce blocking and not, allgather, abort). MPI implements it (mpi_communicator.cpp) and
// a one-process fallback does (local_communicator.hpp); another backend would add a third.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace descent::distributed {

// A collective in flight. test() drives it (MPI progresses non-blocking collectives only inside
// MPI calls) and tells whether it is done; wait() blocks until it is, or aborts every rank after
// the communicator's timeout: a dead peer must end the run, not hang it.
class Work {
public:
    virtual ~Work() = default;
    virtual bool test() = 0;
    virtual void wait() = 0;
};

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    virtual int local_rank() const = 0;       // rank among the processes of this machine
    virtual const char* backend() const = 0;  // "mpi", "local"

    // `bytes` bytes at `data`, from `root` to every rank.
    virtual void broadcast(void* data, size_t bytes, int root) = 0;
    // data[0..n) := the sum over ranks, on every rank.
    virtual void allreduce_sum(float* data, size_t n) = 0;
    virtual double allreduce_sum(double value) = 0;
    // Starts the sum; data is owned by the caller and must stay alive until the Work is done.
    virtual std::unique_ptr<Work> iallreduce_sum(float* data, size_t n) = 0;
    // recv[r*n .. (r+1)*n) := rank r's send[0..n); recv holds size()*n floats.
    virtual std::unique_ptr<Work> iallgather(const float* send, size_t n, float* recv) = 0;
    // Every rank's value, by rank.
    virtual std::vector<int64_t> allgather(int64_t value) = 0;
    virtual void barrier() = 0;
    // Ends every rank of the run with `reason` on stderr and exit status `code`.
    [[noreturn]] virtual void abort(int code, const std::string& reason) = 0;

    // How long wait() and the blocking calls wait for a peer before abort(); seconds.
    double timeout() const { return timeout_; }
    void set_timeout(double seconds) { timeout_ = seconds; }

private:
    double timeout_ = 300;
};

}  // namespace descent::distributed
