// main of descent_mpi_tests, which ctest starts under `mpirun -np 2`: joins the run, then runs the
// doctest cases on every rank. --die-rank R / --hang-rank R make rank R exit or stall before a
// collective, for the tests that a dead or stuck peer ends the run instead of hanging it.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "mpi_env.hpp"

namespace {
descent::distributed::Environment* the_env = nullptr;
}

descent::distributed::Environment& mpi_tests::env() { return *the_env; }

int main(int argc, char** argv) {
    descent::distributed::Environment env;
    the_env = &env;
    auto& comm = env.communicator();
    comm.set_timeout(30);  // a hung test ends in 30 s, well inside ctest's TIMEOUT
    for (int i = 1; i + 1 < argc; ++i) {
        const bool die = std::strcmp(argv[i], "--die-rank") == 0;
        const bool hang = std::strcmp(argv[i], "--hang-rank") == 0;
        if (!die && !hang) continue;
        const int who = std::atoi(argv[i + 1]);
        comm.set_timeout(2);
        if (env.rank() == who && die) std::_Exit(7);  // dies without a word, as a killed rank
        if (env.rank() == who && hang) std::this_thread::sleep_for(std::chrono::seconds(20));
        float x = 1;
        comm.allreduce_sum(&x, 1);  // the survivor waits here
        return 0;
    }
    doctest::Context context(argc, argv);
    const int failed = context.run();
    // A failed case on one rank only would leave the others in a later collective: end them all.
    const double failures = comm.allreduce_sum(double(failed != 0));
    return failures > 0 ? 1 : 0;
}
