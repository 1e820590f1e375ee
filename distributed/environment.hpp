// The process's place in a distributed run, RAII: constructing an Environment joins the run
// (MPI_Init under mpirun or srun, when descent was built with MPI), destroying it leaves
// (MPI_Finalize). Started any other way, or built without MPI, it is the single-process fallback:
// rank 0 of 1.
#pragma once

#include <memory>

#include "descent/distributed/communicator.hpp"

namespace descent::distributed {

class Environment {
public:
    Environment();
    ~Environment();
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

    int rank() const { return comm_->rank(); }
    int world_size() const { return comm_->size(); }
    int local_rank() const { return comm_->local_rank(); }
    bool is_distributed() const { return comm_->size() > 1; }
    bool is_main() const { return comm_->rank() == 0; }  // the rank that logs and saves
    Communicator& communicator() { return *comm_; }

private:
    std::unique_ptr<Communicator> comm_;
};

// Whether this build of descent has the MPI backend.
bool mpi_available();
// Whether this process was started by an MPI launcher (its environment names a rank).
bool launched_by_mpi();

}  // namespace descent::distributed
