// Communicator over MPI: every collective is the non-blocking MPI-3 call (MPI_Iallreduce, ...)
// followed by a polling wait with a deadline, so a peer that died or never joins ends the run with
// MPI_Abort and a reason instead of a hang (MPI itself has no timeout).
#include "descent/distributed/mpi_communicator.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "descent/core/error.hpp"

namespace descent::distributed::detail {

namespace {

using Clock = std::chrono::steady_clock;

class MpiCommunicator;

// Polls `request` until it completes; aborts the world after `comm`'s timeout.
void wait_for(MPI_Request& request, const Communicator& comm, const char* what);

class MpiWork final : public Work {
public:
    MpiWork(const Communicator& comm, const char* what) : comm_(comm), what_(what) {}
    ~MpiWork() override {
        // A Work dropped in flight (an exception unwound past it) must not leave MPI writing
        // into freed memory: finish it first.
        if (request_ != MPI_REQUEST_NULL) wait_for(request_, comm_, what_);
    }
    bool test() override {
        if (request_ == MPI_REQUEST_NULL) return true;
        int done = 0;
        MPI_Test(&request_, &done, MPI_STATUS_IGNORE);
        return done != 0;
    }
    void wait() override {
        if (request_ != MPI_REQUEST_NULL) wait_for(request_, comm_, what_);
    }
    MPI_Request request_ = MPI_REQUEST_NULL;

private:
    const Communicator& comm_;
    const char* what_;
};

class MpiCommunicator final : public Communicator {
public:
    MpiCommunicator() {
        int initialized = 0;
        MPI_Initialized(&initialized);
        if (!initialized) {
            int provided = 0;
            MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
            owns_mpi_ = true;
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        MPI_Comm node;
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
        MPI_Comm_rank(node, &local_rank_);
        MPI_Comm_free(&node);
    }
    ~MpiCommunicator() override {
        if (owns_mpi_) MPI_Finalize();
    }

    int rank() const override { return rank_; }
    int size() const override { return size_; }
    int local_rank() const override { return local_rank_; }
    const char* backend() const override { return "mpi"; }

    void broadcast(void* data, size_t bytes, int root) override {
        DESCENT_CHECK(bytes <= size_t(INT32_MAX), ValueError, "broadcast(): ", bytes,
                      " bytes exceed MPI's int count");
        MpiWork w(*this, "broadcast");
        MPI_Ibcast(data, int(bytes), MPI_BYTE, root, MPI_COMM_WORLD, &w.request_);
        w.wait();
    }
    void allreduce_sum(float* data, size_t n) override { iallreduce_sum(data, n)->wait(); }
    double allreduce_sum(double value) override {
        double out = 0;
        MpiWork w(*this, "allreduce");
        MPI_Iallreduce(&value, &out, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, &w.request_);
        w.wait();
        return out;
    }
    std::unique_ptr<Work> iallreduce_sum(float* data, size_t n) override {
        DESCENT_CHECK(n <= size_t(INT32_MAX), ValueError, "allreduce(): ", n,
                      " floats exceed MPI's int count");
        auto w = std::make_unique<MpiWork>(*this, "allreduce");
        MPI_Iallreduce(MPI_IN_PLACE, data, int(n), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD,
                       &w->request_);
        return w;
    }
    std::unique_ptr<Work> iallgather(const float* send, size_t n, float* recv) override {
        DESCENT_CHECK(n <= size_t(INT32_MAX), ValueError, "allgather(): ", n,
                      " floats exceed MPI's int count");
        auto w = std::make_unique<MpiWork>(*this, "allgather");
        MPI_Iallgather(send, int(n), MPI_FLOAT, recv, int(n), MPI_FLOAT, MPI_COMM_WORLD,
                       &w->request_);
        return w;
    }
    std::vector<int64_t> allgather(int64_t value) override {
        std::vector<int64_t> all(static_cast<size_t>(size_));
        MpiWork w(*this, "allgather");
        MPI_Iallgather(&value, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, MPI_COMM_WORLD,
                       &w.request_);
        w.wait();
        return all;
    }
    void barrier() override {
        MpiWork w(*this, "barrier");
        MPI_Ibarrier(MPI_COMM_WORLD, &w.request_);
        w.wait();
    }
    [[noreturn]] void abort(int code, const std::string& reason) override {
        std::fprintf(stderr, "rank %d/%d: %s\n", rank_, size_, reason.c_str());
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, code);
        std::_Exit(code);  // MPI_Abort does not return; this only satisfies [[noreturn]]
    }

private:
    int rank_ = 0, size_ = 1, local_rank_ = 0;
    bool owns_mpi_ = false;
};

void wait_for(MPI_Request& request, const Communicator& comm, const char* what) {
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(comm.timeout());
    const auto spin_until = start + std::chrono::milliseconds(100);
    for (;;) {
        int done = 0;
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done) return;
        // MPI moves a non-blocking collective on only inside MPI_Test, so poll without pause for
        // the first 100 ms (a step's buckets take well under that), then sleep between polls so
        // a rank left waiting for a slow peer gives the core back.
        const auto now = Clock::now();
        if (now > spin_until) std::this_thread::sleep_for(std::chrono::microseconds(100));
        if (now > deadline) {
            const_cast<Communicator&>(comm).abort(
                3, ::descent::detail::cat(
                       what, " did not complete within ", comm.timeout(),
                       " s: another rank died, hangs or runs a different program (a "
                       "different model, batch count or world size)"));
        }
    }
}

}  // namespace

std::unique_ptr<Communicator> make_mpi_communicator() {
    return std::make_unique<MpiCommunicator>();
}

}  // namespace descent::distributed::detail
