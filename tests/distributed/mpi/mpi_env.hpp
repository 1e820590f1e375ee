// The MPI tests' shared Environment, made by mpi_main.cpp before doctest runs the cases.
#pragma once

#include <descent/distributed/environment.hpp>

namespace mpi_tests {
descent::distributed::Environment& env();
}
