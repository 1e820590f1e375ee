// The MPI backend of Communicator (Open MPI or MPICH), over MPI_COMM_WORLD. Declared without
// <mpi.h>, so that only mpi_communicator.cpp sees MPI; built when CMake finds MPI.
#pragma once

#include <memory>

#include "descent/distributed/communicator.hpp"

namespace descent::distributed::detail {

// Initialises MPI (unless the program already did) and returns the world's communicator, which
// finalises MPI when destroyed, if it initialised it.
std::unique_ptr<Communicator> make_mpi_communicator();

}  // namespace descent::distributed::detail
