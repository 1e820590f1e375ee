// Chooses the backend: MPI when built with it and started by a launcher, otherwise one process.
// Not calling MPI_Init in a plain run keeps the usual programs free of MPI's start-up cost.
#include "descent/distributed/environment.hpp"

#include <cstdio>
#include <cstdlib>

#include "descent/distributed/local_communicator.hpp"
#ifdef DESCENT_WITH_MPI
#include "descent/distributed/mpi_communicator.hpp"
#endif

namespace descent::distributed {

bool mpi_available() {
#ifdef DESCENT_WITH_MPI
    return true;
#else
    return false;
#endif
}

bool launched_by_mpi() {
    // Open MPI's mpirun, MPICH's Hydra (PMI), PMIx launchers and Slurm's srun.
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(name)) return true;
    return false;
}

Environment::Environment() {
#ifdef DESCENT_WITH_MPI
    if (launched_by_mpi()) {
        comm_ = detail::make_mpi_communicator();
        return;
    }
#else
    // Every rank would train the whole run on its own and write the same files: say so.
    if (launched_by_mpi())
        std::fprintf(stderr,
                     "descent: started by an MPI launcher, but this build of descent has "
                     "no MPI (DESCENT_WITH_MPI): running as a single process\n");
#endif
    comm_ = std::make_unique<LocalCommunicator>();
}

Environment::~Environment() = default;

}  // namespace descent::distributed
